"""Relay connections whose pages cost what they return: keyset cursors, kept counts.

Lists are anchored on organisations: those asked for (``where: {under: ...}``),
else the roots of the caller's subtrees, else the roots of the tree. A page
reads the spans of its anchors in the tree order (one round trip), then the
next window of organisations after its cursor, growing the window while a
filter leaves it short of a page (``graphdb.listing``). The cursor carries the
last row's sort key, never an offset, so the thousandth page costs what the
first does. A page that reaches its scan budget before it is full returns what
it found, ``hasNextPage: true`` and an ``endCursor`` that goes on from where it
stopped. Other orders sort what lies under the anchors and are refused
(``SCAN_TOO_LARGE``) where the kept counts say that is more rows than the
deployment allows; so is a filtered ``totalCount``. An unfiltered
``totalCount`` is read from the kept counts: no round trip of its own.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import math
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, TypeVar

import orjson
import strawberry
from strawberry.types import Info
from strawberry.types.nodes import SelectedField, Selection

from graphdb import Record, Statement
from graphdb.listing import ROOT_SPANS, SPANS, Listing, SortKey
from graphdb.store import CONTROL_CHARACTERS
from schema.context import Context
from schema.errors import HubGraphQLError

T = TypeVar("T")
DEFAULT_PAGE = 10


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
    counter: strawberry.Private[Callable[[Info[Context, None]], Awaitable[int]]]

    @strawberry.field(
        description="How many match in all: kept per organisation, so free without filters; "
        "with filters one more round trip, refused (SCAN_TOO_LARGE) over too many rows."
    )
    async def total_count(self, info: Info[Context, None]) -> int:
        return await self.counter(info)


class ScanTooLarge(HubGraphQLError):
    code = "SCAN_TOO_LARGE"


def iso_date(day: dt.date | None) -> str | None:
    """A date filter as the statements take it (``date($param)``)."""
    return None if day is None else day.isoformat()


def _encode(parts: Sequence[Any]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(list(parts))).decode()


def _decode(cursor: str | None, kind: str, width: int) -> list[Any] | None:
    if cursor is None:
        return None
    try:
        parts = orjson.loads(base64.urlsafe_b64decode(cursor.encode("ascii")))
    except (UnicodeEncodeError, binascii.Error, ValueError):
        parts = None
    if not isinstance(parts, list) or len(parts) != width or parts[0] != kind:
        raise BadCursor(
            f"{cursor[:60]!r} is not a cursor of this list in this order; "
            "pass an endCursor it returned for the same orderBy"
        )
    return parts


@dataclass(frozen=True)
class Span:
    """An anchor's subtree in the tree order, with its kept counts."""

    seq: int
    last: int
    record: Record

    def kept(self, count: str | None) -> int:
        """How many of a listed label lie below (``count_member`` ...), or organisations."""
        if count is None:
            return self.last - self.seq + 1
        return int(self.record.get(count) or 0)


async def spans(info: Info[Context, None], anchors: Sequence[str] | None) -> list[Span]:
    """The subtrees a list walks: of ``anchors`` within the caller's scope, else of its roots.

    Nested anchors keep only the outermost; an anchor outside the scope has none.
    """
    context = info.context
    if anchors is None and context.scope.roots is not None:
        anchors = list(context.scope.roots)
    if anchors is None:
        rows = await context.store.read(ROOT_SPANS, scope=context.scope)
    else:
        rows = await context.store.read(SPANS, {"ids": list(anchors)}, scope=context.scope)
    found: list[Span] = []
    for row in sorted(rows, key=lambda r: r["span"].get("seq") or 0):
        record = row["span"]
        if record.get("seq") is None or record.get("last") is None:
            continue  # not numbered yet: ``hub migrate`` numbers the tree
        span = Span(int(record["seq"]), int(record["last"]), record)
        if found and span.last <= found[-1].last:
            continue
        found.append(span)
    return found


