# syntax=docker/dockerfile:1
# bellwether: ONE image, both programs.
#   entrypoint  the sidecar (dist/sidecar/main.js): the webhook injects it with
#               `args` only (operator/sidecar-spec.ts), so it must be the default;
#   operator    `command: [node, /app/dist/operator/main.js]` (the Helm chart sets it).
# Built by `make image`; the chart's default image is ghcr.io/bellwether/bellwether
# tagged with the chart's appVersion (= package.json version).
#
# Node 22 LTS, pinned by tag. 22 rather than 24: the tests and the bench run on
# Node 20 here, and 22 is the nearest LTS line that is still supported.
ARG NODE_IMAGE=node:22.21.1-bookworm-slim

# ── build: compile TypeScript to dist/ ──────────────────────────────────────
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# `npm install`, not `npm ci`, as `make deps` does: npm 11 writes lockfiles
# without other platforms' optional packages (rollup's, esbuild's — dev
# dependencies), and `npm ci` can refuse them as out of sync when the image is
# built for another platform. It still installs exactly the locked versions.
RUN npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY sidecar sidecar
COPY operator operator
COPY examples examples
COPY test/fakes test/fakes
COPY crds crds
RUN npm run build

# ── prod-deps: production dependencies only, exactly as locked ─────────────
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
# `npm ci` works here: with --omit=dev none of the platform-specific optional
# packages above are installed (test/chart/image.test.ts runs this command).
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ── runtime ─────────────────────────────────────────────────────────────────
FROM ${NODE_IMAGE}
# The bench measures memory with this environment (bench/lib/contestants.mjs IMAGE_ENV;
# test/chart/image.test.ts keeps the two equal). A 2 MiB young generation holds memory
# flat under many open streams (138 → 108 MiB with 1,000 streams). Not set, after
# measuring (bench/README.md, "Memory"): MALLOC_ARENA_MAX=1 (+22 % CPU per request at
# saturation) and --max-old-space-size (Node already sizes V8's heap from the container's
# memory limit; a lower cap only adds a way to crash).
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=2
WORKDIR /app
COPY --from=prod-deps /app/node_modules node_modules
COPY package.json ./
# The CRD. The sidecar's route validator is compiled from it at build time
# (sidecar/config/relayroute-validator.generated.ts); the copy is the schema of record.
COPY crds crds
COPY --from=build /src/dist/sidecar dist/sidecar
COPY --from=build /src/dist/operator dist/operator
# Non-root, numeric (so runAsNonRoot can verify it): the chart and the injected
# sidecar run as 65532 too. Nothing in /app is writable by it.
USER 65532:65532
# 14000 app traffic (loopback), 14001 sidecar admin; 8080 metrics, 8081 health, 9443 webhook (operator).
EXPOSE 14000 14001 8080 8081 9443
ENTRYPOINT ["node", "/app/dist/sidecar/main.js"]
CMD ["--help"]
