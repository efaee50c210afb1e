"""Open the store that ``HUB_GRAPH_URL`` names, and put its schema in force."""

from __future__ import annotations

from graphdb.domain import INDEXES
from graphdb.errors import GraphUrlError
from graphdb.falkordb_backend import Endpoint, FalkorStore
from graphdb.neo4j_backend import Neo4jStore
from graphdb.store import Store
from graphdb.url import GraphTarget


def connect(
    target: GraphTarget,
    *,
    graph: str,
    embedded: Endpoint | None = None,
    neo4j_user: str = "neo4j",
    neo4j_password: str | None = None,
) -> Store:
    """A store for ``target``; ``embedded`` is the running engine when the target is embedded.

    ``graph`` names the FalkorDB graph (a server can hold many); for Neo4j the
    database is the URL's path, or the server's default.
    """
    if target.backend == "embedded":
        if embedded is None:
            raise ValueError("the embedded target needs the running engine's endpoint")
        return FalkorStore(
            graph,
            unix_socket=embedded.unix_socket,
            host=embedded.host,
            port=embedded.port,
            address=f"embedded engine ({embedded.redis_url})",
        )
    if target.backend == "falkordb":
        return FalkorStore(
            target.database or graph,
            host=target.host,
            port=target.port,
            username=target.user,
            password=target.password,
            address=target.address,
        )
    password = target.password or neo4j_password
    if password is None:
        raise GraphUrlError(
            "Neo4j needs a password: set HUB_NEO4J_PASSWORD or put it in HUB_GRAPH_URL"
        )
    return Neo4jStore(
        target.neo4j_uri,
        user=target.user or neo4j_user,
        password=password,
        database=target.database,
    )


async def migrate(store: Store) -> list[str]:
    """Create every key, index and full-text index the graph model declares; idempotent."""
    return await store.apply_indexes(INDEXES)
