"""The README and docker-compose.yml stay true to the settings."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from graphdb import parse_graph_url
from hub.settings import Settings

ROOT = Path(__file__).parents[2]


def variables() -> set[str]:
    return {f"HUB_{name.upper()}" for name in Settings.model_fields}


def test_the_readme_documents_every_setting() -> None:
    readme = (ROOT / "README.md").read_text()
    assert {name for name in variables() if f"`{name}`" not in readme} == set()


def test_the_readme_explains_every_error_code() -> None:
    sources = [*(ROOT / "schema").glob("*.py"), ROOT / "hub" / "body_limit.py"]
    codes = {
        code
        for source in sources
        for code in re.findall(r'"([A-Z]+(?:_[A-Z]+)+)"', source.read_text())
        if code.endswith(("_FAILED", "_EXCEEDED", "_LARGE", "_ERROR", "_INPUT", "_REQUEST"))
        or code.startswith("BAD_")
    }
    assert len(codes) >= 12
    readme = (ROOT / "README.md").read_text()
    assert {code for code in codes if f"`{code}`" not in readme} == set()


def test_the_readme_quick_start_has_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("##", 1)[0]
    commands = [
        line.split("#")[0].strip() for line in quick_start.splitlines() if line.startswith("./")
    ]
    assert commands == ["./scripts/demo", "./scripts/test"]
    assert "./scripts/test" in (ROOT / ".ci" / "run").read_text()


def test_compose_wires_the_hub_to_neo4j_and_redis() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["neo4j"]["image"].startswith("neo4j:5")
    assert services["redis"]["image"].startswith("redis:7")
    hub = services["hub"]["environment"]
    assert set(hub) <= variables()
    assert parse_graph_url(hub["HUB_GRAPH_URL"]).backend == "neo4j"
    assert hub["HUB_REDIS_URL"].startswith("redis://redis:")
    assert set(services["hub"]["depends_on"]) == {"neo4j", "redis"}
    assert all("healthcheck" in service for service in services.values())
