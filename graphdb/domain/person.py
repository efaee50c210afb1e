"""People (``Person``) and league members (``Person:Member``) with ``MEMBER_OF`` their branch.

A person is anyone a youth platform knows: volunteers, activity participants,
cadres. A member (团员) is a person aged 14 to 28 enrolled in exactly one branch;
the ``Member`` label sits on the same node as ``Person``, so one id traces both.
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

ENROLL = cypher.write(
    "member.enroll",
    """
    UNWIND $rows AS r
    MATCH (p:Person {id: r.id})
    MATCH (b:Organization {id: r.branch_id})
    SET p:Member, p.status = r.status, p.joined_on = date(r.joined_on)
    MERGE (p)-[m:MEMBER_OF]->(b)
    SET m.since = date(r.joined_on)
    RETURN count(p) AS written
    """,
)

MEMBERS_BY_IDS = cypher.read(
    "member.by_ids",
    """
    UNWIND $ids AS id
    MATCH (m:Member {id: id})-[:MEMBER_OF]->(b:Organization)
    WHERE $scope IS NULL OR $scope IN b.lineage
    RETURN m {.id, .name, .gender, .birth_date, .id_number_masked, .phone_masked,
              .status, .joined_on, branch_id: b.id} AS member
    """,
)

COUNT = cypher.read(
    "person.count",
    """
    MATCH (p:Person)
    RETURN count(p) AS people, sum(CASE WHEN p:Member THEN 1 ELSE 0 END) AS members
    """,
)
