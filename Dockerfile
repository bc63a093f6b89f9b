# One image for every app (api, worker, projector) and the operator CLI; docker-compose.yml picks
# the app with `command`. Files are copied by name, not `COPY . .`: the host's node_modules, dist,
# data and .env (secrets) stay out of the image even without a .dockerignore.
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
RUN npm run build

# Same Debian release as the build stage: better-sqlite3's native module was compiled there.
FROM node:20-bookworm-slim
# Production refuses to start without its secrets instead of using the public development keys.
ENV NODE_ENV=production
WORKDIR /app
# node_modules keeps the dev dependencies on purpose: the CLI runs from its TypeScript sources
# through ts-node (`npm run cli -- …`), exactly as on a developer's machine.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json tsconfig.json ./
COPY apps ./apps
COPY libs ./libs
COPY deploy/docker ./deploy/docker
# The apps write only under /app/data (SQLite files when not on PostgreSQL, bank files). The
# bank-files directory exists in the image, owned by node, so a named volume mounted there
# starts out writable by node too (Docker copies the directory's owner into a new volume).
RUN mkdir -p data/bank-files && chown -R node:node data
USER node
EXPOSE 3000 3001
CMD ["node", "dist/apps/api/apps/api/src/main.js"]
