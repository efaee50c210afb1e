"""``hub demo`` over real HTTP: it starts, seeds, answers GraphQL, and stops cleanly."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import httpx


def test_the_demo_answers_graphql_over_http(
    demo: tuple[str, subprocess.Popen[str], Path],
) -> None:
    base, process, data_dir = demo
    health = httpx.get(f"{base}/health").json()
    assert health == {"graph": "ok", "redis": "ok", "status": "ok"}
    public = """{ organization(code: "ORG0000001") { name level children { level } } }"""
    answer = httpx.post(f"{base}/graphql", json={"query": public}).json()
    root = answer["data"]["organization"]
    assert (root["name"], root["level"]) == ("共青团广东省委员会", 1)
    assert {child["level"] for child in root["children"]} == {2}
    personal = """{ members(first: 100) { totalCount
        edges { node { idNumberMasked branch { parentChain { level code } } } } } }"""
    refused = httpx.post(f"{base}/graphql", json={"query": personal}).json()
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    # The partner client the demo wrote down reads the members of its city, and only those.
    credentials = json.loads((data_dir / "demo-credentials.json").read_text())
    assert {a["role"] for a in credentials["accounts"]} == {
        "province_admin",
        "city_cadre",
        "township_cadre",
        "member",
    }
    partner = credentials["clients"][0]
    token = httpx.post(
        f"{base}/oauth/token",
        auth=(partner["client_id"], partner["client_secret"]),
        data={"grant_type": "client_credentials", "scope": "org:read member:read"},
    ).json()["access_token"]
    answer = httpx.post(
        f"{base}/graphql", json={"query": personal}, headers={"Authorization": f"Bearer {token}"}
    ).json()
    members = answer["data"]["members"]
    city = next(a["org"] for a in credentials["accounts"] if a["role"] == "city_cadre")
    assert members["totalCount"] > 0
    for edge in members["edges"]:
        member = edge["node"]
        assert member["idNumberMasked"].count("*") == 8
        chain = member["branch"]["parentChain"]
        assert [org["level"] for org in chain] == [4, 3, 2]  # nothing above its city
        assert f"({chain[2]['code']})" in city
    ide = httpx.get(f"{base}/graphql", headers={"accept": "text/html"})
    assert "graphiql" in ide.text.lower()

    engine_pid = json.loads((data_dir / "falkordb" / "engine.json").read_text())["pid"]
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) in (0, 130)
    printed = process.stdout.read() if process.stdout else ""
    for account in credentials["accounts"]:  # how to sign in as each, printed at start
        assert f"phone {account['phone']}, password {account['password']}" in printed
    time.sleep(0.2)
    assert (
        not Path(f"/proc/{engine_pid}").exists()
        or Path(f"/proc/{engine_pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    )
