# syntax=docker/dockerfile:1
# Cloudlink production image: built with pnpm, run on node:24-slim as the unprivileged `node` user
# with only production dependencies and the built app. `docker compose up` (docker-compose.yml) runs
# two of these behind Caddy with PostgreSQL and Redis.

ARG NODE_IMAGE=node:24-slim

FROM ${NODE_IMAGE} AS base
# The pnpm version the repository pins in tools/package.json.
ARG PNPM_VERSION=10.34.9
ENV CI=true PNPM_HOME=/pnpm PATH=/pnpm:$PATH
RUN npm install --global --no-audit --no-fund "pnpm@${PNPM_VERSION}"
WORKDIR /app
# The manifests alone first, so the dependency layers are reused while only source changes.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY web/package.json web/
COPY e2e/package.json e2e/

FROM base AS build
RUN pnpm install --frozen-lockfile
COPY tsconfig.json tsconfig.base.json ./
COPY shared shared
COPY server server
COPY web web
COPY e2e e2e
RUN pnpm run build

FROM base AS prod-deps
# The server and the workspace packages it imports (shared, e2e's simulators for SANDBOX), nothing
# else: no compilers, test runners or the SPA's build tools.
RUN pnpm install --frozen-lockfile --prod --filter "@cloudlink/server..."

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=prod-deps /app/node_modules node_modules
COPY --from=prod-deps /app/shared/node_modules shared/node_modules
COPY --from=prod-deps /app/server/node_modules server/node_modules
COPY --from=prod-deps /app/e2e/node_modules e2e/node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/shared/package.json shared/
COPY --from=build /app/shared/dist shared/dist
COPY --from=build /app/e2e/package.json e2e/
COPY --from=build /app/e2e/dist e2e/dist
COPY --from=build /app/server/package.json server/
COPY --from=build /app/server/dist server/dist
# Data files the server reads at run time (the common-password list).
COPY --from=build /app/server/data server/data
COPY --from=build /app/web/dist web/dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/health/ready`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node runs as PID 1 and handles SIGTERM itself (server/src/server.ts): it drains
# (readiness 503, in-flight requests finish, sweep leases released) and exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "server/dist/server.js"]
