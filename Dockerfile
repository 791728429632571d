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
  && npm prune --omit=dev \
  && npm cache clean --force
# The code stays root's and read-only; the app's user may create /app/.env, where Probot's
# setup flow writes the credentials of the app it registers.
RUN chown node:node /app

ENV NODE_ENV=production
ENV HOST=0.0.0.0
ENV PORT=3000
EXPOSE 3000
USER node
# /healthz is served once the app runs with its credentials (not in setup mode).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# `probot run` directly: npm would stand between the container's signals and the app.
CMD ["node_modules/.bin/probot", "run", "./dist/src/index.js"]
