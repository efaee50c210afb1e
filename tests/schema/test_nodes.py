"""Relay nodes of every type, global ids, federation entities, error codes and the SDL."""

from __future__ import annotations

from pathlib import Path

import pytest
from strawberry.relay import to_base64

from connectors.synthetic import SyntheticProvince
from graphdb import EmbeddedEngine, Store, connect, parse_graph_url
from schema import schema
from tests.fixtures.asking import ask_result

ROOT = Path(__file__).parents[2]


def examples(province: SyntheticProvince) -> dict[str, str]:
    """A key of each type in the seeded province."""
    return {
        "Organization": "ORG0000002",
        "CadrePost": next(province.posts())["id"],
        "Person": next(province.people())["id"],
        "Member": next(province.members())["id"],
        "Enterprise": next(province.enterprises())["uscc"],
        "FederationOrg": next(province.federation_orgs())["id"],
        "Activity": "ACT0000001",
        "Registration": "REG00000001",
        "ServiceRecord": "SVC00000001",
        "Transfer": "TRF00000001",
        "DuesPayment": "DUE00000001",
    }


async def test_every_type_is_a_node_loaded_in_one_round_trip_per_type(
    seeded: Store, province: SyntheticProvince
) -> None:
    keys = examples(province)
    ids = [to_base64(type_name, key) for type_name, key in keys.items()] * 2
    query = """
    query ($ids: [ID!]!) {
      nodes(ids: $ids) { __typename id ... on SourceRecord { key } }
    }
    """
    result, calls = await ask_result(seeded, query, ids=ids)
    assert result.errors is None, result.errors
    found = [(node["__typename"], node["key"], node["id"]) for node in result.data["nodes"]]
    assert found == [(t, k, to_base64(t, k)) for t, k in keys.items()] * 2
    assert calls == len(keys)


async def test_node_fields_come_from_the_graph(seeded: Store, province: SyntheticProvince) -> None:
    transfer = next(province.transfers())
    dues = next(province.dues_payments())
    query = """
    query ($t: ID!, $d: ID!) {
      t: node(id: $t) {
        ... on Transfer { status requestedAt member { key } from { code } to { code } }
      }
      d: node(id: $d) { ... on DuesPayment { month amountFen member { key } } }
    }
    """
    result, _ = await ask_result(
        seeded,
        query,
        t=to_base64("Transfer", transfer["id"]),
        d=to_base64("DuesPayment", dues["id"]),
    )
    assert result.errors is None, result.errors
    got = result.data
    assert got["t"]["status"] == transfer["props"]["status"]
    assert (got["t"]["from"]["code"], got["t"]["to"]["code"]) == (
        transfer["from_id"],
        transfer["to_id"],
    )
    assert got["t"]["member"]["key"] == transfer["member_id"]
    assert got["t"]["requestedAt"].startswith("20")
    assert (got["d"]["month"], got["d"]["amountFen"], got["d"]["member"]["key"]) == (
        dues["props"]["month"],
        dues["props"]["amount_fen"],
        dues["member_id"],
    )


async def test_lookups_by_key_and_by_global_id_agree(
    seeded: Store, province: SyntheticProvince
) -> None:
    enterprise = next(province.enterprises())
    query = """
    query ($id: ID!, $uscc: String!) {
      byCode: organization(code: "ORG0000002") { id name }
      byId: organization(id: $id) { id name }
      enterprise(uscc: $uscc) { uscc name area { level } }
      activity(key: "ACT0000001") { title host { code } }
    }
    """
    result, _ = await ask_result(
        seeded, query, id=to_base64("Organization", "ORG0000002"), uscc=enterprise["uscc"].lower()
    )
    assert result.errors is None, result.errors
    assert result.data["byCode"] == result.data["byId"]
    assert result.data["enterprise"]["name"] == enterprise["props"]["name"]
    assert result.data["enterprise"]["area"]["level"] == 4
    assert result.data["activity"]["host"]["code"].startswith("ORG")


