"""League members (团员): people with the ``Member`` label, ``MEMBER_OF`` exactly one branch.

A member is a person aged 14 to 28 enrolled in one branch; the ``Member`` label
sits on the same node as ``Person`` (``graphdb.domain.person``), so one id
traces both. Members are written with both labels at once (``member.upsert``):
adding a label to an existing node is far slower on FalkorDB than creating the
node with it (10 s against 0.6 s for 20,000 nodes). A member belongs to their
branch: a caller sees the members of the branches in their subtree. A member's
raw ID number and phone are sealed in ``props`` like any person's, and read only
by ``person.sealed``: no statement here returns them.
"""

from graphdb import statement as cypher
from graphdb.listing import Hanging, SortKey, listing, recount
from graphdb.model import MEMBER
from graphdb.scope import within
from graphdb.statement import SUBTREE

INDEXES = ()

_NODE = """m {.id, .name, .gender, .birth_date, .id_number_masked, .phone_masked,
              .status, .joined_on, branch_id: b.id} AS node"""

BY_IDS = cypher.read(
    "member.by_ids",
    f"""
    UNWIND $ids AS id
    MATCH (m:Member {{id: id}})
    WITH m
    MATCH (m)-[:MEMBER_OF]->(b:Organization)
    WHERE {within("b")}
    RETURN {_NODE}
    """,
    bound=SUBTREE,
)

COUNT = MEMBER.count()

CHAIN_TO_ROOT = cypher.read(
    "member.chain_to_root",
    f"""
    MATCH (m:Member {{id: $id}})-[:MEMBER_OF]->(b:Organization)
    WHERE {within("b")}
    UNWIND b.lineage AS link
    MATCH (o:Organization {{id: link}})
    WHERE {within("o")}
    RETURN o {{.id, .name, .level}} AS node
    ORDER BY o.level DESC
    """,
    bound=SUBTREE,
)

_ASKED = """
    ($branch IS NULL OR b.id = $branch)
    AND ($under IS NULL OR $under IN b.lineage)
    AND ($name IS NULL OR m.name CONTAINS $name)
    AND ($status IS NULL OR m.status = $status)
    AND ($gender IS NULL OR m.gender = $gender)
    AND ($joined_from IS NULL OR m.joined_on >= date($joined_from))
    AND ($joined_to IS NULL OR m.joined_on <= date($joined_to))
"""

# Members in the tree order (by branch, then key), in windows of branches; or
# sorted by name or date under organisations small enough to sort.
LISTING = listing(
    Hanging(
        domain="member",
        label="Member",
        relationship="MEMBER_OF",
        item="m",
        organization="b",
        key="id",
        filters=_ASKED,
        node=_NODE,
        sorts={
            "key": SortKey("m.id"),
            "name": SortKey("coalesce(m.name, '')"),
            "joined_on": SortKey("coalesce(m.joined_on, date('0001-01-01'))", "date"),
        },
    )
)

# A person already in the graph (a volunteer who joins the league) gains the
# Member label first, so the MERGE finds them: one node, never a second one
# (FalkorDB would create it; Neo4j would fail the batch on Person's unique key).
# Written with the branch's kept counts, in one statement.
UPSERT = cypher.write(
    "member.upsert",
    """
    UNWIND $rows AS r
    OPTIONAL MATCH (known:Person {id: r.id})
    WITH r, known
    FOREACH (_ IN CASE WHEN known IS NOT NULL AND NOT known:Member THEN [1] ELSE [] END |
      SET known:Member)
    WITH r
    MATCH (b:Organization {id: r.branch_id})
    MERGE (m:Person:Member {id: r.id})
    SET m += r.props, m.birth_date = date(r.birth_date), m.joined_on = date(r.joined_on),
        m.search_terms = coalesce(r.search_terms, m.search_terms),
        m.source = $source, m.synced_at = $synced_at
    MERGE (m)-[s:MEMBER_OF]->(b)
    SET s.since = date(r.joined_on)
    """
    + recount(LISTING.hanging, "b"),
    search="name",
)