_FIRST_WINDOW = 8  # organisations, at least, read by a page's first window
_MARGIN = 3.0  # the first window holds three pages, by the kept counts: rarely short
_GROWTH = 4
_BUDGET_ROWS = 50  # rows one page reads at most, per row asked, by the kept counts
_MIN_BUDGET_ROWS = 2_000


@dataclass(frozen=True)
class Listed:
    """What a list resolver hands the page: its statements and its rows' shape."""

    window: Statement
    sorted: Mapping[tuple[str, str], Statement]
    sorts: Mapping[str, SortKey]
    count: Statement
    kept: str | None  # the kept count of the listed label; None: organisations

    @classmethod
    def of(cls, listing: Listing) -> Listed:
        hanging = listing.hanging
        return cls(listing.window, listing.sorted, hanging.sorts, listing.count, hanging.count)


async def page(
    info: Info[Context, None],
    listed: Listed,
    *,
    anchors: Sequence[str] | None,
    filters: Mapping[str, Any],
    refined: bool,
    order: tuple[str, str],
    first: int | None,
    after: str | None,
    node: Callable[[Record], T],
) -> Connection[T]:
    """One page of a list anchored on organisations (see the module's docstring).

    ``filters`` are the statements' parameters; ``refined`` says whether any of
    them narrows the rows beyond the anchors (then counts are counted).
    """
    size = DEFAULT_PAGE if first is None else first
    limit = info.context.limits.max_page
    if size < 0 or size > limit:
        raise PageTooLarge(f"first must be between 0 and {limit}; page through the rest with after")
    position = _position(after, order, listed.sorts)
    walked = await spans(info, anchors)
    max_scan = info.context.limits.max_scan

    async def counter(context_info: Info[Context, None]) -> int:
        kept = sum(span.kept(listed.kept) for span in walked)
        if not refined or not walked:
            return kept
        _within_scan(kept, max_scan, "count with these filters")
        rows = await context_info.context.store.read(
            listed.count,
            {**filters, "spans": [[s.seq, s.last] for s in walked]},
            scope=context_info.context.scope,
        )
        total: int = rows[0]["total"] if rows else 0
        return total

    edges: list[tuple[str, Record]] = []
    more, end = False, None
    if not any(_asks_for_rows(field.selections) for field in info.selected_fields):
        pass  # only totalCount is asked for: no page is read
    elif order[0] == "tree":
        orgs = sum(span.last - span.seq + 1 for span in walked)
        per_org = sum(span.kept(listed.kept) for span in walked) / orgs if orgs else 1.0
        edges, more, end = await _tree_page(
            info, listed.window, walked, filters, size, position, after, per_org
        )
    else:
        _within_scan(sum(s.kept(listed.kept) for s in walked), max_scan, f"sort by {order[0]}")
        edges, more, end = await _sorted_page(
            info, listed.sorted[order], walked, filters, order, size, position
        )
    return Connection(
        edges=[Edge(cursor=cursor, node=node(record)) for cursor, record in edges],
        page_info=PageInfo(
            has_next_page=more,
            has_previous_page=after is not None,
            start_cursor=edges[0][0] if edges else None,
            end_cursor=end,
        ),
        counter=counter,
    )


def _position(
    after: str | None, order: tuple[str, str], sorts: Mapping[str, SortKey]
) -> tuple[Any, str | None] | None:
    """The ``(seq or sort value, key)`` an ``after`` cursor of this order carries; None: start.

    Every part is checked for what the statements will compare it with, so a
    forged cursor is refused here, never in the engine.
    """
    kind = "t" if order[0] == "tree" else f"{order[0]}.{order[1]}"
    parts = _decode(after, kind, 3)
    if parts is None:
        return None
    value, key = parts[1], parts[2]
    if order[0] == "tree":
        fits = _is_int(value) and (key is None or _is_text(key))
    else:
        fits = _is_text(key) and _fits(value, sorts[order[0]].kind)
    if not fits:
        raise BadCursor(f"{after!r} is not a cursor of this list; pass an endCursor it returned")
    return value, key


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_text(value: object) -> bool:
    return isinstance(value, str) and CONTROL_CHARACTERS.search(value) is None


