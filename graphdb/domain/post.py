"""Cadre posts (团干部职务): a ``Post`` ``POST_IN`` an organisation; its holder ``SERVES_IN`` it.

A post has a title (secretary, deputy secretary, committee member) and a mode
(full-time, seconded, part-time: 专职 / 挂职 / 兼职). A vacant post has no holder
and a ``vacant_since`` date: cadre evaluation turns it red after three months.
A post belongs to its organisation.
"""

from graphdb import statement as cypher
from graphdb.indexes import lookup
from graphdb.model import POST
from graphdb.scope import within
from graphdb.statement import SUBTREE

INDEXES = (lookup("Post", "title"),)

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

COUNT = POST.count()

COUNT_FILLED = cypher.read(
    "post.count_filled",
    f"""
    MATCH (p:Post)
    WITH p
    MATCH (p)-[:POST_IN]->(o:Organization)
    WHERE {within("o")}
    OPTIONAL MATCH (c:Person)-[:SERVES_IN]->(p)
    RETURN count(DISTINCT p) AS posts, count(DISTINCT CASE WHEN c IS NOT NULL THEN p END) AS filled
    """,
    bound=SUBTREE,
)

_NODE = """p {.id, .title, .mode, .vacant_since, organization_id: o.id, holder_id: h.id,
              since: s.since}"""

BY_IDS = cypher.read(
    "post.by_ids",
    f"""
    UNWIND $ids AS id
    MATCH (p:Post {{id: id}})
    WITH p
    MATCH (p)-[:POST_IN]->(o:Organization)
    WHERE {within("o")}
    OPTIONAL MATCH (h:Person)-[s:SERVES_IN]->(p)
    RETURN {_NODE} AS node
    """,
    bound=SUBTREE,
)

OF_ORGANIZATIONS = cypher.read(
    "post.of_organizations",
    f"""
    UNWIND $ids AS id
    MATCH (o:Organization {{id: id}})
    WITH o
    WHERE {within("o")}
    MATCH (o)<-[:POST_IN]-(p:Post)
    OPTIONAL MATCH (h:Person)-[s:SERVES_IN]->(p)
    WITH o, p, h, s ORDER BY p.id
    RETURN o.id AS organization_id, collect({_NODE}) AS posts
    """,
    bound=SUBTREE,
)
