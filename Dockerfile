# syntax=docker/dockerfile:1
# readiness GitHub App: `docker build -t readiness .` then
#   docker run --env-file .env -p 3000:3000 readiness

# --- build: compile TypeScript with the dev dependencies -------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would compile before the sources are here, and tree-sitter-python's
# native build is not used (the app loads its shipped .wasm).
RUN npm ci --ignore-scripts
COPY tsconfig.json ./
COPY src ./src
COPY checks ./checks
COPY scripts ./scripts
COPY bench ./bench
RUN npx tsc -p tsconfig.json

# --- runtime: production dependencies and the compiled output only --------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json
WORKDIR /app
# The manifest first (Probot's setup page reads it to register the app), then dependencies, so
# code changes do not invalidate the dependency layer.
COPY app.yml ./
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
# Data the rules read at run time (the API-removal knowledge base).
COPY checks/python/data ./checks/python/data
# The image's unprivileged user; nothing under /app needs to be writable.
USER node
EXPOSE 3000
# /healthz answers once the server is up (with REDIS_URL, issue 7 adds a Redis check).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM (docker stop) lets running scans finish their check runs for up to 25 s.
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/server.js"]
