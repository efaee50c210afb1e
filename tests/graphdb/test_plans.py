"""Every domain read starts from an index on FalkorDB, never from a scan of a label.

A statement that starts at an unanchored label, or that filters two nodes in one
``MATCH``, makes FalkorDB's planner scan every node of a label: fine on a test
graph, seconds at a province's scale. Whole-graph counts are the exception.
"""

from __future__ import annotations

from typing import Any

import pytest

from graphdb import LABELS, Scope, Statement
from graphdb.domain import (
    activity,
    dues_payment,
    enterprise,
    federation_org,
    member,
    organization,
    person,
    post,
    registration,
    service_record,
    trace,
    transfer,
    traversal,
)
from graphdb.falkordb_backend import FalkorStore
from graphdb.statement import registered

EVERYTHING = Scope.everything()
WHOLE_GRAPH = {
    "organization.count_by_level",
    "post.count_filled",
    *(f"{label.domain}.count" for label in LABELS),
}

MEMBER_FILTERS = {
    "branch": None,
    "name": None,
    "status": None,
    "gender": None,
    "joined_from": None,
    "joined_to": None,
}

READS: list[tuple[Statement, dict[str, Any]]] = [
    (organization.BY_IDS, {"ids": ["ORG0000002", "ORG0000100"]}),
    (organization.CHILDREN_OF, {"ids": ["ORG0000002"]}),
    (member.BY_IDS, {"ids": ["P00000001", "P00000002"]}),
    (member.CHAIN_TO_ROOT, {"id": "P00000001"}),
    (post.BY_IDS, {"ids": ["POST0000001", "POST0000002"]}),
    (post.OF_ORGANIZATIONS, {"ids": ["ORG0000001", "ORG0000100"]}),
    (person.BY_IDS, {"ids": ["P00000001"]}),
    (enterprise.BY_USCCS, {"ids": ["91440103100000198J"]}),
    (federation_org.BY_IDS, {"ids": ["FED0000001"]}),
    (activity.BY_IDS, {"ids": ["ACT0000001"]}),
    (registration.BY_IDS, {"ids": ["REG00000001"]}),
    (service_record.BY_IDS, {"ids": ["SVC00000001"]}),
    (transfer.BY_IDS, {"ids": ["TRF00000001"]}),
    (dues_payment.BY_IDS, {"ids": ["DUE00000001"]}),
    (trace.MEMBER, {"id": "P00000001", "recent": 5}),
    (trace.ORGANIZATION, {"id": "ORG0000002", "recent": 5}),
    *(
        (statement, {**MEMBER_FILTERS, "anchors": ["ORG0000002"], "skip": 0, "limit": 10})
        for statement in member.LIST_UNDER.values()
    ),
    (member.COUNT_UNDER, {**MEMBER_FILTERS, "anchors": ["ORG0000002", "ORG0000003"]}),
    (organization.TREE, {"root": "ORG0000002", "depth": 2}),
    *((statement, {"key": "x"}) for statement in traversal.INTERNAL_ID.values()),
    *(
        (statement, {"key": "x", "hops": 2, "limit": 10})
        for statements in (traversal.NEIGHBORHOOD, traversal.NEIGHBORHOOD_WHOLE_TREE)
        for statement in statements.values()
    ),
]
# Seeks by internal id (NodeByIdSeek), a step of a path search.
NEIGHBORS = {traversal.NEIGHBORS.name, traversal.NEIGHBORS_WHOLE_TREE.name}
# Lists over a whole label, for analysts: they scan that label, and nothing wider.
SCANS = [s for s in registered() if "list_scan" in s.name or "count_scan" in s.name]


def test_every_domain_read_is_listed_here() -> None:
    domain_reads = {
        s.name
        for s in registered()
        if s.mode == "read" and not s.name.startswith(("falkordb.", "neo4j.", "test."))
    }
    assert domain_reads == (
        {s.name for s, _ in READS} | WHOLE_GRAPH | {s.name for s in SCANS} | NEIGHBORS
    )


@pytest.mark.parametrize(("statement", "params"), READS, ids=[s.name for s, _ in READS])
async def test_domain_reads_start_from_an_index(
    seeded: Any, backend: str, statement: Statement, params: dict[str, Any]
) -> None:
    if backend != "falkordb":
        pytest.skip("plans are checked on FalkorDB, whose planner needs the anchoring")
    assert isinstance(seeded, FalkorStore)
    plan = await seeded.explain(statement, params, scope=EVERYTHING)
    assert any("Index Scan" in step for step in plan), plan
    assert not any("Label Scan" in step or "All Node Scan" in step for step in plan), plan


@pytest.mark.parametrize("statement", SCANS, ids=[s.name for s in SCANS])
async def test_whole_label_lists_scan_only_their_label(
    seeded: Any, backend: str, statement: Statement
) -> None:
    if backend != "falkordb":
        pytest.skip("plans are checked on FalkorDB, whose planner needs the anchoring")
    params = dict.fromkeys(statement.parameters - {"scope"})
    params |= {"skip": 0, "limit": 10}
    params = {k: v for k, v in params.items() if k in statement.parameters}
    plan = await seeded.explain(statement, params, scope=EVERYTHING)
    assert not any("All Node Scan" in step for step in plan), plan
