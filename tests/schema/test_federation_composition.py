"""The subgraph composes into a supergraph with both composers gateways use.

Apollo's router is fed by ``@apollo/composition`` (what Rover runs); the Hive
gateway by ``@theguild/federation-composition``, which refuses any federation
version it does not know. Both are installed in ``tools/federation-compose`` by
the test command (``npm ci --prefix tools/federation-compose``). The SDL is the
one a gateway fetches: the answer to ``{ _service { sdl } }``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from schema import schema

COMPOSER = Path(__file__).parents[2] / "tools" / "federation-compose"

# Another team's subgraph adding a field to our members, keyed as ours are.
VOLUNTEERING = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

type Member @key(fields: "id") {
  id: ID!
  volunteerHours: Int
}
"""


def compose(subgraphs: dict[str, str]) -> dict[str, list[str]]:
    """The error messages of each composer (``apollo``, ``guild``); none when it composed."""
    node = shutil.which("node")
    if node is None or not (COMPOSER / "node_modules").is_dir():
        pytest.fail(
            "the federation composers are not installed: "
            "run npm ci --prefix tools/federation-compose"
        )
    payload = [{"name": name, "sdl": sdl} for name, sdl in subgraphs.items()]
    run = subprocess.run(
        [node, str(COMPOSER / "compose.mjs")],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    results: dict[str, dict[str, list[str]]] = json.loads(run.stdout)
    return {composer: result["errors"] for composer, result in results.items()}


def our_sdl() -> str:
    """The SDL a gateway fetches from the hub."""
    result = schema.execute_sync("{ _service { sdl } }")
    assert result.errors is None
    assert result.data is not None
    sdl: str = result.data["_service"]["sdl"]
    return sdl


def test_the_hub_alone_composes_with_both_composers() -> None:
    assert compose({"hub": our_sdl()}) == {"apollo": [], "guild": []}


def test_another_subgraph_extends_our_members_with_both_composers() -> None:
    errors = compose({"hub": our_sdl(), "volunteering": VOLUNTEERING})
    assert errors == {"apollo": [], "guild": []}


def test_both_composers_refuse_a_conflicting_subgraph() -> None:
    conflicting = VOLUNTEERING.replace("volunteerHours: Int", "name: Int")
    errors = compose({"hub": our_sdl(), "volunteering": conflicting})
    assert all(any("Member.name" in message for message in errors[c]) for c in errors), errors
