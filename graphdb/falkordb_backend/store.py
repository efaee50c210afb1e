"""The store on FalkorDB: the embedded engine and FalkorDB servers, through the asyncio client.

Every statement is one ``GRAPH.QUERY`` (or ``GRAPH.RO_QUERY`` for reads): one
round trip, atomic on its own (a statement that fails midway leaves nothing).
FalkorDB has no multi-statement transactions; see :meth:`FalkorStore.transaction`.

Connections come from a pool that waits: a statement that finds every
connection in use waits up to ``pool_timeout`` seconds for one to come back,
then fails with :class:`~graphdb.errors.GraphBusy` (the client's own pool
refuses at once with "Too many connections", which under a burst of requests
turned one request in ten into an internal error). Every failure to reach the
engine, a vanished unix socket included, is :class:`~graphdb.errors.GraphUnavailable`.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

import redis.asyncio
import redis.exceptions
from falkordb.asyncio import FalkorDB

from graphdb.errors import GraphBusy, GraphUnavailable, QueryFailed
from graphdb.falkordb_backend import ddl
from graphdb.indexes import Index
from graphdb.scope import Scope
from graphdb.statement import Statement
from graphdb.store import Params, Record, Store, Transaction, bind

T = TypeVar("T")
_NO_GRAPH = "empty key"
POOL_SIZE = 32
POOL_TIMEOUT_S = 5.0


class FalkorStore(Store):
    backend = "falkordb"
    search_statements = ddl.SEARCH
    search_whole_tree_statements = ddl.SEARCH_WHOLE_TREE
    # Several batches under way: FalkorDB runs one write at a time per graph, so
    # they cannot deadlock, and the next batch is encoded while one is written.
    batches_in_flight = 3

    def __init__(
        self,
        graph: str,
        *,
        unix_socket: str | None = None,
        host: str = "127.0.0.1",
        port: int = 6379,
        username: str | None = None,
        password: str | None = None,
        address: str | None = None,
        pool_size: int = POOL_SIZE,
        pool_timeout: float = POOL_TIMEOUT_S,
    ) -> None:
        super().__init__(address or (f"unix://{unix_socket}" if unix_socket else f"{host}:{port}"))
        self.graph_name = graph
        self._pool = _waiting_pool(
            unix_socket, host, port, username, password, size=pool_size, timeout=pool_timeout
        )
        try:  # the client asks the server whether it is a cluster, right here
            self._db = FalkorDB(connection_pool=self._pool)
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError) as error:
            raise _unavailable(self.address, error) from None
        self._graph = self._db.select_graph(graph)
        self._unit = asyncio.Lock()

    @contextlib.contextmanager
    def _reaching(self) -> Iterator[None]:
        """Failures to reach the engine as :class:`GraphBusy` or :class:`GraphUnavailable`."""
        try:
            yield
        except redis.exceptions.ConnectionError as error:
            if isinstance(error.__cause__, TimeoutError):  # the pool's wait ran out
                raise GraphBusy(
                    f"all {self._pool.max_connections} connections to {self.address} stayed "
                    f"in use for {self._pool.timeout} s; retry shortly (or raise "
                    "HUB_GRAPH_POOL_SIZE if this happens at ordinary load)"
                ) from None
            raise _unavailable(self.address, error) from None
        except (redis.exceptions.TimeoutError, OSError, EOFError) as error:
            raise _unavailable(self.address, error) from None

    async def _run(self, statement: Statement, params: Params, *, write: bool) -> list[Record]:
        self.round_trips.add(statement.name)
        with self._reaching():
            result = await self._query(statement, params, write=write)
        names = [column[1] for column in result.header]
        return [
            {name: _plain(value) for name, value in zip(names, row, strict=True)}
            for row in result.result_set
        ]

    async def _query(self, statement: Statement, params: Params, *, write: bool) -> Any:
        try:
            if write:
                result = await self._graph.query(statement.text, dict(params))
            else:
                try:
                    result = await self._graph.ro_query(statement.text, dict(params))
                except redis.exceptions.ResponseError as error:
                    if _NO_GRAPH not in str(error):
                        raise
                    # A read-only query cannot create the graph; a plain query on it can.
                    result = await self._graph.query(statement.text, dict(params))
        except redis.exceptions.ResponseError as error:
            raise QueryFailed(statement.name, str(error)) from None
        return result

    async def explain(
        self, statement: Statement, params: Params | None = None, *, scope: Scope | None = None
    ) -> list[str]:
        """FalkorDB's execution plan for a statement, one operation per line."""
        self.round_trips.add(statement.name)
        with self._reaching():
            plan: list[str] = await self._graph.explain(
                statement.text, bind(statement, params, scope=scope)
            )
        return [line.strip() for line in plan]

    async def transaction(self, work: Callable[[Transaction], Awaitable[T]]) -> T:
        """Run ``work`` with no other unit of this store interleaved.

        Each statement is atomic, but FalkorDB cannot undo the earlier statements
        of a unit when a later one fails: a write that must be all-or-nothing is
        written as one statement (a batch and its checkpoint in the same query).
        """
        async with self._unit:
            return await work(_Unit(self))

    async def apply_indexes(self, indexes: Sequence[Index]) -> list[str]:
        existing_indexes = await self._run(ddl.LIST_INDEXES, {}, write=False)
        existing_constraints = await self._run(ddl.LIST_CONSTRAINTS, {}, write=False)
        present = ddl.present(existing_indexes, existing_constraints)
        applied: list[str] = []
        for index in indexes:
            for step in ddl.steps(index):
                if step.key in present:
                    continue
                self.round_trips.add(step.name)
                with self._reaching():
                    try:
                        if step.statement is not None:
                            await self._graph.query(step.statement.text)
                        else:
                            await self._db.connection.execute_command(
                                *ddl.constraint_command(self.graph_name, index)
                            )
                    except redis.exceptions.ResponseError as error:
                        raise QueryFailed(step.name, str(error)) from None
                present.add(step.key)
                applied.append(step.name)
        return applied

    async def ping(self) -> None:
        with self._reaching():
            await self._db.connection.ping()

    async def clear(self) -> None:
        self.round_trips.add("falkordb.delete_graph")
        # No such graph (a ResponseError) is as good as cleared.
        with self._reaching(), contextlib.suppress(redis.exceptions.ResponseError):
            await self._db.connection.execute_command("GRAPH.DELETE", self.graph_name)

    async def close(self) -> None:
        await self._db.connection.aclose()
        await self._pool.aclose()


