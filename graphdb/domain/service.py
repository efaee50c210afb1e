"""Volunteer service records (志愿服务记录) from volunteer platforms: a ``Person`` ``SERVED`` hours.

Each record is one service session on one platform (i志愿, 志愿汇) with its date
and hours; the registration rate of members as volunteers is judged against 91%.
"""

from graphdb import statement as cypher
from graphdb.indexes import lookup, unique

INDEXES = (
    unique("ServiceRecord", "id"),
    lookup("ServiceRecord", "served_on"),
)

UPSERT = cypher.write(
    "service_record.upsert",
    """
    UNWIND $rows AS r
    MATCH (p:Person {id: r.person_id})
    MERGE (s:ServiceRecord {id: r.id})
    SET s += r.props, s.served_on = date(r.served_on),
        s.source = $source, s.synced_at = $synced_at
    MERGE (p)-[:SERVED]->(s)
    RETURN count(s) AS written
    """,
)

COUNT = cypher.read(
    "service_record.count",
    """
    MATCH (s:ServiceRecord)
    RETURN count(s) AS service_records
    """,
)

BY_IDS = cypher.read(
    "service_record.by_ids",
    """
    UNWIND $ids AS id
    MATCH (s:ServiceRecord {id: id})
    WITH s
    MATCH (p:Person)-[:SERVED]->(s)
    OPTIONAL MATCH (p)-[:MEMBER_OF]->(b:Organization)
    WITH s, p, b
    WHERE $scope IS NULL OR $scope IN b.lineage
    RETURN s {.id, .platform, .project, .served_on, .hours, person_id: p.id} AS node
    """,
)
