"""What every command shares: the database, the clock, errors, JSON output."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, tzinfo
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from amtui.commands.plain import CliState, quick_workspace
from amtui.i18n import _
from amtui.vocabulary import one_of

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlmodel import Session

    from amtui.services.workspace import Workspace

EXIT_ERROR = 1


def state(ctx: typer.Context) -> CliState:
    root = ctx.find_root()
    if not isinstance(root.obj, CliState):
        root.obj = CliState()
    return root.obj


def workspace(ctx: typer.Context, *, quick: bool = False) -> Workspace:
    """The use cases on the command's database, with the current clock and the user's settings.

    ``quick``: a quick command's workspace (``amtui log``, ``amtui task add``, ``amtui digest``, ``amtui
    alerts``), whose writes and alert reads go through a plain sqlite3 connection when they can (see
    :mod:`amtui.services.store`); the engine is opened only if something needs it."""
    from amtui.config import load_settings
    from amtui.services.workspace import Workspace

    cli = state(ctx)
    if quick and cli._engine is None:
        return quick_workspace(cli, now)
    return Workspace(engine=cli.engine(), now=now, zone=zone(), settings=load_settings())


@contextmanager
def unit_of_work(ctx: typer.Context) -> Iterator[Session]:
    from amtui.db import session_scope

    with session_scope(state(ctx).engine()) as session:
        yield session


@contextmanager
def quick_reading(ctx: typer.Context) -> Iterator[Any]:
    """Read-only work for a quick command (``amtui client show``): a plain ``sqlite3`` connection when
    the database is a SQLite file at the current schema (no SQLAlchemy import, see
    :mod:`amtui.services.store`), else an ORM session on the engine, which creates, upgrades or refuses
    the database as usual. What it yields is what :func:`amtui.services.store.store_of` takes."""
    cli = state(ctx)
    connection = None
    if cli._engine is None:
        from amtui.config import resolve_db
        from amtui.db import quick_connection

        url, _default = resolve_db(cli.db)
        connection = quick_connection(url)
    if connection is None:
        with unit_of_work(ctx) as session:
            yield session
        return
    try:
        yield connection
    finally:
        connection.rollback()
        connection.close()


@contextmanager
def reading(ctx: typer.Context) -> Iterator[Connection]:
    """Read-only work without the ORM (see :func:`amtui.db.read_scope`)."""
    from amtui.db import read_scope

    with read_scope(state(ctx).engine()) as connection:
        yield connection


def now() -> datetime:
    from amtui.config import current_time

    return current_time()


def zone() -> tzinfo:
    from amtui.config import local_zone

    return local_zone()


def today() -> date:
    return now().astimezone(zone()).date()


def parse_when(text: str, *, field: str, default_time: time | None = None, past: bool = False) -> datetime:
    """What the user typed as a moment; ``past``: a weekday or day-month means the latest gone by."""
    from amtui.services.dates import parse_datetime

    return parse_datetime(
        text, now=now(), zone=zone(), default_time=default_time, field=field, prefer="past" if past else "future"
    )


def parse_day(text: str, *, field: str, past: bool = False) -> date:
    """What the user typed as a day; ``past``: a weekday or day-month means the latest gone by."""
    from amtui.services.dates import parse_date

    return parse_date(text, today=today(), field=field, prefer="past" if past else "future")


def warn(message: str) -> None:
    """A warning on stderr: the command still does its work."""
    typer.echo(_("amtui: warning: {message}").format(message=message), err=True)


def fail(message: str, *, details: list[str] | None = None) -> NoReturn:
    typer.echo(_("amtui: error: {message}").format(message=message), err=True)
    for line in details or []:
        typer.echo(f"  {line}", err=True)
    raise typer.Exit(EXIT_ERROR)


def _default(value: Any) -> Any:
    from decimal import Decimal

    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value) if not f.metadata.get("internal")}
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot encode {type(value).__name__}")


def as_json(value: Any) -> str:
    import json  # only the commands that print JSON need it

    from amtui.services.sanitize import json_safe

    # Control characters a name may hold (an older database) as \u escapes: same data, nothing raw.
    return json_safe(json.dumps(value, default=_default, ensure_ascii=False, indent=2))


def echo_json(value: Any) -> None:
    typer.echo(as_json(value))


def is_terminal() -> bool:
    return sys.stdout.isatty()


def given(**options: object) -> dict[str, object]:
    """The options the user gave (not None): what an ``edit`` command changes."""
    return {name: value for name, value in options.items() if value is not None}


def output_target(path: Path, *, force: bool) -> Path:
    """A file to write, checked before any work (see :func:`amtui.files.check_output`); an existing
    one is replaced with ``--force`` or, on a terminal, after a yes."""
    from amtui.files import OutputError, OutputExistsError, check_output

    try:
        return check_output(path, force=force)
    except OutputExistsError as exc:
        if not (sys.stdin.isatty() and sys.stderr.isatty()):
            fail(str(exc))
        if not typer.confirm(_("{path} exists. Replace it?").format(path=path), default=False, err=True):
            typer.echo(_("Nothing written."), err=True)
            raise typer.Exit(EXIT_ERROR) from None
        return check_output(path, force=True)
    except OutputError as exc:
        fail(str(exc))


def confirm_delete(what: str, *, yes: bool) -> None:
    """Ask before deleting ``what`` (on a terminal); a script must say ``--yes``. Declining writes nothing."""
    if yes:
        return
    if not sys.stdin.isatty():
        fail(_("not deleting {what} without --yes (there is no terminal to ask on)").format(what=what))
    if not typer.confirm(_("Delete {what}?").format(what=what), default=False):
        typer.echo(_("Nothing deleted."))
        raise typer.Exit(EXIT_ERROR)


def choice_parser(allowed: Iterable[str]) -> Callable[[str], str]:
    """A Typer ``parser``: one of ``allowed`` (from amtui.vocabulary), any case; the error lists them."""
    values = tuple(str(value) for value in allowed)

    def parse(value: str) -> str:
        key = value.strip().lower()
        if key not in values:
            raise typer.BadParameter(
                _("{value} is not one of {values}.").format(value=repr(value), values=one_of(values))
            )
        return key

    return parse
