# syntax=docker/dockerfile:1
# The operator's image: compiled JavaScript and production dependencies on Node.js 24, run as a
# non-root user. Build: docker build -t mesos-operator:0.1.0 .
# NODE_VERSION matches the "node" devDependency in package.json (a unit test checks it), so the
# image runs the Node.js the tests ran.
ARG NODE_VERSION=24.21.0

# Stage 1: compile TypeScript to dist/ with the project's own build script (all dependencies).
FROM node:${NODE_VERSION}-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY hack/ ./hack/
COPY controllers/ ./controllers/
RUN npm run build

# Stage 2: production dependencies only, without install scripts (none of them needs one).
FROM node:${NODE_VERSION}-slim AS deps
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# Stage 3: the runtime: the base image, dist/ and production node_modules/; no compiler, no dev
# dependencies, no sources.
FROM node:${NODE_VERSION}-slim
ENV NODE_ENV=production
WORKDIR /app
# package.json says "type": "module", which makes Node load dist/ as ES modules.
COPY package.json ./
COPY --from=deps /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
# The base image's "node" user, by number so Kubernetes can check runAsNonRoot. Files stay owned
# by root: the process can read but not change them (the chart also mounts / read-only).
USER 1000:1000
# 5050: Mesos HTTP API; 8080: /metrics, /healthz, /readyz.
EXPOSE 5050 8080
# bench/subscribeToOffers.ts runs the operator with the Node.js flags of this line.
ENTRYPOINT ["node", "--enable-source-maps", "dist/controllers/main.js"]
