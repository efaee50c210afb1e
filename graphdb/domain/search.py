"""Full-text search, behind one store method: what is searchable, and the Cypher after the index.

What a search means, the terms a name is indexed by and what each engine's
index is asked, is in :mod:`graphdb.search_text`. The full-text indexes are per
backend (``fulltext`` entries on ``search_terms``); so is the procedure that
queries them. What follows the procedure's ``YIELD node, score`` is domain
Cypher, written once here per label: that every word typed occurs in the name
itself (the index narrows; this makes it exact), the subtree bound, the key.

A text that matches very many names (one common character among a million
people) is answered from the first ``graphdb.search_text.CANDIDATES`` hits the index gives, not from
all of them: the cost of a search follows its page, and typing more narrows it.
"""

from __future__ import annotations

from graphdb import statement as cypher
from graphdb.model import ACTIVITY, ENTERPRISE, ORGANIZATION, PERSON, Label
from graphdb.scope import Scope
from graphdb.search_text import terms
from graphdb.statement import WHOLE_TREE, Statement
from graphdb.store import Store

# The property each searchable label is found by; its upserts declare ``search=`` it.
NAMES = {ORGANIZATION: "name", PERSON: "name", ENTERPRISE: "name", ACTIVITY: "title"}


def _tail(label: Label, name: str) -> str:
    return f"""
    WITH node AS n, score LIMIT $candidates
    WITH n, score
    WHERE all(word IN $words WHERE toLower(n.{name}) CONTAINS word)
    {label.keep_bounded("n", ["score"])}
    RETURN n.{label.key} AS id, score ORDER BY score DESC, id LIMIT $limit
    """


# Cypher after ``YIELD node, score``, per searchable label: the words, the bound, the key.
SEARCHABLE = {label.name: _tail(label, name) for label, name in NAMES.items()}


def _unindexed(label: Label, name: str) -> Statement:
    return cypher.read(
        f"search.unindexed_{label.domain}",
        f"""
        MATCH (n:{label.name})
        WHERE n.search_terms IS NULL AND n.{name} IS NOT NULL
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
    """Give every searchable node written before the search terms existed its terms.

    Run by ``migrate``; a node that has its terms is not read. Returns how many
    nodes were given theirs.
    """
    given = 0
    for unindexed, index in _BACKFILL:
        rows = await store.read(unindexed, scope=Scope.everything())
        batch = [{"key": row["key"], "terms": terms(row["text"])} for row in rows]
        given += await store.write_batches(index, batch, batch_size=batch_size)
    return given
