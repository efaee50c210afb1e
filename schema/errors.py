"""GraphQL errors with stable codes (``extensions.code``); anything unexpected is masked.

A masked error says only that something failed and gives a correlation id; the
same id is logged with the whole exception, so support can find it while the
response never carries Cypher, a stack trace or a host name. A graph that does
not answer, or is busy, is not masked: the client is told to retry shortly
(:data:`RETRY_LATER`, answered 503 over HTTP).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql.error import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.relay import GlobalIDValueError
from strawberry.types.execution import ExecutionResult

from graphdb import GraphUnavailable
from graphdb.errors import BadParameter

log = logging.getLogger("hub.graphql")


BAD_INPUT = "BAD_USER_INPUT"

# The codes of errors that pass with time, each with its safe message: retry shortly.
RETRY_LATER = {
    "GRAPH_UNAVAILABLE": "the graph does not answer; try again shortly",
    "GRAPH_BUSY": "the graph is busy; try again shortly",
}
_SUGGESTION = re.compile(r" Did you mean [^?]*\?")  # names never hold a question mark


class HubGraphQLError(Exception):
    """An error the caller can fix; ``code`` goes to ``extensions.code``."""

    code = "BAD_REQUEST"


class BadGlobalId(HubGraphQLError):
    code = "BAD_GLOBAL_ID"

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"{detail}; pass an id exactly as the API returned it (base64 of Type:key)"
        )


class ErrorCodes(SchemaExtension):
    """Gives every error a code and masks the unexpected ones behind a correlation id."""

    def on_operation(self) -> Iterator[None]:
        yield
        context = self.execution_context
        result = context.result
        if isinstance(result, (GraphQLExecutionResult, ExecutionResult)) and result.errors:
            result.errors = [coded(error) for error in result.errors]
            if not getattr(context.context, "introspection", True):
                for error in result.errors:
                    error.message = without_suggestions(error.message)


def without_suggestions(message: str) -> str:
    """``message`` without graphql-core's "Did you mean ...?", which names parts of the schema.

    Validation is told to leave suggestions out where introspection is off; the
    coercion of variables while executing cannot be, so its messages lose them here.
    """
    return _SUGGESTION.sub("", message)


def document_code(error: GraphQLError) -> str:
    """The code of an error about the document itself: syntax, limits, validation."""
    code = (error.extensions or {}).get("code")
    if code is not None:
        return str(code)
    if "more than" in error.message and "tokens" in error.message:
        return "TOKEN_LIMIT_EXCEEDED"
    if error.message.startswith("Syntax Error"):
        return "GRAPHQL_PARSE_FAILED"
    return "GRAPHQL_VALIDATION_FAILED"


def code_in_place(errors: list[GraphQLError]) -> None:
    """Give errors about the document their code, on the error objects themselves.

    Parse and validation failures are answered before the extension hooks see a
    result, so the schema's ``process_errors`` calls this for them.
    """
    for error in errors:
        if error.original_error is None:
            error.extensions = {**(error.extensions or {}), "code": document_code(error)}


def coded(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if isinstance(original, HubGraphQLError):
        return _with_code(error, original.code, str(original))
    if isinstance(original, GlobalIDValueError):
        return _with_code(error, BadGlobalId.code, str(BadGlobalId(str(original))))
    if original is None:  # syntax and validation errors: about the document, safe to show
        return _with_code(error, document_code(error), error.message)
    if isinstance(original, BadParameter):  # the last check before the engine
        return _with_code(error, original.code, str(original))
    if isinstance(original, GraphUnavailable):  # GraphBusy too: it passes, say so
        log.warning("graph did not answer at %s: %s", error.path, original)
        code = original.code if original.code in RETRY_LATER else "GRAPH_UNAVAILABLE"
        return _with_code(error, code, RETRY_LATER[code])
    if isinstance(original, GraphQLError):  # a variable that does not fit its type
        return _with_code(
            error, str((original.extensions or {}).get("code", BAD_INPUT)), error.message
        )
    correlation = uuid.uuid4().hex
    log.error("unexpected error %s in %s", correlation, error.path, exc_info=original)
    masked = _with_code(
        error,
        "INTERNAL_SERVER_ERROR",
        f"internal error; quote correlation id {correlation} to support",
    )
    masked.extensions["correlationId"] = correlation  # type: ignore[index]
    return masked


def _with_code(error: GraphQLError, code: str, message: str) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions={**(error.extensions or {}), "code": code},
    )
