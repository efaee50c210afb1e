"""Full ID numbers and phones: behind ``pii:read`` and a declared purpose, every read audited.

The values answered are compared with the generator's own rows; the audit
entries with record hashes computed here, independently of the hub's code.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import uuid
from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest
from strawberry.relay import to_base64

from connectors import IdentityHasher
from connectors.synthetic import SyntheticProvince
from graphdb import Endpoint, Scope, Store
from graphdb.falkordb_backend.store import FalkorStore
from graphdb.security.audit import PiiKeys
from schema.caller import AUDIT_READ, MEMBER_READ, PII_READ, Caller
from tests.fixtures.asking import ask, ask_result
from tests.fixtures.province_graph import ProvinceGraph
from tests.fixtures.secrets import TEST_PII_KEY

MEMBERS = """query ($ids: [ID!]!) {
  nodes(ids: $ids) { ... on Member { key idNumber phone idNumberMasked phoneMasked } }
}"""
TRAIL = """query ($purpose: String!) {
  auditTrail(where: {purpose: $purpose}, first: 10) {
    edges { node { callerKind subject clientId tokenId purpose fields records } }
    pageInfo { hasNextPage }
  }
}"""


def reader(purpose: str | None, scope: Scope | None = None) -> Caller:
    return Caller(
        "client",
        scope or Scope.everything(),
        frozenset({MEMBER_READ, PII_READ}),
        subject="agency-1",
        client_id="market-regulator",
        purpose=purpose,
        token_id="jti-1",
    )


def auditor(scope: Scope) -> Caller:
    return Caller("account", scope, frozenset({AUDIT_READ}), subject="auditor", person_id="x")


def record_hash(key: str) -> str:
    return hmac.new(TEST_PII_KEY.encode(), f"record:{key}".encode(), hashlib.sha256).hexdigest()


def member_ids(keys: list[str]) -> list[str]:
    return [to_base64("Member", key) for key in keys]


@pytest.fixture(scope="module")
def raw(province: SyntheticProvince) -> dict[str, tuple[str, str]]:
    """The raw ID number and phone of the first members, opened from the generator's rows."""
    opener = PiiKeys(TEST_PII_KEY).sealer
    found = {}
    for row, _ in zip(province.members(), range(40), strict=False):
        props = row["props"]
        found[row["id"]] = (
            opener.open(props["id_number_sealed"]),
            opener.open(props["phone_sealed"]),
        )
    return found


def codes(result: Any) -> list[str]:
    return [str(e.extensions["code"]) for e in result.errors or ()]


async def test_without_pii_read_the_full_fields_are_refused_before_anything_runs(
    seeded: Store, pii_keys: PiiKeys
) -> None:
    caller = Caller("client", Scope.everything(), frozenset({MEMBER_READ}), purpose="review")
    result, calls = await ask_result(
        seeded, MEMBERS, caller=caller, pii=pii_keys, ids=member_ids(["P00000001"])
    )
    assert (codes(result), calls) == (["FORBIDDEN", "FORBIDDEN"], 0)
    assert "needs the scope pii:read" in result.errors[0].message


async def test_without_a_purpose_the_answer_says_to_send_x_purpose(
    seeded: Store, pii_keys: PiiKeys
) -> None:
    for purpose in (None, "  ", "x" * 101):
        result, _ = await ask_result(
            seeded, MEMBERS, caller=reader(purpose), pii=pii_keys, ids=member_ids(["P00000001"])
        )
        assert set(codes(result)) == {"PURPOSE_REQUIRED"}
        assert "X-Purpose" in result.errors[0].message
        assert result.data["nodes"][0]["idNumber"] is None
        assert result.data["nodes"][0]["idNumberMasked"]  # the masked fields stay


async def test_with_both_the_raw_values_come_and_one_audit_entry_records_the_request(
    seeded: Store,
    pii_keys: PiiKeys,
    raw: dict[str, tuple[str, str]],
    hasher: IdentityHasher,
) -> None:
    purpose = f"transfer review {uuid.uuid4().hex[:8]}"
    keys = sorted(raw)[:3]
    data, _ = await ask(seeded, MEMBERS, caller=reader(purpose), pii=pii_keys, ids=member_ids(keys))
    for key, answer in zip(keys, data["nodes"], strict=True):
        id_number, phone = raw[key]
        assert (answer["idNumber"], answer["phone"]) == (id_number, phone)
        assert hasher.protect_id_number(id_number).masked == answer["idNumberMasked"]
        assert hasher.phone(phone).masked == answer["phoneMasked"]
    trail, _ = await ask(seeded, TRAIL, caller=auditor(Scope.everything()), purpose=purpose)
    (entry,) = [edge["node"] for edge in trail["auditTrail"]["edges"]]
    assert entry == {
        "callerKind": "client",
        "subject": "agency-1",
        "clientId": "market-regulator",
        "tokenId": "jti-1",
        "purpose": purpose,
        "fields": ["Member.idNumber", "Member.phone"],
        "records": sorted(record_hash(key) for key in keys),
    }
    assert not any(key in orjson.dumps(trail).decode() for key in keys)


