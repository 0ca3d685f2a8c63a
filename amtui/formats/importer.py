"""Validate rows and upsert them in one transaction, fast.

Match order, per record (the first key that finds an existing record wins):

* every kind: ``external_id`` (the id in the system the file came from);
* clients: tax id (ИНН), then the normalised name (``services.text.name_key``:
  folded, legal form and quotes dropped, so ``ООО «Ромашка»`` = ``Ромашка``);
* contacts: any of the e-mails, then the folded full name within the same client;
* interactions: client + kind + time; tasks: client + folded title;
  contracts and invoices: client + folded number; deals: client + folded title.

Rows of other kinds name their client by ``client_external_id``, ``client_tax_id``
or ``client`` (its name), in that order. A contact whose company is unknown
creates that client (a phone book's ORG/Company is how clients are born); any
other kind with an unknown client is a bad row.

Empty cells never blank a stored value, so importing a file twice changes
nothing the second time. Existing keys are read once into dicts and rows are
written with executemany in batches; on any bad row (without ``skip_bad``) or on
a dry run the whole transaction is rolled back.
"""

from __future__ import annotations

import csv
import gc
import itertools
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, select
from sqlmodel import Session, SQLModel

from amtui.formats.mapping import ENTITIES, ENTITY_FIELDS, ENTITY_TABLES, FileField, Value, build_map
from amtui.formats.readers import MAX_FIELD_CHARS, FileFormatError, open_table, sniff_format
from amtui.formats.values import (
    cell_text,
    parse_bool_cell,
    parse_choice,
    parse_int_cell,
    parse_money_cell,
    parse_percent_bp,
)
from amtui.i18n import _
from amtui.models import Client, Contact, ContactMethod, Contract, InteractionContact
from amtui.models.base import (
    InteractionStatus,
    table_of,
)
from amtui.services.dates import parse_birthday, parse_date_cell, parse_datetime_cell, parse_duration
from amtui.services.errors import ValidationError
from amtui.services.phones import clean_phone, default_region, phone_key
from amtui.services.sanitize import UNSAFE_LINE, clean_notice, clean_text, is_multiline
from amtui.services.text import _EMAIL_RE as _EMAIL
from amtui.services.text import _LEGAL_FORMS as LEGAL_FORMS
from amtui.services.text import (
    _PUNCT_MAP,
    MAX_EMAIL_CHARS,
    check_email,
    check_tax_id,
    fold,
    folded_name_key,
    name_key,
    normalise_email,
)

BATCH_ROWS = 5000
METHOD_COLUMNS = ("id", "contact_id", "kind", "value", "value_norm", "label", "position")
MAX_REPORTED_ERRORS = 1000
# (where: a line number, or "record N" in JSON; field values; the raw row for a rejects file)
Record = tuple[int | str, dict[str, Any], Any]


@dataclass
class ImportOptions:
    now: datetime
    zone: tzinfo
    date_order: str = "dmy"
    dry_run: bool = False
    skip_bad: bool = False
    rejects_path: Path | None = None
    overrides: dict[str, str] | None = None
    sheet: str | None = None
    encoding: str | None = None
    window_from: date | None = None
    window_to: date | None = None
    client: str | None = None
    progress: Callable[[float], None] | None = None
    # The country of phone numbers written without "+"; None reads the config (region, AMTUI_REGION).
    region: str | None = None


@dataclass(frozen=True)
class RowError:
    line: int | str
    field: str
    reason: str

    def format(self, path: Path | str) -> str:
        return f"{path}:{self.line}: {self.field}: {self.reason}"


@dataclass
class ImportSummary:
    kind: str
    path: Path
    format: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    clients_created: int = 0
    written: bool = False
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    rejects_path: Path | None = None
    notes: list[str] = field(default_factory=list)
    mapping: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.rejected

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file": str(self.path),
            "format": self.format,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "clients_created": self.clients_created,
            "written": self.written,
            "dry_run": self.dry_run,
            "errors": [error.format(self.path) for error in self.errors],
            "warnings": [warning.format(self.path) for warning in self.warnings],
            "rejects": str(self.rejects_path) if self.rejects_path else None,
            "notes": self.notes,
        }


class RowProblems(Exception):
    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{name}: {reason}" for name, reason in problems))
        self.problems = problems


# --- parsing single cells -------------------------------------------------------------

Parser = Callable[[Any, str], Any]


class _Text:
    """A text field of at most ``limit`` characters; the importer inlines the common string case."""

    __slots__ = ("limit",)

    def __init__(self, limit: int = MAX_FIELD_CHARS) -> None:
        self.limit = limit

    def __call__(self, value: Any, name: str) -> str:
        text = cell_text(value)
        if len(text) > self.limit:
            raise ValidationError(f"{len(text)} characters, at most {self.limit} expected", field=name)
        return text


_text = _Text
_MEMO_SIZE = 512


def _memo(parser: Callable[[Any, str], Any]) -> Callable[[Any, str], Any]:
    """Cache a pure parser's results for text cells: statuses, tiers and currencies repeat on every row."""
    cache: dict[str, Any] = {}

    def parse(value: Any, name: str) -> Any:
        if value.__class__ is not str:
            return parser(value, name)
        try:
            return cache[value]
        except KeyError:
            result = parser(value, name)
            if len(cache) < _MEMO_SIZE:
                cache[value] = result
            return result

    return parse


def _tax_id(value: Any, name: str) -> str:
    """The rule the CLI and the forms use (services.text.check_tax_id): INN "123" is refused here too."""
    return check_tax_id(cell_text(value), field=name)


def _phone(value: Any, name: str) -> str:
    """E.164 where phonenumbers knows the number, the cell's text where it does not (services/phones.py)."""
    if value.__class__ is str and "'" not in value:  # cell_text would only strip it: clean_phone does
        return clean_phone(value, field=name, region=_REGION[0])
    return clean_phone(cell_text(value), field=name, region=_REGION[0])


# The default phone region, read once per import (import_file sets it).
_REGION = ["RU"]


def _email(value: Any, name: str) -> str:
    if value.__class__ is str:  # the common case without cell_text's detours
        text = value.strip()
        if text[:1] != "'" and len(text) <= MAX_EMAIL_CHARS and _EMAIL.match(text):
            return text
    return check_email(cell_text(value), field=name)


def _currency(value: Any, name: str) -> str:
    text = cell_text(value).upper()
    text = {"РУБ": "RUB", "RUR": "RUB", "Р": "RUB", "₽": "RUB", "$": "USD", "€": "EUR"}.get(text.rstrip("."), text)
    if not re.fullmatch(r"[A-Z]{3}", text):
        raise ValidationError(f"{value!r} is not a currency code like RUB, USD, EUR", field=name)
    return text


def _choice(allowed: tuple[str, ...], aliases: dict[str, str] | None = None) -> Callable[[Any, str], str]:
    def parse(value: Any, name: str) -> str:
        return parse_choice(value, field=name, allowed=allowed, aliases=aliases)

    return _memo(parse)


def _int(low: int, high: int) -> Callable[[Any, str], int]:
    def parse(value: Any, name: str) -> int:
        return parse_int_cell(value, field=name, low=low, high=high)

    return parse


def _money(value: Any, name: str) -> int:
    return parse_money_cell(value, field=name)


def _bool(value: Any, name: str) -> bool:
    return parse_bool_cell(value, field=name)


def parser_for(value: Value) -> Parser | None:
    """The cell parser of a declared value; None for values the kind's own code reads."""
    kind = value.kind
    if kind in ("text", "phone"):  # a client's phone is read as a number in _finish_clients
        return _text(value.limit)
    if kind == "choice":
        allowed, aliases = value.choices, dict(value.aliases) if value.aliases else None
        if value.upper:
            return _memo(lambda v, n: parse_choice(v, field=n, allowed=allowed, aliases=aliases).upper())
        return _choice(allowed, aliases)
    if kind == "int":
        return _int(value.low, value.high)
    return _PARSERS.get(kind)


_PARSERS: dict[str, Parser] = {
    "email": _email,
    "currency": _memo(_currency),
    "tax_id": _tax_id,
    "money": _money,
    "percent": lambda v, n: parse_percent_bp(v, field=n),
    "bool": _memo(_bool),
    "duration": lambda v, n: v if isinstance(v, int) else parse_duration(cell_text(v), field=n),
}


def _specs(fields: tuple[FileField, ...]) -> dict[str, tuple[str, Parser]]:
    specs: dict[str, tuple[str, Parser]] = {}
    for entry in fields:
        parser = parser_for(entry.value)
        if parser is not None and entry.column is not None:
            specs[entry.name] = (entry.column, parser)
    return specs


