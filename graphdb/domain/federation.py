"""Group-federation organisations (群团: unions, women's federations) ``BASED_IN`` enterprises.

The co-building list (共建清单) is built from these: which federation has
already organised an enterprise that also qualifies for a league organisation.
"""

from graphdb import statement as cypher
from graphdb.indexes import lookup, unique

INDEXES = (
    unique("FederationOrg", "id"),
    lookup("FederationOrg", "kind"),
)

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

COUNT = cypher.read(
    "federation_org.count",
    """
    MATCH (f:FederationOrg)
    RETURN count(f) AS federation_orgs
    """,
)

BY_IDS = cypher.read(
    "federation_org.by_ids",
    """
    UNWIND $ids AS id
    MATCH (f:FederationOrg {id: id})
    WITH f
    MATCH (f)-[:BASED_IN]->(e:Enterprise)-[:IN_AREA_OF]->(t:Organization)
    WHERE $scope IS NULL OR $scope IN t.lineage
    RETURN f {.id, .kind, .name, .founded_on, uscc: e.uscc} AS node
    """,
)