async def test_bad_ids_get_a_code_not_a_crash(seeded: Store) -> None:
    query = """
    query ($id: ID!) { node(id: $id) { id } }
    """
    for bad in ("not-base64!", to_base64("Organization", "x")[:-2] + "@@"):
        result, _ = await ask_result(seeded, query, id=bad)
        assert result.errors[0].extensions["code"] == "BAD_GLOBAL_ID"
    wrong_type = to_base64("Member", "P00000001")
    result, _ = await ask_result(
        seeded, "query ($id: ID!) { organization(id: $id) { name } }", id=wrong_type
    )
    assert result.errors[0].extensions["code"] == "BAD_GLOBAL_ID"
    assert "not of a Organization" in result.errors[0].message
    result, _ = await ask_result(seeded, '{ organization(id: "x", code: "y") { name } }')
    assert result.errors[0].extensions["code"] == "BAD_REQUEST"
    result, _ = await ask_result(seeded, "{ organization { nosuchfield } }")
    assert result.errors[0].extensions["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_unexpected_failures_are_masked_with_a_correlation_id(tmp_path: Path) -> None:
    """A statement the engine rejects (here: the graph's key holds a string) is masked."""
    with EmbeddedEngine(tmp_path) as endpoint:
        endpoint.client().set("not_a_graph", "a plain Redis string")
        store = connect(parse_graph_url("embedded"), graph="not_a_graph", embedded=endpoint)
        result, _ = await ask_result(store, '{ organization(code: "ORG0000001") { name } }')
        await store.close()
    (error,) = result.errors
    assert error.extensions["code"] == "INTERNAL_SERVER_ERROR"
    assert error.extensions["correlationId"] in error.message
    assert "WRONGTYPE" not in error.message
    assert "organization.by_ids" not in error.message
    assert "sock" not in error.message


async def test_federation_entities_batch_per_type(
    seeded: Store, province: SyntheticProvince
) -> None:
    members = [row["id"] for _, row in zip(range(20), province.members(), strict=False)]
    representations: list[dict[str, str]] = [
        {"__typename": "Member", "id": to_base64("Member", key)} for key in members
    ]
    representations += [
        {"__typename": "Organization", "id": to_base64("Organization", f"ORG000000{n}")}
        for n in range(1, 6)
    ]
    uscc = next(province.enterprises())["uscc"]
    representations.append({"__typename": "Enterprise", "uscc": uscc})
    query = """
    query ($r: [_Any!]!) {
      _entities(representations: $r) {
        ... on Member { key } ... on Organization { code } ... on Enterprise { uscc }
      }
    }
    """
    result, calls = await ask_result(seeded, query, r=representations)
    assert result.errors is None, result.errors
    entities = result.data["_entities"]
    assert [e["key"] for e in entities[:20]] == members
    assert [e["code"] for e in entities[20:25]] == [f"ORG000000{n}" for n in range(1, 6)]
    assert entities[25] == {"uscc": uscc}
    assert calls == 3


async def test_the_subgraph_sdl_declares_the_keys(seeded: Store) -> None:
    result, _ = await ask_result(seeded, "{ _service { sdl } }")
    sdl = result.data["_service"]["sdl"]
    for declaration in (
        'type Organization implements SourceRecord & Node @key(fields: "id")',
        'type Member implements SourceRecord & Node @key(fields: "id")',
        'type Enterprise implements SourceRecord & Node @key(fields: "uscc")',
        'type Activity implements SourceRecord & Node @key(fields: "id")',
    ):
        assert declaration in sdl
    assert "federation/v2" in sdl


def test_the_committed_schema_matches_the_code() -> None:
    committed = (ROOT / "schema.graphql").read_text()
    assert committed == schema.as_str() + "\n", (
        "schema.graphql is stale: run .venv/bin/python -m schema > schema.graphql"
    )


@pytest.mark.parametrize(
    "field",
    [
        "member(id: $id) { key }",
        "node(id: $id) { id }",
        "nodes(ids: [$id]) { id }",
        "trace(memberId: $id) { member { key } }",
    ],
)
async def test_a_control_character_inside_a_global_id_is_refused(seeded: Store, field: str) -> None:
    """Base64 hides it from the argument check: the id's decoding refuses it instead."""
    result, calls = await ask_result(
        seeded, f"query ($id: ID!) {{ {field} }}", id=to_base64("Member", "P0\u00001")
    )
    assert [e.extensions["code"] for e in result.errors] == ["BAD_GLOBAL_ID"]
    assert calls == 0
