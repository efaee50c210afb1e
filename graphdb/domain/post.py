"""Cadre posts (团干部职务): a ``Post`` ``POST_IN`` an organisation; its holder ``SERVES_IN`` it.

A post has a title (secretary, deputy secretary, committee member) and a mode
(full-time, seconded, part-time: 专职 / 挂职 / 兼职). A vacant post has no holder
and a ``vacant_since`` date: cadre evaluation turns it red after three months.
"""

from graphdb import statement as cypher
from graphdb.indexes import lookup, unique

INDEXES = (
    unique("Post", "id"),
    lookup("Post", "title"),
)

UPSERT = cypher.write(
    "post.upsert",
    """
    UNWIND $rows AS r
    MATCH (o:Organization {id: r.organization_id})
    MERGE (p:Post {id: r.id})
    SET p += r.props, p.vacant_since = date(r.vacant_since),
        p.source = $source, p.synced_at = $synced_at
    MERGE (p)-[:POST_IN]->(o)
    RETURN count(p) AS written
    """,
)

APPOINT = cypher.write(
    "post.appoint",
    """
    UNWIND $rows AS r
    MATCH (p:Post {id: r.post_id})
    MATCH (c:Person {id: r.person_id})
    MERGE (c)-[s:SERVES_IN]->(p)
    SET s.since = date(r.since), p.vacant_since = null
    RETURN count(s) AS written
    """,
)

COUNT = cypher.read(
    "post.count",
    """
    MATCH (p:Post)
    OPTIONAL MATCH (c:Person)-[:SERVES_IN]->(p)
    RETURN count(DISTINCT p) AS posts, count(c) AS filled
    """,
)
