"""Lists whose pages cost what they return: the tree order, kept counts, bounded sorts.

Neither engine of the embedded mode can read a label in the order of an index
and stop after a page (FalkorDB sorts every row it matched before ``LIMIT``),
so the hub gives lists an order it can walk: **the tree order**. Every
organisation carries ``seq``, its position in a depth-first walk of the tree
(children by code), and ``last``, the ``seq`` of the last organisation of its
subtree; a range index on ``seq`` makes a subtree one index range, and a
*window* of a few dozen organisations one small index scan. A page of members
(or activities, enterprises) reads the members of the next window of
organisations after its cursor, ``(seq, key)``, and nothing else: the same
rows at every scale and at every depth of ``after``.

Each organisation also keeps how many of each listed label hang below it
(``count_member`` ...; ``own_member`` for those hanging from itself), updated by
the same statement that writes them, so an unfiltered ``totalCount`` is a
lookup. Other orders (by name, by date) sort what lies under the anchors and are
allowed only where the kept counts say that is at most a configured number of
rows; :func:`renumber` computes ``seq``, ``last`` and every count from scratch
(after the tree changes, and for a graph written before they existed).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from graphdb import statement as cypher
from graphdb.scope import Scope, within
from graphdb.statement import SUBTREE, WHOLE_TREE, Statement
from graphdb.store import Store


@dataclass(frozen=True)
class SortKey:
    """A sort order other than the tree order: a never-null expression and its cursor value.

    ``kind`` is what the cursor's value must be: ``text``, ``number``, or ``date``
    (ISO text, compared as ``date($after_value)``).
    """

    expression: str
    kind: Literal["text", "number", "date"] = "text"

    @property
    def after(self) -> str:
        """The cursor's value, comparable to ``expression`` in Cypher."""
        return "date($after_value)" if self.kind == "date" else "$after_value"


@dataclass(frozen=True)
class Hanging:
    """A label listed under organisations: items that hang from one by one relationship."""

    domain: str  # the graph model's domain name of the label: ``member``
    label: str
    relationship: str  # item -> organisation
    item: str  # the item's variable in ``filters`` and ``node``
    organization: str  # the variable of the organisation it hangs from
    key: str  # the item's key property
    filters: str  # a predicate on the item and its organisation
    node: str  # the ``... AS node`` projection
    sorts: Mapping[str, SortKey]

    @property
    def count(self) -> str:
        return f"count_{self.domain}"

    @property
    def own(self) -> str:
        return f"own_{self.domain}"


@dataclass(frozen=True)
class Listing:
    """The statements of one hanging label's list: tree windows, bounded sorts, a count."""

    hanging: Hanging
    window: Statement
    sorted: dict[tuple[str, str], Statement]
    count: Statement
    own_counts: Statement  # for :func:`renumber`: each organisation's own, taken again
    sum_counts: Statement  # then every organisation's count, summed from the own ones


def listing(hanging: Hanging) -> Listing:
    h, i, b = hanging, hanging.item, hanging.organization
    walk = f"MATCH ({i}:{h.label})-[:{h.relationship}]->({b})"
    window = cypher.read(
        f"{h.domain}.list_window",
        f"""
        MATCH ({b}:Organization)
        WHERE {b}.seq >= $lo AND {b}.seq <= $hi AND {within(b)}
        WITH {b}
        {walk}
        WHERE ({b}.seq > $after_seq OR ($after_key IS NOT NULL AND {i}.{h.key} > $after_key))
          AND {h.filters}
        WITH {i}, {b} ORDER BY {b}.seq, {i}.{h.key} LIMIT $limit
        RETURN {h.node}, {b}.seq AS seq
        """,
        bound=SUBTREE,
    )
    spans = f"""
        UNWIND $spans AS span
        MATCH ({b}:Organization)
        WHERE {b}.seq >= span[0] AND {b}.seq <= span[1] AND {within(b)}
        WITH {b}
        {walk}
        WHERE {h.filters}"""
    sorted_ = {
        (field, direction): cypher.read(
            f"{h.domain}.list_sorted.{field}.{direction.lower()}",
            f"""{spans}
          AND ($after_key IS NULL
               OR {key.expression} {">" if direction == "ASC" else "<"} {key.after}
               OR ({key.expression} = {key.after} AND {i}.{h.key} > $after_key))
        WITH {i}, {b}, {key.expression} AS sort_value
        ORDER BY sort_value {direction}, {i}.{h.key} LIMIT $limit
        RETURN {h.node}, sort_value
        """,
            bound=SUBTREE,
        )
        for field, key in h.sorts.items()
        for direction in ("ASC", "DESC")
    }
    count = cypher.read(
        f"{h.domain}.count_under",
        f"""{spans}
        RETURN count({i}) AS total
        """,
        bound=SUBTREE,
    )
    own_counts = cypher.write(
        f"{h.domain}.own_counts",
        f"""
        MATCH ({b}:Organization)
        OPTIONAL MATCH ({b})<-[:{h.relationship}]-({i}:{h.label})
        WITH {b}, count({i}) AS own
        SET {b}.{h.own} = own
        RETURN sum(own) AS counted
        """,
    )
    sum_counts = cypher.write(
        f"{h.domain}.sum_counts",
        f"""
        MATCH (d:Organization)
        UNWIND d.lineage AS link
        WITH link, sum(coalesce(d.{h.own}, 0)) AS below
        MATCH (o:Organization {{id: link}})
        SET o.{h.count} = below
        RETURN count(o) AS summed
        """,
    )
    return Listing(hanging, window, sorted_, count, own_counts, sum_counts)


