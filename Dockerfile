# The explorer's image for docker-compose.yml: `finess-graph` is the entry point, `serve` its default command.

# The browser's libraries (D3, GraphiQL, React, Swagger UI), installed from the npm registry as the lock
# file pins them: the pages load them from the app's own origin, never from a CDN.
FROM node:20-slim AS web
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
# Only what the package is built from (.dockerignore keeps var/, .venv, node_modules and bench/out out).
COPY pyproject.toml README.md ./
COPY graph ./graph
COPY api ./api
COPY loaders ./loaders
COPY cypher ./cypher
COPY web ./web
COPY --from=web /web/node_modules ./web/node_modules
# Editable: the app serves web/node_modules from beside its package, which a wheel would not carry.
RUN pip install -e . && useradd --create-home --uid 10001 finess

USER finess
WORKDIR /home/finess
EXPOSE 8000
ENTRYPOINT ["finess-graph"]
CMD ["serve", "--host", "0.0.0.0"]
