"""``hub clients add|list|revoke``: register the partner agencies and platforms that call the hub.

The commands run through the ``hub`` command's own runner (``hub.cli._run``:
settings, the engine, one event loop, errors as one line), handed to
:func:`clients_app` by ``hub.cli`` so that this module need not import it
back. A secret is printed once, at ``add``, and is kept nowhere in clear.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from graphdb import migrate
from hub.auth.clients import KNOWN_SCOPES, ClientError, ClientRegistry
from hub.runtime import Runtime

T = TypeVar("T")
Work = Callable[[Runtime], Coroutine[Any, Any, None]]
Run = Callable[[Work], None]

_out = Console(soft_wrap=True)
_err = Console(stderr=True, soft_wrap=True)


def clients_app(run: Run) -> typer.Typer:
    """The ``clients`` sub-command, its work done by ``run`` (``hub.cli._run``)."""
    clients = typer.Typer(
        help="OAuth clients: partner agencies and platforms allowed to ask for tokens.",
        no_args_is_help=True,
    )

    @clients.command("add")
    def add(
        name: Annotated[str, typer.Option(help="who the client is, as people know it")],
        client_type: Annotated[
            str,
            typer.Option(
                "--type",
                help="confidential (a partner agency or server, with a secret) or "
                "public (an app: no secret, PKCE only)",
            ),
        ],
        scope: Annotated[
            list[str],
            typer.Option(help=f"a scope it may ask for (repeat): {' '.join(KNOWN_SCOPES)}"),
        ],
        redirect_uri: Annotated[
            list[str] | None,
            typer.Option(help="an exact https URL it receives codes at (repeat)"),
        ] = None,
        subtree: Annotated[
            list[str] | None,
            typer.Option(help="an organisation whose subtree its own tokens may see (repeat)"),
        ] = None,
        pairwise: Annotated[
            bool, typer.Option(help="give it pairwise subjects, unlinkable to other clients'")
        ] = False,
    ) -> None:
        """Register a client; its secret is printed once and cannot be shown again."""

        async def work(runtime: Runtime) -> None:
            async with runtime.opened() as store:
                await migrate(store)  # the client_id key, on a graph never served yet
                client, secret = await _refusing_bad_input(
                    ClientRegistry(store).add(
                        name,
                        client_type,
                        scope,
                        redirect_uri or (),
                        subtree or (),
                        "pairwise" if pairwise else "public",
                    )
                )
            _out.print(f"client_id:     {client.client_id}")
            if secret is not None:
                _out.print(f"client_secret: {secret}", highlight=False)
                _err.print(
                    "[yellow]note:[/] the secret is shown this once and cannot be shown again: "
                    "store it now (if lost, revoke the client and add a new one)"
                )

        run(work)

    @clients.command("list")
    def list_clients() -> None:
        """Every client with its scopes, redirect URIs and subtree (never a secret)."""

        async def work(runtime: Runtime) -> None:
            async with runtime.opened() as store:
                found = await ClientRegistry(store).list()
            table = Table(
                "client_id", "name", "type", "scopes", "redirect URIs", "subtree", "sub", "state"
            )
            for client in found:
                table.add_row(
                    client.client_id,
                    escape(client.name),
                    client.client_type,
                    " ".join(client.scopes),
                    "\n".join(escape(uri) for uri in client.redirect_uris),
                    " ".join(client.subtree) or "none",
                    client.subject_type,
                    _state(client.revoked_at),
                )
            _out.print(table if found else "no clients yet: add one with hub clients add")

        run(work)

    @clients.command("revoke")
    def revoke(client_id: Annotated[str, typer.Argument(help="the client to revoke")]) -> None:
        """Revoke a client for good: it gets no more tokens."""

        async def work(runtime: Runtime) -> None:
            async with runtime.opened() as store:
                revoked = await ClientRegistry(store).revoke(client_id)
            if not revoked:
                _err.print(
                    f"[red]error:[/] no client has the id {escape(client_id)!r}: "
                    "see hub clients list"
                )
                raise typer.Exit(1)
            _out.print(f"revoked {client_id}")

        run(work)

    return clients


async def _refusing_bad_input(registering: Coroutine[Any, Any, T]) -> T:
    try:
        return await registering
    except ClientError as refused:
        _err.print(f"[red]error:[/] {escape(str(refused))}")
        raise typer.Exit(1) from None


def _state(revoked_at: int | None) -> str:
    if revoked_at is None:
        return "active"
    return f"revoked {datetime.fromtimestamp(revoked_at / 1000, UTC):%Y-%m-%d %H:%M} UTC"
