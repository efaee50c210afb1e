"""The store on FalkorDB: the embedded engine and FalkorDB servers, through the asyncio client.

Every statement is one ``GRAPH.QUERY`` (or ``GRAPH.RO_QUERY`` for reads): one
round trip, atomic on its own (a statement that fails midway leaves nothing).
FalkorDB has no multi-statement transactions; see :meth:`FalkorStore.transaction`.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

import redis.exceptions
from falkordb.asyncio import FalkorDB

from graphdb.errors import GraphUnavailable, QueryFailed
from graphdb.falkordb_backend import ddl
from graphdb.indexes import Index
from graphdb.scope import Scope
from graphdb.statement import Statement
from graphdb.store import Params, Record, Store, Transaction, bind

T = TypeVar("T")
_NO_GRAPH = "empty key"


class FalkorStore(Store):
    backend = "falkordb"
    search_statements = ddl.SEARCH

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
    ) -> None:
        super().__init__(address or (f"unix://{unix_socket}" if unix_socket else f"{host}:{port}"))
        self.graph_name = graph
        try:  # the client asks the server whether it is a cluster, right here
            self._db = FalkorDB(
                host=host,
                port=port,
                unix_socket_path=unix_socket,
                username=username,
                password=password,
                max_connections=32,
            )
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as error:
            raise _unavailable(self.address, error) from None
        self._graph = self._db.select_graph(graph)
        self._unit = asyncio.Lock()

    async def _run(self, statement: Statement, params: Params, *, write: bool) -> list[Record]:
        self.round_trips.add(statement.name)
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
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as error:
            raise _unavailable(self.address, error) from None
        except redis.exceptions.ResponseError as error:
            raise QueryFailed(statement.name, str(error)) from None
        names = [column[1] for column in result.header]
        return [
            {name: _plain(value) for name, value in zip(names, row, strict=True)}
            for row in result.result_set
        ]

    async def explain(
        self, statement: Statement, params: Params | None = None, *, scope: Scope | None = None
    ) -> list[str]:
        """FalkorDB's execution plan for a statement, one operation per line."""
        self.round_trips.add(statement.name)
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
        try:
            await self._db.connection.ping()
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as error:
            raise _unavailable(self.address, error) from None

    async def clear(self) -> None:
        self.round_trips.add("falkordb.delete_graph")
        with contextlib.suppress(redis.exceptions.ResponseError):  # no such graph: clear
            await self._db.connection.execute_command("GRAPH.DELETE", self.graph_name)

    async def close(self) -> None:
        await self._db.connection.aclose()


class _Unit(Transaction):
    def __init__(self, store: FalkorStore) -> None:
        self._store = store

    async def _run(self, statement: Statement, params: Params, *, write: bool) -> list[Record]:
        return await self._store._run(statement, params, write=write)


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
