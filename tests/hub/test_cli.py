"""The ``hub`` command: bad input gives one clear line and a non-zero exit, never a traceback."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest


def hub(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hub", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **env},
        check=False,
    )


def one_clear_line(run: subprocess.CompletedProcess[str], says: str) -> None:
    assert run.returncode != 0
    assert "Traceback" not in run.stderr + run.stdout
    errors = [line for line in run.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, run.stderr
    assert says in errors[0]


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("localhost:7687", "has no scheme"),
        ("mysql://db", "not supported"),
        ("neo4j://db:port", "bad port"),
    ],
)
def test_a_malformed_graph_url(url: str, says: str, data_dir: Path) -> None:
    run = hub("migrate", env={"HUB_GRAPH_URL": url, "HUB_DATA_DIR": str(data_dir)})
    one_clear_line(run, says)
    assert "HUB_GRAPH_URL" in run.stderr


def test_an_unreachable_neo4j(data_dir: Path) -> None:
    run = hub(
        "migrate",
        env={
            "HUB_GRAPH_URL": "neo4j://127.0.0.1:1",
            "HUB_NEO4J_PASSWORD": "secret-password",
            "HUB_REDIS_URL": "redis://127.0.0.1:1",
            "HUB_DATA_DIR": str(data_dir),
        },
    )
    one_clear_line(run, "does not answer")
    assert "secret-password" not in run.stderr


def test_a_data_dir_that_is_not_writable(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    run = hub("migrate", env={"HUB_DATA_DIR": str(blocker / "data")})
    one_clear_line(run, "set HUB_DATA_DIR to a writable directory")


def test_a_port_in_use(data_dir: Path) -> None:
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        run = hub("serve", "--port", str(port), env={"HUB_DATA_DIR": str(data_dir)})
    one_clear_line(run, f"port {port} on 127.0.0.1 is in use")


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("HUB_PORT", "eighty", "valid integer"),
        ("HUB_LOG_LEVEL", "verbose", "'debug', 'info', 'warning' or 'error'"),
        ("HUB_REDIS_URL", "garbage", "not a Redis URL"),
        ("HUB_REDIS_URL", "redis://cache:port", "bad port"),
        ("HUB_GRAPH_URL", "neo4j://db:port", "bad port"),
        ("HUB_PII_KEY", "short", "at least 16 characters"),
    ],
)
def test_a_bad_setting_is_one_line_before_anything_starts(
    variable: str, value: str, says: str, data_dir: Path
) -> None:
    run = hub("demo", "--scale", "tiny", env={variable: value, "HUB_DATA_DIR": str(data_dir)})
    one_clear_line(run, variable)
    assert says in run.stderr
    assert not data_dir.exists()  # no engine was started, nothing was seeded


def test_migrate_then_seed_then_migrate_again(data_dir: Path) -> None:
    env = {"HUB_DATA_DIR": str(data_dir)}
    first = hub("migrate", env=env)
    assert first.returncode == 0, first.stderr
    assert "applied" in first.stderr
    seeded = hub("seed", "--scale", "tiny", "--seed", "2", env=env)
    assert seeded.returncode == 0, seeded.stderr
    assert re.search(r"seeded tiny \(seed 2\): [\d,]{6,} rows", seeded.stderr)
    again = hub("migrate", env=env)
    assert "schema up to date" in again.stderr


def test_help_lists_the_commands() -> None:
    run = hub("--help", env={})
    assert run.returncode == 0
    for command in ("demo", "serve", "seed", "migrate"):
        assert command in run.stdout
