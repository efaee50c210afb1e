"""Settings, read from ``HUB_*`` environment variables (or ``.env``) by pydantic-settings.

Every setting is checked here, before anything starts: a value the hub cannot
use is reported by ``hub`` as one line naming the variable, with what to do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from graphdb import GraphUrlError, parse_graph_url

DEMO_PII_KEY = "youthgraph-demo-key-not-for-production"
DEMO_AUTH_SECRET = "youthgraph-demo-auth-secret-not-for-production"
REDIS_SCHEMES = ("redis", "rediss", "unix")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HUB_", env_file=".env", extra="ignore")

    graph_url: str = Field(
        "embedded",
        description="embedded, falkordb://host:port[/graph] or neo4j://host:7687[/database]",
    )
    graph_name: str = Field("youthgraph", min_length=1, description="FalkorDB graph name")
    neo4j_user: str = Field("neo4j", description="Neo4j user, unless the URL names one")
    neo4j_password: SecretStr | None = Field(None, description="Neo4j password")
    neo4j_retry_seconds: float = Field(
        10.0,
        gt=0,
        description="how long Neo4j calls are retried (a deadlock, a leader election, a server "
        "away) before a request answers GRAPH_UNAVAILABLE or GRAPH_BUSY",
    )
    redis_url: str | None = Field(
        None, description="Redis for caches and sessions; default: the embedded engine"
    )
    graph_pool_size: int = Field(
        32,
        ge=1,
        le=1024,
        description="connections to the graph (as many to Redis) each hub process holds at most",
    )
    graph_pool_timeout: float = Field(
        5.0, gt=0, le=300, description="seconds a query waits for a free connection: then busy"
    )
    data_dir: Path = Field(Path(".hub-data"), description="where the embedded engine keeps data")
    host: str = Field("127.0.0.1", min_length=1, description="address the HTTP server binds")
    port: int = Field(8000, ge=1, le=65535, description="port the HTTP server binds")
    workers: int = Field(
        1, ge=1, le=64, description="HTTP worker processes of hub serve and hub demo"
    )
    pii_key: SecretStr = Field(
        SecretStr(DEMO_PII_KEY),
        description="secret key of the ID-number and phone hashes; set one in production",
    )
    issuer: str | None = Field(
        None,
        description="the sign-on issuer: the hub's public https URL (default: "
        "http://HUB_HOST:HUB_PORT); tokens, discovery and redirects name it",
    )
    auth_secret: SecretStr = Field(
        SecretStr(DEMO_AUTH_SECRET),
        description="secret that seals the signing keys in the graph and keys CSRF tokens "
        "and pairwise subjects; set one in production, and keep it",
    )
    token_audience: str = Field(
        "youthgraph-hub", min_length=1, description="the aud of the access tokens the hub issues"
    )
    access_token_minutes: int = Field(
        10, ge=1, le=60, description="lifetime of access and ID tokens, in minutes"
    )
    refresh_token_days: int = Field(
        30, ge=1, le=365, description="lifetime of a refresh token family, in days"
    )
    graphql_ide: bool = Field(True, description="serve the GraphiQL IDE at /graphql")
    graphql_introspection: bool = Field(True, description="answer introspection queries")
    graphql_federation: bool = Field(
        True,
        description="answer _service { sdl } for a federation gateway; "
        "turn off in production unless a gateway composes this subgraph",
    )
    graphql_max_depth: int = Field(12, ge=1, description="deepest field nesting a query may have")
    graphql_max_aliases: int = Field(50, ge=0, description="aliases one document may use")
    graphql_max_tokens: int = Field(5_000, ge=10, description="tokens one document may have")
    graphql_max_cost: int = Field(
        25_000, ge=1, description="fields weighted by the page sizes of the connections above"
    )
    graphql_max_scan: int = Field(
        50_000,
        ge=100,
        description="rows a list sorted other than in the tree order, or a filtered "
        "totalCount, may read",
    )
    max_request_bytes: int = Field(
        1_048_576, ge=1024, description="largest request body accepted, in bytes"
    )
    log_level: Literal["debug", "info", "warning", "error"] = Field(
        "info", description="debug, info, warning or error"
    )

    @field_validator("log_level", mode="before")
    @classmethod
    def _lower_case(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("pii_key", "auth_secret")
    @classmethod
    def _pii_key(cls, value: SecretStr) -> SecretStr:
        if len(value.get_secret_value()) < 16:
            raise ValueError(
                "it must be at least 16 characters: set a long random secret, and keep it"
            )
        return value

    @field_validator("issuer")
    @classmethod
    def _issuer(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("it must be the hub's URL, such as https://hub.example.org")
        if parts.query or parts.fragment:
            raise ValueError("it must have no query or fragment (RFC 8414)")
        return value.strip().rstrip("/")

    @property
    def issuer_url(self) -> str:
        """The issuer every token names: HUB_ISSUER, or this process's own address."""
        if self.issuer:
            return self.issuer
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @field_validator("graph_url")
    @classmethod
    def _graph_url(cls, value: str) -> str:
        try:
            parse_graph_url(value)
        except GraphUrlError as error:
            raise ValueError(str(error)) from None
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        example = "use redis://[user:password@]host:6379[/db], rediss://... or unix:///path"
        try:
            parts = urlsplit(value.strip())
            parts.port  # noqa: B018  a bad port raises here
        except ValueError:
            raise ValueError(f"it has a bad port or address; {example}") from None
        if parts.scheme not in REDIS_SCHEMES:
            raise ValueError(f"it is not a Redis URL; {example}")
        if parts.scheme == "unix" and not parts.path:
            raise ValueError(f"it names no socket; {example}")
        if parts.scheme != "unix" and not parts.hostname:
            raise ValueError(f"it names no host; {example}")
        return value.strip()
