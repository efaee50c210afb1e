"""Relay connections: pages of at most 100, opaque cursors, a ``totalCount`` on request.

A page is one round trip (``SKIP``/``LIMIT`` with one row more than asked, to
know whether another page follows); ``totalCount`` is a second one, run only
when a query selects it.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any, Generic, TypeVar

import strawberry
from strawberry.types import Info

from graphdb import Record, Statement
from schema.context import Context
from schema.errors import HubGraphQLError

T = TypeVar("T")
DEFAULT_PAGE = 10
_PREFIX = "offset:"


class PageTooLarge(HubGraphQLError):
    code = "PAGE_TOO_LARGE"


class BadCursor(HubGraphQLError):
    code = "BAD_CURSOR"


@strawberry.enum(description="Sort direction.")
class Direction(Enum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="One page of a list, with what is needed to ask for the next.")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    count_statement: strawberry.Private[Statement]
    count_params: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="How many match in all; one more database round trip.")
    async def total_count(self, info: Info[Context, None]) -> int:
        rows = await info.context.store.read(
            self.count_statement, self.count_params, scope=info.context.scope
        )
        total: int = rows[0]["total"]
        return total


def iso_date(day: dt.date | None) -> str | None:
    """A date filter as the statements take it (``date($param)``)."""
    return None if day is None else day.isoformat()


def cursor_at(offset: int) -> str:
    return base64.b64encode(f"{_PREFIX}{offset}".encode()).decode()


def offset_after(cursor: str | None) -> int:
    if cursor is None:
        return 0
    try:
        text = base64.b64decode(cursor, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        text = ""
    if not text.startswith(_PREFIX) or not text[len(_PREFIX) :].isdigit():
        raise BadCursor(f"{cursor!r} is not a cursor of this list; pass an endCursor it returned")
    return int(text[len(_PREFIX) :]) + 1


async def page(
    info: Info[Context, None],
    *,
    statement: Statement,
    count_statement: Statement,
    filters: Mapping[str, Any],
    first: int | None,
    after: str | None,
    node: Callable[[Record], T],
) -> Connection[T]:
    """One page of ``statement`` (which takes ``$skip`` and ``$limit``) as a connection."""
    size = DEFAULT_PAGE if first is None else first
    limit = info.context.limits.max_page
    if size < 0 or size > limit:
        raise PageTooLarge(f"first must be between 0 and {limit}; page through the rest with after")
    skip = offset_after(after)
    rows = await info.context.store.read(
        statement, {**filters, "skip": skip, "limit": size + 1}, scope=info.context.scope
    )
    edges = [
        Edge(cursor=cursor_at(skip + n), node=node(row["node"]))
        for n, row in enumerate(rows[:size])
    ]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(rows) > size,
            has_previous_page=skip > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        count_statement=count_statement,
        count_params=dict(filters),
    )
