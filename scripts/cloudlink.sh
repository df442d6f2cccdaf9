#!/usr/bin/env bash
# One entry point for the README's commands. It needs only bash, an older Node and npm on the
# machine: Node 24 and pnpm come from the npm registry into tools/, never from a global install.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

want_node=$(sed -n 's/.*"node": "\([0-9.]*\)".*/\1/p' tools/package.json)
if [ "$(tools/node_modules/.bin/node --version 2>/dev/null)" != "v$want_node" ] ||
  [ ! -x tools/node_modules/.bin/pnpm ]; then
  echo "cloudlink: installing Node $want_node and pnpm into tools/ (npm registry)" >&2
  npm install --prefix tools --no-audit --no-fund --loglevel=error >&2
fi
export PATH="$root/tools/node_modules/.bin:$PATH"

install_deps() {
  # --frozen-lockfile: a fresh clone gets exactly the committed dependency tree.
  pnpm install --frozen-lockfile --prefer-offline --reporter=append-only >&2
}

cmd=${1:-start}
shift || true
case "$cmd" in
  start)
    install_deps
    pnpm run build
    # Without DATABASE_URL this is a newcomer's trial: simulated providers, so nothing real is touched.
    if [ -z "${DATABASE_URL:-}" ]; then export SANDBOX="${SANDBOX:-1}"; fi
    exec node server/dist/server.js "$@"
    ;;
  dev)
    install_deps
    pnpm run build:ts
    if [ -z "${DATABASE_URL:-}" ]; then export SANDBOX="${SANDBOX:-1}"; fi
    exec pnpm --parallel --filter @cloudlink/server --filter @cloudlink/web run dev
    ;;
  test)
    install_deps
    exec bash scripts/test-all.sh "$@"
    ;;
  bench)
    install_deps
    pnpm run build
    exec pnpm --filter @cloudlink/server run bench "$@"
    ;;
  pnpm)
    exec pnpm "$@"
    ;;
  *)
    echo "usage: scripts/cloudlink.sh start|dev|test|bench|pnpm ..." >&2
    exit 64
    ;;
esac
