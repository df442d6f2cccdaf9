#!/usr/bin/env bash
# Every suite, in the order a failure is cheapest to find: lint, types, server, web, e2e.
# Runs with tools/ on PATH (scripts/cloudlink.sh test sets that up).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Each step's header says how long the one before took: CI has 30 minutes for all of them.
last=$SECONDS
step() {
  printf '\n=== %s (%ss since the last step) ===\n' "$1" "$((SECONDS - last))"
  last=$SECONDS
}

step "lint + format"
pnpm run lint

step "type check"
pnpm run typecheck

step "server tests (tap)"
pnpm --filter @cloudlink/server run test

if [ -f web/vitest.config.ts ] || [ -f web/vite.config.ts ]; then
  step "web component tests (vitest)"
  pnpm --filter @cloudlink/web run test
fi

step "e2e: simulators and browser journeys"
bash scripts/ensure-chromium.sh
pnpm run build
pnpm --filter @cloudlink/e2e run test

step "done in ${SECONDS}s"
