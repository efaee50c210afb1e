"""Activities (活动) ``HOSTED_BY`` an organisation, and the ``Registration`` of people for them.

A person ``REGISTERED`` a registration ``FOR`` an activity (报名); the
registration records attendance (参加) and an optional rating from 1 to 5
(评议). Activities co-hosted with a federation are ``CO_HOSTED_WITH`` it.
"""

from graphdb import statement as cypher
from graphdb.indexes import fulltext, lookup, unique

INDEXES = (
    unique("Activity", "id"),
    lookup("Activity", "starts_on"),
    fulltext("Activity", "title"),
    unique("Registration", "id"),
)

UPSERT = cypher.write(
    "activity.upsert",
    """
    UNWIND $rows AS r
    MATCH (o:Organization {id: r.host_id})
    MERGE (a:Activity {id: r.id})
    SET a += r.props, a.starts_on = date(r.starts_on),
        a.source = $source, a.synced_at = $synced_at
    MERGE (a)-[:HOSTED_BY]->(o)
    RETURN count(a) AS written
    """,
)

CO_HOST = cypher.write(
    "activity.co_host",
    """
    UNWIND $rows AS r
    MATCH (a:Activity {id: r.activity_id})
    MATCH (f:FederationOrg {id: r.federation_org_id})
    MERGE (a)-[:CO_HOSTED_WITH]->(f)
    RETURN count(a) AS written
    """,
)

REGISTER = cypher.write(
    "registration.upsert",
    """
    UNWIND $rows AS r
    MATCH (p:Person {id: r.person_id})
    MATCH (a:Activity {id: r.activity_id})
    MERGE (g:Registration {id: r.id})
    SET g += r.props, g.registered_on = date(r.registered_on),
        g.source = $source, g.synced_at = $synced_at
    MERGE (p)-[:REGISTERED]->(g)
    MERGE (g)-[:FOR]->(a)
    RETURN count(g) AS written
    """,
)

COUNT = cypher.read(
    "activity.count",
    """
    MATCH (a:Activity)
    RETURN count(a) AS activities
    """,
)

COUNT_REGISTRATIONS = cypher.read(
    "registration.count",
    """
    MATCH (g:Registration)
    RETURN count(g) AS registrations
    """,
)

BY_IDS = cypher.read(
    "activity.by_ids",
    """
    UNWIND $ids AS id
    MATCH (a:Activity {id: id})
    WITH a
    MATCH (a)-[:HOSTED_BY]->(o:Organization)
    WHERE $scope IS NULL OR $scope IN o.lineage
    RETURN a {.id, .title, .platform, .starts_on, .region_code, .status, host_id: o.id} AS node
    """,
)

REGISTRATIONS_BY_IDS = cypher.read(
    "registration.by_ids",
    """
    UNWIND $ids AS id
    MATCH (g:Registration {id: id})
    WITH g
    MATCH (p:Person)-[:REGISTERED]->(g)-[:FOR]->(a:Activity)-[:HOSTED_BY]->(o:Organization)
    WHERE $scope IS NULL OR $scope IN o.lineage
    RETURN g {.id, .registered_on, .attended, .rating, person_id: p.id,
              activity_id: a.id} AS node
    """,
)

_FILTER = """
    ($scope IS NULL OR $scope IN o.lineage)
    AND ($under IS NULL OR $under IN o.lineage)
    AND ($title IS NULL OR a.title CONTAINS $title)
    AND ($region IS NULL OR a.region_code STARTS WITH $region)
    AND ($status IS NULL OR a.status = $status)
    AND ($starts_from IS NULL OR a.starts_on >= date($starts_from))
    AND ($starts_to IS NULL OR a.starts_on <= date($starts_to))
"""
LIST = cypher.read_sorted(
    "activity.list_scan",
    f"""
    MATCH (a:Activity)
    WITH a
    MATCH (a)-[:HOSTED_BY]->(o:Organization)
    WHERE {_FILTER}
    WITH a, o ORDER BY {{order}}, a.id SKIP $skip LIMIT $limit
    RETURN a {{.id, .title, .platform, .starts_on, .region_code, .status, host_id: o.id}} AS node
    """,
    {"key": "a.id", "title": "a.title", "starts_on": "a.starts_on"},
)
COUNT_LIST = cypher.read(
    "activity.count_scan",
    f"""
    MATCH (a:Activity)
    WITH a
    MATCH (a)-[:HOSTED_BY]->(o:Organization)
    WHERE {_FILTER}
    RETURN count(a) AS total
    """,
)
