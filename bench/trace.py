"""Trace benchmark: ``trace`` and ``traceOrganization`` over HTTP, against two baselines.

    python -m bench.trace --scale medium          # seeds once into --data-dir, then reuses it

For random members (and random grassroots committees), in the same run:

* **hub**: the GraphQL query over HTTP to ``hub serve`` (a separate process, with
  its parser and validation caches on);
* **(a) store**: the same Cypher through the store, no GraphQL: the trace
  statement, which also brings every organisation the trace names;
* **(b) bare**: a bare Starlette endpoint (``bench/bare.py``) answering with the
  hub's own JSON for that id: the cost of HTTP and JSON alone.

The three are interleaved, sample by sample, so that a slow spell of the
machine touches them alike. HTTP requests go through :class:`Http`, a minimal
keep-alive HTTP/1.1 client: httpx spends 1 to 2 ms of its own per request,
more than the hub's whole HTTP layer, and would measure the client.

Prints p50/p99 of each and the ratio hub / (a) (goal: p50 within 2x). The hub is
asked with an operator's token (every read scope, the whole tree).

Then, signed in: the members of one city traced with a **cadre's token** for
that city (a bounded caller: every read held to the city's subtree in its
Cypher) against the operator's token on the same members (goal: within 1.15x),
and the token check alone: a public ``organization`` lookup with the cadre's
token against the same lookup with no token.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any

import orjson

from bench.seeded import GRAPH, opened, options
from bench.timing import interleaved, line
from graphdb import EmbeddedEngine, Scope, Store
from graphdb.domain import trace
from hub.auth.operator import operator_token
from hub.settings import Settings

EVERYTHING = Scope.everything()
TRACE = """query ($key: String!) { trace(memberKey: $key) {
  member { key name idNumberMasked } branch { code name } chain { code name level }
  posts { title organization { name } } transfers { status from { name } to { name } }
  dues { month amountFen } registrationCount serviceHours
  trajectory { on kind summary } } }"""
PUBLIC_ORG = """query ($code: String!) { organization(code: $code) { code name level } }"""
ISSUER = "http://bench.hub"  # the hub and the tokens minted here name the same issuer
TRACE_ORG = """query ($code: String!) { traceOrganization(code: $code) {
  organization { code name } chain { code name } members
  children { organization { code name } members cadres vacancies } activityCount } }"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def spawn(command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    """A server process for the run, quiet, in this repository."""
    return subprocess.Popen(
        command,
        env=env,
        cwd=Path(__file__).parents[1],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


class Http:
    """One keep-alive HTTP/1.1 connection; answers must carry a content-length."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def request(
        self, method: str, path: str, body: bytes = b"", token: str | None = None
    ) -> bytes:
        if self._streams is None:
            self._streams = await asyncio.open_connection("127.0.0.1", self.port)
        reader, writer = self._streams
        bearer = f"authorization: Bearer {token}\r\n" if token else ""
        writer.write(
            f"{method} {path} HTTP/1.1\r\nhost: 127.0.0.1\r\n{bearer}"
            f"content-type: application/json\r\ncontent-length: {len(body)}\r\n\r\n".encode()
            + body
        )
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        if not head[0].startswith("HTTP/1.1 200"):
            raise RuntimeError(f"{method} {path}: {head[0]}")
        length = next(
            int(line.partition(":")[2])
            for line in head
            if line.lower().startswith("content-length")
        )
        return await reader.readexactly(length)

    async def close(self) -> None:
        if self._streams is not None:
            self._streams[1].close()
            self._streams = None


async def ready(http: Http, path: str, minutes: float = 5) -> None:
    """Wait until a server answers ``path`` with 200 (a large graph takes a while to load)."""
    deadline = time.monotonic() + minutes * 60
    while time.monotonic() < deadline:
        try:
            await http.request("GET", path)
            return
        except (OSError, RuntimeError, asyncio.IncompleteReadError):
            await http.close()
            await asyncio.sleep(0.2)
    raise RuntimeError(f"no answer on {path} after {minutes} minutes")


async def store_trace(store: Store, key: str) -> None:
    await store.read(trace.MEMBER, {"id": key, "recent": 20}, scope=EVERYTHING)


async def store_trace_org(store: Store, key: str) -> None:
    await store.read(trace.ORGANIZATION, {"id": key, "recent": 20}, scope=EVERYTHING)


