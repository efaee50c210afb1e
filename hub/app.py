"""The Starlette application: ``/graphql`` (with the GraphiQL IDE), ``/health``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import orjson
import redis
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from graphdb import GraphError
from hub.body_limit import BodyLimit
from hub.runtime import Runtime
from hub.settings import Settings
from schema import Context, Limits, schema


class HubGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI endpoint with a fresh :class:`schema.Context` per request."""

    def __init__(self, runtime: Runtime, settings: Settings) -> None:
        super().__init__(schema, graphql_ide="graphiql" if settings.graphql_ide else None)
        self.runtime = runtime
        self.introspection = settings.graphql_introspection
        self.limits = Limits(
            max_depth=settings.graphql_max_depth,
            max_aliases=settings.graphql_max_aliases,
            max_tokens=settings.graphql_max_tokens,
            max_cost=settings.graphql_max_cost,
        )

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        if self.runtime.store is None:
            raise RuntimeError("the hub's store is not open")
        return Context(
            store=self.runtime.store, limits=self.limits, introspection=self.introspection
        )


def create_app(settings: Settings, runtime: Runtime | None = None) -> Starlette:
    hub = runtime or Runtime(settings)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await hub.open()
        try:
            yield
        finally:
            await hub.close()

    async def health(_: Request) -> JSONResponse:
        report: dict[str, str] = {}
        healthy = True
        try:
            if hub.store is None:
                raise GraphError("not open")
            await hub.store.ping()
            report["graph"] = "ok"
        except GraphError as error:
            report["graph"], healthy = f"unavailable: {error}", False
        try:
            if hub.redis is not None:
                await hub.redis.ping()
                report["redis"] = "ok"
        except (redis.RedisError, OSError):
            report["redis"], healthy = "unavailable", False
        report["status"] = "ok" if healthy else "degraded"
        return JSONResponse(report, status_code=200 if healthy else 503)

    async def home(_: Request) -> RedirectResponse:
        return RedirectResponse("/graphql")

    graphql = HubGraphQL(hub, settings)
    return Starlette(
        routes=[
            Route("/", home),
            Route("/health", health),
            Route("/graphql", graphql, methods=["GET", "POST"]),
        ],
        middleware=[Middleware(BodyLimit, max_bytes=settings.max_request_bytes)],
        lifespan=lifespan,
    )
