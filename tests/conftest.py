"""Shared fixtures: one real embedded engine for the session, stores on it, a seeded province.

Backends: every store fixture runs on the embedded FalkorDB; with ``NEO4J_URI``
set (and ``NEO4J_PASSWORD``, optionally ``NEO4J_USER``/``NEO4J_DATABASE``) the
same tests run on Neo4j too, otherwise those runs are reported as skipped.
Neo4j tests wipe the database they are given: point them at a scratch one.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from connectors import IdentityHasher
from connectors.synthetic import SCALES, SyntheticProvince, seed
from graphdb import EmbeddedEngine, Endpoint, Store, connect, migrate, parse_graph_url
from graphdb.domain import organization
from graphdb.security.audit import PiiKeys
from tests.fixtures.province_graph import ProvinceGraph, rebuild
from tests.fixtures.secrets import TEST_PII_KEY

SEEDED_SCALE = SCALES["tiny"]
SEEDED_SEED = 7
NEO4J_SKIP = "NEO4J_URI is not set: the Neo4j backend run of this test was skipped"

BACKENDS = ["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)]


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Endpoint]:
    """The embedded engine, started once for the session and stopped after it."""
    with EmbeddedEngine(tmp_path_factory.mktemp("engine")) as endpoint:
        yield endpoint


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    if name == "neo4j" and not os.environ.get("NEO4J_URI"):
        pytest.skip(NEO4J_SKIP)
    return name


def open_store(backend: str, engine: Endpoint, graph: str) -> Store:
    if backend == "neo4j":
        url = os.environ["NEO4J_URI"]
        if os.environ.get("NEO4J_DATABASE"):
            url = f"{url.rstrip('/')}/{os.environ['NEO4J_DATABASE']}"
        return connect(
            parse_graph_url(url),
            graph=graph,
            neo4j_user=os.environ.get("NEO4J_USER", "neo4j"),
            neo4j_password=os.environ.get("NEO4J_PASSWORD", "neo4j"),
        )
    return connect(parse_graph_url("embedded"), graph=graph, embedded=engine)


@pytest.fixture
async def store(backend: str, engine: Endpoint) -> AsyncIterator[Store]:
    """An empty graph of its own, migrated, deleted afterwards."""
    opened = open_store(backend, engine, f"test_{uuid.uuid4().hex[:12]}")
    await opened.clear()
    await migrate(opened)
    yield opened
    await opened.clear()
    await opened.close()


@pytest.fixture(scope="session")
def hasher() -> IdentityHasher:
    return IdentityHasher(TEST_PII_KEY)


@pytest.fixture(scope="session")
def pii_keys() -> PiiKeys:
    """``HUB_PII_KEY`` as a request's context holds it: the seal of raw values, the record hash."""
    return PiiKeys(TEST_PII_KEY)


@pytest.fixture(scope="session")
def province(hasher: IdentityHasher, pii_keys: PiiKeys) -> SyntheticProvince:
    """The seeded province, its raw ID numbers and phones sealed as a real source's are."""
    return SyntheticProvince(SEEDED_SCALE, SEEDED_SEED, hasher, sealer=pii_keys.sealer)


@pytest.fixture(scope="session")
def province_graph(province: SyntheticProvince) -> ProvinceGraph:
    """The seeded province rebuilt from the generator's rows, to check answers against."""
    return rebuild(province)


@pytest.fixture(scope="session")
def seeded_graph(backend: str, engine: Endpoint, province: SyntheticProvince) -> str:
    """The name of a graph holding the tiny province, seeded once per session and backend."""
    name = "seeded_tiny"

    async def load() -> None:
        target = open_store(backend, engine, name)
        try:
            await target.clear()
            await migrate(target)
            await seed(target, province)
        finally:
            await target.close()

    asyncio.run(load())
    return name


@pytest.fixture
async def seeded(
    backend: str, engine: Endpoint, seeded_graph: str, province: SyntheticProvince
) -> AsyncIterator[Store]:
    """A store on the seeded tiny province; tests only read from it."""
    opened = open_store(backend, engine, seeded_graph)
    if backend == "neo4j" and len(await opened.read(organization.COUNT_BY_LEVEL)) != 5:
        await opened.clear()  # another test wiped the shared Neo4j database: load it again
        await migrate(opened)
        await seed(opened, province)
    yield opened
    await opened.close()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "hub-data"
