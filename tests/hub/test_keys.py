"""Signing keys: made at first start, rotated safely, cached per process, sealed in the graph."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest
import typer
from joserfc.jwk import RSAKey
from typer.testing import CliRunner

from graphdb import Scope, Store
from graphdb.security import signing_key
from graphdb.security.seal import Sealer
from hub.auth.cli_keys import keys_app
from hub.auth.keys import (
    REFRESH_SECONDS,
    SEAL_PURPOSE,
    KeyCache,
    KeyRing,
    SigningKeyError,
    rotate,
)
from hub.cli import _run
from hub.settings import Settings

SECRET = "tests-only-auth-secret-0123456789"
T0 = 1_790_000_000_000  # epoch ms, late 2026
SECOND, MINUTE, DAY = 1000, 60_000, 86_400_000
LIFETIME = 10 * MINUTE
PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi"}


@pytest.fixture
def sealer() -> Sealer:
    return Sealer(SECRET, SEAL_PURPOSE)


def cache_on(store: Store, sealer: Sealer) -> KeyCache:
    return KeyCache(store, sealer, Settings(issuer="https://hub.test", auth_secret=SECRET))


async def states(store: Store) -> Counter[str]:
    rows = await store.read(signing_key.ALL, scope=Scope.everything())
    return Counter(row["key"]["state"] for row in rows)


def kids(ring: KeyRing) -> list[str]:
    return [key["kid"] for key in ring.jwks()["keys"]]


async def test_first_start_makes_an_active_and_a_next_key_both_published(
    store: Store, sealer: Sealer
) -> None:
    ring = await KeyRing.ensure(store, sealer, now_ms=T0)
    assert ring.next_key is not None
    assert kids(ring) == [ring.signing_key().kid, ring.next_key.kid]
    for published in ring.jwks()["keys"]:
        assert published["alg"] == "RS256"
        assert published["use"] == "sig"
        assert not PRIVATE_MEMBERS & published.keys()
        public = RSAKey.import_key(published)
        assert public.thumbprint() == published["kid"]  # RFC 7638
        assert public.raw_value.key_size == 2048
    for row in await store.read(signing_key.ALL, scope=Scope.everything()):
        assert row["key"]["private_jwk_sealed"].startswith("v1.")
        assert '"d"' not in row["key"]["private_jwk_sealed"] + row["key"]["public_jwk"]
    again = await KeyRing.ensure(store, sealer, now_ms=T0 + MINUTE)
    assert kids(again) == kids(ring)
    assert await states(store) == {"active": 1, "next": 1}


async def test_hubs_starting_together_agree_on_the_key_that_signs(
    store: Store, sealer: Sealer
) -> None:
    rings = await asyncio.gather(*(KeyRing.ensure(store, sealer, now_ms=T0) for _ in range(3)))
    assert len({ring.signing_key().kid for ring in rings}) == 1
    if store.backend == "falkordb":  # one writer per graph: the first keys are written once
        assert await states(store) == {"active": 1, "next": 1}


async def test_a_rotation_signs_with_the_published_next_key_and_keeps_the_old_one(
    store: Store, sealer: Sealer
) -> None:
    before = await KeyRing.ensure(store, sealer, now_ms=T0)
    old, upcoming = before.signing_key().kid, before.next_key
    assert upcoming is not None
    assert upcoming.kid in kids(before)
    report = await rotate(store, sealer, now_ms=T0 + DAY, longest_lifetime_ms=LIFETIME)
    assert report.activated == upcoming.kid
    assert report.retiring == (old,)
    assert report.retire_after == T0 + DAY + LIFETIME + REFRESH_SECONDS * SECOND
    assert report.deleted == ()
    (new_next,) = report.created
    assert report.ring.signing_key().kid == upcoming.kid
    assert kids(report.ring) == [upcoming.kid, new_next, old]
    assert await states(store) == {"active": 1, "next": 1, "retiring": 1}


async def test_a_retiring_key_leaves_the_jwks_at_its_time_and_the_graph_after(
    store: Store, sealer: Sealer
) -> None:
    old = (await KeyRing.ensure(store, sealer, now_ms=T0)).signing_key().kid
    first = await rotate(store, sealer, now_ms=T0 + DAY, longest_lifetime_ms=LIFETIME)
    assert first.retire_after is not None
    until = first.retire_after
    still = await KeyRing.load(store, sealer, now_ms=until - 1)
    assert old in kids(still)
    assert still.verification_key(old) is not None
    gone = await KeyRing.load(store, sealer, now_ms=until)
    assert old not in kids(gone)
    assert gone.verification_key(old) is None
    second = await rotate(store, sealer, now_ms=until, longest_lifetime_ms=LIFETIME)
    assert second.deleted == (old,)
    assert second.retiring == (first.activated,)
    assert await states(store) == {"active": 1, "next": 1, "retiring": 1}


async def test_a_crash_between_the_steps_of_a_rotation_never_leaves_no_signing_key(
    store: Store, sealer: Sealer
) -> None:
    ring = await KeyRing.ensure(store, sealer, now_ms=T0)
    old, upcoming = ring.signing_key().kid, ring.next_key
    assert upcoming is not None
    # The first step of a rotation, then the process dies: two active keys.
    await store.write(signing_key.PROMOTE, {"kid": upcoming.kid, "now": T0 + SECOND})
    torn = await KeyRing.load(store, sealer, now_ms=T0 + 2 * SECOND)
    assert torn.signing_key().kid == upcoming.kid  # the newest active signs
    assert set(kids(torn)) == {old, upcoming.kid}
    assert torn.next_key is None
    # Nothing is promoted that was not published: rotate only makes a next key.
    repaired = await rotate(store, sealer, now_ms=T0 + MINUTE, longest_lifetime_ms=LIFETIME)
    assert repaired.activated is None
    assert len(repaired.created) == 1
    assert repaired.ring.signing_key().kid == upcoming.kid
    report = await rotate(store, sealer, now_ms=T0 + DAY, longest_lifetime_ms=LIFETIME)
    assert report.activated == repaired.created[0]
    assert sorted(report.retiring) == sorted([old, upcoming.kid])


async def test_an_empty_graph_gets_its_first_keys_from_a_rotation(
    store: Store, sealer: Sealer
) -> None:
    report = await rotate(store, sealer, now_ms=T0, longest_lifetime_ms=LIFETIME)
    assert report.activated == report.ring.signing_key().kid
    assert len(report.created) == 2
    assert await states(store) == {"active": 1, "next": 1}


async def test_keys_sealed_with_another_secret_are_refused_with_what_to_do(
    store: Store, sealer: Sealer
) -> None:
    await KeyRing.ensure(store, sealer, now_ms=T0)
    other = Sealer("another-secret-0123456789", SEAL_PURPOSE)
    with pytest.raises(SigningKeyError, match="sealed with another HUB_AUTH_SECRET"):
        await KeyRing.load(store, other, now_ms=T0)


async def test_a_cached_ring_costs_no_round_trip_until_it_is_a_minute_old(
    store: Store, sealer: Sealer
) -> None:
    cache = cache_on(store, sealer)
    ring = await cache.ensure(now_ms=T0)
    with store.round_trips.measure() as count:
        for offset in range(0, REFRESH_SECONDS * SECOND, SECOND):
            assert await cache.current(now_ms=T0 + offset) is ring
            assert await cache.verification_key(ring.signing_key().kid, now_ms=T0 + offset)
    assert count.calls == 0
    with store.round_trips.measure() as count:
        await asyncio.gather(*(cache.current(now_ms=T0 + MINUTE) for _ in range(20)))
    assert count.statements == ["signing_key.all"]  # one reload, however many ask


async def test_a_key_rotated_in_elsewhere_is_found_and_made_up_kids_cost_one_reload(
    store: Store, sealer: Sealer
) -> None:
    here = cache_on(store, sealer)
    await here.ensure(now_ms=T0)
    await rotate(store, sealer, now_ms=T0 + SECOND, longest_lifetime_ms=LIFETIME)
    second = await rotate(store, sealer, now_ms=T0 + 2 * SECOND, longest_lifetime_ms=LIFETIME)
    assert second.activated is not None
    with store.round_trips.measure() as count:
        assert await here.verification_key(second.activated, now_ms=T0 + 3 * SECOND)
    assert count.calls == 1
    with store.round_trips.measure() as count:
        for n in range(200):
            made_up = f"made-up-{n}"
            assert await here.verification_key(made_up, now_ms=T0 + 3 * SECOND + n) is None
    assert count.calls == 0  # the reload a moment ago counts: one per 10 s at most
    with store.round_trips.measure() as count:
        assert await here.verification_key("made-up", now_ms=T0 + 13 * SECOND) is None
        assert await here.verification_key("made-up-too", now_ms=T0 + 14 * SECOND) is None
    assert count.calls == 1


def cli(data_dir: Path) -> tuple[CliRunner, typer.Typer, dict[str, str]]:
    app = typer.Typer()
    app.add_typer(keys_app(_run), name="keys")  # as hub.cli registers it
    env = {"HUB_DATA_DIR": str(data_dir), "HUB_AUTH_SECRET": SECRET, "COLUMNS": "200"}
    return CliRunner(), app, env


def test_hub_keys_rotate_and_list(data_dir: Path) -> None:
    runner, app, env = cli(data_dir)
    empty = runner.invoke(app, ["keys", "list"], env=env)
    assert empty.exit_code == 0, empty.output
    assert "no signing keys yet" in empty.stdout
    first = runner.invoke(app, ["keys", "rotate"], env=env)
    assert first.exit_code == 0, first.output
    signing = first.stdout.split(" signs from now on")[0].strip()
    assert f"{signing} │ active (signs)" in first.stdout
    second = runner.invoke(app, ["keys", "rotate"], env=env)
    assert second.exit_code == 0, second.output
    assert f"; {signing} published until " in second.stdout
    listed = runner.invoke(app, ["keys", "list"], env=env)
    assert listed.exit_code == 0, listed.output
    rows = [line.split("│") for line in listed.stdout.splitlines() if "│" in line]
    assert [row[2].strip() for row in rows] == ["active (signs)", "next", "retiring"]
    wrong = runner.invoke(app, ["keys", "list"], env={**env, "HUB_AUTH_SECRET": "x" * 20})
    assert wrong.exit_code == 1
    assert "Traceback" not in wrong.output
    assert wrong.stderr.startswith("error: the signing keys in the graph were sealed with another")
