"""People (``Person``) and league members (``Person:Member``) with ``MEMBER_OF`` their branch.

A person is anyone a youth platform knows: volunteers, activity participants,
cadres. A member (团员) is a person aged 14 to 28 enrolled in exactly one branch;
the ``Member`` label sits on the same node as ``Person``, so one id traces both.
Members are written with both labels at once (``member.upsert``): adding a label
to an existing node is far slower on FalkorDB than creating the node with it
(10 s against 0.6 s for 20,000 nodes).
ID numbers and phones are stored only as a keyed hash (``*_hash``, for matching)
and a masked form (``*_masked``, for display); the raw value never reaches the graph.
"""

from graphdb import statement as cypher
from graphdb.indexes import fulltext, lookup, unique

INDEXES = (
    unique("Person", "id"),
    lookup("Person", "id_number_hash"),
    lookup("Person", "phone_hash"),
    fulltext("Person", "name"),
    unique("Member", "id"),
)

UPSERT = cypher.write(
    "person.upsert",
    """
    UNWIND $rows AS r
    MERGE (p:Person {id: r.id})
    SET p += r.props, p.birth_date = date(r.birth_date),
        p.source = $source, p.synced_at = $synced_at
    RETURN count(p) AS written
    """,
)

UPSERT_MEMBER = cypher.write(
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

MEMBERS_BY_IDS = cypher.read(
    "member.by_ids",
    """
    UNWIND $ids AS id
    MATCH (m:Member {id: id})
    WITH m
    MATCH (m)-[:MEMBER_OF]->(b:Organization)
    WHERE $scope IS NULL OR $scope IN b.lineage
    RETURN m {.id, .name, .gender, .birth_date, .id_number_masked, .phone_masked,
              .status, .joined_on, branch_id: b.id} AS node
    """,
)

COUNT = cypher.read(
    "person.count",
    """
    MATCH (p:Person)
    RETURN count(p) AS people
    """,
)

COUNT_MEMBERS = cypher.read(
    "member.count",
    """
    MATCH (m:Member)
    RETURN count(m) AS members
    """,
)

CHAIN_TO_ROOT = cypher.read(
    "member.chain_to_root",
    """
    MATCH (m:Member {id: $id})-[:MEMBER_OF]->(b:Organization)
    WHERE $scope IS NULL OR $scope IN b.lineage
    UNWIND b.lineage AS link
    MATCH (o:Organization {id: link})
    RETURN o {.id, .name, .level} AS node
    ORDER BY o.level DESC
    """,
)

PEOPLE_BY_IDS = cypher.read(
    "person.by_ids",
    """
    UNWIND $ids AS id
    MATCH (p:Person {id: id})
    WITH p
    OPTIONAL MATCH (p)-[:MEMBER_OF]->(b:Organization)
    WITH p, b
    WHERE $scope IS NULL OR $scope IN b.lineage
    RETURN p {.id, .name, .gender, .birth_date, .id_number_masked, .phone_masked,
              is_member: b IS NOT NULL} AS node
    """,
)

_MEMBER_FILTER = """
    ($scope IS NULL OR $scope IN b.lineage)
    AND ($branch IS NULL OR b.id = $branch)
    AND ($name IS NULL OR m.name CONTAINS $name)
    AND ($status IS NULL OR m.status = $status)
    AND ($gender IS NULL OR m.gender = $gender)
    AND ($joined_from IS NULL OR m.joined_on >= date($joined_from))
    AND ($joined_to IS NULL OR m.joined_on <= date($joined_to))
"""
_MEMBER_NODE = """m {.id, .name, .gender, .birth_date, .id_number_masked, .phone_masked,
                  .status, .joined_on, branch_id: b.id} AS node"""
MEMBER_ORDER = {"key": "m.id", "name": "m.name", "joined_on": "m.joined_on"}
_UNDER = f"""
    MATCH (u:Organization {{id: $under}})
    WITH u
    MATCH (b:Organization)-[:SUB_OF*0..4]->(u)
    WITH b
    MATCH (m:Member)-[:MEMBER_OF]->(b)
    WHERE {_MEMBER_FILTER}
"""
_SCAN = f"""
    MATCH (m:Member)
    WITH m
    MATCH (m)-[:MEMBER_OF]->(b:Organization)
    WHERE {_MEMBER_FILTER}
"""

# Members under one organisation: anchored on it, walking down the tree.
MEMBERS_UNDER = cypher.read_sorted(
    "member.list_under",
    f"""{_UNDER}    WITH m, b ORDER BY {{order}}, m.id SKIP $skip LIMIT $limit
    RETURN {_MEMBER_NODE}
    """,
    MEMBER_ORDER,
)
COUNT_MEMBERS_UNDER = cypher.read(
    "member.count_under",
    f"""{_UNDER}    RETURN count(m) AS total
    """,
)
# Members anywhere: a scan of the label, for analysts; front ends page under an organisation.
MEMBERS_SCAN = cypher.read_sorted(
    "member.list_scan",
    f"""{_SCAN}    WITH m, b ORDER BY {{order}}, m.id SKIP $skip LIMIT $limit
    RETURN {_MEMBER_NODE}
    """,
    MEMBER_ORDER,
)
COUNT_MEMBERS_SCAN = cypher.read(
    "member.count_scan",
    f"""{_SCAN}    RETURN count(m) AS total
    """,
)
