"""The store interface: the only way the rest of the hub reaches the graph.

Five operations (read, write, batched write, a transaction, schema) and a
counter of database round trips. Two backends implement it:
:class:`graphdb.falkordb_backend.FalkorStore` (the embedded default and FalkorDB
servers) and :class:`graphdb.neo4j_backend.Neo4jStore` (production).
"""

from __future__ import annotations

import asyncio
import re
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, TypeVar

from graphdb.errors import BadParameter, UnboundedRead
from graphdb.indexes import Index
from graphdb.scope import Scope
from graphdb.search_text import CANDIDATES, EXAMINED, han_words, index_query, terms, words
from graphdb.statement import PUBLIC, WHOLE_TREE, Provenance, Statement

Record = dict[str, Any]
Params = Mapping[str, Any]
T = TypeVar("T")

DEFAULT_BATCH_SIZE = 2000
DEFAULT_IN_FLIGHT = 3
_BOUND_BY_STORE = frozenset({"scope", "source", "synced_at"})


@dataclass
class RoundTripCount:
    calls: int = 0
    statements: list[str] = field(default_factory=list)  # names, in the order they ran


_current_count: ContextVar[RoundTripCount | None] = ContextVar("round_trips", default=None)


class RoundTrips:
    """Counts calls to the database: in total, and within :meth:`measure` blocks, by statement.

    A measure block follows the asyncio context, so tasks started inside it (the
    resolvers of one GraphQL request) are counted in it and nothing else is.
    """

    def __init__(self) -> None:
        self.total = 0

    def add(self, statement: str) -> None:
        self.total += 1
        count = _current_count.get()
        if count is not None:
            count.calls += 1
            count.statements.append(statement)

    @contextmanager
    def measure(self) -> Iterator[RoundTripCount]:
        count = RoundTripCount()
        token = _current_count.set(count)
        try:
            yield count
        finally:
            _current_count.reset(token)


def bind(
    statement: Statement,
    params: Params | None,
    *,
    scope: Scope | None = None,
    provenance: Provenance | None = None,
) -> dict[str, Any]:
    """The parameters a statement runs with: the caller's plus those the store binds.

    Refuses a read that declares no bound, and a subtree-bounded statement run
    without a scope: the store never reads without a boundary.
    """
    if statement.mode == "read" and statement.bound is None:
        raise UnboundedRead(
            f"read {statement.name!r} declares no bound: declare it with bound=SUBTREE "
            "(held to the caller's subtree), bound=PUBLIC (organisation names and the tree) "
            "or bound=WHOLE_TREE (for callers who see everything only)"
        )
    bound = dict(params or {})
    clash = _BOUND_BY_STORE & bound.keys()
    if clash:
        raise ValueError(f"parameters {sorted(clash)} are bound by the store, not the caller")
    if statement.scoped:
        if scope is None:
            raise UnboundedRead(
                f"statement {statement.name!r} reads within the caller's subtree: pass "
                "scope=Scope(root, ...), or Scope.everything() for administrators and tools"
            )
        bound["scope"] = scope.parameter
    elif statement.bound is WHOLE_TREE:
        if scope is None or not scope.is_everything:
            raise UnboundedRead(
                f"statement {statement.name!r} reads the whole tree: only for "
                "Scope.everything(); a bounded caller needs its subtree-bounded twin"
            )
    elif scope is not None and statement.bound is not PUBLIC:
        raise ValueError(f"statement {statement.name!r} is not bounded by a scope; pass none")
    if statement.carries_provenance:
        if provenance is None:
            raise ValueError(f"statement {statement.name!r} writes provenance: pass provenance=")
        bound["source"] = provenance.source
        bound["synced_at"] = provenance.synced_at
    missing = statement.parameters - bound.keys()
    if missing:
        raise ValueError(f"statement {statement.name!r} needs parameters {sorted(missing)}")
    if statement.search is not None:
        named = statement.search
        bound["rows"] = [{**row, "search_terms": _terms_of(row, named)} for row in bound["rows"]]
    if statement.mode == "read":
        for name, value in bound.items():
            if _holds_control(value):
                raise BadParameter(
                    f"parameter ${name} of {statement.name!r} holds a control character; "
                    "pass text without them (tab, newline and carriage return aside)"
                )
    return bound


def _terms_of(row: Mapping[str, Any], named: str) -> str | None:
    """A row's search terms; None (the node keeps its own) when it does not carry the name."""
    props = row.get("props") or {}
    return terms(props[named]) if named in props else None


# C0 control characters but tab, newline and carriage return. FalkorDB ends a query's
# text at a NUL, so a value holding one would fail in the engine, not at its source.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _holds_control(value: object) -> bool:
    if isinstance(value, str):
        return CONTROL_CHARACTERS.search(value) is not None
    if isinstance(value, list | tuple):
        return any(_holds_control(item) for item in value)
    if isinstance(value, dict):
        return any(_holds_control(k) or _holds_control(v) for k, v in value.items())
    return False