async def main() -> None:
    args, province = options(__doc__ or "", samples=1000)
    scale = province.scale
    rng = random.Random(3)
    members = [f"P{rng.randrange(scale.members) + 1:08d}" for _ in range(args.samples)]
    committees = [org.id for org in province.tree.orgs if org.level == 4]
    orgs = [rng.choice(committees) for _ in range(args.samples)]

    tree = province.tree
    city = next(org for org in tree.orgs if org.level == 2)
    city_index = tree.orgs.index(city)

    def in_city(index: int) -> bool:
        while index >= 0:
            if index == city_index:
                return True
            index = tree.orgs[index].parent
        return False

    citizens = [
        f"P{number + 1:08d}"
        for number, branch in enumerate(province.member_branch)
        if in_city(tree.branches[branch])
    ]
    city_members = [rng.choice(citizens) for _ in range(args.samples)]

    engine = EmbeddedEngine(args.data_dir)
    endpoint = engine.start()
    store = await opened(endpoint, province, args.data_dir)
    settings = Settings(data_dir=args.data_dir, graph_name=GRAPH, issuer=ISSUER)
    operator = await operator_token(store, settings)
    cadre = await operator_token(store, settings, orgs=[city.id], subject="bench-city-cadre")

    env = {
        **os.environ,
        "HUB_DATA_DIR": str(args.data_dir),
        "HUB_GRAPH_NAME": GRAPH,
        "HUB_LOG_LEVEL": "warning",
        "HUB_ISSUER": ISSUER,
    }
    hub_port, bare_port = free_port(), free_port()
    hub = spawn([sys.executable, "-m", "hub", "serve", "--port", str(hub_port)], env)
    answers = Path(tempfile.mkdtemp()) / "answers.json"
    bare: subprocess.Popen[bytes] | None = None
    served, plain = Http(hub_port), Http(bare_port)
    try:
        await ready(served, "/health")

        def asking(
            query: str, variable: str, token: str | None = operator
        ) -> Callable[[str], Awaitable[Any]]:
            async def ask(key: str) -> Any:
                body = orjson.dumps({"query": query, "variables": {variable: key}})
                answer = orjson.loads(await served.request("POST", "/graphql", body, token))
                assert "errors" not in answer, answer
                return answer

            return ask

        hub_trace, hub_trace_org = asking(TRACE, "key"), asking(TRACE_ORG, "code")
        stored = {k: await hub_trace(k) for k in dict.fromkeys(members)}
        stored |= {k: await hub_trace_org(k) for k in dict.fromkeys(orgs)}
        answers.write_bytes(orjson.dumps(stored))
        uvicorn = [sys.executable, "-m", "uvicorn", "bench.bare:app", "--log-level", "warning"]
        bare = spawn([*uvicorn, "--port", str(bare_port)], {**env, "BARE_JSON": str(answers)})
        await ready(plain, f"/answer/{members[0]}")

        async def bare_get(key: str) -> bytes:
            return await plain.request("GET", f"/answer/{key}")

        report = {
            name: await interleaved(
                samples, {"hub": over_http, "store": partial(direct, store), "bare": bare_get}
            )
            for name, samples, over_http, direct in (
                ("trace", members, hub_trace, store_trace),
                ("traceOrganization", orgs, hub_trace_org, store_trace_org),
            )
        }
        signed_in = {
            "trace, city cadre": await interleaved(
                city_members,
                {"cadre": asking(TRACE, "key", cadre), "operator": hub_trace},
            ),
            "token check": await interleaved(
                orgs,
                {
                    "cadre": asking(PUBLIC_ORG, "code", cadre),
                    "none": asking(PUBLIC_ORG, "code", None),
                },
            ),
        }
    finally:
        await served.close()
        await plain.close()
        hub.terminate()
        hub.wait()
        if bare is not None:
            bare.terminate()
            bare.wait()
        await store.close()
        engine.stop()

    print(f"scale {scale.name}, {args.samples} samples each")
    for name, rows in report.items():
        print(line(name, rows, over=("hub", "store")) + " (goal <= 2)")
    print(
        line("trace, city cadre", signed_in["trace, city cadre"], over=("cadre", "operator"))
        + " (goal <= 1.15)"
    )
    print(line("token check", signed_in["token check"], over=("cadre", "none")))
    report |= signed_in
    print(json.dumps({"scale": scale.name, "samples": args.samples, "report": report}))


if __name__ == "__main__":
    asyncio.run(main())
