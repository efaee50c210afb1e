"""The store on Neo4j 5, through the official async driver.

Reads and single writes go through ``driver.execute_query`` (one round trip,
retried by the driver on transient errors, routed to readers or the leader);
:meth:`Neo4jStore.transaction` is a managed write transaction
(``session.execute_write``), retried as a whole. Every call shares
``execute_query``'s bookmark manager, so that on a cluster a read sees the
writes made before it, and names its database: the URL's, or the user's home
database, looked up once.

Every failure of the driver becomes a graph-store error that says what to do,
in one place (:meth:`Neo4jStore._errors`): unavailable (GRAPH_UNAVAILABLE),
busy (GRAPH_BUSY), or a statement the server rejected (QUERY_FAILED, naming
the statement, never its parameters).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import neo4j
import neo4j.exceptions
import neo4j.graph
import neo4j.time

from graphdb import statement as cypher
from graphdb.errors import GraphBusy, GraphError, GraphUnavailable, QueryFailed
from graphdb.indexes import Index
from graphdb.neo4j_backend import ddl
from graphdb.statement import Statement
from graphdb.store import Params, Record, Store, Transaction

T = TypeVar("T")

# The name of the database a statement runs in: the home database's, when none is named.
WHICH_DATABASE = cypher.schema("neo4j.which_database", "CALL db.info() YIELD name RETURN name")

# The driver logs what it is about to raise (a routing table it could not fetch, a
# retry) through the "neo4j" logger, which has no handler: Python's last resort
# would print those lines beside the one error the store raises. Records still
# reach any handler the application configures.
logging.getLogger("neo4j").addHandler(logging.NullHandler())


class Neo4jStore(Store):
    backend = "neo4j"
    search_statements = ddl.SEARCH
    search_whole_tree_statements = ddl.SEARCH_WHOLE_TREE
    # One batch at a time: batches of one stream touch the same nodes (the same
    # people; every organisation above them, whose kept counts they update) and
    # Neo4j locks them in whatever order each statement meets them, so two
    # batches at once can deadlock each other; one at a time cannot. (Writers
    # in other processes still can: the driver retries a deadlock, a transient
    # error, within its max_transaction_retry_time.)
    batches_in_flight = 1

    def __init__(
        self,
        uri: str,
        *,
        user: str,
        password: str,
        database: str | None,
        pool_size: int = 100,
        pool_timeout: float = 60.0,
        retry_time: float = 30.0,
    ) -> None:
        """A store on the Neo4j at ``uri`` (no credentials in it); nothing connects yet.

        ``database`` is the URL's, or None for the user's home database. At most
        ``pool_size`` connections; a call waits ``pool_timeout`` seconds for a free
        one. The driver retries a statement that failed for a passing reason (a
        lost connection, a leader election, a deadlock) for ``retry_time`` seconds.
        """
        super().__init__(uri)
        self._database = database
        self._database_known = database is not None
        with self._errors("connect"):
            self._driver = neo4j.AsyncGraphDatabase.driver(
                uri,
                auth=(user, password),
                max_connection_pool_size=pool_size,
                connection_acquisition_timeout=pool_timeout,
                max_transaction_retry_time=retry_time,
            )

    @property
    def database(self) -> str | None:
        """The database every call names; None until the home database is looked up."""
        return self._database

    async def _run(self, statement: Statement, params: Params, *, write: bool) -> list[Record]:
        database = await self._database_name()
        result = await self._execute(statement, params, write=write, database=database)
        return [
            {key: _plain(value) for key, value in record.data().items()}
            for record in result.records
        ]

    async def _execute(
        self, statement: Statement, params: Params, *, write: bool, database: str | None
    ) -> neo4j.EagerResult:
        self.round_trips.add(statement.name)
        routing = neo4j.RoutingControl.WRITE if write else neo4j.RoutingControl.READ
        with self._errors(statement.name):
            return await self._driver.execute_query(
                neo4j.Query(statement.text),
                dict(params),
                database_=database,
                routing_=routing,
            )

    async def _database_name(self) -> str | None:
        """The URL's database, or the user's home database, looked up on first use.

        Given no database, the driver asks a cluster for a routing table before
        every call to learn it (newer servers let it guess from a cache, and
        correct it); naming it spares that round trip.
        """
        if not self._database_known:
            await self._look_up_database()
        return self._database

    async def _look_up_database(self) -> None:
        """Ask the database the store names (or the home one) what it is called."""
        result = await self._execute(WHICH_DATABASE, {}, write=False, database=self._database)
        if result.records:
            self._database = str(result.records[0]["name"])
            self._database_known = True

    def _session(self, database: str | None) -> neo4j.AsyncSession:
        """A session that shares ``execute_query``'s bookmarks: on a cluster, a read
        after a write made here waits for a member that has it."""
        return self._driver.session(
            database=database, bookmark_manager=self._driver.execute_query_bookmark_manager
        )

    async def transaction(self, work: Callable[[Transaction], Awaitable[T]]) -> T:
        """Run ``work`` in one managed write transaction: all or nothing, retried as a whole."""
        database = await self._database_name()
        running: list[str] = []  # the statement under way, named by an error

        async def unit(tx: neo4j.AsyncManagedTransaction) -> T:
            running.clear()
            return await work(_Unit(self, tx, running))

        with self._errors("transaction", running):
            async with self._session(database) as session:
                return await session.execute_write(unit)

    async def apply_indexes(self, indexes: Sequence[Index]) -> list[str]:
        database = await self._database_name()
        present = {row["name"] for row in await self._run(ddl.LIST_INDEXES, {}, write=False)}
        present |= {row["name"] for row in await self._run(ddl.LIST_CONSTRAINTS, {}, write=False)}
        applied: list[str] = []
        for index in indexes:
            if index.name in present:
                continue
            await self._execute(ddl.statement(index), {}, write=True, database=database)
            applied.append(index.name)
        for name, drop in ddl.OBSOLETE.items():
            if name in present:
                await self._execute(drop, {}, write=True, database=database)
                applied.append(f"dropped {name}")
        return applied

    async def ping(self) -> None:
        """Check that Neo4j answers, takes the credentials and has the database.

        ``verify_connectivity`` first: it fails at once where ``execute_query``
        would retry a server that does not answer for ``retry_time``.
        """
        with self._errors("ping"):
            await self._driver.verify_connectivity()
        await self._look_up_database()

    async def clear(self) -> None:
        # CALL { ... } IN TRANSACTIONS commits as it goes: only in an auto-commit
        # transaction (session.run), never in execute_query's managed one.
        database = await self._database_name()
        self.round_trips.add(ddl.DELETE_ALL.name)
        with self._errors(ddl.DELETE_ALL.name):
            async with self._session(database) as session:
                result = await session.run(neo4j.Query(ddl.DELETE_ALL.text))
                await result.consume()

    async def close(self) -> None:
        await self._driver.close()

    @contextmanager
    def _errors(self, name: str, running: Sequence[str] = ()) -> Iterator[None]:
        """Every failure of the driver as a graph-store error, in this one place.

        ``running`` names the statement of a transaction under way when it failed.
        """
        try:
            yield
        except (neo4j.exceptions.GqlError, OSError) as error:
            statement = running[-1] if running else name
            raise _graph_error(error, statement, self.address, self._database) from None


def _graph_error(
    error: neo4j.exceptions.GqlError | OSError, statement: str, address: str, database: str | None
) -> GraphError:
    """The graph-store error for a failure of the driver: what went wrong, what to do.

    The driver raises two families (``neo4j.exceptions``): a ``Neo4jError`` is
    the server's answer to a statement; a ``DriverError`` is the driver's own
    finding (no answer, no free connection, a server it cannot talk to, a bad
    configuration). Unavailable and busy are told to the caller as such (503 in
    GraphQL); a rejected statement is a :class:`QueryFailed` naming the statement
    and the server's code, never the server's message, which may quote the
    parameters (a duplicate key, a value of the wrong type), but for a syntax
    error, which quotes the statement.
    """
    failed = neo4j.exceptions
    where = f"Neo4j at {address}"
    which = f"database {database!r}" if database else "the user's home database"
    if isinstance(error, failed.ConnectionAcquisitionTimeoutError):
        return GraphBusy(
            f"no connection to {where} came free in time: all HUB_GRAPH_POOL_SIZE are in use "
            "(or Neo4j is slow to answer); retry shortly, or raise HUB_GRAPH_POOL_SIZE if "
            "this happens at ordinary load"
        )
    if isinstance(error, failed.UnsupportedServerProduct):
        return GraphUnavailable(
            f"{address} answers, but not as Neo4j 5 does: point HUB_GRAPH_URL at the Bolt "
            "port of a Neo4j 5 server (7687 unless its configuration says otherwise)"
        )
    if isinstance(error, failed.ConfigurationError):
        return GraphUnavailable(
            f"the Neo4j driver cannot reach {address} as configured ({_first_line(error)}): "
            "check HUB_GRAPH_URL (neo4j+s:// and bolt+s:// need a certificate this "
            "machine trusts; +ssc accepts a self-signed one)"
        )
    if isinstance(error, failed.IncompleteCommit):
        return GraphUnavailable(
            f"the connection to {where} was lost while {statement!r} committed: it may or "
            "may not have been written; check before running it again"
        )
    if isinstance(error, (failed.ServiceUnavailable, failed.SessionExpired, OSError)):
        return GraphUnavailable(
            f"Neo4j does not answer at {address}: is it running there, and is that its Bolt "
            "port? Start it, or fix HUB_GRAPH_URL"
        )
    if not isinstance(error, failed.Neo4jError):  # the driver's own: a fault of this code
        return QueryFailed(statement, f"the Neo4j driver raised {type(error).__name__}")
    code = error.code or "an unknown code"
    if code == "Neo.ClientError.Security.AuthenticationRateLimit":
        return GraphUnavailable(
            f"{where} refused too many logins in a row and waits before taking more: "
            "check HUB_NEO4J_PASSWORD (and HUB_NEO4J_USER), then try again in a few seconds"
        )
    if isinstance(error, failed.AuthError):
        return GraphUnavailable(
            f"{where} refused the user name or password: check HUB_NEO4J_PASSWORD (and "
            "HUB_NEO4J_USER, or the credentials in HUB_GRAPH_URL)"
        )
    if code == "Neo.ClientError.Database.DatabaseNotFound":
        return GraphUnavailable(
            f"{where} has no {which}: create it, or name another at the end of HUB_GRAPH_URL"
        )
    if isinstance(error, failed.DatabaseUnavailable):
        return GraphUnavailable(
            f"{where} answers, but {which} is not available (stopped, starting or "
            "recovering): start it, then retry"
        )
    if isinstance(error, failed.TransientError):  # still refused when the retries ran out
        return GraphBusy(f"{where} kept refusing {statement!r} ({code}); retry shortly")
    if isinstance(error, failed.Forbidden):
        return QueryFailed(statement, f"{code}: grant the Neo4j user the privilege to run it")
    if isinstance(error, failed.CypherSyntaxError):
        return QueryFailed(statement, f"{code}: {_first_line(error)}")
    return QueryFailed(statement, code)


def _first_line(error: Exception) -> str:
    """The first line of what the server said (a ``Neo4jError``) or the driver did."""
    text = error.message if isinstance(error, neo4j.exceptions.Neo4jError) else str(error)
    lines = (text or "").strip().splitlines()
    return lines[0] if lines else type(error).__name__


class _Unit(Transaction):
    def __init__(
        self, store: Neo4jStore, tx: neo4j.AsyncManagedTransaction, running: list[str]
    ) -> None:
        self._store = store
        self._tx = tx
        self._running = running

    async def _run(self, statement: Statement, params: Params, *, write: bool) -> list[Record]:
        # Failures are left to the driver (it retries the whole transaction on a
        # passing one) and translated around it; the name of the statement stays
        # in ``running`` if it fails.
        self._store.round_trips.add(statement.name)
        self._running.append(statement.name)
        result = await self._tx.run(statement.text, dict(params))
        rows = [
            {key: _plain(value) for key, value in record.data().items()} async for record in result
        ]
        self._running.pop()
        return rows


def _plain(value: Any) -> Any:
    """Driver values as plain Python: dates as ``datetime.date``, nodes as their properties."""
    if isinstance(value, neo4j.time.Date):
        return value.to_native()
    if isinstance(value, neo4j.time.DateTime):
        native: dt.datetime = value.to_native()
        return native
    if isinstance(value, (neo4j.graph.Node, neo4j.graph.Relationship)):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, neo4j.graph.Path):
        return [_plain(node) for node in value.nodes]
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
