"""The running parts of one hub process: the embedded engine (if any), the store, Redis.

:class:`Runtime` starts them in order, says clearly what failed, and stops them
in reverse. The hub keeps no other state: every request's data lives in the
graph or in Redis, so production runs many hub processes side by side, and
``hub serve --workers N`` runs N on one machine: each worker's runtime is given
the endpoint of the engine its supervisor started, and never starts one itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import redis.asyncio
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff

from graphdb import EmbeddedEngine, Endpoint, GraphTarget, Store, connect, parse_graph_url
from graphdb.errors import GraphUnavailable
from hub.settings import Settings


@dataclass
class Runtime:
    settings: Settings
    target: GraphTarget = field(init=False)
    engine: EmbeddedEngine | None = None
    endpoint: Endpoint | None = None
    store: Store | None = None
    redis: redis.asyncio.Redis | None = None
    redis_url: str | None = None

    def __post_init__(self) -> None:
        self.target = parse_graph_url(self.settings.graph_url)

    @property
    def needs_engine(self) -> bool:
        return self.target.backend == "embedded" or not self.settings.redis_url

    def start_engine(self) -> None:
        """Start (or reuse) the embedded engine when the graph or Redis needs it.

        Called from the main thread: the engine is tied to the thread that starts it.
        A runtime given an ``endpoint`` (a worker's) uses that engine as it is.
        """
        if self.needs_engine and self.endpoint is None:
            self.engine = EmbeddedEngine(self.settings.data_dir)
            self.endpoint = self.engine.start()

    async def open(self) -> Store:
        """Connect to the graph and to Redis, and check that both answer."""
        self.start_engine()
        password = self.settings.neo4j_password
        self.store = connect(
            self.target,
            graph=self.settings.graph_name,
            embedded=self.endpoint,
            neo4j_user=self.settings.neo4j_user,
            neo4j_password=password.get_secret_value() if password else None,
            pool_size=self.settings.graph_pool_size,
            pool_timeout=self.settings.graph_pool_timeout,
            neo4j_retry_seconds=self.settings.neo4j_retry_seconds,
        )
        await self.store.ping()
        redis_url = self.settings.redis_url or (self.endpoint.redis_url if self.endpoint else None)
        if redis_url:
            self.redis_url = redis_url
            # Connections are shared by every request of the process: as many as the
            # graph's, a request waiting for one as long as for the graph's. One quick
            # retry: a connection Redis closed (a restart between two requests) is
            # opened again instead of failing the request.
            pool = redis.asyncio.BlockingConnectionPool.from_url(
                redis_url,
                max_connections=self.settings.graph_pool_size,
                timeout=self.settings.graph_pool_timeout,
                retry=Retry(ExponentialWithJitterBackoff(base=0.01, cap=0.1), 1),
            )
            self.redis = redis.asyncio.Redis.from_pool(pool)
            try:
                await self.redis.ping()
            except (redis.RedisError, OSError) as error:
                raise GraphUnavailable(
                    f"Redis at {_safe(redis_url)} does not answer ({error}); "
                    "start it, or check HUB_REDIS_URL"
                ) from None
        return self.store

    @asynccontextmanager
    async def opened(self) -> AsyncIterator[Store]:
        """``async with runtime.opened() as store``: open for the block, closed after it."""
        store = await self.open()
        try:
            yield store
        finally:
            await self.close()

    async def close(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()
            self.redis = None
        if self.store is not None:
            await self.store.close()
            self.store = None

    def stop_engine(self) -> None:
        if self.engine is not None:
            self.engine.stop()
            self.engine = None
            self.endpoint = None


def _safe(url: str) -> str:
    """A URL without its credentials."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.rpartition('@')[2]}"
