from connectors.synthetic import SyntheticProvince
from graphdb import Scope, Store
from graphdb.domain import post

EVERYTHING = Scope.everything()


async def test_posts_of_organizations_name_their_holders(
    seeded: Store, province: SyntheticProvince
) -> None:
    plan = [p for p in province.posts() if p["organization_id"] == "ORG0000001"]
    holders = {a["post_id"]: a["person_id"] for a in province.appointments()}
    rows = await seeded.read(post.OF_ORGANIZATIONS, {"ids": ["ORG0000001"]}, scope=EVERYTHING)
    found = {p["id"]: p for p in rows[0]["posts"]}
    assert set(found) == {p["id"] for p in plan}
    assert {k: v["holder_id"] for k, v in found.items()} == {
        p["id"]: holders.get(p["id"]) for p in plan
    }
    one = await seeded.read(post.BY_IDS, {"ids": [plan[0]["id"]]}, scope=EVERYTHING)
    assert one[0]["node"]["organization_id"] == "ORG0000001"
