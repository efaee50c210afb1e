"""Organisations of the league tree (组织树) and the ``SUB_OF`` edge to their parent.

Levels: 1 province committee, 2 city, 3 county or district, 4 township, street
or grassroots committee, 5 branch. ``id`` is the organisation code of the
membership system. ``lineage`` lists the ids from the root down to the node
itself; the subtree bound (:func:`graphdb.scope.within`) is a membership test
on it, so scoped queries never walk the tree to decide what a caller may see.
"""

from graphdb import statement as cypher
from graphdb.indexes import fulltext, lookup
from graphdb.listing import SortKey
from graphdb.model import ORGANIZATION
from graphdb.scope import within
from graphdb.statement import PUBLIC, SUBTREE

INDEXES = (
    lookup("Organization", "seq"),  # the tree order: graphdb.listing
    lookup("Organization", "level"),
    lookup("Organization", "region_code"),
    fulltext("Organization", "search_terms"),  # graphdb.search_text
)

UPSERT_ROOT = cypher.write(
    "organization.upsert_root",
    """
    UNWIND $rows AS r
    MERGE (o:Organization {id: r.id})
    SET o += r.props, o.founded_on = date(r.founded_on), o.lineage = [r.id],
        o.search_terms = coalesce(r.search_terms, o.search_terms),
        o.source = $source, o.synced_at = $synced_at
    RETURN count(o) AS written
    """,
    search="name",
)

UPSERT = cypher.write(
    "organization.upsert",
    """
    UNWIND $rows AS r
    MATCH (p:Organization {id: r.parent_id})
    MERGE (o:Organization {id: r.id})
    SET o += r.props, o.founded_on = date(r.founded_on), o.lineage = p.lineage + [r.id],
        o.search_terms = coalesce(r.search_terms, o.search_terms),
        o.source = $source, o.synced_at = $synced_at
    MERGE (o)-[:SUB_OF]->(p)
    RETURN count(o) AS written
    """,
    search="name",
)

BY_IDS = cypher.read(
    "organization.by_ids",
    f"""
    UNWIND $ids AS id
    MATCH (o:Organization {{id: id}})
    WHERE {within("o")}
    RETURN o {{.*}} AS node
    """,
    bound=SUBTREE,
)

CHILDREN_OF = cypher.read(
    "organization.children_of",
    f"""
    UNWIND $ids AS id
    MATCH (p:Organization {{id: id}})
    WITH p
    MATCH (p)<-[:SUB_OF]-(c:Organization)
    WHERE {within("c")}
    WITH p, c ORDER BY c.id
    RETURN p.id AS parent_id, collect(c {{.*}}) AS children
    """,
    bound=SUBTREE,
)

COUNT = ORGANIZATION.count()

# The shape of the tree is public: how many organisations of each level.
COUNT_BY_LEVEL = cypher.read(
    "organization.count_by_level",
    """
    MATCH (o:Organization)
    RETURN o.level AS level, count(o) AS organizations ORDER BY level
    """,
    bound=PUBLIC,
)

_FILTER = """
    ($name IS NULL OR o.name CONTAINS $name)
    AND ($region IS NULL OR o.region_code STARTS WITH $region)
    AND ($level IS NULL OR o.level = $level)
    AND ($kind IS NULL OR o.kind = $kind)
    AND ($field IS NULL OR o.field = $field)
"""
# Organisations in the tree order, a window of it at a time (graphdb.listing).
LIST_WINDOW = cypher.read(
    "organization.list_window",
    f"""
    MATCH (o:Organization)
    WHERE o.seq >= $lo AND o.seq <= $hi AND o.seq > $after_seq AND {within("o")}
      AND {_FILTER}
    WITH o ORDER BY o.seq LIMIT $limit
    RETURN o {{.*}} AS node, o.seq AS seq
    """,
    bound=SUBTREE,
)
SORTS = {
    "key": SortKey("o.id"),
    "name": SortKey("coalesce(o.name, '')"),
    "level": SortKey("o.level", "number"),
}
_SPANS = f"""
    UNWIND $spans AS span
    MATCH (o:Organization)
    WHERE o.seq >= span[0] AND o.seq <= span[1] AND {within("o")}
      AND {_FILTER}"""
# Sorted otherwise: under organisations whose subtrees are small enough to sort.
LIST_SORTED = {
    (field, direction): cypher.read(
        f"organization.list_sorted.{field}.{direction.lower()}",
        f"""{_SPANS}
      AND ($after_key IS NULL
           OR {key.expression} {">" if direction == "ASC" else "<"} {key.after}
           OR ({key.expression} = {key.after} AND o.id > $after_key))
    WITH o, {key.expression} AS sort_value
    ORDER BY sort_value {direction}, o.id LIMIT $limit
    RETURN o {{.*}} AS node, sort_value
    """,
        bound=SUBTREE,
    )
    for field, key in SORTS.items()
    for direction in ("ASC", "DESC")
}
COUNT_UNDER = cypher.read(
    "organization.count_under",
    f"""{_SPANS}
    RETURN count(o) AS total
    """,
    bound=SUBTREE,
)

TREE = cypher.read(
    "organization.tree",
    f"""
    MATCH (r:Organization {{id: $root}})
    WITH r
    WHERE {within("r")}
    MATCH (d:Organization)-[:SUB_OF*0..3]->(r)
    WITH r, d
    WHERE size(d.lineage) - size(r.lineage) <= $depth
    RETURN d {{.*}} AS node
    ORDER BY size(d.lineage), d.id
    """,
    bound=SUBTREE,
)

ROOTS = cypher.read(
    "organization.roots",
    """
    MATCH (o:Organization)
    WHERE o.level = 1
    RETURN o.id AS id
    """,
    bound=PUBLIC,
)