# field -> (column, parser), derived from the declaration (formats/mapping.py). Fields not listed
# (client references, times, birthdays, phones) are handled by each kind's own code.
SPECS: dict[str, dict[str, tuple[str, Parser]]] = {kind: _specs(fields) for kind, fields in ENTITY_FIELDS.items()}
DATE_FIELDS: dict[str, dict[str, str]] = {
    kind: {entry.name: entry.column for entry in fields if entry.value.kind == "date" and entry.column}
    for kind, fields in ENTITY_FIELDS.items()
}


def table_for(kind: str) -> Table:
    """The table a kind of record is stored in (every model is registered by importing amtui.models)."""
    return SQLModel.metadata.tables[ENTITY_TABLES[kind]]


# Columns an import manages (compared for "unchanged", written on update).
_NOT_MANAGED = {"id", "created_at", "updated_at", "completed_at", "checked_in_at", "check_in_at", "report_id"}


def managed_columns(kind: str) -> tuple[str, ...]:
    table = table_for(kind)
    return tuple(column.name for column in table.columns if column.name not in _NOT_MANAGED)


# --- the state of one table during an import -----------------------------------------------

# The columns match keys are made of (see _client_keys and _natural_keys).
KEY_COLUMNS = frozenset(
    {"external_id", "tax_id", "name", "name_folded", "client_id", "full_name_folded", "planned_at", "done_at", "kind"}
    | {entity.match_on for entity in ENTITIES.values() if entity.match_on}
)

# Rebuilding a table's indexes once is cheaper than updating them row by row when an import
# brings at least as many rows as the table holds (SQLite; inside the import's transaction).
REBUILD_INDEXES_MIN_ROWS = 20_000


# Batches' INSERT statements kept per table: one per set of columns and shared values seen.
INSERT_STATEMENTS_KEPT = 64
_SHARED_TEXT_MAX = 300  # longer text is bound as usual
_SQLITE_INTEGERS = range(-(2**63), 2**63)


def _shared_literal(column: tuple[Any, ...]) -> str | None:
    """The SQL literal of the one value every row of a batch has in this column, when it is text or a
    whole number (stored exactly as the bound value would be); None when rows differ or for other types."""
    first = column[0]
    if first.__class__ is str:
        # Equal to a str means equal text (never a number): the count is the whole test.
        if len(first) > _SHARED_TEXT_MAX or "\x00" in first or column.count(first) != len(column):
            return None
        return "'" + first.replace("'", "''") + "'"
    # 1 == 1.0 == True: a whole number only when every value is an int too.
    if (
        first.__class__ is int
        and first in _SQLITE_INTEGERS
        and column.count(first) == len(column)
        and all(value.__class__ is int for value in column)
    ):
        return str(first)
    return None


def _sqlite_datetime(value: datetime) -> str:
    """What SQLAlchemy's SQLite DateTime stores for an aware value (UTC, no offset)."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _storage_converter(column_type: Any) -> Callable[[Any], Any] | None:
    from sqlalchemy import Boolean, Date, DateTime

    python_type = getattr(column_type, "impl", column_type)
    if isinstance(python_type, DateTime):
        return _sqlite_datetime
    if isinstance(python_type, Date):
        return date.isoformat
    if isinstance(python_type, Boolean):
        return int
    return None


def _driver_connection(session: Session) -> Any:
    """The DBAPI connection under the session's transaction (sqlite3.Connection on SQLite)."""
    return session.connection().connection.driver_connection


def _begin(raw: Any) -> None:
    """sqlite3 opens transactions lazily, before DML only: DDL must not run (and commit) outside one."""
    if not raw.in_transaction:
        raw.execute("BEGIN")


def insert_rows(session: Session, table: Table, names: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Insert plain tuples (already in storage form on SQLite) in one executemany."""
    if not rows:
        return
    if session.get_bind().dialect.name == "sqlite":
        marks = ", ".join("?" for _ in names)
        _driver_connection(session).executemany(f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})", rows)
    else:
        from sqlalchemy import insert

        session.execute(insert(table), [dict(zip(names, row, strict=True)) for row in rows])


def drop_indexes(raw: Any, table: str) -> list[tuple[str, str]]:
    """Drop a SQLite table's indexes inside the import's transaction; their names and SQL to make them again."""
    _begin(raw)
    dropped = raw.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", (table,)
    ).fetchall()
    for name, _sql in dropped:
        raw.execute(f'DROP INDEX "{name}"')
    return list(dropped)


def sync_id_sequence(session: Session, table: Table) -> None:
    """Rows were inserted with explicit ids: PostgreSQL's id sequence must move past them."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy import text

        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), max(id)) "
                f"FROM {table.name} HAVING max(id) > 0"
            )
        )


NAME_KEY_CACHE = 50_000  # client names whose match key is kept (memory stays bounded)
PHONE_CACHE = 50_000  # phone numbers' texts whose clean form is kept
KEY_SEPARATOR = "\x1f"  # control characters never reach a key: cells are cleaned of them
SPILL_CACHE_KIB = 16_384  # page cache of the temporary key table (SQLite's own default is 2 MiB)
PREFETCH_CHUNK = 500
SPILL_ROWS = 250  # key rows a statement into the key table (500 parameters: any SQLite takes them)
# Fresh match keys kept in memory before they go to the key table together (~180 bytes each: ~18 MB at
# most). An import of fewer new records never writes or asks the table (in a new database).
SPILL_KEYS = 100_000


# A match key is one string: a letter saying what it matches on, then the values, separated by
# KEY_SEPARATOR ("n\x1fромашка", "w\x1f12\x1fcall\x1f2026-11-25 06:00:00"). Strings hash faster than
# tuples, and the same string is the key in memory and in the temporary key table.
Key = str
# A converted client row's match keys, kept in the row between prefetch and apply (no column has the name).
ROW_KEYS = "_keys"


class SpilledKeys:
    """Match keys -> record ids, kept in a temporary SQLite table instead of a dict (issue 15: an import
    of 1M clients held ~1 GB). Only the keys added since the last spill (``fresh``, at most about
    SPILL_KEYS) and those a batch looked up (``cache``) stay in memory; ``spill`` moves the fresh ones to
    the table. The first record to take a key keeps it (``setdefault``), as with a dict. The table lives
    in SQLite's temporary database (its own file, never the user's), inside the import's transaction,
    and is dropped at the end.

    A fresh key is never in the table (``setdefault`` asks the table first, and a spill empties
    ``fresh``), so it is answered from memory; while the table is empty (an import into a new database,
    until the first spill) no statement asks it at all."""

    def __init__(self, raw: Any, name: str) -> None:
        self.raw = raw
        self.table = f"temp.{name}"
        self.fresh: dict[str, int] = {}
        self.cache: dict[str, int | None] = {}
        raw.execute(f"DROP TABLE IF EXISTS {self.table}")  # left by an import that was rolled back
        raw.execute(
            f"CREATE TABLE {self.table} (k TEXT PRIMARY KEY, id INTEGER NOT NULL, shared INTEGER NOT NULL DEFAULT 0)"
            " WITHOUT ROWID"
        )
        raw.execute(f"PRAGMA temp.cache_size = -{SPILL_CACHE_KIB}")
        self.select_sql = f"SELECT id FROM {self.table} WHERE k = ?"
        self.empty = True  # nothing in the table yet (a new database, a dry run): no statement asks it

    def _stored(self, encoded: str) -> int | None:
        if self.empty:
            return None
        cache = self.cache
        if encoded in cache:
            return cache[encoded]
        row = self.raw.execute(self.select_sql, (encoded,)).fetchone()
        found = cache[encoded] = row[0] if row is not None else None
        return found

    def get(self, key: Key) -> int | None:
        found = self.fresh.get(key)
        return found if found is not None or self.empty else self._stored(key)

    def __contains__(self, key: Key) -> bool:
        return self.get(key) is not None

    def __getitem__(self, key: Key) -> int:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def setdefault(self, key: Key, record_id: int) -> int:
        found = self.fresh.get(key)
        if found is not None:
            return found
        found = None if self.empty else self._stored(key)
        if found is not None:
            return found
        self.fresh[key] = record_id
        return record_id

    def prefetch(self, keys: Iterator[Key]) -> None:
        """Look up many keys in a few statements (a batch of rows' keys) instead of one by one."""
        if self.empty:
            return
        cache, fresh = self.cache, self.fresh
        wanted = list({key for key in keys if key not in cache and key not in fresh})
        for start in range(0, len(wanted), PREFETCH_CHUNK):
            chunk = wanted[start : start + PREFETCH_CHUNK]
            for encoded in chunk:
                cache[encoded] = None
            marks = ",".join("?" * len(chunk))
            for encoded, record_id in self.raw.execute(f"SELECT k, id FROM {self.table} WHERE k IN ({marks})", chunk):
                cache[encoded] = record_id

    def load(self, pairs: Iterator[tuple[Key, int]]) -> None:
        """Stored records' keys; a key two records have is marked shared (the first keeps it)."""
        self._insert(pairs, " ON CONFLICT (k) DO UPDATE SET shared = 1 WHERE id != excluded.id")
        self.empty = self.raw.execute(f"SELECT 1 FROM {self.table} LIMIT 1").fetchone() is None

    def _insert(self, pairs: Iterable[tuple[Key, int]], on_conflict: str) -> None:
        """(key, id) rows into the table, SPILL_ROWS a statement: executemany's cost is mostly its own
        step per row (binding, running the statement), not SQLite's insert."""
        one = f"INSERT INTO {self.table} (k, id) VALUES (?, ?){on_conflict}"
        many = f"INSERT INTO {self.table} (k, id) VALUES {', '.join(['(?, ?)'] * SPILL_ROWS)}{on_conflict}"
        execute, flat = self.raw.execute, itertools.chain.from_iterable
        pairs = iter(pairs)
        while group := list(itertools.islice(pairs, SPILL_ROWS)):
            if len(group) == SPILL_ROWS:
                execute(many, list(flat(group)))
            else:
                self.raw.executemany(one, group)

    def shared(self) -> set[Key]:
        return {key for (key,) in self.raw.execute(f"SELECT k FROM {self.table} WHERE shared")}

    def spill(self, *, needed: bool = True) -> None:
        """After a written batch: the fresh keys to the table once there are SPILL_KEYS of them (memory
        stays bounded); none when no key will be looked up again (``needed=False``: the import's last
        rows are written). What the batch looked up is not kept for the next."""
        self.cache = {}
        if len(self.fresh) < SPILL_KEYS and needed:
            return
        if needed:
            self._insert(self.fresh.items(), " ON CONFLICT (k) DO NOTHING")
            self.empty = False
        self.fresh = {}

    def drop(self) -> None:
        self.fresh, self.cache = {}, {}
        self.raw.execute(f"DROP TABLE IF EXISTS {self.table}")


