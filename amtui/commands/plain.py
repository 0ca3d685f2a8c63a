"""What the command line shares that needs no Typer, and ``amtui digest`` printed without it.

A cron job's ``amtui digest`` (to a pipe or a file, ``--format`` and ``--limit`` at most) is read by
:func:`plain_digest_options` and run by :func:`print_digest` straight from :mod:`amtui.cli`: Typer's
import and its command building cost ~50 ms of a run that takes 0.3 s on the large demo. Any other
command line (help, another option, a value to check, a terminal to colour) goes through Typer, as
does every other command; both print the same (tests/test_startup.py).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, NoReturn

from amtui.i18n import _

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from amtui.services.workspace import Workspace

DIGEST_FORMATS = ("text", "markdown", "html", "json")


@dataclass
class CliState:
    """Global options, resolved lazily: nothing opens a database until a command needs one."""

    db: str | None = None
    _engine: Engine | None = field(default=None, repr=False)

    def engine(self, *, create: bool = False) -> Engine:
        """The database's engine; a missing file is created only for the default database or with
        ``create`` (``amtui init``, ``amtui demo``)."""
        if self._engine is None:
            from amtui.config import resolve_db
            from amtui.db import open_engine

            url, is_default = resolve_db(self.db)
            self._engine = open_engine(url, create=create or is_default)
        return self._engine

    def db_url(self) -> str:
        from amtui.config import resolve_db_url

        return resolve_db_url(self.db)


def quick_workspace(cli: CliState, now: Callable[[], datetime]) -> Workspace:
    """A quick command's workspace (see :func:`amtui.commands.common.workspace`)."""
    from amtui.config import load_settings, local_zone, resolve_db
    from amtui.services.workspace import Workspace

    url, _default = resolve_db(cli.db)
    return Workspace(
        db_url=url,
        engine_source=cli.engine,
        quick_writes=True,
        quick_reads=True,
        now=now,
        zone=local_zone(),
        settings=load_settings(),
    )


def failure(exc: BaseException) -> tuple[str, list[str]] | None:
    """An expected failure's message and detail lines (None: not one, a bug to show as it is)."""
    from amtui.config import ConfigError
    from amtui.db import DatabaseError
    from amtui.files import OutputError

    if isinstance(exc, (ConfigError, DatabaseError, OutputError)):
        return str(exc), []
    # Services are imported lazily; only look at their errors if they were loaded.
    errors = sys.modules.get("amtui.services.errors")
    if errors is not None and isinstance(exc, errors.AmtuiError):
        candidates = getattr(exc, "candidates", None) or []
        return str(exc), list(candidates)
    sa_exc = sys.modules.get("sqlalchemy.exc")
    if sa_exc is not None and isinstance(exc, sa_exc.OperationalError):
        reason = str(exc.orig) if getattr(exc, "orig", None) else str(exc).splitlines()[0]
        if "locked" in reason:
            return _("the database is busy (locked by another program): {reason}; nothing was written").format(
                reason=reason
            ), []
        return _("database error: {reason}; nothing was written").format(reason=reason), []
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror}", []
    return None


def digest_moment(day: date | None) -> datetime:
    """Now, or 08:00 local on another day: the digest "as of that morning"."""
    from datetime import UTC, time

    from amtui.config import current_time, local_zone

    current = current_time()
    if day is None or day == current.astimezone(local_zone()).date():
        return current
    return datetime.combine(day, time(8, 0), tzinfo=local_zone()).astimezone(UTC)


def plain_digest_options(argv: list[str]) -> tuple[str | None, str, int] | None:
    """``[--db PATH] digest [--format F] [--limit N]`` (each at most once, values as they must be) ->
    (database, format, limit); None for anything else (Typer reads it, checks it, explains it)."""
    arguments = list(argv)
    db = None
    if arguments[:1] == ["--db"]:
        if len(arguments) < 2 or not arguments[1] or arguments[1].startswith("-"):
            return None
        db, arguments = arguments[1], arguments[2:]
    if arguments[:1] != ["digest"]:
        return None
    options: dict[str, str] = {}
    rest = arguments[1:]
    while rest:
        if len(rest) < 2 or rest[0] not in ("--format", "--limit") or rest[0] in options:
            return None
        options[rest[0]], rest = rest[1], rest[2:]
    fmt, limit = options.get("--format", "text"), options.get("--limit", "25")
    if fmt not in DIGEST_FORMATS or not (limit.isascii() and limit.isdigit()):
        return None
    return db, fmt, int(limit)


def use_colour() -> bool:
    import os

    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def print_digest(db: str | None, fmt: str, limit: int, *, exit_now: Callable[[object], NoReturn]) -> None:
    """``amtui digest`` as :func:`amtui.commands.alerts.digest_command` prints it to a pipe or a file, its
    failures as the command line reports them (one line on stderr, exit code 1)."""
    from amtui.commands.output import guarded_output
    from amtui.config import current_time
    from amtui.services.digest import render

    with guarded_output():
        try:
            # JSON lists every alert; text, Markdown and HTML each group's first --limit (see digest_command).
            digest = quick_workspace(CliState(db=db), current_time).digest(
                at=digest_moment(None), limit=0 if fmt == "json" else limit
            )
            text = render(digest, fmt, limit=limit)
        except Exception as exc:
            described = failure(exc)
            if described is None:
                raise
            message, details = described
            lines = [_("amtui: error: {message}").format(message=message), *(f"  {line}" for line in details)]
            sys.stderr.write("".join(f"{line}\n" for line in lines))
            exit_now(1)
        sys.stdout.write(text)
    exit_now(0)
