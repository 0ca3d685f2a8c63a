"""The ``amtui`` command line built with Typer: quick commands, imports/exports, the digest.

Start-up matters here (cron, quick commands between calls): this module and
the command modules import only typer; each command imports what it needs.
The entry point (``amtui.cli.main``) imports this module only when a command
(or help) is asked for: the TUI starts without Typer.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Annotated, Any

import typer

from amtui import __version__
from amtui.commands import coercion
from amtui.commands.common import CliState
from amtui.commands.errors import AmtuiGroup
from amtui.commands.output import guarded_output
from amtui.commands.usage import install as _translate_click
from amtui.i18n import _

# Option values converted without pydantic where Typer's own adapters are not needed (see coercion).
coercion.install()
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
        from amtui.db import DatabaseError, check_database

        url, is_default = resolve_db(db)
        try:
            check_database(url, create=is_default)  # a mistyped --db: an error, not a new database
        except DatabaseError as exc:
            typer.echo(_("amtui: error: {message}").format(message=exc), err=True)
            raise typer.Exit(1) from None
        from amtui.app import run_tui

        run_tui(url, settings=load_settings())


# The command modules (amtui/commands/NAME.py), each with ``register(app)``, in the order of the help.
MODULE_NAMES = ("clients", "work", "reports", "records", "database", "alerts", "transfer", "portfolio")
# Which module registers each top-level command, so that a run imports and builds only that module
# (tests/test_cli.py keeps this equal to what the modules register; a command missing here still
# works, through the whole command line).
COMMAND_MODULES = {
    "search": "clients",
    "client": "clients",
    "contact": "clients",
    "log": "work",
    "plan": "work",
    "planned": "work",
    "task": "work",
    "report": "reports",
    "note": "records",
    "contract": "records",
    "invoice": "records",
    "deal": "records",
    "target": "records",
    "complaint": "records",
    "init": "database",
    "backup": "database",
    "demo": "database",
    "db": "database",
    "digest": "alerts",
    "today": "alerts",
    "alerts": "alerts",
    "snooze": "alerts",
    "dismiss": "alerts",
    "unmark": "alerts",
    "import": "transfer",
    "export": "transfer",
    "kpi": "portfolio",
    "abc": "portfolio",
    "summary": "portfolio",
    "rate": "portfolio",
}


def module(name: str) -> ModuleType:
    return importlib.import_module(f"amtui.commands.{name}")


def all_modules() -> tuple[ModuleType, ...]:
    return tuple(module(name) for name in MODULE_NAMES)


def build_app(modules: tuple[ModuleType, ...] | None = None) -> typer.Typer:
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
    for each in all_modules() if modules is None else modules:
        each.register(cli)
    return cli


def _owners() -> dict[str, ModuleType]:
    """Each top-level command's module, as the modules register them (what COMMAND_MODULES says)."""
    owners: dict[str, ModuleType] = {}
    for each in all_modules():
        probe = typer.Typer()
        each.register(probe)
        names = [info.name for info in probe.registered_commands] + [info.name for info in probe.registered_groups]
        owners.update((name, each) for name in names if name)
    return owners


def app_for(command: str | None) -> tuple[typer.Typer, bool]:
    """The command line to run for ``command`` (the first word given): only its own module's commands
    when it is known, else all of them (help, a mistyped command). The flag says which."""
    name = COMMAND_MODULES.get(command or "")
    if name is None:
        return __getattr__("app"), False
    return build_app((module(name),)), True


def __getattr__(name: str) -> Any:
    # The whole command line (help, completion, tests) is built on first use, the command modules
    # imported on first use (``root.clients``).
    if name == "app":
        built = build_app()
        globals()["app"] = built
        return built
    if name in MODULE_NAMES:
        return module(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
