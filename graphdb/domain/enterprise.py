"""Enterprises (``Enterprise``, keyed by the 18-character USCC) from the market regulator.

An enterprise lies ``IN_AREA_OF`` the township or street committee responsible
for it, and belongs to that committee; a league organisation set up in it is
``BASED_IN`` it. Enterprises in the cultivation pool (团建培育库) carry
``cultivation_pool: true``.
"""

from graphdb import statement as cypher
from graphdb.indexes import fulltext, lookup
from graphdb.listing import Hanging, SortKey, listing, recount
from graphdb.model import ENTERPRISE
from graphdb.scope import within
from graphdb.statement import SUBTREE

INDEXES = (
    lookup("Enterprise", "region_code"),
    fulltext("Enterprise", "search_terms"),  # graphdb.search_text
)

BASE_ORGANIZATION = cypher.write(
    "enterprise.base_organization",
    """
    UNWIND $rows AS r
    MATCH (o:Organization {id: r.organization_id})
    MATCH (e:Enterprise {uscc: r.uscc})
    MERGE (o)-[:BASED_IN]->(e)
    RETURN count(o) AS written
    """,
)

COUNT = ENTERPRISE.count()

_NODE = """e {.uscc, .name, .industry, .region_code, .registered_on, .status, .employees,
              .young_employees, .cultivation_pool, id: e.uscc, area_id: t.id} AS node"""

BY_USCCS = cypher.read(
    "enterprise.by_usccs",
    f"""
    UNWIND $ids AS id
    MATCH (e:Enterprise {{uscc: id}})
    WITH e
    MATCH (e)-[:IN_AREA_OF]->(t:Organization)
    WHERE {within("t")}
    RETURN {_NODE}
    """,
    bound=SUBTREE,
)

_FILTER = """
    ($name IS NULL OR e.name CONTAINS $name)
    AND ($region IS NULL OR e.region_code STARTS WITH $region)
    AND ($status IS NULL OR e.status = $status)
    AND ($industry IS NULL OR e.industry = $industry)
    AND ($pool IS NULL OR e.cultivation_pool = $pool)
"""

# In the tree order (by organisation, then key), in windows of organisations; or
# sorted under organisations small enough to sort.
LISTING = listing(
    Hanging(
        domain="enterprise",
        label="Enterprise",
        relationship="IN_AREA_OF",
        item="e",
        organization="t",
        key="uscc",
        filters=_FILTER,
        node=_NODE,
        sorts={
            "key": SortKey("e.uscc"),
            "name": SortKey("coalesce(e.name, '')"),
            "registered_on": SortKey("coalesce(e.registered_on, date('0001-01-01'))", "date"),
            "employees": SortKey("coalesce(e.employees, -1)", "number"),
        },
    )
)

# Written with the kept counts of the organisation it hangs from, in one statement.
UPSERT = cypher.write(
    "enterprise.upsert",
    """
    UNWIND $rows AS r
    MATCH (t:Organization {id: r.area_id})
    MERGE (e:Enterprise {uscc: r.uscc})
    SET e += r.props, e.registered_on = date(r.registered_on),
        e.search_terms = coalesce(r.search_terms, e.search_terms),
        e.source = $source, e.synced_at = $synced_at
    MERGE (e)-[:IN_AREA_OF]->(t)
    """
    + recount(LISTING.hanging, "t"),
    search="name",
)
