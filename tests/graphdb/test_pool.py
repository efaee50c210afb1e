"""The FalkorDB store's pool: a burst waits its turn; a pool held too long answers busy."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from graphdb import (
    EmbeddedEngine,
    GraphBusy,
    GraphUnavailable,
    Scope,
    Store,
    connect,
    parse_graph_url,
)
from graphdb.domain import member, organization
from graphdb.falkordb_backend import Endpoint

EVERYTHING = Scope.everything()
FALKORDB_ONLY = pytest.mark.parametrize("backend", ["falkordb"], indirect=True)


def small_pool(engine: Endpoint, graph: str, timeout: float) -> Store:
    return connect(
        parse_graph_url("embedded"), graph=graph, embedded=engine, pool_size=2, pool_timeout=timeout
    )


@FALKORDB_ONLY
async def test_fifty_concurrent_reads_on_two_connections_all_answer(
    engine: Endpoint, seeded_graph: str
) -> None:
    store = small_pool(engine, seeded_graph, timeout=5.0)
    keys = [f"P{number:08d}" for number in range(1, 51)]
    try:
        at_rest = {
            key: await store.read(member.BY_IDS, {"ids": [key]}, scope=EVERYTHING) for key in keys
        }
        assert all(len(rows) == 1 for rows in at_rest.values())
        answers = await asyncio.gather(
            *(store.read(member.BY_IDS, {"ids": [key]}, scope=EVERYTHING) for key in keys)
        )
    finally:
        await store.close()
    assert dict(zip(keys, answers, strict=True)) == at_rest


@FALKORDB_ONLY
async def test_a_read_that_finds_every_connection_held_says_busy_after_the_timeout(
    engine: Endpoint, seeded_graph: str
) -> None:
    store = small_pool(engine, seeded_graph, timeout=0.3)
    expected = await store.read(organization.COUNT_BY_LEVEL)
    await store.close()
    store = small_pool(engine, seeded_graph, timeout=0.3)
    pause = engine.client()
    # The engine holds every command for 3 s: the first two reads each keep a
    # connection while they wait, and the third finds none free.
    pause.client_pause(3000, all=True)
    try:
        first = asyncio.ensure_future(store.read(organization.COUNT_BY_LEVEL))
        second = asyncio.ensure_future(store.read(organization.COUNT_BY_LEVEL))
        await asyncio.sleep(0.1)
        started = time.monotonic()
        with pytest.raises(GraphBusy, match=r"all 2 connections .* in use for 0\.3 s; retry"):
            await store.read(organization.COUNT_BY_LEVEL)
        waited = time.monotonic() - started
    finally:
        pause.client_unpause()
        pause.close()
    assert 0.3 <= waited < 2.0
    assert await first == await second == expected  # the two that held connections answer
    assert await store.read(organization.COUNT_BY_LEVEL) == expected  # and the pool is whole
    await store.close()


async def test_pooled_connections_to_an_engine_that_went_away_say_unavailable(
    tmp_path: Path,
) -> None:
    engine = EmbeddedEngine(tmp_path)
    endpoint = engine.start()
    store = connect(parse_graph_url("embedded"), graph="gone", embedded=endpoint)
    await asyncio.gather(*(store.read(organization.COUNT_BY_LEVEL) for _ in range(4)))
    engine.stop()  # its unix socket is removed with it
    for _ in range(3):  # a stale connection, then fresh ones to a socket that is not there
        with pytest.raises(GraphUnavailable, match="does not answer") as raised:
            await store.read(organization.COUNT_BY_LEVEL)
        assert not isinstance(raised.value, GraphBusy)
    with pytest.raises(GraphUnavailable, match="does not answer"):
        await store.ping()
    await store.close()
