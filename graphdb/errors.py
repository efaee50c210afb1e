"""Errors of the graph store: each says what went wrong and what to do about it."""

from __future__ import annotations


class GraphError(Exception):
    """Base of every graph-store error; ``code`` is stable, the message tells the fix."""

    code = "GRAPH_ERROR"


class GraphUrlError(GraphError):
    """``HUB_GRAPH_URL`` cannot be understood."""

    code = "GRAPH_URL_INVALID"


class GraphUnavailable(GraphError):
    """The graph engine does not answer."""

    code = "GRAPH_UNAVAILABLE"


class GraphBusy(GraphUnavailable):
    """Every connection to the engine stayed in use for the whole wait: try again shortly."""

    code = "GRAPH_BUSY"


class EngineStartError(GraphError):
    """The embedded engine could not be started."""

    code = "ENGINE_START_FAILED"


class DataDirError(GraphError):
    """The data directory cannot be used."""

    code = "DATA_DIR_UNUSABLE"


class UnboundedRead(GraphError):
    """A read that does not say how the caller's subtree bounds it; the store refuses it."""

    code = "UNBOUNDED_READ"


class BadParameter(GraphError):
    """A read's parameter the engine cannot take (a control character): the caller's fault."""

    code = "BAD_USER_INPUT"


class QueryFailed(GraphError):
    """A statement was rejected by the engine.

    The message names the statement, never its parameters, so that personal data
    passed as a parameter cannot leak into a log or a response.
    """

    code = "QUERY_FAILED"

    def __init__(self, statement: str, reason: str) -> None:
        super().__init__(f"statement {statement!r} failed: {reason}")
        self.statement = statement
        self.reason = reason
