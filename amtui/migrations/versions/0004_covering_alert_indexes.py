"""covering indexes for the alert engine's two largest reads

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 16:00:00

Unpaid invoices are read whole from their partial index (no row lookups), and
"the client had to call first" finds inbound calls without reading every call.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNPAID = sa.text("paid_minor < amount_minor")
UNPAID_COLUMNS = ["due_on", "client_id", "number", "amount_minor", "paid_minor", "currency"]


def upgrade() -> None:
    op.drop_index("ix_invoice_unpaid_due", table_name="invoice")
    op.create_index("ix_invoice_unpaid_due", "invoice", UNPAID_COLUMNS, sqlite_where=UNPAID)
    op.create_index("ix_interaction_kind_direction_done", "interaction", ["kind", "direction", "status", "done_at"])
    _refresh_statistics()


def _refresh_statistics() -> None:
    """On a SQLite database that has planner statistics, give the new indexes theirs: next to analysed
    indexes an unanalysed one looks perfectly selective, and "unanswered" would scan every inbound message
    through it (40 ms instead of 0.1 ms on the large demo). A database without statistics stays without."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    if bind.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first() is None:
        return
    op.execute("ANALYZE interaction")
    op.execute("ANALYZE invoice")


def downgrade() -> None:
    op.drop_index("ix_interaction_kind_direction_done", table_name="interaction")
    op.drop_index("ix_invoice_unpaid_due", table_name="invoice")
    op.create_index("ix_invoice_unpaid_due", "invoice", ["due_on"], sqlite_where=UNPAID)
