"""Shared column helpers of the tables, and the domain vocabulary (see :mod:`amtui.vocabulary`) re-exported."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from amtui.vocabulary import (  # noqa: F401  (re-exported for the models and services)
    DEFAULT_CADENCE_DAYS,
    OPEN_DEAL_STAGES,
    REPORTED_KINDS,
    AlertState,
    Channel,
    ClientStatus,
    ContactRole,
    ContractStatus,
    DealKind,
    DealStage,
    Direction,
    InteractionKind,
    InteractionStatus,
    MethodKind,
    NoteTag,
    Priority,
    TaskStatus,
    Tier,
)

if TYPE_CHECKING:
    from sqlalchemy import Table


def utcnow() -> datetime:
    return datetime.now(UTC)


def table_of(model: Any) -> Table:
    """The Core table behind a SQLModel class, for bulk statements and plain-column selects.

    (SQLModel does not declare ``__table__`` to type checkers.)"""
    table: Table = model.__table__
    return table


# Columns every table keeps itself: never set by a caller or an import.
BOOKKEEPING_COLUMNS = frozenset({"id", "created_at", "updated_at"})


def settable_fields(model: Any) -> frozenset[str]:
    """The columns of a model that callers set (create/update): all but the bookkeeping ones."""
    return frozenset(column.name for column in table_of(model).columns) - BOOKKEEPING_COLUMNS
