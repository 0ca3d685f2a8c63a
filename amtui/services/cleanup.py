"""Old bad text already stored: find and fix control characters, bidi overrides and line breaks.

Entry refuses these characters (services/sanitize.py, models/text_guard.py) and every output shows
them as U+FFFD, but a database written by an older amtui, or by another program, may still hold
them. ``amtui db clean-text`` lists every such value in every text column of every table and fixes
them the way an import does (:func:`amtui.services.sanitize.clean_text`: line breaks become a space
in a one-line field and a line feed in a multi-line one, everything else unsafe is removed), in one
transaction. The derived columns (``name_folded``, ``full_name_folded``, a contact method's
``value_norm``) are computed again from the fixed value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, Table, Text, select, update
from sqlmodel import Session, SQLModel

import amtui.models  # noqa: F401  (every table in the metadata)
from amtui.services.sanitize import REPLACEMENT, clean_text, describe, is_multiline

# Columns that are copies of another one (folded for search, normalised for matching): never
# checked on their own, computed again when their source changes.
_DERIVED_SUFFIXES = ("_folded", "_norm")


@dataclass(frozen=True)
class TextFix:
    """One stored value that holds unsafe characters, and what it becomes."""

    table: str
    column: str
    row_id: Any
    before: str
    after: str
    removed: tuple[str, ...]


@dataclass(frozen=True)
class CleanResult:
    fixes: tuple[TextFix, ...]
    written: bool

    @property
    def rows(self) -> int:
        return len({(fix.table, fix.row_id) for fix in self.fixes})


def _text_columns(table: Table) -> list[str]:
    return [
        column.name
        for column in table.columns
        # SQLModel's AutoString is a TypeDecorator over String: look at what it is made of.
        if isinstance(getattr(column.type, "impl", column.type), String | Text)
        and not column.name.endswith(_DERIVED_SUFFIXES)
    ]


def _fix(value: str, *, column: str) -> tuple[str, tuple[str, ...]] | None:
    multiline = is_multiline(column)
    cleaned, removed = clean_text(value, multiline=multiline)
    if cleaned == value:
        return None
    if not removed:  # a CR (a Windows line end) in a multi-line field, stored as a line feed
        removed = [describe("\r")]
    if not cleaned:  # nothing but control characters: keep a visible mark, not an empty name
        cleaned = REPLACEMENT
    return cleaned, tuple(removed)


def find_unsafe_text(*, session: Session) -> Iterator[TextFix]:
    """Every stored value with unsafe characters, table by table (in the schema's order)."""
    for table in SQLModel.metadata.sorted_tables:
        columns = _text_columns(table)
        keys = list(table.primary_key.columns)
        if not columns or len(keys) != 1:
            continue
        key = keys[0]
        statement = select(key, *(table.c[name] for name in columns)).order_by(key)
        for row in session.execute(statement):
            for name, value in zip(columns, row[1:], strict=True):
                if not isinstance(value, str):
                    continue
                fixed = _fix(value, column=name)
                if fixed is not None:
                    yield TextFix(table.name, name, row[0], value, fixed[0], fixed[1])


def _derived(table: Table, column: str, value: str, row: Any) -> dict[str, str]:
    """The derived columns to write again when ``column`` of ``table`` becomes ``value``."""
    from amtui.services.text import fold, normalise_email

    changes: dict[str, str] = {}
    if f"{column}_folded" in table.c:
        changes[f"{column}_folded"] = fold(value)
    if f"{column}_norm" in table.c and table.name == "contact_method":
        from amtui.services.phones import phone_key

        kind = row.kind if row is not None else None
        changes[f"{column}_norm"] = phone_key(value) if kind == "phone" else normalise_email(value)
    return changes


def clean_stored_text(
    *, session: Session, dry_run: bool = False, before_change: Callable[[], None] | None = None
) -> CleanResult:
    """Find every unsafe stored value and (unless ``dry_run``) fix them all in this session's
    transaction (the caller commits, or rolls everything back). ``before_change`` runs once, after
    the values are found and before the first is changed: the CLI writes its backup there."""
    fixes = tuple(find_unsafe_text(session=session))
    if dry_run or not fixes:
        return CleanResult(fixes, written=False)
    if before_change is not None:
        before_change()
    tables = SQLModel.metadata.tables
    for fix in fixes:
        table = tables[fix.table]
        key = next(iter(table.primary_key.columns))
        row = None
        if table.name == "contact_method":
            row = session.execute(select(table.c.kind).where(key == fix.row_id)).first()
        values = {fix.column: fix.after, **_derived(table, fix.column, fix.after, row)}
        session.execute(update(table).where(key == fix.row_id).values(**values))
    return CleanResult(fixes, written=True)