def _fits(value: object, kind: str) -> bool:
    if kind == "number":
        return _is_int(value) or isinstance(value, float)
    if not _is_text(value):
        return False
    if kind == "date":
        try:
            dt.date.fromisoformat(str(value))
        except ValueError:
            return False
    return True


def _asks_for_rows(selections: Sequence[Selection]) -> bool:
    """Whether a connection's selection (fragments followed) holds ``edges`` or ``pageInfo``."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            if selection.name in ("edges", "pageInfo"):
                return True
        elif _asks_for_rows(selection.selections):
            return True
    return False


def _within_scan(rows: int, max_scan: int, what: str) -> None:
    if rows > max_scan:
        raise ScanTooLarge(
            f"to {what} the hub would read {rows:,} rows, over the limit of {max_scan:,}; "
            "narrow where: {under: ...} to a smaller organisation, or use the default "
            "order (TREE) without totalCount"
        )


async def _tree_page(
    info: Info[Context, None],
    window: Statement,
    walked: Sequence[Span],
    filters: Mapping[str, Any],
    size: int,
    position: tuple[Any, str | None] | None,
    after: str | None,
    per_org: float,
) -> tuple[list[tuple[str, Record]], bool, str | None]:
    """Windows of organisations after the cursor's ``(seq, key)``, until a page is full.

    The first window is sized by how many rows the anchors hold per organisation
    (their kept counts), so a page reads about as many rows as it returns; each
    window that falls short is followed by one four times as wide.
    """
    seq, key = position or (0, None)
    found: list[tuple[str, Record]] = []
    per_org = max(per_org, 1e-6)
    # The budget, in organisations: about as many as hold the rows it allows.
    budget = math.ceil(max(_MIN_BUDGET_ROWS, _BUDGET_ROWS * (size + 1)) / per_org)
    width = max(_FIRST_WINDOW, math.ceil(_MARGIN * (size + 1) / per_org))
    while budget > 0:
        lo = seq if key is not None else seq + 1
        span = next((s for s in walked if s.last >= lo), None)
        if span is None:
            return found, False, found[-1][0] if found else after
        lo = max(lo, span.seq)
        hi = min(span.last, lo + min(width, budget) - 1)
        rows = await info.context.store.read(
            window,
            {
                **filters,
                "lo": lo,
                "hi": hi,
                "after_seq": seq,
                "after_key": key,
                "limit": size - len(found) + 1,
            },
            scope=info.context.scope,
        )
        for row in rows:
            found.append((_encode(["t", row["seq"], row["node"]["id"]]), row["node"]))
        if len(found) > size:
            return found[:size], True, found[size - 1][0] if size else after
        budget -= hi - lo + 1
        width *= _GROWTH
        seq, key = hi, None
    # Out of budget: what was found, and a cursor that goes on after the last window.
    end = _encode(["t", seq, None])
    return found, True, end


async def _sorted_page(
    info: Info[Context, None],
    statement: Statement,
    walked: Sequence[Span],
    filters: Mapping[str, Any],
    order: tuple[str, str],
    size: int,
    position: tuple[Any, str | None] | None,
) -> tuple[list[tuple[str, Record]], bool, str | None]:
    """The rows under the anchors after the cursor's ``(value, key)``, sorted."""
    value, key = position or (None, None)
    if not walked:
        return [], False, None
    rows = await info.context.store.read(
        statement,
        {
            **filters,
            "spans": [[s.seq, s.last] for s in walked],
            "after_value": value,
            "after_key": key,
            "limit": size + 1,
        },
        scope=info.context.scope,
    )
    found = [
        (
            _encode([f"{order[0]}.{order[1]}", _json(row["sort_value"]), row["node"]["id"]]),
            row["node"],
        )
        for row in rows[:size]
    ]
    return found, len(rows) > size, found[-1][0] if found else None


def _json(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value
