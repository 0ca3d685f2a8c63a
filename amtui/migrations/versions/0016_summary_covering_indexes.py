"""the summary's reads from indexes alone: done interactions with their client, owed invoices with their days

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 05:20:00

Three indexes gain columns at their end, each under its own name, so every read they served they still
serve the same way (the columns before are the same):

- ``ix_interaction_status_kind_done`` (status, kind, done_at) + ``client_id``: the monthly summary's calls,
  visits and meetings per client (7,400 rows in 1,500 groups on the large demo) are counted without looking
  each interaction up in the table for its client.
- ``ix_invoice_unpaid_due`` (the unpaid invoices) + ``issued_on``, ``paid_on``: what was owed at a past
  period's end (the summary's previous period, ``kpi --month`` of a past month) without a table lookup per
  unpaid invoice.
- ``ix_invoice_paid_on`` (paid_on, currency, paid_minor) + ``due_on``, ``issued_on``, ``amount_minor``: the
  same for the invoices paid off since that end.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNPAID = sa.text("paid_minor < amount_minor")
UNPAID_COLUMNS = ["due_on", "client_id", "number", "amount_minor", "paid_minor", "currency"]
DONE_COLUMNS = ["status", "kind", "done_at"]
PAID_COLUMNS = ["paid_on", "currency", "paid_minor"]


def upgrade() -> None:
    _replace("ix_interaction_status_kind_done", "interaction", [*DONE_COLUMNS, "client_id"])
    _replace("ix_invoice_unpaid_due", "invoice", [*UNPAID_COLUMNS, "issued_on", "paid_on"], sqlite_where=UNPAID)
    _replace("ix_invoice_paid_on", "invoice", [*PAID_COLUMNS, "due_on", "issued_on", "amount_minor"])
    bind = op.get_bind()
    # Statistics where the database has them (see 0004 and 0012); a database without stays without.
    if (
        bind.dialect.name == "sqlite"
        and bind.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first() is not None
    ):
        op.execute("ANALYZE interaction")
        op.execute("ANALYZE invoice")


def _replace(name: str, table: str, columns: list[str], sqlite_where: sa.TextClause | None = None) -> None:
    op.drop_index(name, table_name=table)
    if sqlite_where is None:
        op.create_index(name, table, columns)
    else:
        op.create_index(name, table, columns, sqlite_where=sqlite_where)


def downgrade() -> None:
    _replace("ix_interaction_status_kind_done", "interaction", DONE_COLUMNS)
    _replace("ix_invoice_unpaid_due", "invoice", UNPAID_COLUMNS, sqlite_where=UNPAID)
    _replace("ix_invoice_paid_on", "invoice", PAID_COLUMNS)