class Runner(ABC):
    """Runs declared statements with the parameters the store binds; a store or a unit of work."""

    async def read(
        self, statement: Statement, params: Params | None = None, *, scope: Scope | None = None
    ) -> list[Record]:
        """Run a read statement and return its rows as dictionaries.

        A subtree-bounded statement needs the caller's ``scope``; a public one
        takes none.
        """
        _expect(statement, "read")
        return await self._run(statement, bind(statement, params, scope=scope), write=False)

    async def write(
        self,
        statement: Statement,
        params: Params | None = None,
        *,
        scope: Scope | None = None,
        provenance: Provenance | None = None,
    ) -> list[Record]:
        """Run one write statement atomically and return its rows."""
        _expect(statement, "write")
        bound = bind(statement, params, scope=scope, provenance=provenance)
        return await self._run(statement, bound, write=True)

    @abstractmethod
    async def _run(self, statement: Statement, params: Params, *, write: bool) -> list[Record]: ...


class Transaction(Runner):
    """The statements of one unit of work, given to the function ``Store.transaction`` runs."""


class Store(Runner):
    """One graph, one engine. Create with :func:`graphdb.open_store`; close when done."""

    backend: ClassVar[Literal["falkordb", "neo4j"]]
    search_statements: ClassVar[Mapping[str, Statement]]  # for bounded callers
    search_whole_tree_statements: ClassVar[Mapping[str, Statement]]

    # How many batches of one write_batches call may be under way at once; see each backend.
    batches_in_flight = DEFAULT_IN_FLIGHT

    def __init__(self, address: str) -> None:
        self.address = address
        self.round_trips = RoundTrips()

    async def write_batches(
        self,
        statement: Statement,
        rows: Iterable[Mapping[str, Any]],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        provenance: Provenance | None = None,
        on_batch: Callable[[int], None] | None = None,
    ) -> int:
        """Write ``rows`` through ``statement`` (which unwinds ``$rows``) in batches.

        Each batch is one atomic statement. Up to ``batches_in_flight`` batches are
        under way at once (the backend's choice), so the next ones are built and
        encoded while the engine writes; batches of one call must therefore not
        depend on each other.
        ``on_batch`` hears the size of each batch written. Returns the rows
        written; if a batch fails, the batches still under way finish and the
        first error is raised.
        """
        _expect(statement, "write")
        if "rows" not in statement.parameters:
            raise ValueError(f"statement {statement.name!r} does not unwind $rows")
        window: deque[tuple[asyncio.Task[list[Record]], int]] = deque()
        written = 0

        async def settle_oldest() -> None:
            nonlocal written
            task, size = window.popleft()
            try:
                await task
            except BaseException:
                await asyncio.gather(*(t for t, _ in window), return_exceptions=True)
                raise
            written += size
            if on_batch is not None:
                on_batch(size)

        for batch in _chunks(rows, batch_size):
            params = bind(statement, {"rows": batch}, provenance=provenance)
            window.append(
                (asyncio.create_task(self._run(statement, params, write=True)), len(batch))
            )
            await asyncio.sleep(0)  # let the request go out before building the next batch
            if len(window) >= self.batches_in_flight:
                await settle_oldest()
        while window:
            await settle_oldest()
        return written

    @abstractmethod
    async def transaction(self, work: Callable[[Transaction], Awaitable[T]]) -> T:
        """Run ``work`` as one unit against the graph; see each backend for guarantees."""

    @abstractmethod
    async def apply_indexes(self, indexes: Sequence[Index]) -> list[str]:
        """Put keys and indexes in force, skipping those that are; name what was applied."""

    async def search(self, label: str, text: str, *, limit: int, scope: Scope) -> list[Record]:
        """Nodes of ``label`` whose name holds every word of ``text`` (graphdb.search_text).

        Rows are ``{"id": key, "score": float}``, best first, within ``scope``;
        each backend names its full-text statements in ``search_statements``
        (and, for callers who see everything, ``search_whole_tree_statements``).
        """
        typed = words(text)
        query = index_query(self.backend, typed)
        if query is None:
            return []
        statements = (
            self.search_whole_tree_statements if scope.is_everything else self.search_statements
        )
        covered = sum(len(word) for word in typed)
        params = {"text": query, "han": han_words(typed), "limit": limit, "covered": covered}
        params |= {"candidates": CANDIDATES, "examined": EXAMINED}
        return await self.read(
            statements[label],
            {k: v for k, v in params.items() if k in statements[label].parameters},
            scope=scope,
        )

    @abstractmethod
    async def ping(self) -> None:
        """Raise :class:`graphdb.errors.GraphUnavailable` unless the engine answers."""

    @abstractmethod
    async def clear(self) -> None:
        """Delete every node and relationship (FalkorDB drops the graph's indexes too)."""

    @abstractmethod
    async def close(self) -> None: ...


def _expect(statement: Statement, mode: str) -> None:
    if statement.mode != mode:
        raise ValueError(f"statement {statement.name!r} is a {statement.mode} statement")


def _chunks(rows: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[Mapping[str, Any]]]:
    batch: list[Mapping[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
