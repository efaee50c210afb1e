"""Real administrative divisions (GB/T 2260) of Guangdong, read from python-stdnum's table.

``stdnum.cn.loc.dat`` lists every region code with the years it was in use; the
synthetic province uses the prefecture-level cities and the county-level
divisions that are in use today (no end year), leaving out the ``市辖区`` placeholders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

PROVINCE_CODE = "44"
PROVINCE_NAME = "广东省"
_ENTRY = re.compile(r'^\s+(\d{4}) county="(.*)"$')


@dataclass(frozen=True)
class Region:
    code: str  # six digits
    name: str
    city_code: str
    since: int = 0  # first year the code was assigned, 0 when the table gives none


@cache
def guangdong() -> tuple[tuple[Region, ...], tuple[Region, ...]]:
    """(cities, counties) of Guangdong in code order."""
    text = (resources.files("stdnum.cn") / "loc.dat").read_text(encoding="utf-8")
    cities: list[Region] = []
    counties: list[Region] = []
    inside = False
    for line in text.splitlines():
        if not line.startswith(" "):
            inside = line.startswith(f"{PROVINCE_CODE} ")
            continue
        match = _ENTRY.match(line) if inside else None
        if match is None:
            continue
        suffix, names = match.groups()
        current = _current(names)
        if current is None or suffix == "0000" or current[0] == "市辖区":
            continue
        code = PROVINCE_CODE + suffix
        region = Region(code, current[0], code[:4] + "00", current[1])
        if suffix.endswith("00"):
            cities.append(region)
        else:
            counties.append(region)
    names = {city.code for city in cities}
    return tuple(cities), tuple(c for c in counties if c.city_code in names)


def _current(names: str) -> tuple[str, int] | None:
    """The name in use today and the year it was assigned: the last entry, if it has no end."""
    last = names.split(",")[-1]
    if not last.startswith("["):
        return last, 0
    span, name = last[1:].split("]", 1)
    start, end = span.split("-")
    return (name, int(start or 0)) if not end else None
