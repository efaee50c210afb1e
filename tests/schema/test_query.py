"""The first GraphQL schema on the seeded province, with its round trips counted."""

from __future__ import annotations

from connectors.synthetic import SyntheticProvince
from graphdb import Scope, Store
from schema import schema
from schema.caller import PII_READ
from schema.grants import field_needs
from tests.fixtures.asking import ask

MEMBER = """
query ($key: String!) {
  member(key: $key) {
    key name idNumberMasked phoneMasked status
    branch { code name level parentChain { code level } }
  }
}
"""


async def test_member_with_branch_and_chain_to_the_root(
    seeded: Store, province: SyntheticProvince
) -> None:
    row = next(province.members())
    data, calls = await ask(seeded, MEMBER, key=row["id"])
    member = data["member"]
    assert member["name"] == row["props"]["name"]
    assert member["idNumberMasked"] == row["props"]["id_number_masked"]
    assert member["phoneMasked"] == row["props"]["phone_masked"]
    assert member["key"] == row["id"]
    assert member["branch"]["code"] == row["branch_id"]
    assert member["branch"]["level"] == 5
    assert [org["level"] for org in member["branch"]["parentChain"]] == [4, 3, 2, 1]
    assert member["branch"]["parentChain"][-1]["code"] == "ORG0000001"
    assert calls == 3  # the member, the branch, the chain


async def test_organization_with_parent_and_children(
    seeded: Store, province: SyntheticProvince
) -> None:
    query = """
    query ($code: String!) {
      organization(code: $code) {
        code name level parent { code } children { code level parent { code } }
      }
    }
    """
    data, calls = await ask(seeded, query, code="ORG0000002")
    city = data["organization"]
    tree = province.tree
    expected = sorted(
        org.id for org in tree.orgs if org.parent >= 0 and tree.orgs[org.parent].id == "ORG0000002"
    )
    assert city["level"] == 2
    assert city["parent"] == {"code": "ORG0000001"}
    assert [child["code"] for child in city["children"]] == expected
    assert {child["parent"]["code"] for child in city["children"]} == {"ORG0000002"}
    assert calls == 3  # the city, its children, and every child's parent in one batch


async def test_many_members_cost_one_round_trip_per_level(
    seeded: Store, province: SyntheticProvince
) -> None:
    ids = [row["id"] for _, row in zip(range(40), province.members(), strict=False)]
    fields = " ".join(
        f'm{n}: member(key: "{id_}") {{ branch {{ parent {{ name }} }} }}'
        for n, id_ in enumerate(ids)
    )
    data, calls = await ask(seeded, f"{{ {fields} }}")
    assert all(data[f"m{n}"]["branch"]["parent"]["name"] for n in range(len(ids)))
    assert calls == 3


async def test_unknown_ids_are_null(seeded: Store) -> None:
    data, _ = await ask(
        seeded, '{ member(key: "P99999999") { id } organization(code: "x") { id } }'
    )
    assert data == {"member": None, "organization": None}


async def test_a_scope_hides_what_lies_outside_the_subtree(
    seeded: Store, province: SyntheticProvince
) -> None:
    row = next(province.members())
    data, _ = await ask(seeded, MEMBER, scope=Scope("ORG0000003"), key=row["id"])
    assert data["member"] is None  # the first member's branch is under the other city
    data, _ = await ask(seeded, MEMBER, scope=Scope("ORG0000002"), key=row["id"])
    assert [org["level"] for org in data["member"]["branch"]["parentChain"]] == [4, 3, 2]


def test_raw_personal_fields_exist_only_behind_pii_read() -> None:
    sdl = schema.as_str()
    assert "idNumberMasked" in sdl
    assert "phoneMasked" in sdl
    for hashed in ("idNumberHash", "phoneHash"):
        assert hashed not in sdl
    full = {
        (name, field)
        for name, kind in schema._schema.type_map.items()
        for field in getattr(kind, "fields", {})
        if field in ("idNumber", "phone")
    }
    assert full == {("Member", "idNumber"), ("Member", "phone")} | {
        ("Person", "idNumber"),
        ("Person", "phone"),
    }
    assert all(PII_READ in field_needs(name, field) for name, field in full)
