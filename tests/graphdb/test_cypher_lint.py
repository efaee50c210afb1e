"""Every Cypher statement of the code base passes Neo4j's own linter with zero errors.

The linter is ``lintCypherQuery`` from the npm package
``@neo4j-cypher/language-support``, installed in ``tools/cypher-lint`` by the
test command (``npm ci --prefix tools/cypher-lint``).
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import graphdb
from graphdb.statement import Statement, registered

LINTER = Path(__file__).parents[2] / "tools" / "cypher-lint"
ERROR = 1


def lint(statements: list[Statement]) -> list[dict[str, Any]]:
    node = shutil.which("node")
    if node is None or not (LINTER / "node_modules").is_dir():
        pytest.fail("the Cypher linter is not installed: run npm ci --prefix tools/cypher-lint")
    payload = [
        {"name": s.name, "text": s.text, "parameters": sorted(s.parameters)} for s in statements
    ]
    run = subprocess.run(
        [node, str(LINTER / "lint.mjs")],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    results: list[dict[str, Any]] = json.loads(run.stdout)
    return results


def every_statement() -> list[Statement]:
    for module in pkgutil.walk_packages(graphdb.__path__, "graphdb."):
        importlib.import_module(module.name)
    return [s for s in registered() if not s.name.startswith("test.")]


def test_every_statement_passes_the_neo4j_linter() -> None:
    statements = every_statement()
    assert len(statements) > 40  # the domain, the DDL of both backends
    failures = {
        result["name"]: [d["message"] for d in result["diagnostics"] if d["severity"] == ERROR]
        for result in lint(statements)
    }
    assert {name: errors for name, errors in failures.items() if errors} == {}


def test_the_linter_catches_what_neo4j_would_reject() -> None:
    broken = [
        Statement("broken.syntax", "MATCH (n RETURN n", "read"),
        Statement("broken.variable", "MATCH (n {id: $id}) RETURN m", "read"),
    ]
    results = lint(broken)
    assert all(any(d["severity"] == ERROR for d in r["diagnostics"]) for r in results)
