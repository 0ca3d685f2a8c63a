"""indexes for the alert engine

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNPAID = sa.text("paid_minor < amount_minor")


def upgrade() -> None:
    op.create_index("ix_interaction_status_kind_done", "interaction", ["status", "kind", "done_at"])
    op.create_index("ix_interaction_needs_reply", "interaction", ["needs_reply", "replied_at"])
    op.create_index("ix_invoice_unpaid_due", "invoice", ["due_on"], sqlite_where=UNPAID)


def downgrade() -> None:
    op.drop_index("ix_invoice_unpaid_due", table_name="invoice")
    op.drop_index("ix_interaction_needs_reply", table_name="interaction")
    op.drop_index("ix_interaction_status_kind_done", table_name="interaction")
