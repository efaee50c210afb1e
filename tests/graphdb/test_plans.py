"""Every domain read starts from an index on FalkorDB, never from a scan of a label.

A statement that starts at an unanchored label, or that filters two nodes in one
``MATCH``, makes FalkorDB's planner scan every node of a label: fine on a test
graph, seconds at a province's scale. Whole-graph counts are the exception.
"""

from __future__ import annotations

from typing import Any

import pytest

from graphdb import LABELS, Scope, Statement, listing
from graphdb.domain import (
    LISTINGS,
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
from graphdb.security import account, audit, oauth_client, refresh_token, revocation
from graphdb.statement import registered

EVERYTHING = Scope.everything()
WHOLE_GRAPH = {
    "organization.count_by_level",
    "listing.tree",  # numbering the tree (graphdb.listing.renumber) reads all of it
    "listing.unnumbered",
    *(f"search.unindexed_{d}" for d in ("organization", "person", "enterprise", "activity")),
    "post.count_filled",
    "oauth_client.list",  # the registry, listed whole by `hub clients list`
    "signing_key.all",  # a handful of keys, read whole by each process once a minute
    # choosing the demo's people, once, when `hub demo` first starts (hub.auth.demo)
    *(
        f"account.{name}"
        for name in (
            "root",
            "posts_under",
            "organizations_under",
            "members_without_post_under",
            "people_without_post",
        )
    ),
    *(f"{label.domain}.count" for label in LABELS),
}

KEYSET = {"after_seq": -1, "after_key": None, "after_value": None, "limit": 10}


def listed_reads() -> list[tuple[Statement, dict[str, Any]]]:
    """Every list statement, with null filters, a window and a span of the tree."""
    statements = [organization.LIST_WINDOW, *organization.LIST_SORTED.values()]
    statements.append(organization.COUNT_UNDER)
    for listed in LISTINGS:
        statements += [listed.window, *listed.sorted.values(), listed.count]
    reads = []
    for statement in statements:
        params = dict.fromkeys(statement.parameters - {"scope"})
        params |= {"lo": 10, "hi": 74, "spans": [[3, 25], [40, 60]], **KEYSET}
        reads.append((statement, {k: v for k, v in params.items() if k in statement.parameters}))
    return reads


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
    (person.SEALED, {"ids": ["P00000001"]}),
    (person.BRANCH_OF, {"id": "P00000001"}),
    (organization.ROOTS, {}),
    # Sign-on's own records, read by key (graphdb.security).
    (account.BY_ID, {"id": "x"}),
    (account.BY_PHONE, {"phone_hash": "x"}),
    (account.BY_PERSON, {"person_id": "P00000001"}),
    (account.PERSON, {"person_id": "P00000001"}),
    (account.PERSON_BY_ID_NUMBER, {"id_number_hash": "x"}),
    (oauth_client.BY_ID, {"client_id": "x"}),
    (oauth_client.KNOWN_ORGANIZATIONS, {"ids": ["ORG0000002"]}),
    (refresh_token.FIND, {"hash": "x"}),
    (revocation.UNEXPIRED, {"now": 0}),
    (audit.TRAIL, {"since": 0, "before_at": 2**62, "before_id": "~", "purpose": None, "limit": 5}),
    *listed_reads(),
    (listing.SPANS, {"ids": ["ORG0000002", "ORG0000003"]}),
    (listing.ROOT_SPANS, {}),
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


def test_every_domain_read_is_listed_here() -> None:
    domain_reads = {
        s.name
        for s in registered()
        if s.mode == "read" and not s.name.startswith(("falkordb.", "neo4j.", "test."))
    }
    assert domain_reads == ({s.name for s, _ in READS} | WHOLE_GRAPH | NEIGHBORS)


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
