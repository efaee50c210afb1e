"""Cadre posts of a synthetic province, and who holds each.

Every committee has posts, and every branch but the share without a cadre
(无团干团支部); the first post of an organisation is its secretary. A share of
posts is vacant; a share of the held ones goes to adults past membership age,
the rest to members, from the organisation's own branch where it has members.
"""

from __future__ import annotations

import datetime as dt
import random
from array import array
from collections.abc import Iterator
from typing import Any

from connectors.synthetic.identifiers import person_id
from connectors.synthetic.scales import Scale
from connectors.synthetic.tree import Tree

COMMITTEE_TITLES = (
    "deputy_secretary",
    "committee_member",
    "deputy_secretary",
    "organizing_member",
    "propaganda_member",
)
MODES = ("full_time", "seconded", "part_time")
MODE_WEIGHTS = (0.25, 0.15, 0.60)


def plan_posts(
    scale: Scale, rng: random.Random, tree: Tree, member_branch: array[int], as_of: dt.date
) -> Iterator[dict[str, Any]]:
    """Every post with its holder (``None`` when vacant) and the date it was taken or left."""
    orgs, branches = tree.orgs, tree.branches
    without = set(rng.sample(range(len(branches)), scale.branches_without_post))
    committees = tree.committees()
    owners = committees + [b for i, b in enumerate(branches) if i not in without]
    extra = scale.posts - len(owners)
    owners += [rng.choice(committees) for _ in range(extra)]
    vacant = set(rng.sample(range(scale.posts), scale.vacant_posts))
    members_of: dict[int, list[int]] = {}
    for member, branch in enumerate(member_branch):
        members_of.setdefault(branches[branch], []).append(member)
    first_adult = scale.members + scale.non_member_youths
    adults_left = scale.adult_cadres
    serving: set[int] = set()
    seen: set[int] = set()
    for number, owner in enumerate(owners):
        org = orgs[owner]
        title = "secretary" if owner not in seen else rng.choice(COMMITTEE_TITLES)
        seen.add(owner)
        holder: str | None = None
        since = as_of - dt.timedelta(days=rng.randrange(30, 365 * 5))
        if number not in vacant:
            if adults_left and (org.level < 5 or not members_of.get(owner)):
                holder = person_id(first_adult + scale.adult_cadres - adults_left)
                adults_left -= 1
            else:
                holder = person_id(_free_member(rng, members_of.get(owner), serving, scale.members))
        yield {
            "id": f"POST{number + 1:07d}",
            "organization_id": org.id,
            "title": title,
            "mode": rng.choices(MODES, MODE_WEIGHTS)[0],
            "vacant_since": None if holder else since.isoformat(),
            "holder": holder,
            "since": since.isoformat(),
        }


def _free_member(
    rng: random.Random, local: list[int] | None, serving: set[int], members: int
) -> int:
    """A member who holds no post yet, from the branch when it has one."""
    for candidate in local or ():
        if candidate not in serving:
            serving.add(candidate)
            return candidate
    while True:
        candidate = rng.randrange(members)
        if candidate not in serving:
            serving.add(candidate)
            return candidate
