"""repeating calls, visits, meetings and tasks

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-01 23:50:00

``interaction`` and ``task`` get ``series_id`` (the series' first row), ``occurrence`` (1-based place
in the series), ``repeat`` (an RRULE value in local wall time) and ``repeat_from`` (the series' start:
a moment for interactions, a day for tasks). One row per occurrence, made one at a time
(services/recurrence.py): a unique index on (series_id, occurrence) keeps two writers from making it twice.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Adding nullable columns needs no table rebuild, even in SQLite.
    for table, start in (("interaction", sqlmodel.sql.sqltypes.UTCDateTime()), ("task", sa.Date())):
        op.add_column(table, sa.Column("series_id", sa.Integer(), nullable=True))
        op.add_column(table, sa.Column("occurrence", sa.Integer(), nullable=True))
        op.add_column(table, sa.Column("repeat", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        op.add_column(table, sa.Column("repeat_from", start, nullable=True))
        op.create_index(f"ix_{table}_series", table, ["series_id", "occurrence"], unique=True)


def downgrade() -> None:
    for table in ("task", "interaction"):
        op.drop_index(f"ix_{table}_series", table_name=table)
        with op.batch_alter_table(table) as batch:
            for name in ("repeat_from", "repeat", "occurrence", "series_id"):
                batch.drop_column(name)