class TableState:
    """Existing rows (managed columns only), their match keys, and the writes not yet sent.

    On SQLite, rows are read and written through the session's own sqlite3
    connection (same transaction) as plain tuples, with no per-row ORM or Core
    work: date, time and boolean columns are converted to the exact text SQLAlchemy
    stores and reads. Other databases take the portable path: Core executemany.

    Memory stays flat on SQLite (issue 15): rows are kept only until their batch is written (then a
    later row that matches one reads it back by id), and the match keys live in a temporary table
    (:class:`SpilledKeys`). When nothing will be written (a dry run, or an import that has met a bad
    row and will be rolled back) pending rows and keys stay in memory instead. Other databases keep
    every row and key in dicts.
    """

    def __init__(self, session: Session, table: Table, columns: tuple[str, ...], now: datetime) -> None:
        self.session = session
        self.table = table
        self.columns = columns
        self.dialect = session.get_bind().dialect
        self.sqlite = self.dialect.name == "sqlite"
        self.position = {name: index for index, name in enumerate(columns)}
        # SQLite: the rows not yet written (or every row, when nothing will be written); elsewhere all rows.
        self.rows: dict[int, tuple[Any, ...]] = {}
        self.keys: dict[Key, int] | SpilledKeys
        if self.sqlite:
            self.keys = SpilledKeys(_driver_connection(session), f"amtui_import_keys_{table.name}")
        else:
            self.keys = {}
        self.readers = [
            (index, reader)
            for index, name in enumerate(columns)
            if (reader := table.c[name].type.dialect_impl(self.dialect).result_processor(self.dialect, None))
        ]
        self.select_sql = f"SELECT {', '.join(columns)} FROM {table.name} WHERE id = ?"
        self.last_read: tuple[int, tuple[Any, ...]] | None = None
        self.read: dict[int, tuple[Any, ...]] = {}  # stored rows a batch's keys found (until the next flush)
        self.inserts: list[tuple[Any, ...]] = []  # new rows, no ids: theirs are next_id - len(inserts) onwards
        self.updates: dict[int, tuple[Any, ...]] = {}
        self.inserted = 0
        self.defaults: list[tuple[str, Any]] = []
        for name in columns:
            default = table.c[name].default
            # A scalar column default (ScalarElementColumnDefault) carries its value in ``arg``.
            value = getattr(default, "arg", None) if default is not None and default.is_scalar else None
            self.defaults.append((name, value.value if isinstance(value, Enum) else value))
        self.default_values = tuple(value for _name, value in self.defaults)
        # Whether a key column has a default that a new record's keys would read beside its row's values
        # (an empty text makes no key; the client id is written into keys as it is).
        self.key_defaults = any(
            value is not None and (value != "" or name == "client_id")
            for name, value in self.defaults
            if name in KEY_COLUMNS
        )
        # Columns that may be left out of an INSERT when a whole batch has nothing for them
        # (binding a NULL costs as much as binding a value).
        self.omittable = frozenset(
            index
            for index, name in enumerate(columns)
            if table.c[name].nullable and table.c[name].server_default is None and self.default_values[index] is None
        )
        self.processors = [
            (index, processor)
            for index, name in enumerate(columns)
            if (processor := _storage_converter(table.c[name].type)) is not None
        ]
        self.now = now
        self.stamp = _sqlite_datetime(now) if self.sqlite else now
        assignments = ", ".join(f"{name} = ?" for name in columns)
        self.update_sql = f"UPDATE {table.name} SET {assignments}, updated_at = ? WHERE id = ?"
        # INSERT statements by the columns sent and the values written into them (see _flush_sqlite).
        self.insert_sql: dict[tuple[Any, ...], str] = {}
        self.dropped_indexes: list[tuple[str, str]] | None = None
        self.loaded = 0
        self.shared_keys: set[Key] = set()  # keys that more than one stored record has
        self.next_id = (session.execute(select(func.max(table.c.id))).scalar() or 0) + 1

    def load(self, key_function: Callable[[dict[str, Any]], list[Key]]) -> None:
        key_columns = [(name, index) for index, name in enumerate(self.columns) if name in KEY_COLUMNS]
        if isinstance(self.keys, SpilledKeys):
            # Streamed: only the key columns are read, and the keys go straight to the key table.
            names = [name for name, _index in key_columns]
            readers = [
                (position, reader)
                for position, (_name, index) in enumerate(key_columns)
                for column_index, reader in self.readers
                if column_index == index
            ]
            cursor = _driver_connection(self.session).execute(
                f"SELECT id{''.join(', ' + name for name in names)} FROM {self.table.name}"
            )
            counted = [0]

            def pairs() -> Iterator[tuple[Key, int]]:
                while batch := cursor.fetchmany(BATCH_ROWS):
                    counted[0] += len(batch)
                    for raw_row in batch:
                        record_id, values = raw_row[0], list(raw_row[1:])
                        for position, reader in readers:
                            values[position] = reader(values[position])
                        for key in key_function(dict(zip(names, values, strict=True))):
                            yield key, record_id

            self.keys.load(pairs())
            self.loaded = counted[0]
            self.shared_keys = self.keys.shared()
            return
        statement = select(self.table.c.id, *(self.table.c[name] for name in self.columns))
        rows = list(self.session.execute(statement))
        stored, keys, shared = self.rows, self.keys, self.shared_keys
        for row in rows:
            record_id = row[0]
            values = tuple(row[1:])
            stored[record_id] = values
            for key in key_function({name: values[index] for name, index in key_columns}):
                if keys.setdefault(key, record_id) != record_id:
                    shared.add(key)
        self.loaded = len(stored)

    def row(self, record_id: int) -> tuple[Any, ...]:
        """A record's managed columns: pending in memory, or read back from the database."""
        found = self.rows.get(record_id) or self.read.get(record_id)
        if found is not None:
            return found
        last = self.last_read
        if last is not None and last[0] == record_id:
            return last[1]
        stored = _driver_connection(self.session).execute(self.select_sql, (record_id,)).fetchone()
        if stored is None:
            raise KeyError(record_id)
        values = list(stored)
        for index, reader in self.readers:
            values[index] = reader(values[index])
        result = tuple(values)
        self.last_read = (record_id, result)
        return result

    def prefetch_rows(self, ids: set[int]) -> None:
        """Read the stored rows of a batch's matches in a few statements (a re-import matches every row)."""
        wanted = [record_id for record_id in ids if record_id not in self.rows and record_id not in self.read]
        raw = _driver_connection(self.session)
        readers = self.readers
        for start in range(0, len(wanted), PREFETCH_CHUNK):
            chunk = wanted[start : start + PREFETCH_CHUNK]
            marks = ",".join("?" * len(chunk))
            statement = f"SELECT id, {', '.join(self.columns)} FROM {self.table.name} WHERE id IN ({marks})"
            for stored in raw.execute(statement, chunk):
                if readers:
                    values = list(stored[1:])
                    for index, reader in readers:
                        values[index] = reader(values[index])
                    self.read[stored[0]] = tuple(values)
                else:
                    self.read[stored[0]] = tuple(stored[1:])

    def size(self) -> int:
        """How many records the table has, counting those not written yet."""
        if isinstance(self.keys, SpilledKeys):
            return self.loaded + self.inserted + len(self.inserts)
        return len(self.rows)

    def all_rows(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """Every record (id, managed columns), the pending versions first."""
        yield from list(self.rows.items())
        if isinstance(self.keys, SpilledKeys):
            pending = set(self.rows)
            cursor = _driver_connection(self.session).execute(
                f"SELECT id, {', '.join(self.columns)} FROM {self.table.name}"
            )
            for stored in cursor.fetchall():
                if stored[0] in pending:
                    continue
                values = list(stored[1:])
                for index, reader in self.readers:
                    values[index] = reader(values[index])
                yield stored[0], tuple(values)

    def find(self, keys: list[Key], values: dict[str, Any], distinct: tuple[str, ...] = ()) -> int | None:
        """The first record a key finds, unless it is provably another one: both have an
        external id (or, for clients, a tax id) and they differ (two "Acme" accounts in Salesforce)."""
        for key in keys:
            found = self.keys.get(key)
            if found is None:
                continue
            stored = self.row(found)
            if any(
                values.get(name) and stored[self.position[name]] and values[name] != stored[self.position[name]]
                for name in distinct
            ):
                continue
            return found
        return None

    def upsert(self, record_id: int | None, values: dict[str, Any]) -> tuple[int, str, tuple[Any, ...]]:
        """Insert or merge ``values``; returns (id, created|updated|unchanged, the full row)."""
        if record_id is None:
            template = list(self.default_values)
            position = self.position
            for name, value in values.items():
                index = position.get(name)
                if index is not None:
                    template[index] = value
            merged = tuple(template)
            record_id = self.next_id
            self.next_id += 1
            self.rows[record_id] = merged
            self.inserts.append(merged)
            return record_id, "created", merged
        old = self.row(record_id)
        position = self.position
        changed: list[Any] | None = None
        for name, value in values.items():
            index = position.get(name)
            if index is not None and old[index] != value:
                if changed is None:
                    changed = list(old)
                changed[index] = value
        if changed is None:
            return record_id, "unchanged", old
        merged = tuple(changed)
        self.rows[record_id] = merged
        self.updates[record_id] = merged
        return record_id, "updated", merged

    def as_dict(self, values: tuple[Any, ...]) -> dict[str, Any]:
        return dict(zip(self.columns, values, strict=True))

    def remember(self, record_id: int, keys: list[Key]) -> None:
        for key in keys:
            self.keys.setdefault(key, record_id)

    def flush(self, write: bool, expected_inserts: int = 0, *, last: bool = False) -> None:
        """Send pending writes; ``expected_inserts`` guesses how many the whole import will insert;
        ``last``: no row follows (the keys are not kept for one)."""
        if write and (self.inserts or self.updates):
            if self.sqlite:
                self._flush_sqlite(expected_inserts)
            else:
                self._flush_portable()
            self.inserted += len(self.inserts)
        if write and isinstance(self.keys, SpilledKeys):
            # Written: a later row that matches one of these reads it back, by id.
            self.rows = {}
            self.read = {}
            self.last_read = None
            self.keys.spill(needed=not last)
        self.inserts = []
        self.updates = {}

    def _flush_sqlite(self, expected_inserts: int) -> None:
        raw = _driver_connection(self.session)
        if self.inserts:
            if self.dropped_indexes is None and expected_inserts >= max(REBUILD_INDEXES_MIN_ROWS, self.loaded):
                self._drop_indexes(raw)
            count = len(self.inserts)
            first_id = self.next_id - count
            # Column by column: a batch's converters run once per column, and columns the
            # whole batch leaves empty are not sent at all.
            columns = list(zip(*self.inserts, strict=True))
            for index, processor in self.processors:
                column = columns[index]
                if column.count(None) != count:
                    columns[index] = tuple([None if value is None else processor(value) for value in column])
            kept = tuple(
                index
                for index in range(len(self.columns))
                if index not in self.omittable or columns[index].count(None) != count
            )
            # A value every row of the batch has (a default: status, currency; the time stamps) is written
            # into the statement once instead of bound on each row (binding is most of executemany's time).
            shared = {index: literal for index in kept if (literal := _shared_literal(columns[index])) is not None}
            signature = (kept, *shared.items())
            sql = self.insert_sql.get(signature)
            if sql is None:
                names = ", ".join(["id", *(self.columns[index] for index in kept), "created_at", "updated_at"])
                stamp = f"'{self.stamp}'"  # the import's moment, as SQLAlchemy stores it: digits, "-", ":", "."
                marks = ", ".join(["?", *(shared.get(index, "?") for index in kept), stamp, stamp])
                sql = f"INSERT INTO {self.table.name} ({names}) VALUES ({marks})"
                if len(self.insert_sql) < INSERT_STATEMENTS_KEPT:
                    self.insert_sql[signature] = sql
            bound = [columns[index] for index in kept if index not in shared]
            ids = range(first_id, first_id + count)
            raw.executemany(sql, zip(ids, *bound, strict=True))
        if self.updates:
            rows = []
            for record_id, values in self.updates.items():
                row = list(values)
                for index, processor in self.processors:
                    if row[index] is not None:
                        row[index] = processor(row[index])
                rows.append((*row, self.stamp, record_id))
            raw.executemany(self.update_sql, rows)

    def _drop_indexes(self, raw: Any) -> None:
        self.dropped_indexes = drop_indexes(raw, self.table.name)

    def _flush_portable(self) -> None:
        from sqlalchemy import bindparam, update

        names = ("id", *self.columns, "created_at", "updated_at")
        first_id = self.next_id - len(self.inserts)
        rows = [(first_id + offset, *row, self.now, self.now) for offset, row in enumerate(self.inserts)]
        insert_rows(self.session, self.table, names, rows)
        if self.updates:
            statement = (
                update(self.table)
                .where(self.table.c.id == bindparam("b_id"))
                .values({name: bindparam(f"b_{name}") for name in (*self.columns, "updated_at")})
            )
            self.session.execute(
                statement,
                [
                    {
                        "b_id": record_id,
                        "b_updated_at": self.now,
                        **{f"b_{n}": v for n, v in zip(self.columns, row, strict=True)},
                    }
                    for record_id, row in self.updates.items()
                ],
            )

    def close(self) -> None:
        """The temporary key table goes (with the import's transaction, committed or rolled back)."""
        if isinstance(self.keys, SpilledKeys):
            self.keys.drop()
        self.rows = {}

    def finish(self) -> None:
        """After the last flush of a written import: indexes back, id sequences moved on."""
        if self.dropped_indexes:
            raw = _driver_connection(self.session)
            for _name, sql in self.dropped_indexes:
                raw.execute(sql)
            self.dropped_indexes = []
        if self.inserted:
            sync_id_sequence(self.session, self.table)


_NAME_MARKS = ('"', "'", ".", ",", "(", ")")  # what services.text.name_key reads as spaces
_FOLD_REPLACEMENTS = tuple((chr(code), replacement) for code, replacement in _PUNCT_MAP.items())


def fast_fold(text: str) -> str:
    """``services.text.fold``, faster on the import's hot path: most names need no NFKC
    change and hold one or two of the replaced quotes (``str.translate`` scans for all)."""
    if not text:
        return ""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    folded = text.casefold()
    for original, replacement in _FOLD_REPLACEMENTS:
        if original in folded:
            folded = folded.replace(original, replacement)
    return " ".join(folded.split())


def fold_with_key(text: str) -> tuple[str, str]:
    """``(fold(text), name_key(text))`` in one pass over the name."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    folded = text.casefold()
    for original, replacement in _FOLD_REPLACEMENTS:
        if original in folded:
            folded = folded.replace(original, replacement)
    words = folded.split()
    folded = unmarked = " ".join(words)
    for mark in _NAME_MARKS:
        if mark in unmarked:
            unmarked = unmarked.replace(mark, " ")
    if unmarked is not folded:
        words = unmarked.split()
    elif LEGAL_FORMS.isdisjoint(words):
        return folded, folded
    if LEGAL_FORMS.isdisjoint(words):
        return folded, " ".join(words)
    kept = [word for word in words if word not in LEGAL_FORMS]
    return folded, " ".join(kept or words)


def _client_keys(values: dict[str, Any]) -> list[Key]:
    keys: list[Key] = []
    if values.get("external_id"):
        keys.append(f"x\x1f{values['external_id']}")
    if values.get("tax_id"):
        keys.append(f"t\x1f{values['tax_id']}")
    if values.get("name"):
        key = values.get("_name_key")
        if key is None:
            folded = values.get("name_folded")
            key = folded_name_key(folded) if folded else name_key(values["name"])
        keys.append(f"n\x1f{key}")
    return keys


def _external_key(values: dict[str, Any]) -> list[Key]:
    return [f"x\x1f{values['external_id']}"] if values.get("external_id") else []


def _natural_keys(kind: str, values: dict[str, Any]) -> list[Key]:
    keys = _external_key(values)
    client_id = values.get("client_id")
    if kind == "contacts":
        if values.get("full_name_folded"):
            keys.append(f"n\x1f{client_id}\x1f{values['full_name_folded']}")
    elif kind == "interactions":
        when = values.get("planned_at") or values.get("done_at")
        if when is not None and values.get("kind"):
            keys.append(f"w\x1f{client_id}\x1f{values['kind']}\x1f{when.astimezone(UTC).replace(tzinfo=None)}")
    else:
        match_on = ENTITIES[kind].match_on
        if match_on is not None and values.get(match_on):
            keys.append(f"{match_on}\x1f{client_id}\x1f{fold(values[match_on])}")
    return keys


# --- the importer --------------------------------------------------------------------------


class Importer:
    def __init__(self, session: Session, kind: str, options: ImportOptions, summary: ImportSummary) -> None:
        self.session = session
        self.kind = kind
        self.options = options
        self.summary = summary
        self.now = options.now
        self.fields = {
            name: (column, parser, parser.limit if isinstance(parser, _Text) else 0)
            for name, (column, parser) in SPECS[kind].items()
        }
        self.date_fields = tuple(DATE_FIELDS.get(kind, {}).items())
        self.required_columns = {entry.name: entry.column or entry.name for entry in ENTITY_FIELDS[kind]}
        # The unbound function: a bound method stored on self would make a reference cycle, and
        # then the import's rows would wait for the cyclic GC instead of being freed at the end.
        self.finish: Callable[[Importer, dict[str, Any], dict[str, Any], list[tuple[str, str]]], None] = getattr(
            Importer, f"_finish_{kind}", Importer._finish_declared
        )
        self.clients = TableState(session, table_of(Client), managed_columns("clients"), self.now)
        self.clients.load(_client_keys)
        self.ambiguous_client_names = {key[2:] for key in self.clients.shared_keys if key.startswith("n\x1f")}
        # A client's name -> its match key (``name_key``): a phone book names each company many times.
        self.client_name_keys: dict[str, str] = {}
        self.cleaned_phones: dict[str, tuple[bool, str]] = {}
        self.state: TableState | None = None
        if kind != "clients":
            self.state = TableState(session, table_for(kind), managed_columns(kind), self.now)
            self.state.load(lambda values: _natural_keys(kind, values))
        self.methods: dict[int, set[tuple[str, str]]] = {}
        self.method_positions: dict[int, int] = {}
        self.method_inserts: list[tuple[Any, ...]] = []
        self.method_next_id = 0
        self.methods_inserted = 0
        self.method_indexes: list[tuple[str, str]] = []  # dropped for a large import (SQLite), made again at the end
        if kind == "contacts":
            self._load_methods()
        self.contracts: dict[tuple[int, str], int] | None = None
        # A known contact's e-mail -> (contact id, client id): calendar attendees link to the client's people.
        self.attendee_contacts: dict[str, tuple[int, int]] | None = None
        self.link_pending: set[tuple[int, int]] = set()
        self.links_inserted = 0
        self.errors_seen = 0
        self.row_warnings: list[tuple[str, str]] = []
        self.rejects_writer: Any = None
        self.rejects_handle: Any = None

    # loading ---------------------------------------------------------------------------

    def _load_methods(self) -> None:
        assert self.state is not None
        table = table_of(ContactMethod)
        self.method_next_id = (self.session.execute(select(func.max(table.c.id))).scalar() or 0) + 1
        statement = select(table.c.contact_id, table.c.kind, table.c.value_norm, table.c.position)
        for contact_id, kind, norm, position in self.session.execute(statement):
            self.methods.setdefault(contact_id, set()).add((kind, norm))
            self.method_positions[contact_id] = max(self.method_positions.get(contact_id, -1), position)
            if kind == "email" and norm:
                self.state.keys.setdefault(f"e\x1f{norm}", contact_id)

    # one record ------------------------------------------------------------------------

    def convert(self, values: dict[str, Any]) -> dict[str, Any]:
        """Typed column values from a record's field values; collects every problem of the row."""
        if "_broken" in values:
            broken = values["_broken"]
            raise RowProblems([("record", broken)] if isinstance(broken, str) else broken)
        problems: list[tuple[str, str]] = []
        row: dict[str, Any] = {}
        fields = self.fields
        try:
            joined = "".join(values.values())  # a table's cells are all text: joined without a filter
        except TypeError:  # a list (several columns for one field), a number or a date among them
            joined = "".join([value for value in values.values() if value.__class__ is str])
        if UNSAFE_LINE.search(joined):
            values = self._clean_cells(values)
        for name, value in values.items():
            entry = fields.get(name)
            if entry is None:
                continue
            column, parser, limit = entry
            if limit and value.__class__ is str:
                # The common case, inline: what _Text does for a string cell.
                text = value.strip()
                if text:
                    if text[0] == "'" and len(text) > 1 and text[1] in "=+-@\t\r":
                        text = text[1:]
                    if len(text) > limit:
                        problems.append((name, f"{len(text)} characters, at most {limit} expected"))
                    else:
                        row[column] = text
                continue
            try:
                converted = parser(value, name)
            except ValidationError as exc:
                problems.append((name, exc.reason))
                continue
            except ArithmeticError:  # a last guard (OverflowError too): a number or date no parser expected
                problems.append((name, f"{cell_text(value)[:40]!r} is out of range"))
                continue
            if converted is not None and converted != "":
                row[column] = converted
        if self.date_fields:
            for name, column in self.date_fields:
                if name in values:
                    try:
                        row[column] = parse_date_cell(
                            values[name], field=name, date_order=self.options.date_order, zone=self.options.zone
                        )
                    except ValidationError as exc:
                        problems.append((name, exc.reason))
                    except OverflowError:
                        problems.append((name, f"{cell_text(values[name])!r} is out of the range of dates in UTC"))
        try:
            self.finish(self, values, row, problems)
        except ValidationError as exc:
            problems.append((exc.field or "row", exc.reason))
        if problems:
            raise RowProblems(problems)
        return row

    def _clean_cells(self, values: dict[str, Any]) -> dict[str, Any]:
        """The record with control characters, bidi overrides and stray line breaks taken out
        (a warning names each changed field): the same rule the services apply to typed text."""
        cleaned: dict[str, Any] = {}
        for name, value in values.items():
            removed: list[str] = []
            if isinstance(value, str):
                value, removed = clean_text(value, multiline=is_multiline(name))
            elif isinstance(value, list):
                items = []
                for item in value:
                    if isinstance(item, str):
                        item, lost = clean_text(item)
                        removed += [label for label in lost if label not in removed]
                    items.append(item)
                value = items
            if removed:
                self.row_warnings.append((name, clean_notice(removed)))
            cleaned[name] = value
        return cleaned

    def _require(self, row: dict[str, Any], column: str, field_name: str, problems: list[tuple[str, str]]) -> None:
        if row.get(column) in (None, "") and not any(name == field_name for name, _ in problems):
            problems.append((field_name, "missing (the column is absent or the cell is empty)"))

    def _finish_clients(self, values: dict[str, Any], row: dict[str, Any], problems: list[tuple[str, str]]) -> None:
        if row.get("phone"):
            # As for a contact: a company worth importing is not refused for a phone cell that holds no number.
            try:
                row["phone"] = _phone(row["phone"], "phone")
            except ValidationError as exc:
                del row["phone"]
                self.row_warnings.append(("phone", f"{exc.reason}; skipped"))
        name = row.get("name")
        if name:
            row["name_folded"], row["_name_key"] = fold_with_key(name)
        else:
            self._require(row, "name", "name", problems)

    def _client_ref(self, values: dict[str, Any], *, create: bool) -> int | None:
        external = cell_text(values["client_external_id"]) if "client_external_id" in values else ""
        tax = cell_text(values["client_tax_id"]).replace(" ", "") if "client_tax_id" in values else ""
        name = cell_text(values["client"]) if "client" in values else ""
        if not (external or tax or name):
            if self.options.client:
                name = self.options.client
            else:
                return None
        keys = self.clients.keys
        if external and (found := keys.get(f"x\x1f{external}")) is not None:
            return found
        if tax and (found := keys.get(f"t\x1f{tax}")) is not None:
            return found
        if name:
            key = self.client_name_keys.get(name)
            if key is None:
                key = name_key(name)
                if len(self.client_name_keys) < NAME_KEY_CACHE:
                    self.client_name_keys[name] = key
            if key in self.ambiguous_client_names:
                raise ValidationError(f"{name!r} names several clients; add the INN or external id", field="client")
            if (found := keys.get(f"n\x1f{key}")) is not None:
                return found
        if create and name:
            client: dict[str, Any] = {"name": name[:300], "name_folded": fold(name[:300])}
            if tax:
                client["tax_id"] = _tax_id(tax, "client_tax_id")
            if external:
                client["external_id"] = external
            client_id, _outcome, _merged = self.clients.upsert(None, client)
            self.clients.remember(client_id, _client_keys(client))
            self.summary.clients_created += 1
            return client_id
        described = external or tax or name
        raise ValidationError(f"no client {described!r} (import or add clients first)", field="client")

    def _set_client(
        self, values: dict[str, Any], row: dict[str, Any], problems: list[tuple[str, str]], *, required: bool
    ) -> None:
        try:
            client_id = self._client_ref(values, create=self.kind == "contacts")
        except ValidationError as exc:
            problems.append(("client", exc.reason))
            return
        if client_id is None and required:
            hint = "; or give --client NAME" if self.summary.format == "ical" else ""
            problems.append(("client", f"missing: name the client (client, client_tax_id or client_external_id){hint}"))
        row["client_id"] = client_id

    def _finish_contacts(self, values: dict[str, Any], row: dict[str, Any], problems: list[tuple[str, str]]) -> None:
        # A phone book entry is worth keeping even if one of its numbers is junk: bad phones and
        # e-mails are skipped with a warning, not a rejected row.
        phones, emails = [], []
        cleaned_phones = self.cleaned_phones
        for raw in _as_list(values.get("phone")):
            for part in _split_multi(raw):
                # A number's text -> what clean_phone made of it (or why it refused it), the region being
                # the import's: a phone book repeats a company's numbers.
                cleaned = cleaned_phones.get(part) if part.__class__ is str else None
                if cleaned is None:
                    try:
                        cleaned = (True, _phone(part, "phone"))
                    except ValidationError as exc:
                        cleaned = (False, exc.reason)
                    if part.__class__ is str and len(cleaned_phones) < PHONE_CACHE:
                        cleaned_phones[part] = cleaned
                if cleaned[0]:
                    phones.append(cleaned[1])
                else:
                    self.row_warnings.append(("phone", f"{cleaned[1]}; skipped"))
        for raw in _as_list(values.get("email")):
            for part in _split_multi(raw):
                try:
                    emails.append(_email(part, "email"))
                except ValidationError as exc:
                    self.row_warnings.append(("email", f"{exc.reason}; skipped"))
        row["_phones"], row["_emails"] = phones, emails
        if "birthday" in values:
            try:
                birthday = _birthday(values["birthday"])
                if birthday is not None:
                    row["birthday_md"], row["birthday_year"] = birthday
            except ValidationError as exc:
                problems.append(("birthday", exc.reason))
        if not row.get("full_name"):
            parts = [row.get(name) for name in ("given_name", "middle_name", "family_name")]
            composed = " ".join(part for part in parts if part)
            row["full_name"] = composed or (emails[0] if emails else phones[0] if phones else "")
        if not row.get("full_name"):
            problems.append(("full_name", "missing: no name, e-mail or phone"))
        else:
            row["full_name_folded"] = fast_fold(row["full_name"])
        self._set_client(values, row, problems, required=False)

    def _finish_interactions(
        self, values: dict[str, Any], row: dict[str, Any], problems: list[tuple[str, str]]
    ) -> None:
        zone, order = self.options.zone, self.options.date_order
        for name in ("planned_at", "done_at", "when"):
            if name in values:
                try:
                    row[name] = parse_datetime_cell(values[name], field=name, zone=zone, date_order=order)
                except ValidationError as exc:
                    problems.append((name, exc.reason))
                except OverflowError:  # 31.12.9999 23:45 west of UTC is past the last datetime
                    problems.append((name, f"{cell_text(values[name])!r} is out of the range of dates in UTC"))
        when = row.pop("when", None)
        if when is not None:
            status = row.get("status") or ("done" if when < self.now else "planned")
            row.setdefault("status", status)
            row.setdefault("done_at" if status == "done" else "planned_at", when)
        if "status" not in row and row.get("done_at") and not row.get("planned_at"):
            row["status"] = InteractionStatus.DONE.value
        given = any(name in values for name in ("when", "planned_at", "done_at"))
        if not given:
            problems.append(("when", "missing: the date and time of the call, visit or meeting"))
        if values.get("_attendees"):
            row["_attendees"] = values["_attendees"]
        self._require(row, "kind", "kind", problems)
        if not any(name in values for name in ("client", "client_tax_id", "client_external_id")):
            found = self._client_from_event(values)
            if found is not None:
                row["client_id"] = found
                return
        self._set_client(values, row, problems, required=True)

    def _client_from_event(self, values: dict[str, Any]) -> int | None:
        """A calendar event's client: an attendee's e-mail known for a contact, else a client named in it."""
        if self.options.client:
            return None
        for email in values.get("_attendees") or []:
            known = self._attendee_contacts().get(normalise_email(email))
            if known is not None:
                return known[1]
        text = fold(" ".join(str(values.get(name, "")) for name in ("subject", "place", "outcome")))
        if text and self.clients.size() <= 20000:
            position = self.clients.position["name"]
            found = {
                client_id
                for client_id, client in self.clients.all_rows()
                if (key := name_key(client[position])) and len(key) >= 3 and re.search(rf"\b{re.escape(key)}\b", text)
            }
            if len(found) == 1:
                return found.pop()
        return None

    def _attendee_contacts(self) -> dict[str, tuple[int, int]]:
        if self.attendee_contacts is None:
            table, contacts = table_of(ContactMethod), table_of(Contact)
            statement = (
                select(table.c.value_norm, table.c.contact_id, contacts.c.client_id)
                .join(contacts, contacts.c.id == table.c.contact_id)
                .where(table.c.kind == "email", contacts.c.client_id.is_not(None))
            )
            self.attendee_contacts = {
                norm: (contact_id, client_id) for norm, contact_id, client_id in self.session.execute(statement)
            }
        return self.attendee_contacts

    def _link_attendees(self, interaction_id: int, client_id: int | None, emails: list[str]) -> None:
        """The event's attendees who are people of its client take part in the interaction."""
        for email in emails:
            known = self._attendee_contacts().get(normalise_email(email))
            if known is not None and known[1] == client_id:
                self.link_pending.add((interaction_id, known[0]))

    def _write_links(self) -> None:
        """Insert the pending attendee links that are not stored yet (a re-import adds none)."""
        table = table_of(InteractionContact)
        pending = sorted(self.link_pending)
        ids = sorted({interaction_id for interaction_id, _ in pending})
        stored: set[tuple[int, int]] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            statement = select(table.c.interaction_id, table.c.contact_id).where(table.c.interaction_id.in_(chunk))
            stored.update((row[0], row[1]) for row in self.session.execute(statement))
        new = [pair for pair in pending if pair not in stored]
        if new:
            insert_rows(self.session, table, ("interaction_id", "contact_id"), new)
            self.links_inserted += len(new)

    def _finish_contracts(self, values: dict[str, Any], row: dict[str, Any], problems: list[tuple[str, str]]) -> None:
        self._require(row, "number", "number", problems)
        self._set_client(values, row, problems, required=True)
        if row.get("start_on") and row.get("end_on") and row["end_on"] < row["start_on"]:
            problems.append(("end_on", f"{row['end_on']:%d.%m.%Y} is before the start {row['start_on']:%d.%m.%Y}"))

    def _finish_invoices(self, values: dict[str, Any], row: dict[str, Any], problems: list[tuple[str, str]]) -> None:
        self._require(row, "number", "number", problems)
        self._require(row, "issued_on", "issued_on", problems)
        self._require(row, "amount_minor", "amount", problems)
        if "due_on" not in row and row.get("issued_on"):
            row["due_on"] = row["issued_on"]
        self._set_client(values, row, problems, required=True)
        if "contract" in values and row.get("client_id"):
            if self.contracts is None:
                table = table_of(Contract)
                statement = select(table.c.client_id, table.c.number, table.c.id)
                self.contracts = {(c, fold(n)): i for c, n, i in self.session.execute(statement)}
            number = cell_text(values["contract"])
            contract_id = self.contracts.get((row["client_id"], fold(number)))
            if contract_id is None:
                problems.append(("contract", f"no contract {number!r} of this client"))
            row["contract_id"] = contract_id

    def _finish_declared(self, values: dict[str, Any], row: dict[str, Any], problems: list[tuple[str, str]]) -> None:
        """A kind read by its declaration alone (formats/mapping.py): required fields, then its client."""
        entity = ENTITIES[self.kind]
        columns = self.required_columns
        for name in entity.required:
            self._require(row, columns[name], name, problems)
        if entity.client != "none":
            self._set_client(values, row, problems, required=entity.client == "required")

    # writing -----------------------------------------------------------------------------

    def prefetch(self, rows: list[dict[str, Any]]) -> None:
        """Look up the match keys of a batch of converted rows at once (SQLite keeps them in a table)."""
        if self.kind == "clients":
            if isinstance(self.clients.keys, SpilledKeys):
                for row in rows:
                    row[ROW_KEYS] = _client_keys(row)  # for apply
                self.clients.keys.prefetch(key for row in rows for key in row[ROW_KEYS])
                self.clients.prefetch_rows({found for found in self.clients.keys.cache.values() if found})
            return
        assert self.state is not None
        keys = self.state.keys
        if isinstance(keys, SpilledKeys):
            kind = self.kind
            keys.prefetch(
                key
                for row in rows
                for key in (
                    *_natural_keys(kind, row),
                    *(f"e\x1f{normalise_email(email)}" for email in row.get("_emails") or ()),
                )
            )
            self.state.prefetch_rows({found for found in keys.cache.values() if found})

    def apply(self, row: dict[str, Any]) -> str:
        if self.kind == "clients":
            clients = self.clients
            keys = row.pop(ROW_KEYS, None)
            if keys is None:
                keys = _client_keys(row)
            record_id, outcome, merged = clients.upsert(clients.find(keys, row, ("external_id", "tax_id")), row)
            if outcome == "created":
                for key in keys:
                    clients.keys.setdefault(key, record_id)
            elif outcome == "updated":
                clients.remember(record_id, _client_keys(clients.as_dict(merged)))
            return outcome
        state = self.state
        assert state is not None
        phones: list[str] = row.pop("_phones", [])
        emails: list[str] = row.pop("_emails", [])
        attendees: list[str] = row.pop("_attendees", [])
        natural = _natural_keys(self.kind, row)
        keys = natural
        if emails:
            at = 1 if row.get("external_id") else 0  # after the external id's key (_natural_keys)
            keys = [*natural[:at], *(f"e\x1f{normalise_email(email)}" for email in emails), *natural[at:]]
        found = state.find(keys, row, ("external_id",))
        record_id, outcome, merged = state.upsert(found, row)
        if outcome == "created" and not state.key_defaults:
            state.remember(record_id, natural)  # a new record's keys are its row's
        elif outcome != "unchanged":
            state.remember(record_id, _natural_keys(self.kind, state.as_dict(merged)))
        if self.kind == "contacts" and self._add_methods(record_id, phones, emails) and outcome == "unchanged":
            outcome = "updated"
        if attendees:
            self._link_attendees(record_id, state.as_dict(merged).get("client_id"), attendees)
        return outcome

    def _add_methods(self, contact_id: int, phones: list[str], emails: list[str]) -> bool:
        """The contact's phones and e-mails it does not have yet, after those it has; True if any."""
        assert self.state is not None
        if not phones and not emails:
            return False
        known = self.methods.get(contact_id)
        if known is None:
            known = self.methods[contact_id] = set()
        last = position = self.method_positions.get(contact_id, -1)
        next_id, inserts = self.method_next_id, self.method_inserts
        for kind, values in (("phone", phones), ("email", emails)):
            for value in values:
                norm = phone_key(value) if kind == "phone" else normalise_email(value)
                if (kind, norm) in known:
                    continue
                known.add((kind, norm))
                position += 1
                inserts.append((next_id, contact_id, kind, value, norm, None, position))
                next_id += 1
                if kind == "email":
                    self.state.keys.setdefault(f"e\x1f{norm}", contact_id)
        self.method_next_id = next_id
        if position == last:
            return False
        self.method_positions[contact_id] = position
        return True

    def flush(self, expected_inserts: int = 0, *, last: bool = False) -> None:
        """Send pending writes (unless the import will be rolled back anyway); ``last``: after the last row."""
        write = (not self.summary.errors or self.options.skip_bad) and not self.options.dry_run
        primary = self.state or self.clients
        for state in (self.clients, self.state):
            if state is not None:
                state.flush(write, expected_inserts if state is primary else 0, last=last)
        if write and self.method_inserts:
            if self.state is not None and self.state.dropped_indexes and not self.method_indexes:
                # The contacts' indexes were dropped (the import brings at least as many as are stored):
                # their phones and e-mails' indexes too, made again once at the end (as for the contacts).
                self.method_indexes = drop_indexes(_driver_connection(self.session), table_of(ContactMethod).name)
            self.methods_inserted += len(self.method_inserts)
            insert_rows(self.session, table_of(ContactMethod), METHOD_COLUMNS, self.method_inserts)
        self.method_inserts = []
        if write and self.link_pending:
            self._write_links()  # after the interactions they point at
        self.link_pending = set()

    def complete(self) -> None:
        """After the last flush of an import that is kept."""
        for state in (self.clients, self.state):
            if state is not None:
                state.finish()
        if self.method_indexes:
            raw = _driver_connection(self.session)
            for _name, sql in self.method_indexes:
                raw.execute(sql)
            self.method_indexes = []
        if self.methods_inserted:
            sync_id_sequence(self.session, table_of(ContactMethod))
        if self.links_inserted:
            noun = "attendee" if self.links_inserted == 1 else "attendees"
            self.summary.notes.append(f"{self.links_inserted} {noun} linked to their contacts")

    # errors ------------------------------------------------------------------------------

    def reject(self, line: int | str, problems: list[tuple[str, str]], raw: Any, headers: list[str] | None) -> None:
        self.summary.rejected += 1
        for name, reason in problems:
            if len(self.summary.errors) < MAX_REPORTED_ERRORS:
                self.summary.errors.append(RowError(line, name, reason))
            self.errors_seen += 1
        if self.options.skip_bad and not self.options.dry_run:
            self._write_reject(line, problems, raw, headers)

    def _write_reject(
        self, line: int | str, problems: list[tuple[str, str]], raw: Any, headers: list[str] | None
    ) -> None:
        if self.rejects_writer is None:
            path = self.options.rejects_path or self.summary.path.with_name(self.summary.path.name + ".rejects.csv")
            self.summary.rejects_path = path
            self.rejects_handle = path.open("w", encoding="utf-8-sig", newline="")
            self.rejects_writer = csv.writer(self.rejects_handle)
            self.rejects_writer.writerow(["line", "error", *(headers or list(raw))])
            self._reject_headers = headers or list(raw)
        reason = "; ".join(f"{name}: {why}" for name, why in problems)
        cells = raw if isinstance(raw, list) else [raw.get(name, "") for name in self._reject_headers]
        self.rejects_writer.writerow([line, reason, *(cell_text(cell) for cell in cells)])

    def close(self) -> None:
        if self.rejects_handle is not None:
            self.rejects_handle.close()
        for state in (self.clients, self.state):
            if state is not None:
                state.close()


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _split_multi(value: Any) -> list[Any]:
    """Google joins several values in one cell with ' ::: '."""
    if isinstance(value, str) and ":::" in value:
        return [part.strip() for part in value.split(":::") if part.strip()]
    return [value]


def _birthday(value: Any) -> tuple[str, int | None] | None:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value.month:02d}-{value.day:02d}", (value.year if value.year > 1604 else None)
    text = cell_text(value)
    if text in ("0/0/00", "0/0/0000", "00.00.0000"):  # Outlook and 1C write these for "none"
        return None
    if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):  # Outlook: m/d/yyyy
        month, day, year = (int(part) for part in text.split("/"))
        return parse_birthday(f"{year:04d}-{month:02d}-{day:02d}", field="birthday")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T.*", text):
        text = text[:10]
    return parse_birthday(text, field="birthday")


