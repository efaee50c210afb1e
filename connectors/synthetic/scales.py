"""Sizes of the synthetic province, all derived from one real province's figures.

``province`` is Guangdong in November 2018 (254,620 organisations of which
237,998 branches, 4,578,844 members, 352,251 cadre posts, 1,306,449 transfers,
7,205,800 dues payments) with the hub's other sources at the sizes a province
sees (200,000 enterprises, 60,000 activities, 2,000,000 registrations,
5,000,000 volunteer service records). Smaller scales keep the proportions.
Every count here is exact: ``hub seed`` writes precisely these numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import sqrt

PROVINCE = {
    "organizations": 254_620,
    "branches": 237_998,
    "members": 4_578_844,
    "posts": 352_251,
    "enterprises": 200_000,
    "activities": 60_000,
    "registrations": 2_000_000,
    "service_records": 5_000_000,
    "transfers": 1_306_449,
    "dues_payments": 7_205_800,
}
CITIES_IN_PROVINCE = 21
COUNTIES_IN_PROVINCE = 122

HOLLOW_BRANCH_SHARE = 0.03  # branches with no member (空心团支部)
BRANCH_WITHOUT_CADRE_SHARE = 0.05  # branches with no post (无团干团支部)
VACANT_POST_SHARE = 0.04
ADULT_CADRE_SHARE = 0.35  # filled posts held by people past membership age
NON_MEMBER_YOUTH_SHARE = 0.12  # volunteers and participants who are not members
FEDERATION_SHARE = 0.15  # enterprises with a union or women's federation
CO_HOSTED_SHARE = 310 / 2030  # Hangzhou: 310 of 2,030 activities co-hosted


@dataclass(frozen=True)
class Scale:
    name: str
    factor: float
    organizations: int
    branches: int
    members: int
    posts: int
    enterprises: int
    activities: int
    registrations: int
    service_records: int
    transfers: int
    dues_payments: int

    @property
    def committees(self) -> int:
        return self.organizations - self.branches

    @property
    def cities(self) -> int:
        return min(CITIES_IN_PROVINCE, max(2, round(CITIES_IN_PROVINCE * sqrt(self.factor))))

    @property
    def counties(self) -> int:
        wanted = round(COUNTIES_IN_PROVINCE * sqrt(self.factor))
        return min(COUNTIES_IN_PROVINCE, max(self.cities, wanted))

    @property
    def grassroots_committees(self) -> int:
        """Level-4 committees: township, street, school, enterprise and other grassroots."""
        return self.committees - 1 - self.cities - self.counties

    @property
    def hollow_branches(self) -> int:
        return round(self.branches * HOLLOW_BRANCH_SHARE)

    @property
    def branches_without_post(self) -> int:
        return round(self.branches * BRANCH_WITHOUT_CADRE_SHARE)

    @property
    def vacant_posts(self) -> int:
        return round(self.posts * VACANT_POST_SHARE)

    @property
    def adult_cadres(self) -> int:
        return round((self.posts - self.vacant_posts) * ADULT_CADRE_SHARE)

    @property
    def member_cadres(self) -> int:
        return self.posts - self.vacant_posts - self.adult_cadres

    @property
    def non_member_youths(self) -> int:
        return round(self.members * NON_MEMBER_YOUTH_SHARE)

    @property
    def people(self) -> int:
        return self.members + self.non_member_youths + self.adult_cadres

    @property
    def federation_orgs(self) -> int:
        return round(self.enterprises * FEDERATION_SHARE)

    @property
    def co_hosted_activities(self) -> int:
        return round(self.activities * CO_HOSTED_SHARE) if self.federation_orgs else 0


def _scaled(name: str, factor: float) -> Scale:
    counts = {key: max(1, round(value * factor)) for key, value in PROVINCE.items()}
    return Scale(name=name, factor=factor, **counts)


SCALES: dict[str, Scale] = {
    scale.name: scale
    for scale in (
        _scaled("tiny", 0.001),
        _scaled("small", 0.01),
        _scaled("medium", 1_000_000 / PROVINCE["members"]),
        _scaled("province", 1.0),
    )
}
