"""The Starlette application: ``/graphql`` and its IDE (assets at ``/ide``), ``/health``."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson
import redis
from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware import Middleware
from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import Message, Receive, Send
from starlette.types import Scope as AsgiScope
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData

from graphdb import GraphError, GraphUnavailable
from graphdb.security.audit import PiiKeys
from hub import errors, ide
from hub.auth.authority import Authority, Unauthorized, bearer_challenge
from hub.auth.routes import routes as auth_routes
from hub.auth.sms import SmsProvider
from hub.auth.state import AuthUnavailable
from hub.body_limit import BodyLimit
from hub.runtime import Runtime
from hub.settings import Settings
from schema import Context, Limits, schema
from schema.errors import RETRY_LATER

log = logging.getLogger("hub.auth")


class HubGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI endpoint with a fresh :class:`schema.Context` per request.

    The common request, one operation POSTed as a JSON object, takes a short
    path to the same ``execute_single`` and ``create_response``; strawberry's
    view parses everything else (GET, the IDE, batches, streaming transports)
    and answers it as it always does. The two paths are tested to answer alike.

    Every refusal of either path is a coded JSON error (:mod:`hub.errors`), and
    an answer whose errors say the graph does not answer is a 503 with
    ``Retry-After``.
    """

    def __init__(
        self, runtime: Runtime, settings: Settings, sms: SmsProvider | None = None
    ) -> None:
        super().__init__(schema, graphql_ide="graphiql" if settings.graphql_ide else None)
        self.runtime = runtime
        self.settings = settings
        self.sms = sms  # None: the console (hub.auth.sms.ConsoleSms)
        self._authority: Authority | None = None
        self._opening = asyncio.Lock()
        self.introspection = settings.graphql_introspection
        self.pii = PiiKeys(settings.pii_key.get_secret_value())  # full ID numbers and phones
        self.limits = Limits(
            max_depth=settings.graphql_max_depth,
            max_aliases=settings.graphql_max_aliases,
            max_tokens=settings.graphql_max_tokens,
            max_cost=settings.graphql_max_cost,
            max_scan=settings.graphql_max_scan,
            federation=settings.graphql_federation,
        )

    async def authority(self) -> Authority:
        """Sign-on for this process, opened on first use over the runtime's store and Redis."""
        if self._authority is None:
            async with self._opening:
                if self._authority is None:
                    store, client, url = (
                        self.runtime.store,
                        self.runtime.redis,
                        self.runtime.redis_url,
                    )
                    if store is None or client is None or url is None:
                        raise GraphUnavailable("the hub's store or Redis is not open")
                    self._authority = await Authority.open(
                        self.settings, store, client, url, sms=self.sms
                    )
        return self._authority

    def forget_authority(self) -> None:
        self._authority = None

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    def parse_json(self, data: str | bytes) -> Any:
        """JSON by orjson, which refuses invalid UTF-8 and deep nesting as it parses."""
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            raise HTTPException(400, "Unable to parse request body as JSON") from None

    async def render_graphql_ide(self, request: Request) -> Response:
        return ide.page()

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        return await self.context(request)

    async def context(self, connection: HTTPConnection) -> Context:
        """The request's context: the caller its bearer token names (anonymous without one).

        Checking a token reads no graph: the keys are cached, and the revocation
        list is one Redis call (``hub.auth.authority``).
        """
        if self.runtime.store is None:
            raise GraphUnavailable("the hub's store is not open")
        authority = await self.authority()
        return Context(
            store=self.runtime.store,
            caller=await authority.caller(connection),
            limits=self.limits,
            introspection=self.introspection,
            pii=self.pii,
        )

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        answers = response_data if isinstance(response_data, list) else [response_data]
        if any(_code(error) in RETRY_LATER for a in answers for error in a.get("errors") or ()):
            response.status_code = 503
            response.headers["Retry-After"] = str(errors.RETRY_AFTER_SECONDS)
        return response

    async def __call__(self, scope: AsgiScope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            answer = await self._answer(Request(scope, receive))
        except HTTPException as error:
            answer = errors.from_http_exception(error)
        except GraphUnavailable as error:
            answer = errors.graph_unavailable(error.code)
        except Unauthorized as error:
            answer = errors.refusal(
                401,
                error.code,
                error.description,
                {"WWW-Authenticate": bearer_challenge(error.description)},
            )
        except AuthUnavailable as error:
            log.warning("a token could not be checked: %s", error)
            answer = errors.refusal(
                503,
                error.code,
                "the hub cannot check tokens now (Redis does not answer); retry shortly",
                {"Retry-After": str(errors.RETRY_AFTER_SECONDS)},
            )
        await answer(scope, receive, send)

    async def _answer(self, request: Request) -> Response:
        if request.method != "POST" or not _json(request.scope):
            return await self.run(request)
        body = await request.body()
        operation = _one_operation(body)
        if operation is None or _streaming(request.scope):
            return await self.run(Request(request.scope, _replay(body)))
        sub_response = await self.get_sub_response(request)
        result = await self.execute_single(
            request=request,
            request_adapter=self.request_adapter_class(request),
            sub_response=sub_response,
            context=await self.context(request),
            root_value=None,
            request_data=operation,
        )
        return self.create_response(await self.process_result(request, result), sub_response)


_STREAMING = (b"multipart/mixed", b"text/event-stream")
_KEYS = frozenset({"query", "variables", "operationName", "extensions"})


def _code(error: object) -> object:
    """The ``extensions.code`` of a formatted error."""
    extensions = error.get("extensions") if isinstance(error, dict) else None
    return extensions.get("code") if isinstance(extensions, dict) else None


def _header(scope: AsgiScope, wanted: bytes) -> bytes:
    return next((value for name, value in scope["headers"] if name == wanted), b"")


def _json(scope: AsgiScope) -> bool:
    """A body strawberry's view would parse as JSON (it looks for this substring too)."""
    return b"application/json" in _header(scope, b"content-type").lower()


def _streaming(scope: AsgiScope) -> bool:
    """An answer asked to stream, or a body that is not plainly application/json."""
    content_type = _header(scope, b"content-type").split(b";")[0].strip().lower()
    accept = _header(scope, b"accept")
    return content_type != b"application/json" or any(kind in accept for kind in _STREAMING)


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
    """The parts of a body that is exactly one well-formed operation; None for a batch or
    an object with other keys or types (strawberry's view answers those).

    Raises strawberry's ``HTTPException`` for a body that is not JSON, or whose JSON is
    neither an object nor a list, as strawberry's view would answer it.
    """
    try:
        request = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise HTTPException(400, "Unable to parse request body as JSON") from None
    if isinstance(request, list):
        return None
    if not isinstance(request, dict):
        raise HTTPException(
            400, 'the body must be a JSON object such as {"query": "{ __typename }"}'
        )
    if not request.keys() <= _KEYS:
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


def create_app(
    settings: Settings, runtime: Runtime | None = None, *, sms: SmsProvider | None = None
) -> Starlette:
    """The hub's app; ``sms`` is where one-time codes go (a deployment's gateway, or a
    test's stream), the console when not given."""
    hub = runtime or Runtime(settings)

    graphql = HubGraphQL(hub, settings, sms)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await hub.open()
        try:
            await graphql.authority()  # keys made, revocations loaded, before the first call
            yield
        finally:
            graphql.forget_authority()
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

    routes: list[BaseRoute] = [
        Route("/", home),
        Route("/health", health),
        Route("/graphql", graphql),  # the view answers other methods: 405, coded
        *auth_routes(graphql.authority),
    ]
    if settings.graphql_ide:
        routes.append(Mount(ide.PATH, app=ide.Assets(), name="ide"))
    return Starlette(
        routes=routes,
        middleware=[Middleware(BodyLimit, max_bytes=settings.max_request_bytes)],
        exception_handlers={StarletteHTTPException: errors.from_starlette},
        lifespan=lifespan,
    )