# --- sources -----------------------------------------------------------------------------


def _table_records(
    importer: Importer, path: Path, options: ImportOptions
) -> tuple[Iterator[Record], list[str], Callable[[], float]]:
    table = open_table(path, sheet=options.sheet, encoding=options.encoding)
    column_map = build_map(importer.kind, table.headers, options.overrides)
    summary = importer.summary
    summary.format = table.format
    if table.encoding:
        summary.notes.append(
            _("encoding {encoding}, delimiter {delimiter}").format(
                encoding=table.encoding, delimiter=repr(table.delimiter)
            )
        )
    summary.notes.extend(table.notes)
    noted = len(table.notes)
    summary.mapping = column_map.describe()
    if column_map.ignored:
        summary.notes.append(_ignored_note("columns", column_map.ignored))
    if not column_map.single and not column_map.multi:
        raise FileFormatError(
            f"{path}: no column is recognised for {importer.kind} (headers: {', '.join(table.headers[:12])}); "
            "is this the right kind? Name columns with --map 'Header=field'"
        )
    progress = options.progress

    def records() -> Iterator[Record]:
        values_of = column_map.values
        if progress is None:
            for line, cells in table.rows:
                yield line, values_of(cells), cells
        else:
            for count, (line, cells) in enumerate(table.rows):
                if count % 2000 == 0:
                    progress(table.progress())
                yield line, values_of(cells), cells
        summary.notes.extend(table.notes[noted:])  # what reading found on the way (repeated headers)

    return records(), table.headers, table.progress


