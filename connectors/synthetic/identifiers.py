"""Identifiers of the synthetic province: valid ID numbers, USCCs, phones, and record keys.

ID numbers pass ``stdnum.cn.ric`` and USCCs pass ``stdnum.cn.uscc``; both are
unique within a province. Phones are unique mainland mobiles.
"""

from __future__ import annotations

import datetime as dt
import random

from stdnum.cn import ric, uscc

MOBILE_PREFIXES = (
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "157",
    "158",
    "159",
    "182",
    "183",
    "187",
    "188",
    "130",
    "131",
    "132",
    "155",
    "156",
    "185",
    "186",
    "133",
    "153",
    "180",
    "181",
    "189",
    "177",
    "199",
)
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 organisation code check


def birth_date(rng: random.Random, youngest: int, oldest: int, as_of: dt.date) -> dt.date:
    """A birthday of someone aged ``youngest`` to ``oldest`` on ``as_of``."""
    latest = as_of.replace(year=as_of.year - youngest)
    earliest = as_of.replace(year=as_of.year - oldest - 1) + dt.timedelta(days=1)
    return earliest + dt.timedelta(days=rng.randrange((latest - earliest).days + 1))


def id_number(area: str, birth: dt.date, sequence: int) -> str:
    """An 18-character ID number; ``sequence`` is odd for men and even for women."""
    body = f"{area}{birth:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")  # the function wants a placeholder check


def person_id(index: int) -> str:
    return f"P{index + 1:08d}"


def activity_id(index: int) -> str:
    return f"ACT{index + 1:07d}"


def phone(index: int) -> str:
    """Unique per person: a bijection of the index onto eight digits, behind a real prefix."""
    return (
        MOBILE_PREFIXES[index % len(MOBILE_PREFIXES)]
        + f"{(index * 7_919_317 + 1_234_567) % 100_000_000:08d}"
    )


def enterprise_uscc(index: int, region: str) -> str:
    """A USCC: 9 (market regulator), 1 (enterprise), region, organisation code, check."""
    digits = f"{(index * 48_271 + 10_000_019) % 100_000_000:08d}"
    total = sum(int(d) * w for d, w in zip(digits, _ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    org_code = digits + ("X" if check == 10 else "0" if check == 11 else str(check))
    body = f"91{region}{org_code}"
    return body + uscc.calc_check_digit(body)
