"""Taking back a delete: what a delete is about to remove, read first as plain rows, put back as it was.

A person, a contract or a deal is deleted with what hangs on it through the database's foreign
keys: ``ON DELETE CASCADE`` rows go with it (a person's phones and e-mails, their attendance at
meetings and reports), ``ON DELETE SET NULL`` columns lose their link (a deleted contract's
invoices stay, unlinked). :func:`capture` reads all of that from the tables' own declarations
(no per-entity list to keep up to date); :func:`restore` inserts the rows again with their ids
and links the unlinked rows back. Nothing is kept in the database: the capture is the undo.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlmodel import Session


@dataclass(frozen=True, slots=True)
class Removed:
    """What one delete removed: enough to put it back. Plain data (safe to hand to another thread)."""

    text: str  # what to tell the user ("Deleted Громов Андрей")
    what: str  # what it was ("Громов Андрей")
    # (table name, its rows as column -> value), the deleted row's table first, then what cascaded.
    rows: tuple[tuple[str, tuple[dict[str, Any], ...]], ...]
    # (table name, column, ((row id, the value the delete set to NULL), ...)).
    unlinked: tuple[tuple[str, str, tuple[tuple[Any, Any], ...]], ...] = ()


def _table(name: str) -> Table:
    from sqlmodel import SQLModel

    import amtui.models  # noqa: F401  (every table declared)

    return SQLModel.metadata.tables[name]


def capture(*, session: Session, table: str, row_id: int, text: str, what: str) -> Removed:
    """Read the row ``row_id`` of ``table`` and everything its delete would take or unlink (call it
    just before deleting, in the same transaction)."""
    from sqlalchemy import select
    from sqlmodel import SQLModel

    import amtui.models  # noqa: F401

    rows: list[tuple[str, tuple[dict[str, Any], ...]]] = []
    unlinked: list[tuple[str, str, tuple[tuple[Any, Any], ...]]] = []

    def walk(parent: Table, key_column: str, keys: list[Any]) -> None:
        found = session.execute(select(parent).where(parent.c[key_column].in_(keys))).mappings().all()
        if not found:
            return
        records = tuple(dict(row) for row in found)
        rows.append((parent.name, records))
        for child in SQLModel.metadata.sorted_tables:
            for fk in child.foreign_keys:
                if fk.column.table is not parent:
                    continue
                values = [record[fk.column.name] for record in records]
                ondelete = (fk.ondelete or "").upper()
                if ondelete == "CASCADE":
                    walk(child, fk.parent.name, values)
                elif ondelete == "SET NULL" and len(child.primary_key.columns) == 1:
                    pk = child.primary_key.columns.values()[0]
                    links = session.execute(select(pk, fk.parent).where(fk.parent.in_(values))).all()
                    if links:
                        unlinked.append((child.name, fk.parent.name, tuple((r[0], r[1]) for r in links)))

    walk(_table(table), "id", [row_id])
    return Removed(text=text, what=what, rows=tuple(rows), unlinked=tuple(unlinked))


def restore(*, session: Session, removed: Removed) -> None:
    """Insert the rows again (same ids, parents first) and link back what the delete unlinked."""
    from sqlalchemy import insert, update

    from amtui.services.errors import AmtuiError

    for name, records in removed.rows:
        table = _table(name)
        pk = list(table.primary_key.columns)
        for record in records:
            present = session.execute(table.select().where(*(column == record[column.name] for column in pk))).first()
            if present is not None:
                raise AmtuiError(f"{removed.what} cannot come back: its place was taken since")
        session.execute(insert(table), list(records))
    for name, column, links in removed.unlinked:
        table = _table(name)
        key = table.primary_key.columns.values()[0]
        for row_id, value in links:
            # Only where nothing was linked since.
            session.execute(update(table).where(key == row_id, table.c[column].is_(None)).values({column: value}))
    session.flush()