def _json_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "true/false"
    return "null" if value is None else "a number"


def _json_cell(value: Any) -> Any:
    """A JSON value as a cell; money as our export writes it (``{"amount": "1.50", "minor": 150}``) becomes text."""
    if isinstance(value, dict):
        minor = value.get("minor")
        if isinstance(minor, int) and not isinstance(minor, bool):
            return f"{Decimal(minor) / 100:.2f}"
        amount = value.get("amount")
        if isinstance(amount, (str, int, float)) and not isinstance(amount, bool):
            return amount
    return value


# Fields that take a number as it is; any other field is text, where a JSON number with a fraction
# or an exponent is refused rather than stored as Python prints it ("7707083893.0").
NUMBER_FIELDS = frozenset(
    {"cadence_days", "credit_limit", "payment_terms_days", "discount", "annual_potential", "duration"}
    | {"notice_days", "value", "amount", "paid", "probability"}
)


BOOL_FIELDS = frozenset({"needs_reply", "auto_renew"})


def _json_number_problems(kind: str, values: dict[str, Any]) -> list[tuple[str, str]]:
    problems = []
    for name, value in values.items():
        items = value if isinstance(value, list) else [value]
        if name not in NUMBER_FIELDS and any(isinstance(item, float) for item in items):
            shown = next(item for item in items if isinstance(item, float))
            problems.append((name, f"the number {shown!r} where text is expected; write it in quotes"))
        elif name not in BOOL_FIELDS and any(isinstance(item, bool) for item in items):
            problems.append((name, "true/false where text or a number is expected"))
    return problems


