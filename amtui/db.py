"""The engine factory and the schema check.

Nothing here runs at import time: callers build an engine from a URL with
:func:`make_engine` and pass it (or sessions made from it) to the services.
Checking the schema on every open costs one plain SQL query; Alembic is only
imported when an upgrade is actually needed.
"""

from __future__ import annotations

import os
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from amtui.migrations import SCHEMA_HEAD

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlmodel import Session

SQLITE_BUSY_TIMEOUT_MS = 5000
# How long a long writer (an import) waits for another writer to finish before giving up.
WRITER_PATIENCE_S = 15 * 60


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
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
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
    # WAL only for a new file or an amtui database: a foreign SQLite file is refused (ensure_schema)
    # before anything touches it. Reading the table list also fails early on a non-database file.
    tables = {row[0] for row in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables or "alembic_version" in tables:
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


# The engines this process made: the CLI disposes of them before its quick exit (``cli.main``).
_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()


def _check_sqlite_file(path: Path, *, create: bool) -> None:
    if create:
        _create_private_file(path)
    elif not path.exists():
        raise DatabaseError(f"{path}: no such database (to create one: amtui init {path})")
    if path.exists() and not path.is_file():
        raise DatabaseError(f"{path}: not a database file")


def check_database(url: str, *, create: bool) -> None:
    """What :func:`make_engine` checks before it builds an engine, without building one: for SQLite
    (the TUI's start, which must not wait for SQLAlchemy) no SQLAlchemy import at all."""
    path = sqlite_path(url)
    if path is not None:
        _check_sqlite_file(path, create=create)
    else:
        make_engine(url, create=create).dispose()


def quick_connection(url: str) -> Any:
    """A plain ``sqlite3`` connection to an existing SQLite file at the current schema, set up as the
    engine's connections are (:func:`_on_sqlite_connect`), for the command line's quick writes
    (:mod:`amtui.services.store`): no SQLAlchemy import. None for anything else (another database,
    a missing file, an older schema, a file that is no amtui database): the caller then opens the
    engine, which creates, upgrades or refuses it as usual."""
    path = sqlite_path(url)
    if path is None or "?" in url or not path.is_file():
        return None
    import sqlite3

    try:
        connection = sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error:
        return None
    try:
        _on_sqlite_connect(connection, None)
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        row = None
    if row is None or row[0] != SCHEMA_HEAD:
        connection.close()
        return None
    return connection


def make_engine(url: str, *, create: bool = True) -> Engine:
    """Build an engine for ``url``. For SQLite: private file, WAL, foreign keys, busy timeout."""
    from sqlalchemy import create_engine, event

    path = sqlite_path(url)
    if path is not None:
        _check_sqlite_file(path, create=create)
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


def checked_revision(engine: Engine) -> str | None:
    """:func:`current_revision`, with a file that is no database (or a refusing server) as a clear error."""
    try:
        return current_revision(engine)
    except Exception as exc:
        where = engine.url.database if engine.url.get_backend_name() == "sqlite" else engine.url.render_as_string()
        raise DatabaseError(f"{where}: cannot open the database: {_reason(exc)}") from None


def upgrade_backup_path(path: Path) -> Path:
    return path.with_name(f"{path.name}.before-{SCHEMA_HEAD}.bak")


def ensure_schema(engine: Engine) -> Path | None:
    """Bring the database to the current schema; a no-op (one query) when it is.

    An existing SQLite database is first copied (0600) beside itself; the upgrade then runs in one
    transaction, so an interrupted one leaves the old schema and the next open upgrades again.
    Returns the backup's path, if one was written."""
    revision = checked_revision(engine)
    if revision == SCHEMA_HEAD:
        return None
    if revision is None and has_user_tables(engine):
        raise DatabaseError("the database holds tables but no amtui schema version; refusing to change it")
    copy = None
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    if revision is not None and path is not None:
        copy = backup(f"sqlite:///{path}", upgrade_backup_path(path))
    upgrade(engine)
    return copy


def _reason(exc: Exception) -> str:
    original = getattr(exc, "orig", None)
    return str(original or exc).splitlines()[0]


def open_engine(url: str, *, create: bool = True) -> Engine:
    """An engine on an up-to-date schema: what the CLI and the TUI use. With ``create=False`` a
    missing SQLite file is an error, not a new empty database."""
    engine = make_engine(url, create=create)
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


def begin_write(
    session: Session, *, on_wait: Callable[[], None] | None = None, patience_s: float = WRITER_PATIENCE_S
) -> None:
    """Take the database's write lock now, before anything is read, so ids and keys read in this
    transaction stay true until it commits; wait (telling ``on_wait`` once) while another writer
    holds it. SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: the tables locked against other writers
    (readers go on)."""
    import sqlite3

    connection = session.connection()
    if connection.dialect.name == "sqlite":
        raw: Any = connection.connection.driver_connection
        if raw.in_transaction:
            raise RuntimeError("begin_write must come first in its unit of work")
        deadline = time.monotonic() + patience_s
        told = False
        raw.execute("PRAGMA busy_timeout = 200")
        try:
            while True:
                try:
                    raw.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) and "busy" not in str(exc):
                        raise
                    if time.monotonic() >= deadline:
                        raise DatabaseError(
                            f"another program kept the database locked for {patience_s:.0f} s; nothing was written"
                        ) from None
                    if not told and on_wait is not None:
                        on_wait()
                    told = True
                    raw.execute("PRAGMA busy_timeout = 1000")
        finally:
            raw.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    elif connection.dialect.name == "postgresql":
        from sqlalchemy import text
        from sqlmodel import SQLModel

        names = ", ".join(f'"{name}"' for name in sorted(SQLModel.metadata.tables))
        from sqlalchemy.exc import OperationalError

        try:
            connection.execute(text(f"LOCK TABLE {names} IN EXCLUSIVE MODE NOWAIT"))
        except OperationalError:  # lock_not_available: another writer holds them
            session.rollback()
            connection = session.connection()
            if on_wait is not None:
                on_wait()
            connection.execute(text(f"SET LOCAL lock_timeout = '{int(patience_s)}s'"))
            connection.execute(text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))


def backup(url: str, target: Path) -> Path:
    """An online, consistent copy through SQLite's backup API (safe while others write)."""
    source_path = sqlite_path(url)
    if source_path is None:
        raise DatabaseError("backup works on SQLite databases; use your server's tools for others")
    if not source_path.exists():
        raise DatabaseError(f"{source_path}: no such database")
    if not source_path.is_file():
        raise DatabaseError(f"{source_path}: not a database file")
    if target.is_dir():
        raise DatabaseError(f"{target}: is a folder; give a file name for the backup")
    if target.resolve() == source_path.resolve():
        raise DatabaseError(f"{target}: the backup cannot overwrite the database itself")
    import sqlite3

    from amtui.files import private_partial

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(f"{target.parent}: cannot create the folder: {exc.strerror}") from None
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    try:
        # A fresh 0600 file under a random name beside the target, renamed into place when whole.
        with private_partial(target) as partial:
            destination = sqlite3.connect(partial)
            try:
                source.backup(destination)
                # A self-contained file: no WAL beside it.
                destination.execute("PRAGMA journal_mode = DELETE")
            finally:
                destination.close()
    except sqlite3.Error as exc:
        raise DatabaseError(f"backup failed: {exc}") from None
    finally:
        source.close()
    return target
