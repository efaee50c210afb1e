"""Label-free traversals for analysts: a node's neighbourhood, and paths between two nodes.

FalkorDB runs ``shortestPath`` only along directed relationships, and the
hub's paths run both ways (a member up to a committee, then down to another
member), so paths are found by a breadth-first search from both ends, one
round trip per step, over ``NEIGHBORS``. Within one search, nodes are named by
their internal id, which is stable while the search runs.
"""

from graphdb import statement as cypher

# The key property of every label; what the rest of the hub calls the node's key.
KEYS = {
    "Organization": "id",
    "Post": "id",
    "Person": "id",
    "Member": "id",
    "Enterprise": "uscc",
    "FederationOrg": "id",
    "Activity": "id",
    "Registration": "id",
    "ServiceRecord": "id",
    "Transfer": "id",
    "DuesPayment": "id",
}

INTERNAL_ID = {
    label: cypher.read(
        f"graph.internal_id.{label}",
        f"MATCH (n:{label} {{{key}: $key}}) RETURN id(n) AS nid",
    )
    for label, key in KEYS.items()
}

NEIGHBORHOOD = {
    label: cypher.read(
        f"graph.neighborhood.{label}",
        f"""
        MATCH (n:{label} {{{key}: $key}})
        WITH n
        MATCH p = (n)-[*1..2]-(m)
        WHERE length(p) <= $hops AND m <> n
        WITH m, min(length(p)) AS distance
        RETURN labels(m) AS labels, coalesce(m.id, m.uscc) AS key, distance
        ORDER BY distance, key
        LIMIT $limit
        """,
    )
    for label, key in KEYS.items()
}

NEIGHBORS = cypher.read(
    "graph.neighbors",
    """
    UNWIND $nids AS nid
    MATCH (n)
    WHERE id(n) = nid
    MATCH (n)-[r]-(m)
    RETURN nid, type(r) AS via, id(m) AS mid, labels(m) AS labels,
           coalesce(m.id, m.uscc) AS key
    LIMIT $cap
    """,
)
