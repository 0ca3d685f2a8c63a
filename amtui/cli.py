"""The ``amtui`` entry point.

Start-up matters: a bare ``amtui`` (or ``amtui --db PATH``) opens the TUI without importing Typer,
pydantic or SQLAlchemy (the first screen is on the terminal before the database layer has loaded);
a command builds only its own module's part of the command line (:mod:`amtui.commands.root`).
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from typing import Any, NoReturn


def _subcommand(argv: list[str]) -> str | None:
    """The command named on the command line, skipping the root options (``--db PATH``)."""
    arguments = iter(argv)
    for argument in arguments:
        if argument == "--db":
            next(arguments, None)
        elif not argument.startswith("-"):
            return argument
    return None


def _tui_only(argv: list[str]) -> tuple[bool, str | None]:
    """Whether the command line only opens the TUI (nothing, ``--db PATH``, ``--db=PATH``), and the
    ``--db`` given. Anything else (help, a command, a mistake) goes through Typer."""
    if not argv:
        return True, None
    if len(argv) == 2 and argv[0] == "--db" and argv[1] and not argv[1].startswith("-"):
        return True, argv[1]
    if len(argv) == 1 and argv[0].startswith("--db=") and len(argv[0]) > len("--db="):
        return True, argv[0][len("--db=") :]
    return False, None


def open_tui(db: str | None) -> None:
    """``amtui [--db PATH]``: the database checked as the command line checks it (a mistyped
    ``--db`` is an error, not a new database), then the TUI."""
    from amtui.config import ConfigError, load_settings, resolve_db
    from amtui.db import DatabaseError, check_database

    try:
        url, is_default = resolve_db(db)
        check_database(url, create=is_default)
        settings = load_settings()
    except (ConfigError, DatabaseError) as exc:
        from amtui.i18n import _

        sys.stderr.write(_("amtui: error: {message}").format(message=exc) + "\n")
        raise SystemExit(1) from None
    from amtui.app import run_tui

    run_tui(url, settings=settings)


def main() -> None:
    argv = sys.argv[1:]
    tui, db = _tui_only(argv)
    if tui and "_AMTUI_COMPLETE" not in os.environ:
        try:
            open_tui(db)
        except KeyboardInterrupt:
            sys.stderr.write(_interrupted() + "\n")
            sys.exit(130)
        return
    _run_command_line(argv)


# Read-only commands whose work is the alert engine's rows and alerts (tens of thousands of tuples at ten
# times the large demo, none in a reference cycle: reference counting frees them). The cyclic collector
# would walk them again and again to free nothing (~240 ms of ``amtui digest`` at 10x), so it is off for
# the run, which ends with the command (:func:`_exit_now`).
UNCOLLECTED_COMMANDS = frozenset({"digest", "alerts", "today"})


def _run_command_line(argv: list[str]) -> None:
    command = _subcommand(argv)
    if command in UNCOLLECTED_COMMANDS:
        gc.disable()
    if command == "digest":
        from amtui.commands.plain import plain_digest_options, print_digest, use_colour

        plain = plain_digest_options(argv)
        if plain is not None and not (plain[1] == "text" and use_colour()):  # rich draws on a terminal
            try:
                print_digest(*plain, exit_now=_exit_now)
            except KeyboardInterrupt:
                sys.stderr.write(_interrupted() + "\n")
                sys.exit(130)
    if "_AMTUI_COMPLETE" in os.environ:
        # Shell completion (`eval "$(_AMTUI_COMPLETE=source_bash amtui)"` in ~/.bashrc; zsh, fish
        # likewise): the app is built without the --install-completion options, so register the shells.
        from typer._completion_classes import completion_init

        completion_init()
    from amtui.commands.output import guarded_output
    from amtui.commands.root import app_for

    # Typer turns every registered command's signature into a click command on each run
    # (~80 ms for all of them); a run of one command only needs its own module's.
    cli, quick = app_for(command)
    try:
        if command is None:  # help, or the TUI: the terminal is Textual's
            cli(prog_name="amtui")
        else:
            with guarded_output():  # usage errors quote the command line
                cli(prog_name="amtui")
    except KeyboardInterrupt:
        sys.stderr.write(_interrupted() + "\n")
        sys.exit(130)
    except SystemExit as finished:
        if not quick:  # help, or the TUI: the usual exit
            raise
        _exit_now(finished.code)


def _interrupted() -> str:
    from amtui.i18n import _

    return _("amtui: interrupted")


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


def __getattr__(name: str) -> Any:
    # The Typer command line (``from amtui.cli import app`` in tests and tools) lives in
    # amtui.commands.root, imported only when asked for (not for the import system's own questions:
    # ``from amtui.cli import main`` asks whether the module has a ``__path__``).
    if name.startswith("__"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from amtui.commands import root

    return getattr(root, name)