def _json_shown(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)[:200]
    except (RecursionError, ValueError):
        return "(nested too deeply to show)"


def _json_records(importer: Importer, path: Path, options: ImportOptions) -> Iterator[Record]:
    """JSON: a list of objects, one per record, keyed by field names (or any header amtui recognises)."""
    from amtui.formats.mapping import MULTI_FIELDS
    from amtui.formats.readers import read_json_records

    maps: dict[tuple[str, ...], Any] = {}
    multi = MULTI_FIELDS.get(importer.kind, ())
    ignored: dict[str, None] = {}
    for number, _line, record in read_json_records(path, encoding=options.encoding):
        where = f"record {number}"
        if not isinstance(record, dict):
            shown = _json_shown(record)
            reason = f"expected an object of field: value, found {_json_kind(record)}"
            yield where, {"_broken": reason}, {"record": shown}
            continue
        keys = tuple(str(key) for key in record)
        column_map = maps.get(keys)
        if column_map is None:
            column_map = maps[keys] = build_map(importer.kind, list(keys), options.overrides)
            if not column_map.single and not column_map.multi:
                if not importer.summary.mapping:
                    raise FileFormatError(
                        f"{path}:{where}: no key is recognised for {importer.kind} (keys: {', '.join(keys[:12])}); "
                        "is this the right kind? Name keys with --map 'key=field'"
                    )
            elif not importer.summary.mapping:
                importer.summary.mapping = column_map.describe()
            ignored.update(dict.fromkeys(column_map.ignored))
        cells = [_json_cell(value) for value in record.values()]
        values = column_map.values(cells)
        problems = [
            (name, f"expected text, a number, true/false or null, found {_json_kind(value)}")
            for name, value in values.items()
            if isinstance(value, dict) or (isinstance(value, list) and (name not in multi or any(
                isinstance(item, (dict, list)) for item in value
            )))
        ]  # fmt: skip
        problems += _json_number_problems(importer.kind, values)
        if problems:
            values = {"_broken": problems}
        shown_record = {key: value if isinstance(value, str) else _json_shown(value)
                        for key, value in zip(keys, record.values(), strict=True)}  # fmt: skip
        yield where, values, shown_record
    if ignored:
        importer.summary.notes.append(_ignored_note("keys", ignored))


