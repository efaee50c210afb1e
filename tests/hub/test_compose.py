"""docker-compose.yml, the Dockerfile and .dockerignore, held to the rules of what runs them.

No Docker engine runs here, so the file is read as Docker Compose and the Neo4j
image would read it. The image's entrypoint (neo4j/docker-neo4j,
``docker-image-src/5/coredb/docker-entrypoint.sh``) writes every ``NEO4J_*``
variable of its container into ``neo4j.conf``, except the few it reads itself, and
Neo4j 5 refuses to start on a setting it does not declare
(``server.config.strict_validation.enabled``): a ``NEO4J_PASSWORD`` there became
the setting ``PASSWORD``, so Neo4j never started, and the password sat in
``neo4j.conf``.
"""

from __future__ import annotations

import fnmatch
import re
import socket
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from graphdb import Endpoint, parse_graph_url
from hub.settings import Settings
from tests.fixtures.live import live_hub

ROOT = Path(__file__).parents[2]
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]

# What an operator exports (or writes in .env): compose takes the secrets from there.
OPERATOR = {
    "NEO4J_PASSWORD": "operator-neo4j-password",
    "HUB_PII_KEY": "operator-pii-key-0123",
    "HUB_AUTH_SECRET": "operator-auth-secret-0123",
}

# `not_configs` in the entrypoint: names the image reads itself, never settings.
IMAGE_CONTROLS = {
    "NEO4J_ACCEPT_LICENSE_AGREEMENT",
    "NEO4J_AUTH",
    "NEO4J_AUTH_PATH",
    "NEO4J_DEBUG",
    "NEO4J_EDITION",
    "NEO4J_HOME",
    "NEO4J_PLUGINS",
    "NEO4J_SHA256",
    "NEO4J_TARBALL",
    "NEO4J_DEPRECATION_WARNING",
}
# Neo4j 5 settings this file may set, as Neo4j declares them (BootloaderSettings,
# GraphDatabaseSettings, BoltConnector). Add one only after finding it in the
# Operations Manual's configuration settings for 5.x.
NEO4J_SETTINGS = {
    "server.memory.heap.initial_size",
    "server.memory.heap.max_size",
    "server.memory.pagecache.size",
    "db.tx_log.rotation.retention_policy",
    "server.bolt.thread_pool_max_size",
    "server.jvm.additional",
}
# The entrypoint's check of NEO4J_AUTH (set_initial_password).
NEO4J_AUTH_FORM = re.compile(r"([^/]+)/([^/]+)/?([tT][rR][uU][eE])?")
COMPOSE_VARIABLE = re.compile(
    r"\$(?:(?P<dollar>\$)|\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}|(?P<bare>[A-Za-z_]\w*))"
)
CONTAINER_VARIABLE = re.compile(r"\$\$\{?([A-Za-z_]\w*)")
# .dockerignore's wildcards as regular expressions; `[...]` classes are the same in both.
WILDCARDS = {"**/": "(.*/)?", "/**": "(/.*)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}
PINNED = re.compile(r"[a-z0-9][a-z0-9./_-]*:\d+(\.\d+)*(-[a-z0-9.]+)?")


def neo4j_setting(variable: str) -> str | None:
    """The setting the image writes for ``variable``, as its entrypoint derives it.

    ``NEO4J_`` dropped, ``_`` read as ``.`` and ``__`` as ``_``; None for the names
    the image reads itself and for ``*_FILE`` (a Docker secret holding the value of
    the name without ``_FILE``).
    """
    if variable in IMAGE_CONTROLS or variable.endswith("_FILE"):
        return None
    return variable.removeprefix("NEO4J_").replace("_", ".").replace("..", "_")


def interpolate(value: object, environment: Mapping[str, str]) -> str:
    """``value`` as Docker Compose passes it on (compose-spec, 12-interpolation.md)."""

    def one(found: re.Match[str]) -> str:
        if found["dollar"]:
            return "$"
        name = found["name"] or found["bare"]
        given, op, arg = environment.get(name), found["op"] or "", found["arg"] or ""
        missing = given is None or (op.startswith(":") and not given)
        if missing and op.endswith("?"):
            raise LookupError(f"compose stops: {name} is required ({arg})")
        return arg if missing and op.endswith("-") else given or ""

    return COMPOSE_VARIABLE.sub(one, str(value))


def environment_of(service: str, given: Mapping[str, str] = OPERATOR) -> dict[str, str]:
    """The container environment of ``service`` when the operator has set ``given``."""
    variables = SERVICES[service]["environment"]
    return {key: interpolate(value, given) for key, value in variables.items()}


def check_command(service: str) -> list[str]:
    test = SERVICES[service]["healthcheck"]["test"]
    return [interpolate(part, OPERATOR) for part in test]


def test_the_image_reads_names_as_its_entrypoint_does() -> None:
    documented = "NEO4J_server_tx__log_rotation_retention__policy"  # the entrypoint's example
    assert neo4j_setting(documented) == "server.tx_log.rotation.retention_policy"
    assert neo4j_setting("NEO4J_AUTH") is None
    assert neo4j_setting("NEO4J_AUTH_FILE") is None
    assert neo4j_setting("NEO4J_PASSWORD") == "PASSWORD"  # what stopped the old file


def test_neo4j_gets_only_settings_it_declares_and_names_the_image_reads() -> None:
    names = set(SERVICES["neo4j"]["environment"])
    unknown = {n for n in names if (s := neo4j_setting(n)) is not None and s not in NEO4J_SETTINGS}
    assert unknown == set(), "Neo4j 5 refuses to start on these: see the module docstring"
    from_secrets = {neo4j_setting(n.removesuffix("_FILE")) for n in names if n.endswith("_FILE")}
    assert from_secrets <= {None, *NEO4J_SETTINGS}
    assert "NEO4J_AUTH" in names or "NEO4J_AUTH_FILE" in names


def test_neo4j_auth_is_one_the_image_accepts_and_compose_requires_the_password() -> None:
    auth = NEO4J_AUTH_FORM.fullmatch(environment_of("neo4j")["NEO4J_AUTH"])
    assert auth is not None
    assert auth[1] == "neo4j"  # the image refuses another admin name
    assert auth[2] == OPERATOR["NEO4J_PASSWORD"]
    without = {k: v for k, v in OPERATOR.items() if k != "NEO4J_PASSWORD"}
    with pytest.raises(LookupError, match="NEO4J_PASSWORD"):
        environment_of("neo4j", without)
    for secret in ("HUB_PII_KEY", "HUB_AUTH_SECRET"):
        with pytest.raises(LookupError, match=secret):
            environment_of("hub", {k: v for k, v in OPERATOR.items() if k != secret})


def test_no_secret_is_written_in_the_file_or_lands_in_neo4j_conf() -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    for service in SERVICES.values():
        for name, value in service.get("environment", {}).items():
            if re.search("PASSWORD|AUTH|KEY|SECRET|TOKEN", name):
                assert COMPOSE_VARIABLE.sub("", str(value)) in ("", "neo4j/"), name
    for secret in OPERATOR:
        assert f"${{{secret}:?" in text, f"compose must stop when {secret} is not set"
    conf = [
        f"{setting}={value}"
        for name, value in environment_of("neo4j").items()
        if (setting := neo4j_setting(name)) is not None
    ]
    assert conf
    assert not any(OPERATOR["NEO4J_PASSWORD"] in line for line in conf)
    hub = environment_of("hub")
    assert urlsplit(hub["HUB_GRAPH_URL"]).password is None
    assert urlsplit(hub["HUB_REDIS_URL"]).password is None


def test_every_service_has_a_health_check_and_the_hub_waits_for_them() -> None:
    for name, service in SERVICES.items():
        check = service["healthcheck"]
        assert check["test"][0] in ("CMD", "CMD-SHELL"), name
        assert check["retries"] > 0, name
        command = " ".join(check["test"][1:])
        for variable in CONTAINER_VARIABLE.findall(command):
            assert variable in service.get("environment", {}), (name, variable)
    assert "cypher-shell" in " ".join(check_command("neo4j"))
    assert "redis-cli ping" in " ".join(check_command("redis"))
    assert "/health" in " ".join(check_command("hub"))
    waits = SERVICES["hub"]["depends_on"]
    assert {name: rule["condition"] for name, rule in waits.items()} == {
        "neo4j": "service_healthy",
        "redis": "service_healthy",
    }


def test_the_neo4j_check_queries_with_the_password_from_neo4j_auth(tmp_path: Path) -> None:
    """The check's shell, run as the container would, with a stand-in for cypher-shell.

    The stand-in records what the real one would get and answers as a server that
    accepts (0) or refuses (1) the credentials.
    """
    kind, command = check_command("neo4j")
    assert kind == "CMD-SHELL"
    seen = tmp_path / "seen"
    stand_in = tmp_path / "cypher-shell"
    stand_in.write_text(
        f'#!/bin/sh\nprintf "%s\\n" "$NEO4J_PASSWORD" "$@" > {seen}\nexit "$ANSWER"\n'
    )
    stand_in.chmod(0o755)
    container = {"NEO4J_AUTH": environment_of("neo4j")["NEO4J_AUTH"], "PATH": f"{tmp_path}:/bin"}
    accepted = subprocess.run(["/bin/sh", "-c", command], env={**container, "ANSWER": "0"})
    assert accepted.returncode == 0
    password, *arguments = seen.read_text().splitlines()
    assert password == OPERATOR["NEO4J_PASSWORD"]
    assert OPERATOR["NEO4J_PASSWORD"] not in command  # not on the command line
    assert arguments[:2] == ["-u", "neo4j"]
    assert "RETURN 1" in arguments
    refused = subprocess.run(["/bin/sh", "-c", command], env={**container, "ANSWER": "1"})
    assert refused.returncode != 0


def test_the_hub_check_passes_on_a_running_hub_and_fails_without_one(engine: Endpoint) -> None:
    kind, *command = check_command("hub")
    assert kind == "CMD"
    assert command[0] == "python"
    run = [sys.executable, *command[1:]]
    with live_hub(engine, "compose_health") as url:
        port = str(urlsplit(url).port)
        passed = subprocess.run(run, env={"HUB_PORT": port}, capture_output=True)
        assert passed.returncode == 0, passed.stderr
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        free = str(unused.getsockname()[1])
    failed = subprocess.run(run, env={"HUB_PORT": free}, capture_output=True)
    assert failed.returncode != 0


def test_the_hub_is_given_only_its_own_settings_in_values_it_accepts() -> None:
    environment = environment_of("hub")
    fields = {f"HUB_{name.upper()}": name for name in Settings.model_fields}
    assert set(environment) - set(fields) == set()
    settings = Settings.model_validate({fields[k]: v for k, v in environment.items()})
    assert not settings.graphql_ide
    target = parse_graph_url(settings.graph_url)
    assert (target.backend, target.host, target.database) == ("neo4j", "neo4j", "neo4j")
    assert settings.redis_url is not None
    assert urlsplit(settings.redis_url).hostname in SERVICES
    assert settings.neo4j_password is not None
    assert settings.neo4j_password.get_secret_value() == OPERATOR["NEO4J_PASSWORD"]


def test_every_image_is_pinned_to_a_major_version() -> None:
    for name, service in SERVICES.items():
        if "build" in service:
            dockerfile = (ROOT / service["build"] / "Dockerfile").read_text()
            images = re.findall(r"^FROM\s+(\S+)", dockerfile, re.MULTILINE)
        else:
            images = [service["image"]]
        assert images, name
        assert all(PINNED.fullmatch(image) for image in images), (name, images)


def ignored(path: str, patterns: list[str]) -> bool:
    """Whether Docker leaves ``path`` out of the context (moby/patternmatcher rules).

    ``*`` and ``?`` stop at ``/``, ``**`` crosses directories, a pattern that
    matches a directory leaves out what is inside it, and the last matching
    pattern wins, so ``!pattern`` puts a path back.
    """
    verdict = False
    for pattern in patterns:
        keep = pattern.startswith("!")
        body = pattern.removeprefix("!").strip("/")
        parts = re.split(r"(\*\*/|/\*\*|\*\*|\*|\?|\[[^]]*\])", body)
        regex = "".join(
            part if part.startswith("[") else WILDCARDS.get(part, re.escape(part)) for part in parts
        )
        pieces = path.split("/")
        prefixes = ("/".join(pieces[:n]) for n in range(1, len(pieces) + 1))
        if any(re.fullmatch(regex, prefix) for prefix in prefixes):
            verdict = not keep
    return verdict


def test_the_build_context_holds_what_the_image_copies_and_nothing_it_must_not() -> None:
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    left_out = [
        ".venv/bin/python",
        ".uv/bin/uv",
        "tools/cypher-lint/node_modules/vscode-languageserver/package.json",
        ".hub-data/falkordb/graph.rdb",
        "backups/neo4j.dump",
        ".env",
        ".git/HEAD",
        "hub/__pycache__/app.cpython-312.pyc",
        ".mypy_cache/3.11/hub/app.data.json",
        ".pytest_cache/v/cache/nodeids",
        ".hypothesis/examples/0a1b",
        "youthgraph_hub.egg-info/PKG-INFO",
    ]
    assert [path for path in left_out if not ignored(path, patterns)] == []
    dockerfile = (ROOT / "Dockerfile").read_text()
    copied = [
        source
        for line in re.findall(r"^COPY\s+(.+)$", dockerfile, re.MULTILINE)
        for source in line.split()[:-1]
        if not source.startswith("--")
    ]
    assert {"pyproject.toml", "uv.lock", "hub"} <= set(copied)
    for source in copied:
        assert (ROOT / source).exists(), source
        assert not ignored(source, patterns), source
        assert source not in (".", "./"), "the whole context would hold .venv and data"
        assert not fnmatch.fnmatch(source, ".venv*"), source
    assert not ignored("hub/ide_assets/graphiql.html", patterns)
    assert "uv sync --locked --no-dev" in dockerfile
