"""The organisation tree of a synthetic province: province, cities, counties, grassroots, branches.

Cities and counties are real Guangdong regions (``regions.py``); grassroots
committees are spread over the counties and given a field (领域) by the real
shares; branches hang under grassroots committees. Ids are ``ORG`` and a
seven-digit number in the order organisations are made, parents first.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from connectors.synthetic import names
from connectors.synthetic.regions import PROVINCE_NAME, Region, guangdong
from connectors.synthetic.scales import Scale

# Level-4 committee fields (领域) and their shares.
FIELDS = (
    ("community", 0.30),
    ("rural", 0.20),
    ("school", 0.25),
    ("non_public_enterprise", 0.12),
    ("state_owned_enterprise", 0.05),
    ("public_institution", 0.04),
    ("government", 0.02),
    ("social_organization", 0.01),
    ("industry", 0.01),
)
AREA_FIELDS = frozenset({"community", "rural"})
ENTERPRISE_FIELDS = frozenset({"non_public_enterprise", "state_owned_enterprise"})


@dataclass
class Org:
    id: str
    level: int
    field: str
    region: Region
    parent: int  # index, -1 for the root
    name: str


@dataclass
class Tree:
    orgs: list[Org] = field(default_factory=list)
    branches: list[int] = field(default_factory=list)
    grassroots: list[int] = field(default_factory=list)

    def add(self, level: int, org_field: str, region: Region, parent: int, name: str) -> int:
        self.orgs.append(
            Org(f"ORG{len(self.orgs) + 1:07d}", level, org_field, region, parent, name)
        )
        return len(self.orgs) - 1

    def committees(self) -> list[int]:
        return [index for index, org in enumerate(self.orgs) if org.level < 5]


def build_tree(scale: Scale, rng: random.Random) -> Tree:
    all_cities, all_counties = guangdong()
    cities = list(all_cities[: scale.cities])
    in_cities = [c for c in all_counties if c.city_code in {city.code for city in cities}]
    counties = _spread(in_cities, cities, scale.counties)
    tree = Tree()
    province = Region("440000", PROVINCE_NAME, "440000")
    tree.add(1, "government", province, -1, "共青团广东省委员会")
    city_index = {}
    for city in cities:
        city_index[city.code] = tree.add(2, "government", city, 0, f"共青团{city.name}委员会")
    county_index = [
        tree.add(
            3,
            "government",
            county,
            city_index[county.city_code],
            f"共青团{county.name}委员会",
        )
        for county in counties
    ]
    kinds, weights = zip(*FIELDS, strict=True)
    for number in range(scale.grassroots_committees):
        parent = county_index[number % len(county_index)]
        region = tree.orgs[parent].region
        org_field = rng.choices(kinds, weights)[0]
        index = tree.add(
            4, org_field, region, parent, _grassroots_name(rng, org_field, region, number)
        )
        tree.grassroots.append(index)
    for number in range(scale.branches):
        parent = (
            tree.grassroots[number]
            if number < len(tree.grassroots)
            else rng.choice(tree.grassroots)
        )
        owner = tree.orgs[parent]
        tree.branches.append(
            tree.add(5, owner.field, owner.region, parent, _branch_name(rng, owner, number))
        )
    return tree


def _spread(counties: list[Region], cities: list[Region], wanted: int) -> list[Region]:
    """``wanted`` counties, every chosen city getting at least one."""
    by_city = {city.code: [c for c in counties if c.city_code == city.code] for city in cities}
    chosen: list[Region] = []
    round_ = 0
    while len(chosen) < wanted:
        for city in cities:
            pool = by_city[city.code]
            if round_ < len(pool) and len(chosen) < wanted:
                chosen.append(pool[round_])
        round_ += 1
    return sorted(chosen, key=lambda region: region.code)


def kind(level: int) -> str:
    return "branch" if level == 5 else "committee"


def _grassroots_name(rng: random.Random, org_field: str, region: Region, number: int) -> str:
    place = names.place_name(rng)
    if org_field == "community":
        return f"共青团{region.name}{place}街道工作委员会"
    if org_field == "rural":
        return f"共青团{region.name}{place}镇委员会"
    if org_field == "school":
        return f"共青团{region.name}第{number % 40 + 1}中学委员会"
    if org_field in ENTERPRISE_FIELDS:
        return f"共青团{region.name[:-1]}{names.brand(rng)}集团委员会"
    if org_field == "industry":
        return f"共青团{region.name}快递物流行业工作委员会"
    return f"共青团{region.name}{place}{'机关' if org_field == 'government' else '事业'}委员会"


def _branch_name(rng: random.Random, owner: Org, number: int) -> str:
    base = owner.name.removeprefix("共青团").removesuffix("委员会").removesuffix("工作")
    if owner.field == "school":
        grade = rng.choice(("高一", "高二", "高三", "初三"))
        return f"{base}{grade}（{number % 12 + 1}）班团支部"
    if owner.field in ENTERPRISE_FIELDS:
        return f"{base}{rng.choice(('研发', '生产', '销售', '物流'))}部团支部"
    if owner.field == "rural":
        return f"{base}{names.place_name(rng)}村团支部"
    return f"{base}第{number % 30 + 1}团支部"
