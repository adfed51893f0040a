# syntax=docker/dockerfile:1
# keydesk in two stages: `build` installs every dependency and bundles src/ into dist/ with
# esbuild; the runtime stage gets dist/ and the production dependencies only, and runs it on
# plain node as an unprivileged user. The native addons (argon2, better-sqlite3) are built
# once, in `build`, for the same base image, and copied over with node_modules.
# Not built on the development machine (it has no access to a Docker registry): see the
# README's "Running in production".

FROM node:20-bookworm-slim AS build
WORKDIR /app
# node-gyp's toolchain, for when better-sqlite3 or argon2 find no prebuilt binary.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/build-dist.mjs scripts/
COPY src src
COPY handlers handlers
COPY jobs jobs
# The bundle only; the type check and the tests run in CI (`npm test`), not here.
RUN node scripts/build-dist.mjs \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/var/lib/keydesk
WORKDIR /app
# package.json says "type": "module" (dist/ is ESM but for the main.cjs launcher); bin/ and build-dist.mjs make
# `node bin/keydesk.js …` work in the container (with no sources, dist/ is never stale).
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/scripts/build-dist.mjs scripts/
COPY bin bin
# The image's `node` user (uid 1000) owns only the data folder (outbox, when SMTP_URL is unset).
RUN mkdir -p /var/lib/keydesk && chown node:node /var/lib/keydesk
VOLUME /var/lib/keydesk
USER node
EXPOSE 3000
# The slim image has no curl: node's fetch asks /healthz (200 when the store and Redis answer).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node directly, not `npm start` (npm and sh would stand between `docker stop`'s SIGTERM and
# keydesk). keydesk handles SIGTERM itself: closes its server, workers and connections, exits 0.
# `--worker-only` runs the queue workers without HTTP (compose.yaml's `worker` service).
CMD ["node", "dist/main.cjs"]
