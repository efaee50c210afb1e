"""What search means, written once for both engines: the terms a name is indexed by, and a query.

Neither engine's own analysis of Chinese serves a search box: FalkorDB's
Chinese tokenizer cuts a name into dictionary words (``王小明`` is ``王 小 明``,
and a character inside a dictionary word is not indexed at all), and Neo4j's
``cjk`` analyzer indexes overlapping pairs that a prefix query is not split into.
So the hub indexes terms of its own, written by every upsert of a searchable
name into ``search_terms`` (:func:`terms`), and asks each engine for them in its
own syntax (:func:`index_query`):

* a run of Han characters is indexed as each character and each adjacent pair,
  so a Han word the user types matches a name that holds it anywhere: one
  character by that character, a longer word by all its pairs;
* a run of Latin letters and digits is indexed as itself, lower-cased, and a
  word typed matches it as a prefix (``yout`` finds ``Youth``);
* every word typed must match (AND, on both engines); anything else in the text
  only separates words, so no query syntax can be injected.

Han characters go into the index as ASCII (``u`` or ``b`` and their code
points in hex), so no tokenizer, stemmer or stop list of either engine can cut
or drop them. Pairs can match a word whose pairs lie apart in a name, so the
search statements also check that each word occurs in the name itself
(``$words``): the meaning is exact, the index only narrows.
"""

from __future__ import annotations

import itertools
import re
from typing import Literal

VERSION = 1  # the terms' scheme; a graph indexed otherwise is indexed again by migrate
MAX_WORDS = 8  # words of a query the index is asked for; the rest are checked only
CANDIDATES = 2_000  # index hits one search checks at most (graphdb.domain.search)

_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def words(text: str) -> list[str]:
    """The words of ``text``: runs of Han characters, runs of Latin letters and digits."""
    return _WORD.findall(text.lower())


def _one(char: str) -> str:
    return f"u{ord(char):05x}"


def _pair(first: str, second: str) -> str:
    return f"b{ord(first):05x}{ord(second):05x}"


def terms(text: str | None) -> str:
    """The terms ``text`` is indexed by, separated by spaces (empty for no text)."""
    found: dict[str, None] = {}
    for word in words(text or ""):
        if _HAN.match(word):
            found.update(dict.fromkeys(_one(char) for char in word))
            found.update(dict.fromkeys(_pair(a, b) for a, b in itertools.pairwise(word)))
        else:
            found[word] = None
    return " ".join(found)


def _asked(word: str) -> list[str]:
    if _HAN.match(word):
        if len(word) == 1:
            return [_one(word)]
        return list(dict.fromkeys(_pair(a, b) for a, b in itertools.pairwise(word)))
    return [f"{word}*" if len(word) > 1 else word]


def index_query(backend: Literal["falkordb", "neo4j"], typed: list[str]) -> str | None:
    """What each engine's full-text index is asked for ``typed`` words: all must match."""
    asked = [term for word in typed[:MAX_WORDS] for term in _asked(word)]
    if not asked:
        return None
    if backend == "falkordb":
        return f"@search_terms:({' '.join(asked)})"
    return " AND ".join(asked)
