"""Search terms: written with every name, found the same on both engines, never crowded out.

Each test writes its own small graph through the domain's upserts (the ``store``
fixture runs on the embedded engine, and on Neo4j when ``NEO4J_URI`` is set).
"""

from __future__ import annotations

from typing import Any

from graphdb import Provenance, Scope, Store, migrate
from graphdb import statement as cypher
from graphdb.domain import member, organization, person
from graphdb.domain.search import NAMES
from graphdb.model import PERSON
from graphdb.search_text import VERSION, index_query, terms, words

WRITTEN = Provenance("test", 1)
STALE = cypher.write(  # terms as an older hub wrote them, or none
    "test.person_terms",
    "UNWIND $rows AS r MATCH (p:Person {id: r.key}) SET p.search_terms = r.terms "
    "RETURN count(p) AS written",
)
EVERYTHING = Scope.everything()


async def tree(store: Store) -> None:
    root = {"id": "R", "props": {"name": "省委", "level": 1}, "founded_on": None}
    await store.write(organization.UPSERT_ROOT, {"rows": [root]}, provenance=WRITTEN)
    branches = [
        {
            "id": code,
            "parent_id": "R",
            "props": {"name": f"{code}支部", "level": 5},
            "founded_on": None,
        }
        for code in ("A", "B")
    ]
    await store.write(organization.UPSERT, {"rows": branches}, provenance=WRITTEN)


def joined(key: str, name: str, branch: str) -> dict[str, Any]:
    return {
        "id": key,
        "branch_id": branch,
        "props": {"name": name},
        "birth_date": None,
        "joined_on": None,
    }


async def keys(store: Store, text: str, scope: Scope = EVERYTHING) -> set[str]:
    return {row["id"] for row in await store.search("Person", text, limit=100, scope=scope)}


async def test_matches_elsewhere_do_not_crowd_out_a_bounded_caller_s(store: Store) -> None:
    """Thousands of 王 in one branch, three in another: that branch's cadre finds theirs."""
    await tree(store)
    crowd = [joined(f"A{n}", f"王{n}", "A") for n in range(2_500)]
    await store.write_batches(member.UPSERT, crowd, provenance=WRITTEN)
    few = [joined(f"B{n}", f"王小{n}", "B") for n in range(3)]
    await store.write(member.UPSERT, {"rows": few}, provenance=WRITTEN)
    assert await keys(store, "王", Scope("B")) == {"B0", "B1", "B2"}
    assert len(await keys(store, "王")) == 100  # a page of the whole province's


async def test_a_write_without_the_name_keeps_the_terms(store: Store) -> None:
    await tree(store)
    row = {"id": "P1", "props": {"name": "王小明"}, "birth_date": None}
    await store.write(person.UPSERT, {"rows": [row]}, provenance=WRITTEN)
    later = {"id": "P1", "props": {"gender": "M"}, "birth_date": None}
    await store.write(person.UPSERT, {"rows": [later]}, provenance=WRITTEN)
    assert await keys(store, "王小明") == {"P1"}


async def test_full_width_letters_rare_characters_and_latin_prefixes(store: Store) -> None:
    await tree(store)
    people = [
        {"id": "P1", "props": {"name": "ＹＯＵＴＨ中心"}, "birth_date": None},
        {"id": "P2", "props": {"name": "王𠮷明"}, "birth_date": None},
        {"id": "P3", "props": {"name": "王小明"}, "birth_date": None},
        *(
            {"id": f"L{n}", "props": {"name": f"ab{n:03d} team"}, "birth_date": None}
            for n in range(150)  # more words sharing "ab" than an engine's wildcard expands
        ),
    ]
    await store.write_batches(person.UPSERT, people, provenance=WRITTEN)
    assert await keys(store, "youth") == {"P1"}
    assert await keys(store, "ｙｏｕ") == {"P1"}
    assert await keys(store, "王𠮷明") == {"P2"}
    assert await keys(store, "𠮷") == {"P2"}
    assert len(await keys(store, "ab")) == 100  # a full page: every one of them matches
    assert len(await keys(store, "a")) == 100  # one letter: a prefix too
    assert await keys(store, "ab149 team") == {"L149"}


async def test_migrate_gives_terms_to_names_written_before_them_or_by_another_scheme(
    store: Store,
) -> None:
    await tree(store)
    rows = [{"id": f"P{n}", "props": {"name": f"李{n}华"}, "birth_date": None} for n in range(3)]
    await store.write(person.UPSERT, {"rows": rows}, provenance=WRITTEN)
    await store.write(
        STALE, {"rows": [{"key": "P0", "terms": None}, {"key": "P1", "terms": "v0 x"}]}
    )
    assert await keys(store, "李") == {"P2"}
    await migrate(store)
    assert await keys(store, "李") == {"P0", "P1", "P2"}


def test_the_terms_and_the_query_agree_on_both_engines() -> None:
    name = "共青团荔湾区Youth委员会"
    indexed = set(terms(name).split())
    assert terms(name).split()[0] == VERSION
    for backend in ("falkordb", "neo4j"):
        query = index_query(backend, words("荔湾区 you"))
        assert query is not None
        asked = query.removeprefix("@search_terms:(").removesuffix(")").replace(" AND ", " ")
        assert set(asked.split()) <= indexed
    assert NAMES[PERSON] == "name"
