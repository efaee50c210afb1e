# The hub for production-like runs (docker-compose.yml): Neo4j and Redis are separate services.
FROM python:3.12-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY hub hub
COPY schema schema
COPY graphdb graphdb
COPY connectors connectors
RUN pip install --no-cache-dir .
USER nobody
EXPOSE 8000
ENV HUB_HOST=0.0.0.0 HUB_DATA_DIR=/tmp/hub-data
CMD ["hub", "serve"]
