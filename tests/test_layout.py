"""The house: one name per domain in every layer, layers that import one way, small modules.

A newcomer finds a domain's Cypher in ``graphdb/domain/<domain>.py`` and its
GraphQL type in ``schema/<domain>.py``, named as in ``graphdb.model``; these
tests keep it so as the code grows.
"""

from __future__ import annotations

import ast
import importlib
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

from graphdb import LABELS, Statement
from schema.node import node_type

ROOT = Path(__file__).parents[1]
PACKAGES = ("hub", "schema", "graphdb", "connectors")
# Who may import whom: a package imports only those listed (and itself).
LAYERS = {
    "graphdb": set(),
    "connectors": {"graphdb"},
    "schema": {"graphdb"},
    "hub": {"graphdb", "schema", "connectors"},
}
CROSS_CUTTING = ("trace", "search", "traversal")
MAX_LINES = 400


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def runtime_imports(path: Path, known: set[str]) -> set[str]:
    """The hub's modules ``path`` imports when it runs (not those only for the type checker)."""
    tree = ast.parse(path.read_text())
    checker_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            checker_only |= {id(child) for child in ast.walk(node)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in checker_only:
            continue
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [
                f"{node.module}.{alias.name}"
                if f"{node.module}.{alias.name}" in known
                else node.module
                for alias in node.names
            ]
        else:
            continue
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name:
                found.add(name)
    return found


def test_each_label_has_its_module_of_the_same_name_in_every_layer() -> None:
    for label in LABELS:
        cypher = importlib.import_module(f"graphdb.domain.{label.domain}")
        kind = node_type(label)
        assert kind.__module__ == f"schema.{label.domain}", label
        assert kind.__name__ == label.type_name
        assert kind.by_ids.name.startswith(f"{label.domain}."), kind.by_ids.name
        assert any(value is kind.by_ids for value in vars(cypher).values()), label
    tests = {path.stem for path in (ROOT / "tests").rglob("test_*.py")}
    assert {f"test_{name}" for name in CROSS_CUTTING} <= tests


def test_every_statement_is_named_after_the_module_that_declares_it() -> None:
    misnamed = []
    for name, path in modules().items():
        if not name.startswith("graphdb.domain.") or path.stem == "__init__":
            continue
        module = importlib.import_module(name)
        domain = name.rpartition(".")[2]
        for value in vars(module).values():
            statements = value.values() if isinstance(value, dict) else [value]
            misnamed += [
                s.name
                for s in statements
                if isinstance(s, Statement) and not s.name.startswith(f"{domain}.")
            ]
    assert misnamed == []


def test_layers_import_one_way_and_nothing_imports_itself_back() -> None:
    found = modules()
    known = set(found)
    graph = {name: runtime_imports(path, known) - {name} for name, path in found.items()}
    crossing = {
        (name, imported)
        for name, imports in graph.items()
        for imported in imports
        if imported.split(".")[0] != name.split(".")[0]
        and imported.split(".")[0] not in LAYERS[name.split(".")[0]]
    }
    assert crossing == set()
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as cycle:
        pytest.fail(f"import cycle: {' -> '.join(cycle.args[1])}")


def test_no_module_is_over_about_four_hundred_lines() -> None:
    paths = [*modules().values(), *(ROOT / "tests").rglob("*.py"), *(ROOT / "bench").rglob("*.py")]
    long = {
        str(path.relative_to(ROOT)): n
        for path in paths
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_product_ships_no_test_helpers_and_no_catch_all_modules() -> None:
    for name, path in modules().items():
        assert path.stem not in ("testing", "utils", "helpers", "common"), name
        text = path.read_text()
        assert "import pytest" not in text, name
        assert "from pytest" not in text, name
