"""Settings, read from ``HUB_*`` environment variables (or ``.env``) by pydantic-settings."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEMO_PII_KEY = "youthgraph-demo-key-not-for-production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HUB_", env_file=".env", extra="ignore")

    graph_url: str = Field(
        "embedded",
        description="embedded, falkordb://host:port[/graph] or neo4j://host:7687[/database]",
    )
    graph_name: str = Field("youthgraph", description="FalkorDB graph name")
    neo4j_user: str = Field("neo4j", description="Neo4j user, unless the URL names one")
    neo4j_password: SecretStr | None = Field(None, description="Neo4j password")
    redis_url: str | None = Field(
        None, description="Redis for caches and sessions; default: the embedded engine"
    )
    data_dir: Path = Field(Path(".hub-data"), description="where the embedded engine keeps data")
    host: str = Field("127.0.0.1", description="address the HTTP server binds")
    port: int = Field(8000, ge=1, le=65535, description="port the HTTP server binds")
    pii_key: SecretStr = Field(
        SecretStr(DEMO_PII_KEY),
        min_length=16,
        description="secret key of the ID-number and phone hashes; set one in production",
    )
    graphql_ide: bool = Field(True, description="serve the GraphiQL IDE at /graphql")
    graphql_introspection: bool = Field(True, description="answer introspection queries")
    graphql_max_depth: int = Field(12, ge=1, description="deepest field nesting a query may have")
    graphql_max_aliases: int = Field(50, ge=0, description="aliases one document may use")
    graphql_max_tokens: int = Field(5_000, ge=10, description="tokens one document may have")
    graphql_max_cost: int = Field(
        25_000, ge=1, description="fields weighted by the page sizes of the connections above"
    )
    max_request_bytes: int = Field(
        1_048_576, ge=1024, description="largest request body accepted, in bytes"
    )
    log_level: str = Field("info", description="debug, info, warning or error")
