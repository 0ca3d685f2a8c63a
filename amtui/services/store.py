"""The rows a quick write reads and writes, on whichever connection the caller has.

Logging a touch and adding a task are typed between calls (``amtui log call``, ``amtui task add``):
as whole processes they are meant to be about as quick as taskwarrior's ``task add``, and importing
SQLAlchemy alone takes longer than that. Their rules (:mod:`amtui.services.entries`) are written
once, as plain SQL with ``:name`` parameters and rows as dicts, and run through a :class:`Store`:

- :class:`CoreStore` on a SQLAlchemy connection (an ORM session's, in the TUI and in every other use
  case that logs or adds in its unit of work; PostgreSQL too): rows are inserted through the models'
  own Core tables, so every value is bound by the column's type, as the ORM binds it;
- :class:`SqliteStore` on a plain ``sqlite3`` connection (:func:`amtui.db.quick_connection`, the
  command line's quick writes on a SQLite file at the current schema): no SQLAlchemy import; values
  are stored as SQLAlchemy's SQLite types store them (``tests/test_quick_writes.py`` writes the same
  rows both ways and compares the stored bytes).

What every ORM flush checks (:mod:`amtui.models.text_guard`: no control characters; the length
limits of :mod:`amtui.services.limits`) is checked here on the row, with the same functions;
:data:`TEXT_LIMITS` (each written table's text columns and limits) is checked against the models in
the tests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

from amtui.i18n import _
from amtui.services.errors import ValidationError
from amtui.services.limits import MAX_TEXT_CHARS
from amtui.services.sanitize import check_text

# The text columns of the tables the quick writes insert into, and their limits (None: MAX_TEXT_CHARS).
TEXT_LIMITS: dict[str, dict[str, int | None]] = {
    "interaction": {
        "kind": 10,
        "direction": 10,
        "status": 10,
        "place": None,
        "city": None,
        "subject": None,
        "outcome": None,
        "external_id": 300,
        "repeat": 200,
    },
    "task": {
        "title": None,
        "assignee": None,
        "status": 10,
        "priority": 10,
        "notes": None,
        "external_id": 200,
        "repeat": 200,
    },
    "interaction_contact": {},
}


def checked_row(table: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` as the ORM would store them in ``table`` after its checks: no control characters
    (a CRLF in a multi-line field becomes a line feed), no text over its column's limit."""
    limits = TEXT_LIMITS[table]
    row = dict(values)
    for name, limit in limits.items():  # first the lengths, in the columns' order (check_lengths)
        value = row.get(name)
        most = limit or MAX_TEXT_CHARS
        if isinstance(value, str) and len(value) > most:
            raise ValidationError(
                _("{value} characters, at most {limit} expected").format(value=len(value), limit=most), field=name
            )
    for name, value in row.items():  # then the characters (text_guard, as a flush does)
        if isinstance(value, str) and name in limits:
            row[name] = check_text(value, field=name)
    return row


class Store:
    """Rows in and out of one connection, inside the caller's transaction."""

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def one(self, sql: str, params: Mapping[str, Any] | None = None) -> tuple[Any, ...] | None:
        found = self.rows(sql, params)
        return found[0] if found else None

    def insert(self, table: str, values: Mapping[str, Any]) -> int:
        """Insert one row (checked by :func:`checked_row` first); its id."""
        raise NotImplementedError

    def update(self, table: str, row_id: int, values: Mapping[str, Any]) -> None:
        raise NotImplementedError


def placeholders(prefix: str, values: Sequence[Any]) -> tuple[str, dict[str, Any]]:
    """``:p0, :p1, ...`` for an ``IN (...)`` list, and their parameters."""
    params = {f"{prefix}{index}": value for index, value in enumerate(values)}
    return ", ".join(f":{name}" for name in params), params


def sqlite_value(value: Any) -> Any:
    """A Python value as SQLAlchemy's SQLite types store it: datetimes in UTC as
    ``2026-11-25 06:00:00.000000`` (sqlmodel's UTCDateTime over DateTime), dates as ISO days,
    booleans as 0/1, vocabulary enums as their value."""
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            raise ValueError("Datetime values must have timezone information.")
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Enum):
        return value.value
    return value


class SqliteStore(Store):
    """A plain ``sqlite3`` connection (no SQLAlchemy)."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        values = {name: sqlite_value(value) for name, value in (params or {}).items()}
        return list(self.connection.execute(sql, values).fetchall())

    def insert(self, table: str, values: Mapping[str, Any]) -> int:
        row = {name: sqlite_value(value) for name, value in checked_row(table, values).items()}
        names = ", ".join(row)
        marks = ", ".join(f":{name}" for name in row)
        cursor = self.connection.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", row)
        return int(cursor.lastrowid or 0)

    def update(self, table: str, row_id: int, values: Mapping[str, Any]) -> None:
        row = {name: sqlite_value(value) for name, value in checked_row(table, values).items()}
        assignments = ", ".join(f"{name} = :{name}" for name in row)
        self.connection.execute(f"UPDATE {table} SET {assignments} WHERE id = :_id", {**row, "_id": row_id})


class CoreStore(Store):
    """A SQLAlchemy connection: the rows go through the models' Core tables (each value bound by its
    column's type, on any database)."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        values = dict(params or {})
        if self.connection.dialect.name == "sqlite":
            # Untyped parameters, bound as the columns store them, on the driver's own cursor of this
            # connection (its transaction): the rows as sqlite3 gives them, without SQLAlchemy's result
            # handling (a third of the alert engine's time at ten times the large demo).
            cursor = self.connection.connection.dbapi_connection.cursor()
            try:
                return list(
                    cursor.execute(sql, {name: sqlite_value(value) for name, value in values.items()}).fetchall()
                )
            finally:
                cursor.close()
        from sqlalchemy import text

        return [tuple(row) for row in self.connection.execute(text(sql), values)]

    @staticmethod
    def _table(name: str) -> Any:
        from sqlmodel import SQLModel

        import amtui.models  # noqa: F401  (registers the tables)

        return SQLModel.metadata.tables[name]

    def insert(self, table: str, values: Mapping[str, Any]) -> int:
        result = self.connection.execute(self._table(table).insert().values(checked_row(table, values)))
        key = result.inserted_primary_key
        return int(key[0]) if key and key[0] is not None else 0

    def update(self, table: str, row_id: int, values: Mapping[str, Any]) -> None:
        target = self._table(table)
        self.connection.execute(target.update().where(target.c.id == row_id).values(checked_row(table, values)))


def store_of(where: Any) -> Store:
    """The store for what a use case was given: a Store, an ORM session (its connection, flushed
    first), a SQLAlchemy connection or a ``sqlite3`` connection."""
    if isinstance(where, Store):
        return where
    import sqlite3

    if isinstance(where, sqlite3.Connection):
        return SqliteStore(where)
    if hasattr(where, "flush"):  # an ORM session: what it holds is written before our rows
        where.flush()
        return CoreStore(where.connection())
    return CoreStore(where)
