"""HTTP answers for requests refused before GraphQL runs, shaped like GraphQL errors.

Every refusal is ``{"errors": [{"message", "extensions": {"code"}}]}`` with the
status the GraphQL over HTTP draft asks for, so a client reads one shape
whatever went wrong: a body too large, not JSON, a method or media type the
endpoint does not take, or a graph that does not answer (503 with
``Retry-After``).
"""

from __future__ import annotations

from collections.abc import Mapping

import orjson
from cross_web import HTTPException
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response
from strawberry.schema.exceptions import InvalidOperationTypeError

from schema.errors import RETRY_LATER

RETRY_AFTER_SECONDS = 2

# strawberry's reasons, each with what the client should do instead
_FIXES = {
    "Unable to parse request body as JSON": (
        'the body is not JSON; send UTF-8 JSON such as {"query": "{ __typename }"}'
    ),
    "Batching is not enabled": "batches are not accepted; send one operation per request",
    "No GraphQL query found in the request": (
        'the request holds no query; send {"query": "..."} or ?query=...'
    ),
    "Unsupported content type": (
        "send the request as application/json, or as GET with a query parameter"
    ),
}


def refusal(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    """One coded error as a JSON answer with ``status``."""
    body = orjson.dumps({"errors": [{"message": message, "extensions": {"code": code}}]})
    return Response(body, status_code=status, media_type="application/json", headers=headers)


def from_starlette(_: Request, error: Exception) -> Response:
    """Starlette's own 4xx (a path that is not served, an IDE asset not found), coded."""
    assert isinstance(error, StarletteHTTPException)
    code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(error.status_code, "BAD_REQUEST")
    return refusal(error.status_code, code, error.detail, error.headers)


def from_http_exception(error: HTTPException) -> Response:
    """strawberry's plain-text 4xx, answered as a coded JSON error."""
    message = _FIXES.get(error.reason, error.reason)
    if error.status_code == 405:
        return refusal(405, "METHOD_NOT_ALLOWED", message, {"Allow": "GET, POST"})
    if isinstance(error.__cause__, InvalidOperationTypeError):  # a mutation over GET
        return refusal(
            405, "METHOD_NOT_ALLOWED", f"{message}; send it with POST", {"Allow": "POST"}
        )
    if error.reason == "Unsupported content type":
        return refusal(415, "UNSUPPORTED_MEDIA_TYPE", message)
    if error.status_code == 404:
        return refusal(404, "NOT_FOUND", message)
    return refusal(error.status_code, "BAD_REQUEST", message)


def graph_unavailable(code: str) -> Response:
    """503: the graph does not answer (or is busy); the client may retry shortly."""
    message = RETRY_LATER.get(code, RETRY_LATER["GRAPH_UNAVAILABLE"])
    return refusal(503, code, message, {"Retry-After": str(RETRY_AFTER_SECONDS)})
