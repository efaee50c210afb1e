"""The per-request GraphQL context: the store, the caller's scope, and fresh DataLoaders.

Loaders are built for every request and dropped with it, so nothing read for one
caller is ever served to another, and batching never outlives a request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from aiodataloader import DataLoader

from graphdb import EVERYTHING, Record, Scope, Statement, Store
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


@dataclass
class Context:
    store: Store
    scope: Scope = EVERYTHING
    limits: Limits = field(default_factory=Limits)
    introspection: bool = True
    _loaders: dict[str, Loader[Any, Any]] = field(default_factory=dict)

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

    def prefetch(self, statement: Statement, ids: Iterable[str]) -> None:
        """Start loading ``ids`` through ``statement`` now, in one batch.

        Resolvers that ask for them later, at any depth of the query, get the
        same futures instead of a batch of their own.
        """
        task = asyncio.ensure_future(self.nodes(statement).load_many(list(dict.fromkeys(ids))))
        task.add_done_callback(_retrieve)


def _retrieve(task: asyncio.Future[Any]) -> None:
    if not task.cancelled():
        task.exception()  # reported by whichever resolver awaits the same load
