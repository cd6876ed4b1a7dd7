# One image for the API and the worker; the command picks the role (see docker-compose.yml):
#   API     node dist/api/main.js      (the default)
#   worker  node dist/workers/main.js
# Checked by test/unit/foundation/dockerfile.test.ts; test/foundation/production-build.test.ts runs
# the runtime stage's files the way this image does.

# Build: every dependency, compile to dist/ and bundle the workflow code once, then drop the
# development dependencies (tsx, TypeScript's tooling, jest) from node_modules.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY scripts ./scripts
COPY prisma ./prisma
# postinstall generates the Prisma client into prisma/generated, which the build compiles.
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# Runtime: compiled code, production dependencies and what `prisma migrate deploy` reads at start-up
# (package.json marks the app root, prisma.config.ts, the schema and the migrations).
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json /app/prisma.config.ts ./
COPY --from=build /app/scripts/prisma.js ./scripts/prisma.js
COPY --from=build /app/prisma/schema.prisma ./prisma/schema.prisma
COPY --from=build /app/prisma/migrations ./prisma/migrations
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The code stays root-owned and read-only to the app; DATA_DIR (.data) is the one folder it writes.
RUN mkdir .data && chown node:node .data
USER node
EXPOSE 3000
# Liveness of the API (slim images have no curl). The worker serves no HTTP: docker-compose.yml turns
# this check off for it.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.API_PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/api/main.js"]
