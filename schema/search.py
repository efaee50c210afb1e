"""Full-text search across organisations, people, enterprises and activities."""

from __future__ import annotations

from enum import Enum

import strawberry
from strawberry.types import Info

from graphdb import model
from schema.context import Context
from schema.errors import HubGraphQLError
from schema.node import GraphNode, load_refs


@strawberry.enum(description="What search can find.")
class SearchType(Enum):
    ORGANIZATION = "Organization"
    PERSON = "Person"
    ENTERPRISE = "Enterprise"
    ACTIVITY = "Activity"


@strawberry.type(description="One search result.")
class SearchHit:
    score: float
    node: GraphNode


async def search(
    info: Info[Context, None], text: str, types: list[SearchType] | None = None, first: int = 10
) -> list[SearchHit]:
    limit = info.context.limits.max_page
    if not 0 < first <= limit:
        raise HubGraphQLError(f"first must be between 1 and {limit}")
    hits: list[tuple[float, SearchType, str]] = []
    # Only the types the caller may read are searched at all (schema.grants).
    for kind in [k for k in types or list(SearchType) if info.context.reads(k.value)]:
        rows = await info.context.store.search(
            kind.value, text, limit=first, scope=info.context.scope
        )
        hits += [(float(row["score"]), kind, str(row["id"])) for row in rows]
    hits.sort(key=lambda hit: -hit[0])
    refs = [(model.label_of([kind.value]), key) for _, kind, key in hits[:first]]
    nodes = await load_refs(info, refs)
    return [
        SearchHit(score=score, node=nodes[ref])
        for (score, _, _), ref in zip(hits, refs, strict=False)
        if ref in nodes
    ]
