from connectors.synthetic import SyntheticProvince
from graphdb import Provenance, Scope, Store
from graphdb.domain import member, organization, person

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


async def test_a_person_who_becomes_a_member_keeps_one_node(store: Store) -> None:
    """A volunteer (a Person from a volunteer platform) joins the league: the same node."""
    provenance = Provenance("test", 1)
    await store.write(
        organization.UPSERT_ROOT,
        {"rows": [{"id": "B1", "props": {"name": "支部", "level": 1}, "founded_on": None}]},
        provenance=provenance,
    )
    volunteer = {"id": "P1", "props": {"name": "王芳", "hours": 12}, "birth_date": "2004-05-01"}
    await store.write(person.UPSERT, {"rows": [volunteer]}, provenance=provenance)
    joined = {
        "id": "P1",
        "branch_id": "B1",
        "props": {"name": "王芳", "status": "active"},
        "birth_date": "2004-05-01",
        "joined_on": "2026-05-04",
    }
    for _ in range(2):  # and a second sync of the same member changes nothing
        await store.write(member.UPSERT, {"rows": [joined]}, provenance=provenance)
    found = await store.read(member.BY_IDS, {"ids": ["P1"]}, scope=EVERYTHING)
    assert [row["node"]["status"] for row in found] == ["active"]
    people = await store.read(person.BY_IDS, {"ids": ["P1"]}, scope=EVERYTHING)
    assert len(people) == 1
    assert people[0]["node"]["name"] == "王芳"