class _Unit(Transaction):
    def __init__(self, store: FalkorStore) -> None:
        self._store = store

    async def _run(self, statement: Statement, params: Params, *, write: bool) -> list[Record]:
        return await self._store._run(statement, params, write=write)


def _waiting_pool(
    unix_socket: str | None,
    host: str,
    port: int,
    username: str | None,
    password: str | None,
    *,
    size: int,
    timeout: float,
) -> redis.asyncio.BlockingConnectionPool:
    """A pool of ``size`` connections where a caller waits ``timeout`` s for a free one.

    Given a pool, the FalkorDB client passes none of its own settings on: the
    pool carries them (decoded replies, which the client's parser expects).
    The wait bounds waiting for a connection and connecting, never reading: a
    statement may run longer than that (a seed batch while the engine forks to
    save, a renumbering), so the sockets' read timeout is said to be none.
    """
    where: dict[str, Any] = (
        {"path": unix_socket, "connection_class": redis.asyncio.UnixDomainSocketConnection}
        if unix_socket
        else {"host": host, "port": port}
    )
    return redis.asyncio.BlockingConnectionPool(
        max_connections=size,
        timeout=timeout,
        socket_timeout=None,
        socket_connect_timeout=timeout,
        username=username,
        password=password,
        decode_responses=True,
        **where,
    )


def _unavailable(address: str, error: Exception) -> GraphUnavailable:
    return GraphUnavailable(
        f"FalkorDB at {address} does not answer ({error}); start it, or check HUB_GRAPH_URL"
    )


def _plain(value: Any) -> Any:
    """FalkorDB client values as plain Python: nodes and edges become their properties."""
    if isinstance(value, (str, int, float, bool, dt.date)) or value is None:
        return value
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    properties = getattr(value, "properties", None)
    if isinstance(properties, Mapping):
        return {key: _plain(item) for key, item in properties.items()}
    nodes = getattr(value, "nodes", None)
    if callable(nodes):
        return [_plain(node) for node in nodes()]
    return value
