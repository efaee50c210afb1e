"""Boundary benchmark: what holding a query to the caller's subtree costs, on the same graph.

    python -m bench.boundary --scale medium      # reuses bench.trace's seeded data dir

For random samples, each query runs through the schema (no HTTP) twice in turn:
as a caller who sees everything (the baseline: ``$scope`` is null and every
bound is true at once) and as a caller bounded to the county above the sample
(every node returned, counted or walked through is checked against the scope).

* ``neighborhood``: two hops around a grassroots committee, first 50;
* ``path``: between two members of one county, at most 6 hops;
* ``members``: a page of 20 with ``totalCount`` under the county; bounded, it is
  anchored on the scope's root instead of ``where.under``;
* ``members, two counties``: the same bounded to two counties (two anchors);
* ``trace``: a member's whole trajectory.

Prints p50/p99 of each and the ratio bounded / everything (p50).
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Awaitable, Callable
from typing import Any

from strawberry.relay import to_base64

from bench.seeded import opened, options
from bench.timing import interleaved, line
from graphdb import EmbeddedEngine, Scope, Store
from schema import Caller, Context, schema

NEIGHBORHOOD = """query ($id: ID!) { neighborhood(id: $id, hops: 2, first: 50) {
  distance node { __typename ... on SourceRecord { key } } } }"""
PATH = """query ($a: ID!, $b: ID!) { path(fromId: $a, toId: $b, maxHops: 6) {
  length relationships nodes { __typename ... on SourceRecord { key } } } }"""
MEMBERS = """query ($under: String) { members(where: {under: $under}, first: 20) {
  totalCount edges { node { key name branch { name } } } } }"""
TRACE = """query ($key: String!) { trace(memberKey: $key) {
  member { key name } branch { code } chain { code } posts { title }
  transfers { status from { name } to { name } } registrationCount serviceHours
  trajectory { on kind } } }"""

Ask = Callable[[], Awaitable[Any]]
Pair = tuple[Ask, Ask]  # one sample asked as everything, then bounded


async def _first(pair: Pair) -> Any:
    return await pair[0]()


async def _second(pair: Pair) -> Any:
    return await pair[1]()


_EVERYTHING_THEN_BOUNDED = {"everything": _first, "bounded": _second}


def asking(store: Store, query: str, scope: Scope, **variables: Any) -> Ask:
    async def ask() -> Any:
        result = await schema.execute(
            query, variable_values=variables, context_value=Context(store, Caller.tool(scope))
        )
        assert result.errors is None, result.errors
        return result.data

    return ask


async def main() -> None:
    args, province = options(__doc__ or "", samples=300)
    scale = province.scale
    rng = random.Random(5)
    orgs = province.tree.orgs
    county_of = {}
    for org in orgs:
        at = org
        while at.level > 3:
            at = orgs[at.parent]
        county_of[org.id] = at.id
    members_in: dict[str, list[str]] = {}
    for row in province.members():
        members_in.setdefault(county_of[row["branch_id"]], []).append(row["id"])
    grassroots = [org.id for org in orgs if org.level == 4]
    counties = sorted(members_in)

    with EmbeddedEngine(args.data_dir) as endpoint:
        store = await opened(endpoint, province, args.data_dir)
        everything = Scope.everything()
        shapes: dict[str, list[Pair]] = {}
        committees = [rng.choice(grassroots) for _ in range(args.samples)]
        shapes["neighborhood"] = [
            (
                asking(store, NEIGHBORHOOD, everything, id=to_base64("Organization", c)),
                asking(store, NEIGHBORHOOD, Scope(county_of[c]), id=to_base64("Organization", c)),
            )
            for c in committees
        ]
        paths = []
        for _ in range(args.samples):
            county = rng.choice(counties)
            a, b = rng.sample(members_in[county], 2)
            ids = {"a": to_base64("Member", a), "b": to_base64("Member", b)}
            paths.append(
                (asking(store, PATH, everything, **ids), asking(store, PATH, Scope(county), **ids))
            )
        shapes["path"] = paths
        picked = [rng.choice(counties) for _ in range(args.samples)]
        shapes["members"] = [
            (asking(store, MEMBERS, everything, under=c), asking(store, MEMBERS, Scope(c)))
            for c in picked
        ]
        shapes["members, two counties"] = [
            (
                asking(store, MEMBERS, everything, under=c),
                asking(store, MEMBERS, Scope(c, rng.choice(counties))),
            )
            for c in picked
        ]
        traced = [rng.choice(members_in[rng.choice(counties)]) for _ in range(args.samples)]
        county_of_member = {m: c for c, ms in members_in.items() for m in ms}
        shapes["trace"] = [
            (
                asking(store, TRACE, everything, key=m),
                asking(store, TRACE, Scope(county_of_member[m]), key=m),
            )
            for m in traced
        ]
        report = {
            name: await interleaved(pairs, _EVERYTHING_THEN_BOUNDED, warm=10)
            for name, pairs in shapes.items()
        }
        await store.close()

    print(f"scale {scale.name}, {args.samples} samples each, through the schema (no HTTP)")
    for name, rows in report.items():
        print(line(name, rows, over=("bounded", "everything")))
    print(json.dumps({"scale": scale.name, "samples": args.samples, "report": report}))


if __name__ == "__main__":
    asyncio.run(main())
