"""Fixtures of the hub's tests: a place to sign on (the demo's people and clients)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from connectors import IdentityHasher
from graphdb import Endpoint, Store
from hub.auth.accounts import Accounts
from hub.auth.clients import ClientRegistry
from hub.auth.demo import provision_demo
from hub.settings import DEMO_AUTH_SECRET
from tests.fixtures.hub import hub_client
from tests.fixtures.oauth import RP_SCOPES, Place, redirect_uri
from tests.fixtures.secrets import TEST_PII_KEY
from tests.fixtures.sign_on import signing_on


@pytest.fixture
async def place(
    engine: Endpoint, seeded_graph: str, seeded: Store, hasher: IdentityHasher, tmp_path: Path
) -> AsyncIterator[Place]:
    """The hub over the seeded province, with the demo's accounts and partner client, a
    confidential relying platform and a public app; all removed afterwards."""
    async with signing_on(seeded) as store:
        registry = ClientRegistry(store)
        accounts = Accounts(store, hasher, DEMO_AUTH_SECRET)
        demo = await provision_demo(store, hasher, tmp_path, registry, accounts)
        rp, secret = await registry.add(
            "Volunteer platform", "confidential", RP_SCOPES, [redirect_uri()]
        )
        public, _ = await registry.add("Youth app", "public", RP_SCOPES, [redirect_uri()])
        assert secret is not None
        async with hub_client(engine, seeded_graph, operator=False, pii_key=TEST_PII_KEY) as http:
            yield Place(http, demo, rp.client_id, secret, public.client_id)
