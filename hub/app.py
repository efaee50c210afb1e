"""The Starlette application: ``/graphql`` and its IDE (assets at ``/ide``), ``/health``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import orjson
import redis
from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import Message, Receive, Send
from starlette.types import Scope as AsgiScope
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLRequestData, process_result

from graphdb import GraphError, Scope
from hub import ide
from hub.body_limit import BodyLimit
from hub.runtime import Runtime
from hub.settings import Settings
from schema import Context, Limits, schema


class HubGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI endpoint with a fresh :class:`schema.Context` per request.

    The common request, one operation POSTed as a JSON object, takes a short
    path to the same ``schema.execute`` and the same answer; strawberry's view
    parses everything else (GET, the IDE, batches, multipart, streaming
    transports, malformed bodies) and answers it as it always does. The two
    paths are tested to answer alike.
    """

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

    async def render_graphql_ide(self, request: Request) -> Response:
        return ide.page()

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        return self.context()

    def context(self) -> Context:
        if self.runtime.store is None:
            raise RuntimeError("the hub's store is not open")
        # Every caller sees the whole tree until sign-on decides the scope from the
        # caller's token (the OAuth / OpenID Connect issue): said here, by name.
        return Context(
            store=self.runtime.store,
            scope=Scope.everything(),
            limits=self.limits,
            introspection=self.introspection,
        )

    async def __call__(self, scope: AsgiScope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not _plain_json(scope):
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        body = await request.body()
        operation = _one_operation(body)
        if operation is None:
            await super().__call__(scope, _replay(body), send)
            return
        try:
            result = await self.execute_single(
                request=request,
                request_adapter=self.request_adapter_class(request),
                sub_response=Response(),
                context=self.context(),
                root_value=None,
                request_data=operation,
            )
        except HTTPException as error:  # as strawberry's own view answers it
            answer: Response = PlainTextResponse(error.reason, status_code=error.status_code)
        else:
            answer = Response(self.encode_json(process_result(result)), media_type=_JSON)
        await answer(scope, receive, send)


_JSON = "application/json"
_STREAMING = (b"multipart/mixed", b"text/event-stream")
_KEYS = frozenset({"query", "variables", "operationName", "extensions"})


def _plain_json(scope: AsgiScope) -> bool:
    """A JSON body, and an answer that is not asked to stream."""
    content_type = accept = b""
    for name, value in scope["headers"]:
        if name == b"content-type":
            content_type = value
        elif name == b"accept":
            accept = value
    return content_type.split(b";")[0].strip().lower() == b"application/json" and not any(
        kind in accept for kind in _STREAMING
    )


def _replay(body: bytes) -> Receive:
    """A ``receive`` that hands over a body already read, then waits like the real one."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def _one_operation(body: bytes) -> GraphQLRequestData | None:
    """The parts of a body that is exactly one well-formed operation; None for anything else."""
    try:
        request = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(request, dict) or not request.keys() <= _KEYS:
        return None
    query, variables = request.get("query"), request.get("variables")
    name, extensions = request.get("operationName"), request.get("extensions")
    if (
        not isinstance(query, str)
        or not isinstance(variables, dict | None)
        or not isinstance(name, str | None)
        or not isinstance(extensions, dict | None)
    ):
        return None
    return GraphQLRequestData(query, variables, name, extensions)


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
    routes: list[BaseRoute] = [
        Route("/", home),
        Route("/health", health),
        Route("/graphql", graphql, methods=["GET", "POST"]),
    ]
    if settings.graphql_ide:
        routes.append(Mount(ide.PATH, app=ide.Assets(), name="ide"))
    return Starlette(
        routes=routes,
        middleware=[Middleware(BodyLimit, max_bytes=settings.max_request_bytes)],
        lifespan=lifespan,
    )
