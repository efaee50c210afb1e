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

BY_IDS = cypher.read(
    "post.by_ids",
    """
    UNWIND $ids AS id
    MATCH (p:Post {id: id})
    WITH p
    MATCH (p)-[:POST_IN]->(o:Organization)
    WHERE $scope IS NULL OR $scope IN o.lineage
    OPTIONAL MATCH (h:Person)-[s:SERVES_IN]->(p)
    RETURN p {.id, .title, .mode, .vacant_since, organization_id: o.id, holder_id: h.id,
              since: s.since} AS node
    """,
)

OF_ORGANIZATIONS = cypher.read(
    "post.of_organizations",
    """
    UNWIND $ids AS id
    MATCH (o:Organization {id: id})
    WITH o
    WHERE $scope IS NULL OR $scope IN o.lineage
    MATCH (o)<-[:POST_IN]-(p:Post)
    OPTIONAL MATCH (h:Person)-[s:SERVES_IN]->(p)
    WITH o, p, h, s ORDER BY p.id
    RETURN o.id AS organization_id,
           collect(p {.id, .title, .mode, .vacant_since, organization_id: o.id, holder_id: h.id,
                      since: s.since}) AS posts
    """,
)
