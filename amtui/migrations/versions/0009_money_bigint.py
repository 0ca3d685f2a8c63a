"""money columns are 64-bit integers

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 21:00:00

PostgreSQL's ``integer`` is 32-bit: an invoice, contract, deal or credit limit of
21 474 836,48 or more failed. SQLite's INTEGER already holds 64 bits: nothing to do there.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY_COLUMNS = (
    ("client", "credit_limit_minor", True),
    ("client", "annual_potential_minor", True),
    ("contract", "value_minor", True),
    ("deal", "amount_minor", True),
    ("invoice", "amount_minor", False),
    ("invoice", "paid_minor", False),
    ("sales_target", "amount_minor", False),
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for table, column, nullable in MONEY_COLUMNS:
        op.alter_column(table, column, type_=sa.BigInteger(), existing_type=sa.Integer(), existing_nullable=nullable)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for table, column, nullable in MONEY_COLUMNS:
        op.alter_column(table, column, type_=sa.Integer(), existing_type=sa.BigInteger(), existing_nullable=nullable)
