# hr-scim image. Built in a stage with the dev dependencies (TypeScript); the runtime stage holds the
# production dependencies and dist/ only, runs as a non-root user, and has node itself as PID 1
# (exec-form CMD, no shell or npm in between), so that the SIGTERM of `docker stop` reaches the
# server's graceful stop. test/api/start.test.ts runs this CMD with this environment.
# Give the container PostgreSQL through DATABASE_URL; without it, PGlite keeps its data in /app/data
# (mount a volume there; one container at a time).
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
ENV PORT=8080
ENV HR_SCIM_DATA_DIR=/app/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 8080
VOLUME ["/app/data"]
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]
