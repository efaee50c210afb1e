"""Activities (活动) ``HOSTED_BY`` an organisation, from the activity platforms (青年之声).

An activity belongs to its host; activities co-hosted with a federation are
``CO_HOSTED_WITH`` it. People sign up through registrations
(``graphdb.domain.registration``).
"""

from graphdb import statement as cypher
from graphdb.indexes import fulltext, lookup
from graphdb.listing import Hanging, SortKey, listing, recount
from graphdb.model import ACTIVITY
from graphdb.scope import within
from graphdb.statement import SUBTREE

INDEXES = (
    lookup("Activity", "starts_on"),
    fulltext("Activity", "search_terms"),  # graphdb.search_text
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

COUNT = ACTIVITY.count()

_NODE = "a {.id, .title, .platform, .starts_on, .region_code, .status, host_id: o.id} AS node"

BY_IDS = cypher.read(
    "activity.by_ids",
    f"""
    UNWIND $ids AS id
    MATCH (a:Activity {{id: id}})
    WITH a
    MATCH (a)-[:HOSTED_BY]->(o:Organization)
    WHERE {within("o")}
    RETURN {_NODE}
    """,
    bound=SUBTREE,
)

_FILTER = """
    ($title IS NULL OR a.title CONTAINS $title)
    AND ($region IS NULL OR a.region_code STARTS WITH $region)
    AND ($status IS NULL OR a.status = $status)
    AND ($starts_from IS NULL OR a.starts_on >= date($starts_from))
    AND ($starts_to IS NULL OR a.starts_on <= date($starts_to))
"""

# In the tree order (by organisation, then key), in windows of organisations; or
# sorted under organisations small enough to sort.
LISTING = listing(
    Hanging(
        domain="activity",
        label="Activity",
        relationship="HOSTED_BY",
        item="a",
        organization="o",
        key="id",
        filters=_FILTER,
        node=_NODE,
        sorts={
            "key": SortKey("a.id"),
            "title": SortKey("coalesce(a.title, '')"),
            "starts_on": SortKey("coalesce(a.starts_on, date('0001-01-01'))", "date"),
        },
    )
)

# Written with the kept counts of the organisation it hangs from, in one statement.
UPSERT = cypher.write(
    "activity.upsert",
    """
    UNWIND $rows AS r
    MATCH (o:Organization {id: r.host_id})
    MERGE (a:Activity {id: r.id})
    SET a += r.props, a.starts_on = date(r.starts_on),
        a.search_terms = coalesce(r.search_terms, a.search_terms),
        a.source = $source, a.synced_at = $synced_at
    MERGE (a)-[:HOSTED_BY]->(o)
    """
    + recount(LISTING.hanging, "o"),
    search="title",
)
