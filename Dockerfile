# The API image: dependencies from the lock file, the compiled server and the partners' manifest.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma
# The persisted-operation manifest: the safelist the server loads at start.
COPY --from=build /app/operations/persisted-operations.json ./operations/persisted-operations.json
EXPOSE 4000
CMD ["node", "dist/src/main.js"]
