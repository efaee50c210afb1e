"""Full-text search, behind one store method: what is searchable, and the Cypher after the index.

What a search means, the terms a name is indexed by and what each engine's
index is asked, is in :mod:`graphdb.search_text`. The full-text indexes are per
backend (``fulltext`` entries on ``search_terms``); so is the procedure that
queries them. What follows the procedure's ``YIELD node`` is domain
Cypher, written once here per label: that every Han word typed occurs in the
name itself (its pairs may lie apart: the index narrows, this makes it exact),
the subtree bound, the key. The words are bound to a variable before the list
predicate iterates over them: FalkorDB 4.16 drops every row of a filter whose
list predicate iterates over a parameter (``graph-model.md``).

A text that matches very many names (one common character among a million
people) is ranked among the first ``CANDIDATES`` (2,000) hits the index gives,
for a caller who sees everything; a bounded caller's among the first 2,000 of
theirs, looked for in the first ``EXAMINED`` (10,000) hits. The cost of a
search follows its page, and typing more narrows it.
"""

from __future__ import annotations

from collections.abc import Callable

from graphdb import statement as cypher
from graphdb.model import ACTIVITY, ENTERPRISE, ORGANIZATION, PERSON, Label
from graphdb.scope import Scope
from graphdb.search_text import VERSION, terms
from graphdb.statement import SUBTREE, WHOLE_TREE, Statement
from graphdb.store import Store

# The property each searchable label is found by; its upserts declare ``search=`` it.
NAMES = {ORGANIZATION: "name", PERSON: "name", ENTERPRISE: "name", ACTIVITY: "title"}


def _tail(label: Label, name: str, *, bounded: bool) -> str:
    # The score is the hub's own, the same on both engines and from one call to the
    # next: how much of the name the words typed cover (``$covered`` characters).
    score = f"toFloat($covered) / CASE WHEN size(n.{name}) > 0 THEN size(n.{name}) ELSE 1 END"
    if not bounded:  # a caller who sees everything: the first hits are the candidates
        return f"""
    WITH node AS n LIMIT $candidates
    WITH n, $han AS han
    WHERE all(word IN han WHERE n.{name} CONTAINS word)
    RETURN n.{label.key} AS id, {score} AS score ORDER BY score DESC, id LIMIT $limit
    """
    # A bounded caller: the hits in their subtrees are the candidates, among more
    # of the index's hits, so that matches elsewhere do not crowd theirs out.
    return f"""
    WITH node AS n LIMIT $examined
    WITH n, $han AS han
    WHERE all(word IN han WHERE n.{name} CONTAINS word)
    {label.keep_bounded("n")}
    WITH n LIMIT $candidates
    RETURN n.{label.key} AS id, {score} AS score ORDER BY score DESC, id LIMIT $limit
    """


def statements(
    backend: str, index_call: Callable[[str], str]
) -> tuple[dict[str, Statement], dict[str, Statement]]:
    """A backend's search statements by label, for bounded callers and for the whole tree.

    ``index_call`` writes the backend's full-text call for a label, up to its
    ``YIELD node``; the Cypher after it (the words, the bound, the key) is
    the same for every backend.
    """
    bounded = {
        label.name: cypher.read(
            f"{backend}.search.{label.name}",
            f"{index_call(label.name)} {_tail(label, name, bounded=True)}",
            bound=SUBTREE,
        )
        for label, name in NAMES.items()
    }
    whole_tree = {
        label.name: cypher.read(
            f"{backend}.search_whole_tree.{label.name}",
            f"{index_call(label.name)} {_tail(label, name, bounded=False)}",
            bound=WHOLE_TREE,
        )
        for label, name in NAMES.items()
    }
    return bounded, whole_tree


def _unindexed(label: Label, name: str) -> Statement:
    return cypher.read(
        f"search.unindexed_{label.domain}",
        f"""
        MATCH (n:{label.name})
        WHERE n.{name} IS NOT NULL AND (n.search_terms IS NULL
          OR NOT (n.search_terms = $version OR n.search_terms STARTS WITH ($version + ' ')))
        RETURN n.{label.key} AS key, n.{name} AS text
        """,
        bound=WHOLE_TREE,
    )


def _index(label: Label) -> Statement:
    return cypher.write(
        f"search.index_{label.domain}",
        f"""
        UNWIND $rows AS r
        MATCH (n:{label.name} {{{label.key}: r.key}})
        SET n.search_terms = r.terms
        RETURN count(n) AS written
        """,
    )


_BACKFILL = [(_unindexed(label, name), _index(label)) for label, name in NAMES.items()]


async def index_names(store: Store, *, batch_size: int = 5000) -> int:
    """Give every searchable node written before its terms' scheme its terms.

    Run by ``migrate``; a node whose terms are of the current version is not
    read. Reads the others in one result: fine for the graphs written before
    the terms existed (none in production yet), to be paged before a version
    change on a province-sized graph. Returns how many nodes were given theirs.
    """
    given = 0
    for unindexed, index in _BACKFILL:
        rows = await store.read(unindexed, {"version": VERSION}, scope=Scope.everything())
        batch = [{"key": row["key"], "terms": terms(row["text"])} for row in rows]
        given += await store.write_batches(index, batch, batch_size=batch_size)
    return given
