"""The store interface, on every backend the session has."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graphdb import (
    EmbeddedEngine,
    GraphUnavailable,
    Provenance,
    QueryFailed,
    Scope,
    Statement,
    Store,
    Transaction,
    UnboundedRead,
    connect,
    parse_graph_url,
)
from graphdb import statement as cypher
from graphdb.domain import organization
from graphdb.falkordb_backend import Endpoint

PROVENANCE = Provenance("test-source", 1_767_225_600_000)
EVERYTHING = Scope.everything()


def tree_rows() -> list[dict[str, object]]:
    def row(id_: str, parent: str | None, level: int) -> dict[str, object]:
        return {
            "id": id_,
            "parent_id": parent,
            "founded_on": "2001-05-04",
            "props": {
                "name": f"org {id_}",
                "level": level,
                "kind": "committee",
                "field": "government",
                "region_code": "440100",
            },
        }

    return [row("R", None, 1), row("C1", "R", 2), row("C2", "R", 2), row("B1", "C1", 3)]


async def load_tree(store: Store) -> None:
    rows = tree_rows()
    await store.write(organization.UPSERT_ROOT, {"rows": rows[:1]}, provenance=PROVENANCE)
    await store.write(organization.UPSERT, {"rows": rows[1:3]}, provenance=PROVENANCE)
    await store.write(organization.UPSERT, {"rows": rows[3:]}, provenance=PROVENANCE)


async def test_write_then_read_returns_plain_values(store: Store) -> None:
    await load_tree(store)
    rows = await store.read(organization.BY_IDS, {"ids": ["B1", "nope", "R"]}, scope=EVERYTHING)
    found = {row["node"]["id"]: row["node"] for row in rows}
    assert set(found) == {"B1", "R"}
    assert found["B1"]["lineage"] == ["R", "C1", "B1"]
    assert found["B1"]["founded_on"] == dt.date(2001, 5, 4)
    assert (found["B1"]["source"], found["B1"]["synced_at"]) == ("test-source", 1_767_225_600_000)


async def test_scope_bounds_reads_to_a_subtree(store: Store) -> None:
    await load_tree(store)
    ids = {"ids": ["R", "C1", "C2", "B1"]}
    inside = await store.read(organization.BY_IDS, ids, scope=Scope("C1"))
    assert sorted(row["node"]["id"] for row in inside) == ["B1", "C1"]
    everything = await store.read(organization.BY_IDS, ids, scope=EVERYTHING)
    assert len(everything) == 4
    both = await store.read(organization.BY_IDS, ids, scope=Scope("C2", "B1"))
    assert sorted(row["node"]["id"] for row in both) == ["B1", "C2"]


async def test_the_store_refuses_a_read_without_a_boundary(store: Store) -> None:
    await load_tree(store)
    undeclared = Statement("test.undeclared", "MATCH (o:Organization) RETURN o.id AS id", "read")
    with pytest.raises(UnboundedRead, match="declares no bound"):
        await store.read(undeclared)
    with pytest.raises(UnboundedRead, match=r"pass scope=Scope\(root, ...\)"):
        await store.read(organization.BY_IDS, {"ids": ["R"]})
    with pytest.raises(UnboundedRead, match="declares no bound"):
        await store.transaction(lambda tx: tx.read(undeclared))
    public = await store.read(organization.COUNT_BY_LEVEL)
    assert sum(row["organizations"] for row in public) == 4
    with pytest.raises(UnboundedRead, match=r"only for Scope.everything\(\)"):
        await store.read(organization.COUNT, scope=Scope("C1"))
    with pytest.raises(UnboundedRead, match=r"only for Scope.everything\(\)"):
        await store.read(organization.COUNT)
    assert await store.read(organization.COUNT, scope=EVERYTHING) == [{"total": 4}]


async def test_upserts_are_idempotent(store: Store) -> None:
    await load_tree(store)
    await load_tree(store)
    counts = await store.read(organization.COUNT_BY_LEVEL)
    assert counts == [
        {"level": 1, "organizations": 1},
        {"level": 2, "organizations": 2},
        {"level": 3, "organizations": 1},
    ]
    children = await store.read(organization.CHILDREN_OF, {"ids": ["R"]}, scope=EVERYTHING)
    assert [child["id"] for child in children[0]["children"]] == ["C1", "C2"]


async def test_write_batches_sends_every_row_in_batches(store: Store) -> None:
    await load_tree(store)
    rows = [
        {
            "id": f"X{n:03d}",
            "parent_id": "C2",
            "founded_on": "2020-01-01",
            "props": {"name": f"branch {n}", "level": 3},
        }
        for n in range(250)
    ]
    batches: list[int] = []
    with store.round_trips.measure() as calls:
        sent = await store.write_batches(
            organization.UPSERT,
            rows,
            batch_size=100,
            provenance=PROVENANCE,
            on_batch=batches.append,
        )
    assert (sent, batches, calls.calls) == (250, [100, 100, 50], 3)
    counts = {
        row["level"]: row["organizations"] for row in await store.read(organization.COUNT_BY_LEVEL)
    }
    assert counts[3] == 251


async def test_round_trips_are_counted_per_measure_block(store: Store) -> None:
    before = store.round_trips.total
    with store.round_trips.measure() as outer:
        await store.read(organization.COUNT_BY_LEVEL)
        with store.round_trips.measure() as inner:
            await store.read(organization.COUNT_BY_LEVEL)
            await store.read(organization.COUNT_BY_LEVEL)
    assert (outer.calls, inner.calls) == (1, 2)
    assert store.round_trips.total - before == 3


async def test_transaction_runs_a_unit_of_statements(store: Store) -> None:
    rows = tree_rows()

    async def work(tx: Transaction) -> int:
        await tx.write(organization.UPSERT_ROOT, {"rows": rows[:1]}, provenance=Provenance("tx", 5))
        found = await tx.read(organization.BY_IDS, {"ids": ["R"]}, scope=EVERYTHING)
        return len(found)

    assert await store.transaction(work) == 1
    stored = await store.read(organization.BY_IDS, {"ids": ["R"]}, scope=EVERYTHING)
    assert stored[0]["node"]["source"] == "tx"


async def test_a_failing_statement_leaves_nothing_and_names_itself(store: Store) -> None:
    broken = cypher.write(
        "test.half_then_fail",
        "UNWIND $rows AS r CREATE (o:Organization {id: r.id}) RETURN 1 / r.zero AS boom",
    )
    with pytest.raises(QueryFailed) as raised:
        await store.write(
            broken, {"rows": [{"id": "secret-440103", "zero": 1}, {"id": "secret-2", "zero": 0}]}
        )
    assert "test.half_then_fail" in str(raised.value)
    assert "secret" not in str(raised.value)
    assert await store.read(organization.COUNT_BY_LEVEL) == []


async def test_unique_keys_are_enforced(store: Store) -> None:
    duplicate = cypher.write(
        "test.duplicate_org", "CREATE (:Organization {id: $id}) CREATE (:Organization {id: $id})"
    )
    with pytest.raises(QueryFailed):
        await store.write(duplicate, {"id": "same"})
    assert await store.read(organization.COUNT_BY_LEVEL) == []


async def test_parameters_are_checked_before_sending(store: Store) -> None:
    with pytest.raises(ValueError, match="needs parameters"):
        await store.read(organization.BY_IDS, {}, scope=EVERYTHING)
    with pytest.raises(ValueError, match="bound by the store"):
        await store.read(organization.BY_IDS, {"ids": [], "scope": "R"}, scope=EVERYTHING)
    with pytest.raises(ValueError, match="provenance"):
        await store.write(organization.UPSERT_ROOT, {"rows": []})
    with pytest.raises(ValueError, match="is a read statement"):
        await store.write(organization.COUNT_BY_LEVEL)


async def test_unreachable_engine_is_reported_clearly(engine: Endpoint) -> None:
    with pytest.raises(GraphUnavailable, match=r"falkordb://127\.0\.0\.1:1 does not answer"):
        connect(parse_graph_url("falkordb://127.0.0.1:1"), graph="x")


async def test_engine_gone_after_connecting_is_reported_clearly(tmp_path: Path) -> None:
    with EmbeddedEngine(tmp_path) as endpoint:
        store = connect(parse_graph_url("embedded"), graph="x", embedded=endpoint)
    with pytest.raises(GraphUnavailable, match="does not answer"):
        await store.read(organization.COUNT_BY_LEVEL)
    with pytest.raises(GraphUnavailable, match="does not answer"):
        await store.ping()
    await store.close()
