"""The store on Neo4j 5, through the official async driver.

Reads and single writes go through ``driver.execute_query`` (one round trip,
retried by the driver on transient errors, routed to readers or the leader);
:meth:`Neo4jStore.transaction` is a managed write transaction
(``session.execute_write``), retried as a whole.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, TypeVar

import neo4j
import neo4j.exceptions
import neo4j.graph
import neo4j.time

from graphdb.errors import GraphBusy, GraphUnavailable, QueryFailed
from graphdb.indexes import Index
from graphdb.neo4j_backend import ddl
from graphdb.statement import Statement
from graphdb.store import Params, Record, Store, Transaction

T = TypeVar("T")


class Neo4jStore(Store):
    backend = "neo4j"
    search_statements = ddl.SEARCH

    def __init__(
        self,
        uri: str,
        *,
        user: str,
        password: str,
        database: str | None,
        pool_size: int = 100,
        pool_timeout: float = 60.0,
    ) -> None:
        super().__init__(uri)
        self._driver = neo4j.AsyncGraphDatabase.driver(
            uri,
            auth=(user, password),
            max_connection_pool_size=pool_size,
            connection_acquisition_timeout=pool_timeout,
        )
        self._database = database

    async def _run(self, statement: Statement, params: Params, *, write: bool) -> list[Record]:
        self.round_trips.add(statement.name)
        routing = neo4j.RoutingControl.WRITE if write else neo4j.RoutingControl.READ
        with self._errors(statement.name):
            result = await self._driver.execute_query(
                neo4j.Query(statement.text),
                dict(params),
                database_=self._database,
                routing_=routing,
            )
        return [
            {key: _plain(value) for key, value in record.data().items()}
            for record in result.records
        ]

    async def transaction(self, work: Callable[[Transaction], Awaitable[T]]) -> T:
        """Run ``work`` in one managed write transaction: all or nothing, retried as a whole."""

        async def unit(tx: neo4j.AsyncManagedTransaction) -> T:
            return await work(_Unit(self, tx))

        async with self._driver.session(database=self._database) as session:
            with self._errors("transaction"):
                return await session.execute_write(unit)

    async def apply_indexes(self, indexes: Sequence[Index]) -> list[str]:
        present = {row["name"] for row in await self._run(ddl.LIST_INDEXES, {}, write=False)}
        present |= {row["name"] for row in await self._run(ddl.LIST_CONSTRAINTS, {}, write=False)}
        applied: list[str] = []
        for index in indexes:
            if index.name in present:
                continue
            statement = ddl.statement(index)
            self.round_trips.add(statement.name)
            with self._errors(statement.name):
                await self._driver.execute_query(
                    neo4j.Query(statement.text),
                    database_=self._database,
                )
            applied.append(index.name)
        return applied

    async def ping(self) -> None:
        with self._errors("ping"):
            await self._driver.verify_connectivity()

    async def clear(self) -> None:
        self.round_trips.add(ddl.DELETE_ALL.name)
        with self._errors(ddl.DELETE_ALL.name):
            async with self._driver.session(database=self._database) as session:
                result = await session.run(neo4j.Query(ddl.DELETE_ALL.text))
                await result.consume()

    async def close(self) -> None:
        await self._driver.close()

    def _errors(self, name: str) -> AbstractContextManager[None]:
        return _translated(name, self.address)


@contextmanager
def _translated(name: str, address: str) -> Iterator[None]:
    """Driver exceptions as store errors that say what to do."""
    try:
        yield
    except neo4j.exceptions.ConnectionAcquisitionTimeoutError:
        raise GraphBusy(
            f"every connection to Neo4j at {address} stayed in use for the whole wait; "
            "retry shortly (or raise HUB_GRAPH_POOL_SIZE if this happens at ordinary load)"
        ) from None
    except neo4j.exceptions.AuthError:
        raise GraphUnavailable(
            f"Neo4j at {address} refused the credentials; "
            "check HUB_NEO4J_USER and HUB_NEO4J_PASSWORD"
        ) from None
    except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired, OSError):
        raise GraphUnavailable(
            f"Neo4j at {address} does not answer; start it, or check HUB_GRAPH_URL"
        ) from None
    except neo4j.exceptions.Neo4jError as error:
        raise QueryFailed(name, error.message or error.code or "error") from None


class _Unit(Transaction):
    def __init__(self, store: Neo4jStore, tx: neo4j.AsyncManagedTransaction) -> None:
        self._store = store
        self._tx = tx

    async def _run(self, statement: Statement, params: Params, *, write: bool) -> list[Record]:
        self._store.round_trips.add(statement.name)
        result = await self._tx.run(statement.text, dict(params))
        return [
            {key: _plain(value) for key, value in record.data().items()} async for record in result
        ]


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
