"""docs/partners.md's `curl` sequence works against `hub demo`, as a partner would run it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import orjson

ROOT = Path(__file__).parents[2]


def partner_script(base: str, data_dir: Path) -> str:
    """The doc's bash block, pointed at this demo's address and data directory."""
    text = (ROOT / "docs" / "partners.md").read_text()
    block = re.search(r"## 2\. Get a token.*?```bash\n(.*?)```", text, re.S)
    assert block is not None, "docs/partners.md lost its curl sequence"
    script = block.group(1)
    assert "HUB=http://127.0.0.1:8000" in script
    assert "CREDENTIALS=.hub-data/demo-credentials.json" in script
    return script.replace("HUB=http://127.0.0.1:8000", f"HUB={base}").replace(
        "CREDENTIALS=.hub-data/", f"CREDENTIALS={data_dir}/"
    )


def test_the_partner_guide_runs_against_the_demo(
    demo: tuple[str, subprocess.Popen[str], Path],
) -> None:
    base, _, data_dir = demo
    ran = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", partner_script(base, data_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=ROOT,
    )
    assert ran.returncode == 0, ran.stderr
    lines = ran.stdout.strip().splitlines()
    members = orjson.loads(lines[0])["data"]["members"]
    assert members["totalCount"] > 0
    assert len(members["edges"]) == 3
    introspected = orjson.loads(lines[1])
    assert introspected["active"] is True
    assert set(introspected["scope"].split()) == {"org:read", "member:read"}
    assert orjson.loads(lines[2]) == {}  # revoked (RFC 7009 answers an empty 200)
    assert lines[3] == "401"  # the revoked token no longer opens anything
