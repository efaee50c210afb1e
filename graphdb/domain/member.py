"""League members (团员): people with the ``Member`` label, ``MEMBER_OF`` exactly one branch.

A member is a person aged 14 to 28 enrolled in one branch; the ``Member`` label
sits on the same node as ``Person`` (``graphdb.domain.person``), so one id
traces both. Members are written with both labels at once (``member.upsert``):
adding a label to an existing node is far slower on FalkorDB than creating the
node with it (10 s against 0.6 s for 20,000 nodes). A member belongs to their
branch: a caller sees the members of the branches in their subtree.
"""

from graphdb import statement as cypher
from graphdb.model import MEMBER
from graphdb.scope import within
from graphdb.statement import SUBTREE, WHOLE_TREE

INDEXES = ()

UPSERT = cypher.write(
    "member.upsert",
    """
    UNWIND $rows AS r
    MATCH (b:Organization {id: r.branch_id})
    MERGE (m:Person:Member {id: r.id})
    SET m += r.props, m.birth_date = date(r.birth_date), m.joined_on = date(r.joined_on),
        m.source = $source, m.synced_at = $synced_at
    MERGE (m)-[s:MEMBER_OF]->(b)
    SET s.since = date(r.joined_on)
    RETURN count(m) AS written
    """,
)

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
    AND ($name IS NULL OR m.name CONTAINS $name)
    AND ($status IS NULL OR m.status = $status)
    AND ($gender IS NULL OR m.gender = $gender)
    AND ($joined_from IS NULL OR m.joined_on >= date($joined_from))
    AND ($joined_to IS NULL OR m.joined_on <= date($joined_to))
"""
ORDER = {"key": "m.id", "name": "m.name", "joined_on": "m.joined_on"}
_FILTER = f"{within('b')} AND {_ASKED}"
_UNDER = f"""
    UNWIND $anchors AS anchor
    MATCH (u:Organization {{id: anchor}})
    WITH u
    MATCH (b:Organization)-[:SUB_OF*0..4]->(u)
    WITH DISTINCT b
    MATCH (m:Member)-[:MEMBER_OF]->(b)
    WHERE {_FILTER}
"""
_SCAN = f"""
    MATCH (m:Member)
    WITH m
    MATCH (m)-[:MEMBER_OF]->(b:Organization)
    WHERE {_ASKED}
"""

# Members under organisations (those asked for, or the caller's subtree roots):
# anchored on each, walking down the tree.
LIST_UNDER = cypher.read_sorted(
    "member.list_under",
    f"""{_UNDER}    WITH m, b ORDER BY {{order}}, m.id SKIP $skip LIMIT $limit
    RETURN {_NODE}
    """,
    ORDER,
    bound=SUBTREE,
)
COUNT_UNDER = cypher.read(
    "member.count_under",
    f"""{_UNDER}    RETURN count(m) AS total
    """,
    bound=SUBTREE,
)
# Members anywhere: a scan of the label, for callers who see the whole tree only.
LIST_SCAN = cypher.read_sorted(
    "member.list_scan",
    f"""{_SCAN}    WITH m, b ORDER BY {{order}}, m.id SKIP $skip LIMIT $limit
    RETURN {_NODE}
    """,
    ORDER,
    bound=WHOLE_TREE,
)
COUNT_SCAN = cypher.read(
    "member.count_scan",
    f"""{_SCAN}    RETURN count(m) AS total
    """,
    bound=WHOLE_TREE,
)
