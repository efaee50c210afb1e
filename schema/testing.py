"""Asking the schema directly, as tests, benchmarks and documentation scripts do.

Like ``strawberry.test``, for the hub's schema: a request's context on a store,
and the number of database round trips the request took.
"""

from __future__ import annotations

from typing import Any

from strawberry.types import ExecutionResult

from graphdb import Scope, Store
from schema import Context, schema


async def ask_result(
    store: Store, query: str, *, scope: Scope | None = None, **variables: Any
) -> tuple[Any, int]:
    """The whole result of ``query`` (a strawberry ``ExecutionResult``, typed loosely so
    that a test can index its errors), and how many round trips it cost."""
    context = Context(store=store) if scope is None else Context(store=store, scope=scope)
    with store.round_trips.measure() as calls:
        result = await schema.execute(query, variable_values=variables, context_value=context)
    return result, calls.calls


async def ask(
    store: Store, query: str, *, scope: Scope | None = None, **variables: Any
) -> tuple[dict[str, Any], int]:
    """The data of ``query``, which must not fail, and how many round trips it cost."""
    result, calls = await ask_result(store, query, scope=scope, **variables)
    assert isinstance(result, ExecutionResult)
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data, calls
