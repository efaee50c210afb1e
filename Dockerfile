# The hub for production-like runs (docker-compose.yml): Neo4j and Redis are separate services.
# Installs exactly the versions in uv.lock (uv from PyPI, as the scripts do), without test tools.
FROM python:3.12-slim
WORKDIR /app
ENV UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=/app/.venv UV_COMPILE_BYTECODE=1
RUN pip install --no-cache-dir uv==0.13.9
COPY pyproject.toml uv.lock README.md ./
COPY hub hub
COPY schema schema
COPY graphdb graphdb
COPY connectors connectors
RUN uv sync --locked --no-dev --no-editable --python /usr/local/bin/python3 \
    && rm -rf /root/.cache
ENV PATH=/app/.venv/bin:$PATH
USER nobody
EXPOSE 8000
ENV HUB_HOST=0.0.0.0 HUB_DATA_DIR=/tmp/hub-data
CMD ["hub", "serve"]
