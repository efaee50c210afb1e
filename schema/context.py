"""The per-request GraphQL context: the store, the caller, and fresh DataLoaders.

The caller has no default: whoever builds a context says who is asking
(:class:`~schema.caller.Caller`, from a verified token or ``Caller.anonymous()``),
hence which subtrees they see (``scope``, every statement a resolver runs is
held to it) and which types and fields they may ask for (``schema.grants``).
Loaders are built for every request and dropped with it, so nothing read for
one caller is ever served to another, and batching never outlives a request.
``pii`` (``HUB_PII_KEY``'s seal and record hash) is what full ID numbers and
phones need; without it they are never answered. ``disclosures`` collects the
request's reads of them for the audit trail (``schema.audit``), which opens it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from aiodataloader import DataLoader

from graphdb import Record, Scope, Statement, Store
from graphdb.security.audit import PiiKeys
from schema.caller import Caller
from schema.grants import SELF_TYPES, known, readable_types
from schema.protection import Limits

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Loader(Generic[K, V]):
    """A typed face on :class:`aiodataloader.DataLoader`: one batch call per tick of the loop."""

    def __init__(self, batch: Callable[[Sequence[K]], Awaitable[Sequence[V]]]) -> None:
        async def load_batch(keys: list[K]) -> list[V]:
            return list(await batch(keys))

        self._loader: Any = DataLoader(batch_load_fn=load_batch)

    async def load(self, key: K) -> V:
        value: V = await self._loader.load(key)
        return value

    async def load_many(self, keys: Sequence[K]) -> list[V]:
        values: list[V] = await self._loader.load_many(list(keys))
        return values

    def prime(self, key: K, value: V) -> None:
        """Answer ``key`` with ``value`` from now on, unless it is already loading or loaded."""
        self._loader.prime(key, value)


@dataclass(frozen=True)
class Disclosure:
    """One full value answered: which field (``Member.idNumber``), of which record, and the
    lineage of the record's branch."""

    name: str
    record: str
    lineage: tuple[str, ...]


@dataclass
class Context:
    store: Store
    caller: Caller
    limits: Limits = field(default_factory=Limits)
    introspection: bool = True
    pii: PiiKeys | None = None
    # None until the audit trail opens it for the request: no trail, no full values.
    disclosures: list[Disclosure] | None = None
    _loaders: dict[str, Loader[Any, Any]] = field(default_factory=dict)

    @property
    def scope(self) -> Scope:
        """The subtrees the caller sees: every read a resolver runs is held to them."""
        return self.caller.scope

    def reads(self, type_name: str) -> bool:
        """Whether the caller may be answered nodes of ``type_name`` (``schema.grants``)."""
        return type_name in readable_types(known(self.caller.grants))

    def may_load(self, type_name: str, key: str) -> bool:
        """Whether a node of ``type_name`` keyed ``key`` may be loaded for the caller: a
        type they may read, or their own Person and Member record."""
        return self.reads(type_name) or (key == self.caller.person_id and type_name in SELF_TYPES)

    def loader(
        self, name: str, batch: Callable[[Sequence[K]], Awaitable[Sequence[V]]]
    ) -> Loader[K, V]:
        """This request's loader called ``name``, created on first use."""
        found = self._loaders.get(name)
        if found is None:
            found = self._loaders[name] = Loader(batch)
        return found

    def nodes(self, statement: Statement) -> Loader[str, Record | None]:
        """This request's loader of records by id through ``statement``.

        The statement unwinds ``$ids`` and returns one ``node`` map per id it
        finds (within the caller's scope); ids it does not return load as null.
        """

        async def batch(ids: Sequence[str]) -> list[Record | None]:
            rows = await self.store.read(statement, {"ids": list(ids)}, scope=self.scope)
            found = {row["node"]["id"]: row["node"] for row in rows}
            return [found.get(key) for key in ids]

        return self.loader(statement.name, batch)

    def related(self, statement: Statement, owner: str, items: str) -> Loader[str, list[Record]]:
        """This request's loader of the records that hang from ids, through ``statement``.

        The statement unwinds ``$ids`` and returns a row per id that has any:
        the id as ``owner`` and its records as the list ``items`` (within the
        caller's scope); the other ids load as an empty list.
        """

        async def batch(ids: Sequence[str]) -> list[list[Record]]:
            rows = await self.store.read(statement, {"ids": list(ids)}, scope=self.scope)
            found = {row[owner]: row[items] for row in rows}
            return [found.get(key, []) for key in ids]

        return self.loader(statement.name, batch)

    def prime(self, statement: Statement, ids: Iterable[str], records: Iterable[Record]) -> None:
        """Hand this request's ``statement`` loader records another statement already read.

        ``records`` are ``node`` maps of ``statement``'s kind, read within the
        caller's scope; an id of ``ids`` without a record is primed as null
        (absent, or out of scope), so no resolver loads any of them again.
        """
        found = {record["id"]: record for record in records}
        loader = self.nodes(statement)
        for key in dict.fromkeys([*found, *ids]):
            loader.prime(key, found.get(key))
