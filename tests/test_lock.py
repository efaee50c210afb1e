"""Installs are reproducible: the environment holds exactly uv.lock's versions, and a lock
that disagrees with pyproject.toml stops the test command instead of drifting."""

from __future__ import annotations

import importlib.metadata
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def uv() -> str:
    found = ROOT / ".uv" / "bin" / "uv"
    if found.exists():
        return str(found)
    on_path = shutil.which("uv")
    if on_path is None:
        pytest.fail("uv is not installed: run ./scripts/test, which installs it from PyPI")
    return on_path


def test_the_environment_holds_exactly_the_locked_versions() -> None:
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    locked: dict[str, set[str]] = {}  # a package may be locked at one version per Python
    for package in lock["package"]:
        if "registry" in package["source"]:
            locked.setdefault(package["name"], set()).add(package["version"])
    installed = {}
    for name in locked:
        try:
            installed[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue  # for another platform or Python (uvloop on Windows, ...)
    assert len(installed) >= 40
    assert {n: v for n, v in installed.items() if v not in locked[n]} == {}


def test_the_test_command_installs_from_the_lock_only() -> None:
    setup = (ROOT / "scripts" / "setup-python").read_text()
    assert "uv sync --locked" in setup
    for script in ("test", "demo"):
        lines = [
            line.split("#")[0].strip()
            for line in (ROOT / "scripts" / script).read_text().splitlines()
        ]
        assert "source scripts/setup-python" in lines
        assert any(line.startswith("sync_python_env") for line in lines), script
        assert not any("pip install" in line for line in lines), script


def test_a_lock_that_disagrees_with_pyproject_is_refused(tmp_path: Path) -> None:
    for name in ("pyproject.toml", "uv.lock"):
        shutil.copy(ROOT / name, tmp_path / name)

    def check() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [uv(), "lock", "--check", "--offline", "--directory", str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    agreed = check()
    assert agreed.returncode == 0, agreed.stderr
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(  # a dependency added without locking it (httpx, locked as a tool)
        pyproject.read_text().replace("dependencies = [", 'dependencies = [\n    "httpx>=0.28",', 1)
    )
    drifted = check()
    assert drifted.returncode != 0
    assert "needs to be updated" in drifted.stderr
