# The API image: the compiled server, its migrations, the partners' manifest and the production
# dependencies from the lock file. No development tool: not the MongoDB stand-in (a workspace
# package, packages/mongo-standin) nor mingo, testcontainers or mongodb-memory-server
# (test/platform/production-footprint.int.test.ts runs the `deps` stage's install as a dry run).

# Compiles everything; npm ci needs the workspaces' package.json files beside the lock file.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/mongo-standin/package.json ./packages/mongo-standin/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# The production dependencies only: no devDependencies and no workspace packages.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --workspaces=false --no-audit --no-fund

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY prisma ./prisma
# The persisted-operation manifest: the safelist the server loads at start.
COPY operations/persisted-operations.json ./operations/persisted-operations.json
EXPOSE 4000
CMD ["node", "dist/src/main.js"]
