"""``hub keys``: list and rotate the keys that sign the hub's tokens.

A rotation publishes a new next key and makes the previous next key sign; run
it on a schedule (monthly, say) no more often than relying parties refresh the
JWKS, so each key is in their cache before it signs. The retiring key stays
published for the longest token lifetime (``HUB_ACCESS_TOKEN_MINUTES``).

:func:`keys_app` takes the ``hub`` command's runner (settings, engine, errors
as one line), so that this module need not import the command it joins.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from graphdb import migrate
from hub.auth.keys import KeyRing, RotationReport, key_sealer, rotate
from hub.runtime import Runtime

Work = Callable[[Runtime], Coroutine[Any, Any, None]]
output = Console(soft_wrap=True)


def keys_app(run: Callable[[Work], None]) -> typer.Typer:
    """The ``keys`` commands, each run by ``run`` (``hub.cli``'s ``_run``)."""
    app = typer.Typer(help="The keys that sign tokens (JWKS): list, rotate.", no_args_is_help=True)

    @app.command("list")
    def list_keys() -> None:
        """Show the published signing keys: which signs, which is next, which retire when."""

        async def work(runtime: Runtime) -> None:
            async with runtime.opened() as store:
                ring = await KeyRing.load(store, key_sealer(runtime.settings), now_ms=_now_ms())
            if not ring.keys:
                output.print("no signing keys yet: the hub makes them when it starts")
                return
            output.print(_table(ring))

        run(work)

    @app.command("rotate")
    def rotate_keys() -> None:
        """The next key starts signing, the active one retires, a new next key is published."""

        async def work(runtime: Runtime) -> None:
            settings = runtime.settings
            async with runtime.opened() as store:
                await migrate(store)
                report = await rotate(
                    store,
                    key_sealer(settings),
                    now_ms=_now_ms(),
                    longest_lifetime_ms=settings.access_token_minutes * 60_000,
                )
            output.print(_summary(report))
            output.print(_table(report.ring))

        run(work)

    return app


def _summary(report: RotationReport) -> str:
    if report.activated is None:
        return (
            "no key was ready to sign: made the next key, which rotate will make sign "
            "once relying parties have it"
        )
    said = [f"{report.activated} signs from now on"]
    if report.retiring and report.retire_after is not None:
        said.append(f"{', '.join(report.retiring)} published until {_at(report.retire_after)}")
    if report.deleted:
        said.append(f"deleted {', '.join(report.deleted)}")
    return "; ".join(said)


def _table(ring: KeyRing) -> Table:
    table = Table("kid", "state", "created", "signs since", "published until")
    active = ring.active.kid if ring.active else None
    for key in ring.keys:
        state = "active (signs)" if key.kid == active else key.state
        table.add_row(
            key.kid,
            state,
            _at(key.created_at),
            _at(key.activated_at),
            _at(key.retire_after) if key.state == "retiring" else "",
        )
    return table


def _at(ms: int | None) -> str:
    if ms is None:
        return ""
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _now_ms() -> int:
    return time.time_ns() // 1_000_000
