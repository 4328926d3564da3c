# Production image: the panel and the nameserver share it (docker-compose.yml runs each).
# The build stage has a compiler for the nameserver's batched-UDP addon (nameserver/native).
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts ./
COPY nameserver/native ./nameserver/native
RUN npm ci
COPY . .
RUN npm run build:native && npm run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
EXPOSE 3000 5300/udp 5300/tcp
CMD ["npm", "start"]
