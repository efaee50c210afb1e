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
* a run of Latin letters and digits (after NFKC: full-width letters too) is
  indexed as each of its prefixes, so a word typed matches it as a prefix
  (``yout`` finds ``Youth``) by one exact term: no engine's wildcard, whose
  expansion FalkorDB cuts short after about 90 terms;
* every word typed must match (AND, on both engines); anything else in the text
  only separates words, so no query syntax can be injected.

Han characters go into the index as ASCII (``u`` or ``b`` and their code
points in hex), so no tokenizer, stemmer or stop list of either engine can cut
or drop them. Pairs can match a Han word whose pairs lie apart in a name, so the
search statements also check that each such word occurs in the name itself
(``$han``): the meaning is exact, the index only narrows. The first term, ``v1``,
is the scheme's version: ``migrate`` gives new terms to a node whose terms are
of another version.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from typing import Literal

VERSION = "v1"  # the first term of every node's terms: the scheme they were written by
MAX_WORDS = 8  # words of a query the index is asked for
MAX_TERMS = 32  # terms of a query the index is asked for; the rest are checked only
MAX_PREFIX = 24  # the longest Latin prefix indexed; a longer word matches by its first 24
CANDIDATES = 2_000  # hits one search ranks at most (graphdb.domain.search)
EXAMINED = 10_000  # index hits a bounded caller's search looks through for theirs

_HAN_CHARS = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_WORD = re.compile(f"[{_HAN_CHARS}]+|[a-z0-9]+")
_HAN = re.compile(f"[{_HAN_CHARS}]")


def words(text: str) -> list[str]:
    """The words of ``text``: runs of Han characters, runs of Latin letters and digits."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).lower())


def han_words(typed: list[str]) -> list[str]:
    """The Han words of two characters or more: those whose pairs may lie apart in a name."""
    return [word for word in typed if len(word) > 1 and _HAN.match(word)]


def _one(char: str) -> str:
    return f"u{ord(char):05x}"


def _pair(first: str, second: str) -> str:
    return f"b{ord(first):05x}{ord(second):05x}"


def _prefix(word: str) -> str:
    return f"p{word[:MAX_PREFIX]}"


def terms(text: str | None) -> str:
    """The terms ``text`` is indexed by, separated by spaces, the version first."""
    found: dict[str, None] = {VERSION: None}
    for word in words(text or ""):
        if _HAN.match(word):
            found.update(dict.fromkeys(_one(char) for char in word))
            found.update(dict.fromkeys(_pair(a, b) for a, b in itertools.pairwise(word)))
        else:
            found.update(dict.fromkeys(_prefix(word[:n]) for n in range(1, len(word) + 1)))
    return " ".join(found)


def _asked(word: str) -> list[str]:
    if _HAN.match(word):
        if len(word) == 1:
            return [_one(word)]
        return list(dict.fromkeys(_pair(a, b) for a, b in itertools.pairwise(word)))
    return [_prefix(word)]


def index_query(backend: Literal["falkordb", "neo4j"], typed: list[str]) -> str | None:
    """What each engine's full-text index is asked for ``typed`` words: all must match."""
    asked = [term for word in typed[:MAX_WORDS] for term in _asked(word)][:MAX_TERMS]
    if not asked:
        return None
    if backend == "falkordb":
        return f"@search_terms:({' '.join(asked)})"
    return " AND ".join(asked)