def _ignored_note(what: str, names: Any) -> str:
    """Every column (or JSON key) the import does not read, named: nothing is dropped silently."""
    return f"ignored {what}: " + ", ".join(dict.fromkeys(names))


def import_file(*, session: Session, kind: str, path: Path, options: ImportOptions) -> ImportSummary:
    """Import ``path`` as records of ``kind``; the summary says what happened (or would have)."""
    # An import holds every stored and new row in memory: the cyclic GC would rescan them again
    # and again (~15% of a large import) while the import creates no cycles worth collecting.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _import_file(session=session, kind=kind, path=path, options=options)
    finally:
        if collecting:
            gc.enable()


# Calendar windows stay inside the years that dates, time zones and recurrence rules can reach.
FIRST_WINDOW_DAY = date(1900, 1, 1)
LAST_WINDOW_DAY = date(9998, 12, 31)
DEFAULT_WINDOW = timedelta(weeks=8)


def _window(options: ImportOptions) -> tuple[date, date]:
    """The calendar window ``--from``..``--to`` (today and 8 weeks on by default); a clear error when
    the end is before the start or a day is beyond what can be planned."""
    for name, day in (("--from", options.window_from), ("--to", options.window_to)):
        if day is not None and not FIRST_WINDOW_DAY <= day <= LAST_WINDOW_DAY:
            raise ValidationError(
                f"{day.isoformat()}: a calendar window lies between {FIRST_WINDOW_DAY:%d.%m.%Y} "
                f"and {LAST_WINDOW_DAY:%d.%m.%Y}",
                field=name,
            )
    start = options.window_from or options.now.astimezone(options.zone).date()
    if options.window_to is not None and options.window_to < start:
        told = "--from" if options.window_from else "--from (today)"
        raise ValidationError(
            f"{options.window_to:%d.%m.%Y} is before {told} {start:%d.%m.%Y}; the window would be empty", field="--to"
        )
    end = options.window_to or min(start + DEFAULT_WINDOW, LAST_WINDOW_DAY)
    return start, end


