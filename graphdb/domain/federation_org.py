"""Group-federation organisations (群团: unions, women's federations) ``BASED_IN`` enterprises.

The co-building list (共建清单) is built from these: which federation has
already organised an enterprise that also qualifies for a league organisation.
A federation organisation belongs to the committee over its enterprise's area.
"""

from graphdb import statement as cypher
from graphdb.indexes import lookup
from graphdb.model import FEDERATION_ORG
from graphdb.scope import within
from graphdb.statement import SUBTREE

INDEXES = (lookup("FederationOrg", "kind"),)

UPSERT = cypher.write(
    "federation_org.upsert",
    """
    UNWIND $rows AS r
    MATCH (e:Enterprise {uscc: r.uscc})
    MERGE (f:FederationOrg {id: r.id})
    SET f += r.props, f.founded_on = date(r.founded_on),
        f.source = $source, f.synced_at = $synced_at
    MERGE (f)-[:BASED_IN]->(e)
    RETURN count(f) AS written
    """,
)

COUNT = FEDERATION_ORG.count()

BY_IDS = cypher.read(
    "federation_org.by_ids",
    f"""
    UNWIND $ids AS id
    MATCH (f:FederationOrg {{id: id}})
    WITH f
    MATCH (f)-[:BASED_IN]->(e:Enterprise)-[:IN_AREA_OF]->(t:Organization)
    WHERE {within("t")}
    RETURN f {{.id, .kind, .name, .founded_on, uscc: e.uscc}} AS node
    """,
    bound=SUBTREE,
)
