FROM node:20-slim

WORKDIR /app

COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY app.yml ./
# Dependencies' install scripts run through `npm rebuild`; the root `prepare` (a build) is skipped
# here so that the build below runs once. Dev dependencies (TypeScript) go after it.
RUN npm ci --ignore-scripts \
  && npm rebuild \
  && npm run build \
  && npm prune --omit=dev

ENV NODE_ENV=production
ENV HOST=0.0.0.0
ENV PORT=3000
EXPOSE 3000
USER node
CMD ["npm", "start"]
