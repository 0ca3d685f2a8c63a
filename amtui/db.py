"""The engine factory and the schema check.

Nothing here runs at import time: callers build an engine from a URL with
:func:`make_engine` and pass it (or sessions made from it) to the services.
Checking the schema on every open costs one plain SQL query; Alembic is only
imported when an upgrade is actually needed.
"""

from __future__ import annotations

import os
import sqlite3
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from amtui.migrations import SCHEMA_HEAD

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlmodel import Session

SQLITE_BUSY_TIMEOUT_MS = 5000


class DatabaseError(Exception):
    """The database cannot be opened or is not an amtui database."""


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and :memory:."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return None
    raw = url[len(prefix) :].split("?", 1)[0]
    if not raw or raw == ":memory:":
        return None
    return Path(raw)


def _create_private_file(path: Path) -> None:
    """Create the database file readable by its owner only (0600)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise DatabaseError(f"{path}: cannot create the database: {exc.strerror}") from None
    os.close(fd)


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


# The engines this process made: the CLI disposes of them before its quick exit (``cli.main``).
_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()


def make_engine(url: str, *, create: bool = True) -> Engine:
    """Build an engine for ``url``. For SQLite: private file, WAL, foreign keys, busy timeout."""
    from sqlalchemy import create_engine, event

    path = sqlite_path(url)
    if path is not None:
        if create:
            _create_private_file(path)
        elif not path.exists():
            raise DatabaseError(f"{path}: no such database")
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _on_sqlite_connect)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    _ENGINES.add(engine)
    return engine


def dispose_all() -> None:
    """Close every connection this process opened (SQLite then checkpoints and removes its WAL file)."""
    for engine in list(_ENGINES):
        engine.dispose()


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database, by plain SQL (no Alembic import)."""
    from sqlalchemy import inspect, text

    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def has_user_tables(engine: Engine) -> bool:
    from sqlalchemy import inspect

    with engine.connect() as connection:
        names = set(inspect(connection).get_table_names()) - {"alembic_version"}
    return bool(names)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run Alembic migrations on ``engine`` up to ``revision``, keeping the data."""
    from amtui.migrations.runner import run_upgrade

    run_upgrade(engine, revision)


def ensure_schema(engine: Engine) -> None:
    """Bring the database to the current schema; a no-op (one query) when it is."""
    try:
        revision = current_revision(engine)
    except Exception as exc:  # the file is not a database, or the server refuses
        raise DatabaseError(f"cannot open the database: {_reason(exc)}") from None
    if revision == SCHEMA_HEAD:
        return
    if revision is None and has_user_tables(engine):
        raise DatabaseError("the database holds tables but no amtui schema version; refusing to change it")
    upgrade(engine)


def _reason(exc: Exception) -> str:
    original = getattr(exc, "orig", None)
    return str(original or exc).splitlines()[0]


def open_engine(url: str) -> Engine:
    """An engine on an up-to-date schema: what the CLI and the TUI use."""
    engine = make_engine(url)
    ensure_schema(engine)
    return engine


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One session per unit of work: committed on success, rolled back on error."""
    from sqlmodel import Session

    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def read_scope(engine: Engine) -> Iterator[Connection]:
    """A plain connection for read-only work that needs no ORM: the cron digest and the alert
    listings read through it, so they never import SQLModel (about 100 ms of a cron run)."""
    with engine.connect() as connection:
        yield connection


def backup(url: str, target: Path) -> Path:
    """An online, consistent copy through SQLite's backup API (safe while others write)."""
    source_path = sqlite_path(url)
    if source_path is None:
        raise DatabaseError("backup works on SQLite databases; use your server's tools for others")
    if not source_path.exists():
        raise DatabaseError(f"{source_path}: no such database")
    if target.resolve() == source_path.resolve():
        raise DatabaseError(f"{target}: the backup cannot overwrite the database itself")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    _create_private_file(partial)
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    try:
        destination = sqlite3.connect(partial)
        try:
            source.backup(destination)
            # A self-contained file: no WAL beside it.
            destination.execute("PRAGMA journal_mode = DELETE")
        finally:
            destination.close()
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise DatabaseError(f"backup failed: {exc}") from None
    finally:
        source.close()
    os.replace(partial, target)
    return target
