from connectors.synthetic import SyntheticProvince
from graphdb import Scope, Store
from graphdb.domain import member

EVERYTHING = Scope.everything()


async def test_a_members_chain_runs_from_the_branch_to_the_top_of_the_scope(
    seeded: Store, province: SyntheticProvince
) -> None:
    tree = province.tree
    row = next(province.members())
    index = next(i for i, org in enumerate(tree.orgs) if org.id == row["branch_id"])
    expected = []
    while index >= 0:
        expected.append(tree.orgs[index].id)
        index = tree.orgs[index].parent
    found = await seeded.read(member.CHAIN_TO_ROOT, {"id": row["id"]}, scope=EVERYTHING)
    assert [r["node"]["id"] for r in found] == expected
    assert [r["node"]["level"] for r in found] == [5, 4, 3, 2, 1]
    city = expected[-2]
    within_city = await seeded.read(member.CHAIN_TO_ROOT, {"id": row["id"]}, scope=Scope(city))
    assert [r["node"]["id"] for r in within_city] == expected[:-1]
    other_city = "ORG0000003" if city != "ORG0000003" else "ORG0000002"
    outside = await seeded.read(member.CHAIN_TO_ROOT, {"id": row["id"]}, scope=Scope(other_city))
    assert outside == []


async def test_members_by_ids_returns_masked_fields_only(
    seeded: Store, province: SyntheticProvince
) -> None:
    first, second = list(zip(range(2), province.members(), strict=False))
    rows = await seeded.read(
        member.BY_IDS,
        {"ids": [first[1]["id"], "P99999999", second[1]["id"]]},
        scope=EVERYTHING,
    )
    members = {row["node"]["id"]: row["node"] for row in rows}
    assert set(members) == {first[1]["id"], second[1]["id"]}
    assert not any(key.endswith("_hash") for m in members.values() for key in m)
    assert members[first[1]["id"]]["branch_id"] == first[1]["branch_id"]
