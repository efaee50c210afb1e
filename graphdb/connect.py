"""Open the store that ``HUB_GRAPH_URL`` names, and put its schema in force."""

from __future__ import annotations

from graphdb.domain import INDEXES, LISTINGS
from graphdb.domain.search import index_names
from graphdb.errors import GraphUrlError
from graphdb.falkordb_backend import Endpoint, FalkorStore
from graphdb.falkordb_backend.store import POOL_SIZE, POOL_TIMEOUT_S
from graphdb.listing import needs_renumber, renumber
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
    pool_size: int = POOL_SIZE,
    pool_timeout: float = POOL_TIMEOUT_S,
    neo4j_retry_seconds: float = 10.0,
) -> Store:
    """A store for ``target``; ``embedded`` is the running engine when the target is embedded.

    ``graph`` names the FalkorDB graph (a server can hold many); for Neo4j the
    database is the URL's path, or the user's home database, which the store looks
    up once and names in every call after. The store holds at most
    ``pool_size`` connections; a statement that finds them all in use waits up to
    ``pool_timeout`` seconds for one, then raises :class:`~graphdb.errors.GraphBusy`.
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
            pool_size=pool_size,
            pool_timeout=pool_timeout,
        )
    if target.backend == "falkordb":
        return FalkorStore(
            target.database or graph,
            host=target.host,
            port=target.port,
            username=target.user,
            password=target.password,
            address=target.address,
            pool_size=pool_size,
            pool_timeout=pool_timeout,
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
        pool_size=pool_size,
        pool_timeout=pool_timeout,
        retry_time=neo4j_retry_seconds,
    )


async def migrate(store: Store) -> list[str]:
    """Create every key, index and full-text index the graph model declares; idempotent.

    A graph whose tree is not numbered for lists (``graphdb.listing``: written
    before the numbers existed, or by a writer that added organisations) is
    numbered, and its kept counts taken, here.
    """
    applied = await store.apply_indexes(INDEXES)
    given = await index_names(store)
    if given:
        applied.append(f"gave {given:,} names their search terms")
    if await needs_renumber(store):
        numbered = await renumber(store, LISTINGS)
        applied.append(f"numbered {numbered.organizations:,} organisations for lists")
    return applied
