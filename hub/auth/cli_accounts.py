"""``hub accounts add``: give a person an account to sign in with.

The person is found by their ID number (its keyed hash) and must have the
phone on record (ID number and phone, checked together); the password is asked
for at the prompt, twice, and never echoed or kept in clear. Runs through the
``hub`` command's own runner (``hub.cli._run``), handed in by ``hub.cli``.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from connectors import IdentityHasher
from graphdb import migrate
from hub.auth.accounts import AccountError, Accounts
from hub.runtime import Runtime

Work = Callable[[Runtime], Coroutine[Any, Any, None]]
_out = Console(soft_wrap=True)
_err = Console(stderr=True, soft_wrap=True)


def accounts_app(run: Callable[[Work], None]) -> typer.Typer:
    """The ``accounts`` sub-command, its work done by ``run`` (``hub.cli._run``)."""
    accounts = typer.Typer(help="Accounts people sign in with.", no_args_is_help=True)

    @accounts.command("add")
    def add(
        id_number: Annotated[str, typer.Option(help="the person's 18-character ID number")],
        phone: Annotated[str, typer.Option(help="the person's mobile number, as on record")],
        password: Annotated[
            str,
            typer.Option(
                prompt=True,
                hide_input=True,
                confirmation_prompt=True,
                help="10 characters or more; asked for at the prompt when not given",
            ),
        ],
    ) -> None:
        """Give the person with this ID number and phone an account (or a new password)."""

        async def work(runtime: Runtime) -> None:
            settings = runtime.settings
            async with runtime.opened() as store:
                await migrate(store)
                hasher = IdentityHasher(settings.pii_key.get_secret_value())
                made = Accounts(store, hasher, settings.auth_secret.get_secret_value())
                try:
                    account = await made.register(id_number, phone, password)
                except AccountError as refused:
                    _err.print(f"[red]error:[/] {escape(str(refused))}")
                    raise typer.Exit(1) from None
            _out.print(
                f"account {account.id} for {escape(account.name)} ({account.phone_masked}), "
                f"a {account.role}" + (f" of {', '.join(account.orgs)}" if account.orgs else "")
            )

        run(work)

    return accounts
