# The app image: Node 20, production dependencies only (tsx runs the TypeScript sources directly).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json .npmrc ./
# Full install first: botbuilder-dialogs' install script needs the rimraf devDependency; then drop dev packages.
RUN npm ci --no-audit --no-fund && npm prune --omit=dev
COPY . .
USER node
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:3978/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["npx", "tsx", "server.ts"]
