"""portfolio numbers: exchange rates, targets per currency, days in a deal's stage

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-01 21:00:00

- ``exchange_rate``: a currency's rate to the home currency (exact millionths) from a day on;
- ``sales_target``: one target per month *and currency* (was one per month), money as BigInteger;
- ``deal.stage_changed_at``: when the deal entered its stage (existing deals: their last change);
- indexes for sales of a period, revenue per client, payments of a period.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0006"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exchange_rate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("currency", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("rate_e6", sa.BigInteger(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("currency", "valid_from", name="uq_exchange_rate_currency_valid_from"),
    )
    # The unique period becomes unique (period, currency): rebuild the table, portable to every backend.
    op.create_table(
        "sales_target_new",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("currency", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("period", "currency", name="uq_sales_target_period_currency"),
    )
    op.execute(
        "INSERT INTO sales_target_new (id, period, amount_minor, currency)"
        " SELECT id, period, amount_minor, currency FROM sales_target"
    )
    op.drop_table("sales_target")
    op.rename_table("sales_target_new", "sales_target")
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stage_changed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    op.execute("UPDATE deal SET stage_changed_at = updated_at")
    op.create_index("ix_invoice_issued", "invoice", ["issued_on", "client_id", "currency", "amount_minor"])
    op.create_index("ix_invoice_paid_on", "invoice", ["paid_on", "currency", "paid_minor"])
    # As in 0004: where the planner has statistics, give the new index (and the rebuilt table) theirs.
    bind = op.get_bind()
    if (
        bind.dialect.name == "sqlite"
        and bind.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first()
    ):
        op.execute("ANALYZE invoice")
        op.execute("ANALYZE deal")


def downgrade() -> None:
    op.drop_index("ix_invoice_paid_on", table_name="invoice")
    op.drop_index("ix_invoice_issued", table_name="invoice")
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.drop_column("stage_changed_at")
    op.create_table(
        "sales_target_old",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("amount_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("period"),
    )
    # One target per month again: the lowest id of each month's targets stays.
    op.execute(
        "INSERT INTO sales_target_old (id, period, amount_minor, currency) SELECT id, period, amount_minor, currency"
        " FROM sales_target WHERE id IN (SELECT min(id) FROM sales_target GROUP BY period)"
    )
    op.drop_table("sales_target")
    op.rename_table("sales_target_old", "sales_target")
    op.drop_table("exchange_rate")
