from connectors.synthetic import SyntheticProvince
from graphdb import Scope, Store
from graphdb.domain import person


async def test_a_members_chain_runs_from_the_branch_to_the_root(
    seeded: Store, province: SyntheticProvince
) -> None:
    tree = province.tree
    member = next(province.members())
    index = next(i for i, org in enumerate(tree.orgs) if org.id == member["branch_id"])
    expected = []
    while index >= 0:
        expected.append(tree.orgs[index].id)
        index = tree.orgs[index].parent
    rows = await seeded.read(person.CHAIN_TO_ROOT, {"id": member["id"]})
    assert [row["node"]["id"] for row in rows] == expected
    assert [row["node"]["level"] for row in rows] == [5, 4, 3, 2, 1]
    outside = await seeded.read(
        person.CHAIN_TO_ROOT, {"id": member["id"]}, scope=Scope("ORG0000003")
    )
    assert outside == []


async def test_members_by_ids_returns_masked_fields_only(
    seeded: Store, province: SyntheticProvince
) -> None:
    first, second = list(zip(range(2), province.members(), strict=False))
    rows = await seeded.read(
        person.MEMBERS_BY_IDS, {"ids": [first[1]["id"], "P99999999", second[1]["id"]]}
    )
    members = {row["node"]["id"]: row["node"] for row in rows}
    assert set(members) == {first[1]["id"], second[1]["id"]}
    assert not any(key.endswith("_hash") for m in members.values() for key in m)
    assert members[first[1]["id"]]["branch_id"] == first[1]["branch_id"]
