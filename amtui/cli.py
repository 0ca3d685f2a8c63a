"""The ``amtui`` command line: quick commands, imports/exports, the digest.

Start-up matters here (cron, quick commands between calls): this module and
the command modules import only typer; each command imports what it needs.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from amtui import __version__
from amtui.commands import alerts, clients, database, records, reports, transfer, work
from amtui.commands.common import CliState
from amtui.commands.errors import AmtuiGroup

app = typer.Typer(
    name="amtui",
    cls=AmtuiGroup,
    help="A keyboard-first assistant for a key-account manager. Run without a command to open the TUI.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"amtui {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database file (or SQLAlchemy URL). Default: $AMTUI_DATABASE_URL, $AMTUI_DB, config, user data dir.",
            metavar="PATH",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    ctx.obj = CliState(db=db)
    if ctx.invoked_subcommand is None:
        # Only the TUI pays for textual.
        from amtui.app import run_tui
        from amtui.config import resolve_db_url

        run_tui(resolve_db_url(db))


clients.register(app)
work.register(app)
reports.register(app)
records.register(app)
database.register(app)
alerts.register(app)
transfer.register(app)


def main() -> None:
    try:
        app(prog_name="amtui")
    except KeyboardInterrupt:
        sys.stderr.write("amtui: interrupted\n")
        sys.exit(130)
