"""Tokens for the hub's operators and tools, minted from the key ring without a client.

Analysts' scripts, benchmarks and tests need a token without a browser or a
registered client: ``hub token`` (and :func:`operator_token`) signs one with the
active key, for the scopes and subtrees asked, with ``client_id``
``hub-operator``. Whoever can run ``hub`` on the graph can read it anyway; the
token only carries that into HTTP, for at most the access-token lifetime.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Coroutine, Sequence
from typing import Annotated, Any

import typer

from graphdb import Store
from graphdb.domain import organization
from hub.auth import tokens
from hub.auth.keys import KeyCache, key_sealer
from hub.runtime import Runtime
from hub.settings import Settings
from schema.caller import READ_SCOPES

OPERATOR = "hub-operator"
Work = Callable[[Runtime], Coroutine[Any, Any, None]]


async def operator_token(
    store: Store,
    settings: Settings,
    *,
    scopes: Sequence[str] = READ_SCOPES,
    orgs: Sequence[str] = (),
    subject: str = OPERATOR,
) -> str:
    """A token for ``scopes`` over the subtrees of ``orgs`` (none: the root, the whole tree)."""
    keys = KeyCache(store, key_sealer(settings), settings)
    ring = await keys.ensure()
    roots = orgs or [row["id"] for row in await store.read(organization.ROOTS)]
    return tokens.issue_access_token(
        ring,
        issuer=settings.issuer_url,
        audience=settings.token_audience,
        subject=subject,
        client_id=OPERATOR,
        scope=" ".join(scopes),
        orgs=list(roots),
        person_id=None,
        lifetime_s=settings.access_token_minutes * 60,
        now_s=int(time.time()),
    ).token


def token_command(run: Callable[[Work], None]) -> Callable[..., None]:
    """``hub token``: an operator's token on standard output, for scripts and the IDE."""

    def token(
        scope: Annotated[
            list[str] | None,
            typer.Option("--scope", help="a scope to grant (repeat); default: every read scope"),
        ] = None,
        org: Annotated[
            list[str] | None,
            typer.Option(
                "--org",
                help="an organisation whose subtree it sees (repeat); "
                "default: the root, the whole tree",
            ),
        ] = None,
    ) -> None:
        """Print a token for the GraphQL endpoint (valid HUB_ACCESS_TOKEN_MINUTES), signed by
        the hub's keys: for scripts, benchmarks and the IDE's Authorization header."""

        unknown = set(scope or ()) - set(READ_SCOPES)
        if unknown:
            raise typer.BadParameter(
                f"unknown scope {', '.join(sorted(unknown))}; use {' '.join(READ_SCOPES)}"
            )

        async def work(runtime: Runtime) -> None:
            async with runtime.opened() as store:
                print(
                    await operator_token(
                        store, runtime.settings, scopes=scope or READ_SCOPES, orgs=org or ()
                    )
                )

        run(work)

    return token