async def test_the_trail_is_bounded_by_the_auditor_s_subtree(
    seeded: Store,
    pii_keys: PiiKeys,
    raw: dict[str, tuple[str, str]],
    province_graph: ProvinceGraph,
) -> None:
    key = sorted(raw)[0]
    city = province_graph.lineage[province_graph.branch_of[key]][1]
    other = next(
        org
        for org, chain in sorted(province_graph.lineage.items())
        if len(chain) == 2 and org != city
    )
    purpose = f"bounded trail {uuid.uuid4().hex[:8]}"
    await ask(seeded, MEMBERS, caller=reader(purpose), pii=pii_keys, ids=member_ids([key]))
    mine, _ = await ask(seeded, TRAIL, caller=auditor(Scope(city)), purpose=purpose)
    theirs, _ = await ask(seeded, TRAIL, caller=auditor(Scope(other)), purpose=purpose)
    assert [e["node"]["records"] for e in mine["auditTrail"]["edges"]] == [[record_hash(key)]]
    assert theirs["auditTrail"]["edges"] == []


async def test_the_trail_pages_newest_first(seeded: Store, pii_keys: PiiKeys) -> None:
    purpose = f"paging {uuid.uuid4().hex[:8]}"
    keys = ["P00000001", "P00000002", "P00000003"]
    for key in keys:
        await ask(seeded, MEMBERS, caller=reader(purpose), pii=pii_keys, ids=member_ids([key]))
    query = """query ($purpose: String!, $after: String) {
      auditTrail(where: {purpose: $purpose}, first: 2, after: $after) {
        edges { node { records at } } pageInfo { hasNextPage endCursor } } }"""
    caller = auditor(Scope.everything())
    first, _ = await ask(seeded, query, caller=caller, purpose=purpose, after=None)
    after = first["auditTrail"]["pageInfo"]["endCursor"]
    second, _ = await ask(seeded, query, caller=caller, purpose=purpose, after=after)
    assert first["auditTrail"]["pageInfo"]["hasNextPage"] is True
    assert second["auditTrail"]["pageInfo"]["hasNextPage"] is False
    pages = [e["node"] for e in first["auditTrail"]["edges"] + second["auditTrail"]["edges"]]
    assert sorted(entry["records"][0] for entry in pages) == sorted(map(record_hash, keys))
    instants = [entry["at"] for entry in pages]
    assert instants == sorted(instants, reverse=True)
    bad, _ = await ask_result(seeded, query, caller=caller, purpose=purpose, after="nope")
    assert codes(bad) == ["BAD_CURSOR"]


async def test_without_the_pii_key_full_values_are_never_answered(seeded: Store) -> None:
    result, _ = await ask_result(
        seeded, MEMBERS, caller=reader("review"), pii=None, ids=member_ids(["P00000001"])
    )
    assert set(codes(result)) == {"PII_UNAVAILABLE"}


@pytest.fixture
async def read_only(engine: Endpoint, seeded: Store, backend: str) -> AsyncIterator[Store]:
    """A store on the seeded graph through an engine account that may read but not write."""
    if backend != "falkordb":
        pytest.skip("a read-only account is made with FalkorDB's ACL")
    admin = engine.client()
    name, password = f"reader_{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    admin.acl_setuser(
        name,
        enabled=True,
        passwords=[f"+{password}"],
        keys=["*"],
        commands=["+@all", "-graph.query", "-graph.delete"],
    )
    assert isinstance(seeded, FalkorStore)
    store = FalkorStore(
        seeded.graph_name,
        unix_socket=engine.unix_socket,
        host=engine.host,
        port=engine.port,
        username=name,
        password=password,
    )
    try:
        yield store
    finally:
        await store.close()
        admin.acl_deluser(name)
        admin.close()


async def test_when_the_audit_entry_cannot_be_written_no_full_value_leaves(
    read_only: Store,
    pii_keys: PiiKeys,
    raw: dict[str, tuple[str, str]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    key = sorted(raw)[0]
    caplog.set_level(logging.DEBUG)
    result, _ = await ask_result(
        read_only, MEMBERS, caller=reader("review"), pii=pii_keys, ids=member_ids([key])
    )
    assert result.data is None
    assert codes(result) == ["AUDIT_UNAVAILABLE"]
    answer = orjson.dumps({"errors": [e.formatted for e in result.errors]}).decode()
    for value in raw[key]:
        assert value not in answer
        assert value not in caplog.text
    # The same store still answers what needs no audit trail.
    masked, _ = await ask(
        read_only,
        "query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Member { idNumberMasked } } }",
        caller=reader("review"),
        ids=member_ids([key]),
    )
    assert masked["nodes"][0]["idNumberMasked"]