def _import_file(*, session: Session, kind: str, path: Path, options: ImportOptions) -> ImportSummary:
    if kind not in SPECS:
        raise ValidationError(f"{kind!r}: import one of {', '.join(SPECS)}", field="kind")
    window = _window(options)
    file_format = sniff_format(path)
    summary = ImportSummary(kind=kind, path=path, format=file_format, dry_run=options.dry_run)
    _REGION[0] = (options.region or default_region()).upper()
    importer = Importer(session, kind, options, summary)
    headers: list[str] | None = None
    fraction: Callable[[], float] | None = None  # how much of the file is read, to guess its size
    if file_format == "vcard":
        if kind != "contacts":
            raise FileFormatError(f"{path}: a vCard file holds contacts; run: amtui import contacts {path}")
        from amtui.formats.vcard import read_vcards

        records: Iterator[Record] = read_vcards(path)
    elif file_format == "ical":
        if kind != "interactions":
            raise FileFormatError(f"{path}: an iCalendar file holds events; run: amtui import interactions {path}")
        from amtui.formats.ical import read_events

        start, end = window
        summary.notes.append(f"events from {start:%d.%m.%Y} to {end:%d.%m.%Y}")
        records = read_events(path, start=start, end=end, zone=options.zone, notes=summary.notes)
    elif file_format == "json":
        records = _json_records(importer, path, options)
    else:
        records, headers, fraction = _table_records(importer, path, options)
    try:
        # Rows are converted a batch at a time, then applied: the batch's keys are looked up in a few
        # statements. (Converting never reads what applying writes: a row's client comes from the
        # clients' keys, which only converting adds to.)
        batch: list[dict[str, Any]] = []
        convert = importer.convert
        for line, values, raw in records:
            if len(batch) >= BATCH_ROWS:  # a full batch, and a row after it (the last batch is flushed as such)
                _apply_batch(importer, batch)
                batch = []
                read = fraction() if fraction is not None else 0.0
                importer.flush(int(summary.created / read) if read > 0.01 else summary.created)
            try:
                batch.append(convert(values))
            except RowProblems as exc:
                importer.reject(line, exc.problems, raw, headers)
                continue
            finally:
                if importer.row_warnings:
                    if len(summary.warnings) < MAX_REPORTED_ERRORS:
                        summary.warnings.extend(RowError(line, n, r) for n, r in importer.row_warnings)
                    importer.row_warnings = []
        _apply_batch(importer, batch)
        importer.flush(last=True)
    finally:
        importer.close()
    if options.dry_run or (summary.rejected and not options.skip_bad):
        session.rollback()
        summary.written = False
    else:
        importer.complete()
        summary.written = True
    if options.progress is not None:
        options.progress(1.0)
    return summary


def _apply_batch(importer: Importer, batch: list[dict[str, Any]]) -> None:
    summary, apply = importer.summary, importer.apply
    importer.prefetch(batch)
    for row in batch:
        outcome = apply(row)
        if outcome == "created":
            summary.created += 1
        elif outcome == "updated":
            summary.updated += 1
        else:
            summary.unchanged += 1


__all__ = ["ImportOptions", "ImportSummary", "RowError", "import_file"]
