"""``hub accounts add``: the person found by ID number, checked by phone, the password prompted."""

from __future__ import annotations

import asyncio

import typer
from typer.testing import CliRunner

from connectors.synthetic import SyntheticProvince
from connectors.synthetic.identifiers import phone
from graphdb import Endpoint
from graphdb.security.audit import PiiKeys
from hub.auth.cli_accounts import accounts_app
from hub.cli import _run
from tests.conftest import open_store
from tests.fixtures.secrets import TEST_PII_KEY
from tests.fixtures.sign_on import signing_on


def test_add_prompts_for_the_password_and_refuses_a_phone_not_on_record(
    engine: Endpoint, seeded_graph: str, province: SyntheticProvince, pii_keys: PiiKeys
) -> None:
    assert engine.unix_socket is not None
    app = typer.Typer()
    app.add_typer(accounts_app(_run), name="accounts")
    env = {
        "HUB_DATA_DIR": engine.unix_socket.rsplit("/falkordb/", 1)[0],
        "HUB_GRAPH_NAME": seeded_graph,
        "HUB_PII_KEY": TEST_PII_KEY,
        "COLUMNS": "200",
    }
    person = next(province.people())
    raw_id = pii_keys.sealer.open(person["props"]["id_number_sealed"])
    own_phone = phone(int(person["id"][1:]) - 1)
    try:
        added = CliRunner().invoke(
            app,
            ["accounts", "add", "--id-number", raw_id, "--phone", own_phone],
            env=env,
            input="a long password\na long password\n",
        )
        assert added.exit_code == 0, added.output
        assert "a long password" not in added.output
        assert f"{own_phone[:3]}****{own_phone[-4:]}" in added.output
        refused = CliRunner().invoke(
            app,
            ["accounts", "add", "--id-number", raw_id, "--phone", phone(1)],
            env=env,
            input="a long password\na long password\n",
        )
        assert refused.exit_code == 1
        assert "error: this phone is not the one on record" in " ".join(refused.output.split())
        assert raw_id not in refused.output
    finally:
        asyncio.run(_forget_accounts(engine, seeded_graph))


async def _forget_accounts(engine: Endpoint, graph: str) -> None:
    store = open_store("falkordb", engine, graph)
    async with signing_on(store):
        pass
    await store.close()
