"""Traversals over every label, for analysts: a node's neighbourhood, and paths between nodes.

Each step is held to the caller's scope inside the Cypher, through
:func:`graphdb.model.bounded`: a node the caller may not see is never
returned, never counted against ``first``, and never walked through, so a
distance is the distance within the caller's part of the graph.

FalkorDB runs ``shortestPath`` only along directed relationships, and the
hub's paths run both ways (a member up to a committee, then down to another
member), so paths are found by a breadth-first search from both ends, one
round trip per step, over ``traversal.neighbors``. Within one search, nodes
are named by their internal id, which is stable while the search runs.
"""

from graphdb import statement as cypher
from graphdb.model import LABELS, bounded, key_of
from graphdb.statement import SUBTREE

INTERNAL_ID = {
    label.name: cypher.read(
        f"traversal.internal_id.{label.name}",
        f"""
        MATCH (n:{label.name} {{{label.key}: $key}})
        WITH n, {label.bounded("n")} AS seen
        WHERE seen
        RETURN id(n) AS nid
        """,
        bound=SUBTREE,
    )
    for label in LABELS
}

# Within two hops: the node in between must be seen too.
NEIGHBORHOOD = {
    label.name: cypher.read(
        f"traversal.neighborhood.{label.name}",
        f"""
        MATCH (n:{label.name} {{{label.key}: $key}})
        WITH n, {label.bounded("n")} AS seen
        WHERE seen
        MATCH p = (n)-[*1..2]-(m)
        WHERE length(p) <= $hops AND m <> n
        WITH m, length(p) AS distance, nodes(p)[1] AS via
        WITH m, distance, {bounded("m")} AND (distance = 1 OR {bounded("via")}) AS seen
        WHERE seen
        WITH m, min(distance) AS distance
        RETURN labels(m) AS labels, {key_of("m")} AS key, distance
        ORDER BY distance, key
        LIMIT $limit
        """,
        bound=SUBTREE,
    )
    for label in LABELS
}

NEIGHBORS = cypher.read(
    "traversal.neighbors",
    f"""
    UNWIND $nids AS nid
    MATCH (n)
    WHERE id(n) = nid
    MATCH (n)-[r]-(m)
    WITH nid, r, m, {bounded("m")} AS seen
    WHERE seen
    RETURN nid, type(r) AS via, id(m) AS mid, labels(m) AS labels, {key_of("m")} AS key
    LIMIT $cap
    """,
    bound=SUBTREE,
)