def recount(hanging: Hanging, organization: str) -> str:
    """The tail of an upsert that keeps ``hanging``'s counts, after it merged the edges.

    The rows before it bind ``organization``, the organisation each item was
    written under: their own counts are taken again, and the change is added to
    every organisation above them, in the same statement as the write.
    """
    h = hanging
    return f"""
    WITH collect(DISTINCT {organization}) AS hosts
    UNWIND hosts AS h
    OPTIONAL MATCH (h)<-[:{h.relationship}]-(x:{h.label})
    WITH h, count(x) AS now
    WITH h, now, now - coalesce(h.{h.own}, 0) AS change
    SET h.{h.own} = now
    WITH h, change
    UNWIND h.lineage AS link
    WITH link, sum(change) AS change
    MATCH (o:Organization {{id: link}})
    SET o.{h.count} = coalesce(o.{h.count}, 0) + change
    RETURN count(o) AS recounted
    """


SPANS = cypher.read(
    "listing.spans",
    f"""
    UNWIND $ids AS id
    MATCH (o:Organization {{id: id}})
    WHERE {within("o")}
    RETURN o {{.id, .seq, .last, .*}} AS span
    ORDER BY o.seq
    """,
    bound=SUBTREE,
)
ROOT_SPANS = cypher.read(
    "listing.root_spans",
    """
    MATCH (o:Organization {level: 1})
    RETURN o {.*} AS span
    ORDER BY o.seq
    """,
    bound=WHOLE_TREE,
)
_TREE = cypher.read(
    "listing.tree",
    """
    MATCH (o:Organization)
    RETURN o.id AS id, o.lineage AS lineage
    """,
    bound=WHOLE_TREE,
)
_UNNUMBERED = cypher.read(
    "listing.unnumbered",
    """
    MATCH (o:Organization)
    WHERE o.listed IS NULL OR o.listed <> $version
    RETURN count(o) AS unnumbered
    """,
    bound=WHOLE_TREE,
)
_NUMBER = cypher.write(
    "listing.number",
    """
    UNWIND $rows AS r
    MATCH (o:Organization {id: r.id})
    SET o += r.props
    RETURN count(o) AS written
    """,
)


# The numbering's version, kept on every organisation (``listed``): a graph numbered by
# an older version (other properties, other counts) is numbered again by migrate.
VERSION = 1
_ALL = Scope.everything()  # numbering is maintenance: it reads the whole tree


@dataclass(frozen=True)
class Numbered:
    organizations: int
    counts: dict[str, int]  # label -> items counted


async def renumber(
    store: Store, listings: Sequence[Listing], *, batch_size: int = 5000
) -> Numbered:
    """Number the tree (``seq``, ``last``) and take every kept count again, from scratch.

    Run after organisations are added or moved (``hub seed`` does), and by
    :func:`needs_renumber`'s callers for a graph written before the numbers
    existed. Reads the tree once; each listed label's counts are two statements.
    """
    tree = sorted(await store.read(_TREE, scope=_ALL), key=lambda row: list(row["lineage"]))
    # From 1: FalkorDB 4.16's range index on Organization missed a node whose seq was 0.
    seq = {row["id"]: n for n, row in enumerate(tree, start=1)}
    size: dict[str, int] = {}
    for row in tree:
        for link in row["lineage"]:
            size[link] = size.get(link, 0) + 1
    props: dict[str, dict[str, Any]] = {
        row["id"]: {
            "seq": seq[row["id"]],
            "last": seq[row["id"]] + size[row["id"]] - 1,
            "listed": VERSION,
        }
        for row in tree
    }
    rows: Sequence[dict[str, Any]] = [{"id": org, "props": p} for org, p in props.items()]
    await store.write_batches(_NUMBER, rows, batch_size=batch_size)
    # The counts by the engine, each in one statement: the own ones first, then their
    # sums. Upserts meanwhile keep their own count absolute and add their change to
    # the sums, so a write before, between or after the two statements stays counted.
    counted: dict[str, int] = {}
    for listed in listings:
        own = await store.write(listed.own_counts)
        await store.write(listed.sum_counts)
        counted[listed.hanging.label] = int(own[0]["counted"] or 0) if own else 0
    return Numbered(len(tree), counted)


async def needs_renumber(store: Store) -> bool:
    rows = await store.read(_UNNUMBERED, {"version": VERSION}, scope=_ALL)
    return bool(rows and rows[0]["unnumbered"])
