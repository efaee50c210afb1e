"""Volunteer service records (志愿服务记录) from volunteer platforms: a ``Person`` ``SERVED`` hours.

Each record is one service session on one platform (i志愿, 志愿汇) with its date
and hours; the registration rate of members as volunteers is judged against
91%. A record belongs to the branch of the member who served; a non-member's
service is seen only by callers who see the whole tree.
"""

from graphdb import statement as cypher
from graphdb.indexes import lookup
from graphdb.model import SERVICE_RECORD
from graphdb.scope import within
from graphdb.statement import SUBTREE

INDEXES = (lookup("ServiceRecord", "served_on"),)

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

COUNT = SERVICE_RECORD.count()

BY_IDS = cypher.read(
    "service_record.by_ids",
    f"""
    UNWIND $ids AS id
    MATCH (s:ServiceRecord {{id: id}})
    WITH s
    MATCH (p:Person)-[:SERVED]->(s)
    OPTIONAL MATCH (p)-[:MEMBER_OF]->(b:Organization)
    WITH s, p, b
    WHERE {within("b")}
    RETURN s {{.id, .platform, .project, .served_on, .hours, person_id: p.id}} AS node
    """,
    bound=SUBTREE,
)
