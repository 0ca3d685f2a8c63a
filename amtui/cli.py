"""The ``amtui`` command line: quick commands, imports/exports, the digest.

Start-up matters here (cron, quick commands between calls): this module and
the command modules import only typer; each command imports what it needs.
"""

from __future__ import annotations

import contextlib
import os
import sys
from types import ModuleType
from typing import Annotated, NoReturn

import typer

from amtui import __version__
from amtui.commands import alerts, clients, database, portfolio, records, reports, transfer, work
from amtui.commands.common import CliState
from amtui.commands.errors import AmtuiGroup
from amtui.commands.output import guarded_output
from amtui.commands.usage import install as _translate_click
from amtui.i18n import _

_translate_click()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"amtui {__version__}")
        raise typer.Exit()


def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help=_(
                "Database file (or SQLAlchemy URL). Default: $AMTUI_DATABASE_URL, $AMTUI_DB, config, user data dir."
            ),
            metavar="PATH",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help=_("Show the version and exit."))
    ] = False,
) -> None:
    ctx.obj = CliState(db=db)
    if ctx.invoked_subcommand is not None:
        # No control character from the data reaches the terminal (see commands.output).
        ctx.with_resource(guarded_output())
    if ctx.invoked_subcommand is None:
        # Only the TUI pays for textual.
        from amtui.config import load_settings, resolve_db
        from amtui.db import DatabaseError, make_engine

        url, is_default = resolve_db(db)
        try:
            make_engine(url, create=is_default).dispose()  # a mistyped --db: an error, not a new database
        except DatabaseError as exc:
            typer.echo(_("amtui: error: {message}").format(message=exc), err=True)
            raise typer.Exit(1) from None
        from amtui.app import run_tui

        run_tui(url, settings=load_settings())


MODULES: tuple[ModuleType, ...] = (clients, work, reports, records, database, alerts, transfer, portfolio)


def build_app(modules: tuple[ModuleType, ...] = MODULES) -> typer.Typer:
    cli = typer.Typer(
        name="amtui",
        cls=AmtuiGroup,
        help=_("A keyboard-first assistant for a key-account manager. Run without a command to open the TUI."),
        no_args_is_help=False,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    cli.callback(invoke_without_command=True)(root)
    for module in modules:
        module.register(cli)
    return cli


# The whole command line: help, completion, tests.
app = build_app()


def _owners() -> dict[str, ModuleType]:
    owners: dict[str, ModuleType] = {}
    for module in MODULES:
        probe = typer.Typer()
        module.register(probe)
        names = [info.name for info in probe.registered_commands] + [info.name for info in probe.registered_groups]
        owners.update((name, module) for name in names if name)
    return owners


def _subcommand(argv: list[str]) -> str | None:
    """The command named on the command line, skipping the root options (``--db PATH``)."""
    arguments = iter(argv)
    for argument in arguments:
        if argument == "--db":
            next(arguments, None)
        elif not argument.startswith("-"):
            return argument
    return None


def main() -> None:
    # Typer turns every registered command's signature into a click command on each run
    # (~80 ms for all of them); a run of one command only needs its own module's.
    if "_AMTUI_COMPLETE" in os.environ:
        # Shell completion (`eval "$(_AMTUI_COMPLETE=source_bash amtui)"` in ~/.bashrc; zsh, fish
        # likewise): the app is built without the --install-completion options, so register the shells.
        from typer._completion_classes import completion_init

        completion_init()
    module = _owners().get(_subcommand(sys.argv[1:]) or "")
    cli = build_app((module,)) if module is not None else app
    try:
        if _subcommand(sys.argv[1:]) is None:  # help, or the TUI: the terminal is Textual's
            cli(prog_name="amtui")
        else:
            with guarded_output():  # usage errors quote the command line
                cli(prog_name="amtui")
    except KeyboardInterrupt:
        sys.stderr.write(_("amtui: interrupted") + "\n")
        sys.exit(130)
    except SystemExit as finished:
        if module is None:  # help, or the TUI: the usual exit
            raise
        _exit_now(finished.code)


def _exit_now(code: object) -> NoReturn:
    """End a finished command without tearing the interpreter down (~60-90 ms of module and object
    clean-up that a short command never needs): close the databases, flush the output, exit."""
    if code is None:
        code = 0
    elif not isinstance(code, int):  # sys.exit("message"): say it, as Python would
        sys.stderr.write(f"{code}\n")
        code = 1
    db = sys.modules.get("amtui.db")
    if db is not None:
        db.dispose_all()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (| head) has nothing left to say
            stream.flush()
    os._exit(code)
