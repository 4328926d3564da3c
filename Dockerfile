# Production image: the panel and the nameserver share it (docker-compose.yml runs each).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm ci
COPY . .
RUN npm run build
EXPOSE 3000 5300/udp 5300/tcp
CMD ["npm", "start"]
