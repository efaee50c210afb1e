"""Lists benchmark: what a page of a list costs, against a ``trace`` in the same run.

    python -m bench.lists --scale small --data-dir /tmp/hub-bench-small
    python -m bench.lists --scale medium      # reuses bench.trace's seeded data dir

Each shape runs through the schema (no HTTP) as an administrator, sample by
sample in turn with a ``trace`` of a random member, so their ratio holds even
when the machine drifts. Shapes:

* ``members(first: 100)`` over the whole tree, and under a city, a county and a
  township (a different one each sample);
* a deep page: 100 members ``after`` the 10,000th of the whole tree, and of a city;
* ``totalCount`` of a city (kept per organisation) and of a county's women
  (filtered: counted);
* 100 members of a county sorted by name (a bounded sort);
* a filter no member meets: the page reads its budget of rows and stops;
* ``organizations(first: 100) { totalCount }``.

The goal: every page within 3x of ``trace``, and the same ratio at every scale.
"""

from __future__ import annotations

import asyncio
import random
from typing import Any

from bench.seeded import opened, options
from bench.timing import interleaved, line
from graphdb import EmbeddedEngine, Scope, Store
from schema import Caller, Context, schema

TRACE = """query ($key: String!) { trace(memberKey: $key) {
  member { key name } branch { code } chain { code } posts { title }
  transfers { status from { name } to { name } } registrationCount serviceHours
  trajectory { on kind } } }"""
PAGE = """query ($under: String, $after: String) {
  members(where: {under: $under}, first: 100, after: $after) {
    edges { node { key name status } } pageInfo { hasNextPage endCursor } } }"""
SORTED = """query ($under: String) {
  members(where: {under: $under}, orderBy: {field: NAME}, first: 100) {
    edges { node { key name } } } }"""
COUNT = """query ($under: String) { members(where: {under: $under}) { totalCount } }"""
NOTHING = """{ members(where: {nameContains: "无此名"}, first: 100) {
    edges { node { key } } pageInfo { hasNextPage endCursor } } }"""
WOMEN = """query ($under: String) {
  members(where: {under: $under, gender: "F"}) { totalCount } }"""
ORGANIZATIONS = """{ organizations(first: 100) { totalCount edges { node { code name } } } }"""

EVERYTHING = Scope.everything()


async def ask(store: Store, query: str, **variables: Any) -> Any:
    result = await schema.execute(
        query, variable_values=variables, context_value=Context(store, Caller.tool(EVERYTHING))
    )
    assert result.errors is None, result.errors
    return result.data


async def cursor_after(store: Store, rows: int, under: str | None) -> str:
    """The endCursor after ``rows`` members (of ``under``), by paging there untimed."""
    after: str | None = None
    for _ in range(rows // 100):
        data = await ask(store, PAGE, under=under, after=after)
        after = str(data["members"]["pageInfo"]["endCursor"])
    assert after is not None
    return after


async def main() -> None:
    args, province = options(__doc__ or "", samples=200)
    rng = random.Random(11)
    orgs = province.tree.orgs
    level = {n: [o.id for o in orgs if o.level == n] for n in (2, 3, 4)}
    members = [row["id"] for row in province.members()]

    with EmbeddedEngine(args.data_dir) as endpoint:
        store = await opened(endpoint, province, args.data_dir)
        city = level[2][0]
        deep = {
            "whole tree": await cursor_after(store, 10_000, None),
            "city": await cursor_after(store, 10_000, city),
        }
        shapes: dict[str, tuple[str, Any]] = {
            "members first 100": (PAGE, lambda: {}),
            "  under a city": (PAGE, lambda: {"under": rng.choice(level[2])}),
            "  under a county": (PAGE, lambda: {"under": rng.choice(level[3])}),
            "  under a township": (PAGE, lambda: {"under": rng.choice(level[4])}),
            "after the 10,000th": (PAGE, lambda: {"after": deep["whole tree"]}),
            "  of a city": (PAGE, lambda: {"under": city, "after": deep["city"]}),
            "totalCount of a city": (COUNT, lambda: {"under": rng.choice(level[2])}),
            "  a county's women": (WOMEN, lambda: {"under": rng.choice(level[3])}),
            "county sorted by name": (SORTED, lambda: {"under": rng.choice(level[3])}),
            "a filter nothing meets": (NOTHING, lambda: {}),
            "organizations + total": (ORGANIZATIONS, lambda: {}),
        }
        print(
            f"{province.scale.name}: {province.scale.members:,} members, "
            f"{args.samples} samples per shape, p50/p99 through the schema"
        )
        for name, (query, variables) in shapes.items():
            samples = [(rng.choice(members), variables()) for _ in range(args.samples)]

            async def trace(sample: tuple[str, dict[str, Any]]) -> Any:
                return await ask(store, TRACE, key=sample[0])

            async def listed(sample: tuple[str, dict[str, Any]], query: str = query) -> Any:
                return await ask(store, query, **sample[1])

            rows = await interleaved(samples, {"trace": trace, "list": listed})
            print(line(name, rows, over=("list", "trace")), flush=True)
        await store.close()


if __name__ == "__main__":
    asyncio.run(main())
