"""Full-text search, behind one store method: what is searchable, and how a query is written.

The full-text indexes are per backend (``fulltext`` entries of the domain
indexes); so is the procedure that queries them. What follows the procedure's
``YIELD node, score`` is domain Cypher, written once here per label: the
subtree bound, and the key to return.
"""

from __future__ import annotations

import re

from graphdb.model import ACTIVITY, ENTERPRISE, ORGANIZATION, PERSON, Label

_TERM = re.compile(r"[\w\u4e00-\u9fff]+")


def _tail(label: Label) -> str:
    return f"""
    WITH node AS n, score
    {label.keep_bounded("n", ["score"])}
    RETURN n.{label.key} AS id, score ORDER BY score DESC, id LIMIT $limit
    """


# Cypher after ``YIELD node, score``, per searchable label: the bound, then the key.
SEARCHABLE = {label.name: _tail(label) for label in (ORGANIZATION, PERSON, ENTERPRISE, ACTIVITY)}


def prefix_query(text: str) -> str | None:
    """The words of ``text`` as prefix terms (``广州* 团委*``); None when it has no word.

    Everything but letters, digits and Chinese characters is dropped, so no
    query syntax of either engine can be injected.
    """
    terms = _TERM.findall(text)
    return " ".join(f"{term}*" for term in terms) or None
