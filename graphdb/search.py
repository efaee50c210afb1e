"""Full-text search, behind one store method: what is searchable, and how a query is written.

The full-text indexes are per backend (``fulltext`` entries of the domain
indexes); so is the procedure that queries them. What follows the procedure's
``YIELD node, score`` is domain Cypher, written once here per label: the
subtree bound, and the key to return.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TERM = re.compile(r"[\w\u4e00-\u9fff]+")


@dataclass(frozen=True)
class Searchable:
    label: str
    tail: str  # Cypher after ``YIELD node, score``: binds $scope and $limit, returns id, score


SEARCHABLE = {
    "Organization": Searchable(
        "Organization",
        """
        WITH node AS o, score
        WHERE $scope IS NULL OR $scope IN o.lineage
        RETURN o.id AS id, score ORDER BY score DESC, id LIMIT $limit
        """,
    ),
    "Person": Searchable(
        "Person",
        """
        WITH node AS p, score
        OPTIONAL MATCH (p)-[:MEMBER_OF]->(b:Organization)
        WITH p, score, b
        WHERE $scope IS NULL OR $scope IN b.lineage
        RETURN p.id AS id, score ORDER BY score DESC, id LIMIT $limit
        """,
    ),
    "Enterprise": Searchable(
        "Enterprise",
        """
        WITH node AS e, score
        MATCH (e)-[:IN_AREA_OF]->(t:Organization)
        WHERE $scope IS NULL OR $scope IN t.lineage
        RETURN e.uscc AS id, score ORDER BY score DESC, id LIMIT $limit
        """,
    ),
    "Activity": Searchable(
        "Activity",
        """
        WITH node AS a, score
        MATCH (a)-[:HOSTED_BY]->(o:Organization)
        WHERE $scope IS NULL OR $scope IN o.lineage
        RETURN a.id AS id, score ORDER BY score DESC, id LIMIT $limit
        """,
    ),
}


def prefix_query(text: str) -> str | None:
    """The words of ``text`` as prefix terms (``广州* 团委*``); None when it has no word.

    Everything but letters, digits and Chinese characters is dropped, so no
    query syntax of either engine can be injected.
    """
    terms = _TERM.findall(text)
    return " ".join(f"{term}*" for term in terms) or None
