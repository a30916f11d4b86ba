# The explorer's image for docker-compose.yml: `finess-graph` is the entry point, `serve` its default command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
# Only what the package is built from: the checkout's var/ (Neo4j jars, data) and .venv stay out.
# web/ joins this list once it holds files (an empty folder is not in a clone, and COPY would fail).
COPY pyproject.toml README.md ./
COPY graph ./graph
COPY api ./api
COPY loaders ./loaders
COPY cypher ./cypher
RUN pip install . && useradd --create-home --uid 10001 finess

USER finess
WORKDIR /home/finess
EXPOSE 8000
ENTRYPOINT ["finess-graph"]
CMD ["serve", "--host", "0.0.0.0"]
