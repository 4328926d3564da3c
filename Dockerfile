# Production image: the panel and the nameserver share it (docker-compose.yml runs each; the
# default command runs both under the supervisor, scripts/start.ts). It runs compiled
# JavaScript (dist/, .next/) with production dependencies only, as the unprivileged user `node`.
#
# Ports below 1024 (DNS on 53, WHOIS on 43) without root: the node binary carries the file
# capability cap_net_bind_service (setcap below), and nothing else. The container must keep
# NET_BIND_SERVICE in its bounding set (Docker's default; docker-compose.yml drops every other
# capability and adds this one back) and must not run with no-new-privileges, which ignores
# file capabilities.

# 1. Build: every dependency, the native UDP addon, the panel (next build), the server (dist/).
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts ./
COPY nameserver/native ./nameserver/native
RUN npm ci
COPY . .
RUN npm run build:native && npm run build && npm run build:server && rm -rf .next/cache

# 2. Production dependencies only (no TypeScript, tsx, Prisma CLI, test tools). Their install
# scripts are not needed: the Prisma client is generated and compiled into dist/ and .next/,
# the embedded PostgreSQL is not used (DATABASE_URL is required in production).
FROM node:20-bookworm AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcap2-bin \
 && setcap cap_net_bind_service=+ep /usr/local/bin/node \
 && apt-get purge -y libcap2-bin && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/package.json /app/next.config.js ./
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/dist ./dist
COPY --from=build /app/.next ./.next
COPY --from=build /app/nameserver/native/build/Release/udp_batch.node ./nameserver/native/build/Release/udp_batch.node
# Root owns the files; the processes only read them.
USER node
EXPOSE 3000 53/udp 53/tcp
CMD ["node", "dist/scripts/start.js"]
