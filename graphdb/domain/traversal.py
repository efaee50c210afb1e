"""Traversals over every label, for analysts: a node's neighbourhood, and paths between nodes.

Each step is held to the caller's scope inside the Cypher: the organisations
every node reached belongs to are looked up together (:func:`graphdb.model.anchored`),
so a node the caller may not see is never returned, never counted against
``first``, and never walked through, and a distance is the distance within the
caller's part of the graph.

A neighbourhood is found ring by ring: the nodes next to the start that the
caller sees, then the nodes next to those, not seen before, that the caller
sees. FalkorDB runs ``shortestPath`` only along directed relationships, and the
hub's paths run both ways (a member up to a committee, then down to another
member), so paths are found by a breadth-first search from both ends, one
round trip per step, over ``traversal.neighbors``. Within one search, nodes are
named by their internal id, which is stable while the search runs.

Each traversal has a twin for callers who see the whole tree, the same steps
without the lookups (``bound=WHOLE_TREE``): at 1,000,000 members the lookups
are most of a committee's neighbourhood (docs/performance.md).
"""

from graphdb import statement as cypher
from graphdb.model import LABELS, Label, anchored, key_of
from graphdb.statement import SUBTREE, WHOLE_TREE

INTERNAL_ID = {
    label.name: cypher.read(
        f"traversal.internal_id.{label.name}",
        f"""
        MATCH (n:{label.name} {{{label.key}: $key}})
        {label.keep_bounded("n")}
        RETURN id(n) AS nid
        """,
        bound=SUBTREE,
    )
    for label in LABELS
}


def _seen(node: str, carry: list[str], bounded: bool) -> str:
    """The bound of every node of a step; for the whole tree, every node is seen."""
    if bounded:
        return anchored(node, carry)
    return f"WITH {', '.join([*carry, node])}, true AS {node}_seen"


def _neighborhood(label: Label, bounded: bool) -> str:
    start = f"MATCH (n:{label.name} {{{label.key}: $key}})"
    if bounded:
        start += "\n" + label.keep_bounded("n")
    return f"""
    {start}
    MATCH (n)--(a)
    WITH DISTINCT n, a
    WHERE a <> n
    {_seen("a", ["n"], bounded)}
    WITH n, collect(CASE WHEN a_seen THEN a END) AS near
    WITH n, near, [a IN near | id(a)] AS near_ids
    OPTIONAL MATCH (n)--(via)--(b)
    WHERE $hops > 1 AND id(via) IN near_ids AND b <> n AND NOT id(b) IN near_ids
    WITH near, collect(DISTINCT b) AS candidates
    UNWIND CASE WHEN size(candidates) = 0 THEN [null] ELSE candidates END AS b
    {_seen("b", ["near"], bounded)}
    WITH near, collect(CASE WHEN b_seen AND b IS NOT NULL THEN b END) AS beyond
    UNWIND [m IN near | [m, 1]] + [m IN beyond | [m, 2]] AS found
    WITH found[0] AS m, found[1] AS distance
    RETURN labels(m) AS labels, {key_of("m")} AS key, distance
    ORDER BY distance, key
    LIMIT $limit
    """


def _neighbors(bounded: bool) -> str:
    return f"""
    UNWIND $nids AS nid
    MATCH (n)
    WHERE id(n) = nid
    MATCH (n)-[r]-(m)
    WITH nid, type(r) AS via, m
    {_seen("m", ["nid", "via"], bounded)}
    WITH nid, via, m
    WHERE m_seen
    RETURN nid, via, id(m) AS mid, labels(m) AS labels, {key_of("m")} AS key
    LIMIT $cap
    """


# Held to the caller's subtrees; and, for callers who see everything, the same
# steps without looking up where each node belongs.
NEIGHBORHOOD = {
    label.name: cypher.read(
        f"traversal.neighborhood.{label.name}", _neighborhood(label, True), bound=SUBTREE
    )
    for label in LABELS
}
NEIGHBORHOOD_WHOLE_TREE = {
    label.name: cypher.read(
        f"traversal.neighborhood_whole_tree.{label.name}",
        _neighborhood(label, False),
        bound=WHOLE_TREE,
    )
    for label in LABELS
}
NEIGHBORS = cypher.read("traversal.neighbors", _neighbors(True), bound=SUBTREE)
NEIGHBORS_WHOLE_TREE = cypher.read(
    "traversal.neighbors_whole_tree", _neighbors(False), bound=WHOLE_TREE
)
