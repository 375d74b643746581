# syntax=docker/dockerfile:1
#
# The one SpreadOps image: every service is a sub-command of the `spreadops` CLI
# (gateway, scanner, strategy, execution, controller, console, sim, all)
#   docker run --rm spreadops:dev gateway --help
#   docker run --rm -p 8090:8090 spreadops:dev all --host 0.0.0.0   # the all-in-one + simulator
#   docker run --rm spreadops:dev console --help                     # the web console (port 8085)
# Build:  docker build -t spreadops:dev .
#         (--build-arg VERSION=… REVISION=$(git rev-parse HEAD) CREATED=$(date -u +%FT%TZ) for the labels)
#
# Stages: manifests (package.json files only, so dependency layers stay cached while only code
# changes) -> build (npm ci + tsc, and esbuild bundles the console's web app into
# services/console/dist/web) and prod-deps (npm ci --omit=dev) -> runtime (Node 22 LTS slim,
# tini as PID 1, uid 10001, nothing writable outside /tmp).

# Pin by digest in releases (e.g. node:22-bookworm-slim@sha256:…; Renovate/Dependabot keep it fresh).
ARG NODE_IMAGE=node:22-bookworm-slim

# --- manifests: the root and workspace package.json files and the lockfile, nothing else.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY package.json package-lock.json ./
COPY packages/ packages/
COPY services/ services/
RUN mkdir -p /out \
 && cp package.json package-lock.json /out/ \
 && find packages services -mindepth 2 -maxdepth 2 -name package.json -exec cp --parents {} /out/ \;

# --- build: all dependencies, compile every workspace (tsc -b), keep only what runs.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY --from=manifests /out/ ./
# --ignore-scripts: no dependency needs an install script to build (only @bufbuild/buf has one,
# and the generated code is committed; esbuild's binary comes from its optional platform package).
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json ./
COPY packages/ packages/
COPY services/ services/
# A dist/ in the build context (a developer's local build, synced by Tilt) is never trusted:
# compile from the sources (`npm run build`: tsc -b, then the console's web bundle), then drop
# tests, test helpers and type declarations. Every dist/ is copied, so the console's web app
# (services/console/dist/web: index.html, app.js, app.css and their .map files) comes along; the
# declarations of the web project (services/console/dist/web-types) do not.
RUN rm -rf packages/*/dist services/*/dist \
 && npm run build \
 && test -f services/console/dist/web/index.html -a -f services/console/dist/web/app.js \
 && mkdir -p /out \
 && for dir in packages/* services/*; do \
      if [ "$dir" != "packages/deploy" ] && [ -d "$dir/dist" ]; then mkdir -p "/out/$dir" && cp -R "$dir/dist" "/out/$dir/dist"; fi; \
    done \
 && rm -rf /out/services/console/dist/web-types \
 && find /out -type d -name testing -prune -exec rm -rf {} + \
 && find /out -type f \( -name '*.test.js' -o -name '*.test.js.map' -o -name '*.test-cluster.js' -o -name '*.test-cluster.js.map' \
      -o -name '*.d.ts' -o -name '*.d.ts.map' -o -name '*.tsbuildinfo' \) -delete

# --- prod-deps: production dependencies of every workspace, no dev tooling.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY --from=manifests /out/ ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# --- runtime
FROM ${NODE_IMAGE} AS runtime
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
# Owner of /app. root (0) keeps the application read-only for the app user; the Tiltfile passes
# 10001 so live_update can sync compiled JS into a running container.
ARG APP_OWNER=0
LABEL org.opencontainers.image.title="spreadops" \
      org.opencontainers.image.description="SpreadOps: vertical option spreads on Interactive Brokers, Kubernetes-native. One CLI: spreadops gateway|scanner|strategy|execution|controller|console|sim|all." \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/spreadops/spreadops" \
      org.opencontainers.image.url="https://github.com/spreadops/spreadops" \
      org.opencontainers.image.documentation="https://github.com/spreadops/spreadops/blob/main/docs/install.md" \
      org.opencontainers.image.vendor="SpreadOps" \
      org.opencontainers.image.base.name="docker.io/library/node:22-bookworm-slim"

# tini reaps zombies and forwards signals (SIGTERM -> graceful drain, lease release).
# npm, npx, corepack and yarn are not needed to run and are removed.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* \
 && rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack /opt/yarn-* \
 && rm -f /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg \
 && groupadd --system --gid 10001 spreadops \
 && useradd --system --uid 10001 --gid 10001 --home-dir /tmp --no-create-home --shell /usr/sbin/nologin spreadops

RUN mkdir /app && chown ${APP_OWNER}:${APP_OWNER} /app
WORKDIR /app
COPY --from=prod-deps --chown=${APP_OWNER}:${APP_OWNER} /app/ ./
COPY --from=build --chown=${APP_OWNER}:${APP_OWNER} /out/ ./
# The example Strategies: `spreadops all` creates them at start (--manifests k8s/examples).
COPY --chown=${APP_OWNER}:${APP_OWNER} k8s/examples/ k8s/examples/

# Nothing is written outside /tmp (mount an emptyDir there with readOnlyRootFilesystem):
# the all-in-one keeps its store and kubeconfig in SPREADOPS_ALL_DATA_DIR.
ENV NODE_ENV=production \
    HOME=/tmp \
    SPREADOPS_ALL_DATA_DIR=/tmp/spreadops

USER 10001:10001
# Every service serves RPCs, /metrics, /healthz and /readyz on its --port (8080 in the chart;
# the console 8085).
EXPOSE 8080 8085
ENTRYPOINT ["tini", "--", "node", "/app/services/cli/dist/main.js"]
CMD ["--help"]
