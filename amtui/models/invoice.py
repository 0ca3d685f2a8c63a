"""Invoices and what has been paid on them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from amtui.models.base import utcnow
from amtui.models.money import MONEY


class Invoice(SQLModel, table=True):
    __tablename__ = "invoice"
    __table_args__ = (
        Index("ix_invoice_due_paid", "due_on", "paid_minor"),
        # Sales of a period (KPIs, ABC, Today): invoiced per client and currency read from the index alone.
        Index("ix_invoice_issued", "issued_on", "client_id", "currency", "amount_minor"),
        # Payments of a period, and what was still owed at a past period's end (with the days and the amount
        # it reads, from the index alone: migration 0016).
        Index("ix_invoice_paid_on", "paid_on", "currency", "paid_minor", "due_on", "issued_on", "amount_minor"),
        # Receivables: only the invoices not fully paid, a small share of all of them, with every
        # column the alert engine reads, so it never touches the table. (Partial on SQLite; elsewhere
        # a plain index. Naming postgresql_where here would import that dialect into every command, ~25 ms.)
        # Issue and payment days too: what was owed at a past period's end (migration 0016).
        Index(
            "ix_invoice_unpaid_due",
            *("due_on", "client_id", "number", "amount_minor", "paid_minor", "currency", "issued_on", "paid_on"),
            sqlite_where=text("paid_minor < amount_minor"),
        ),
        # Today's trend: invoiced per day and currency over six months, read in group order (migration 0015).
        Index("ix_invoice_issued_currency", "issued_on", "currency", "amount_minor"),
        # ABC revenue per client and currency over a year, read in group order (migration 0013).
        Index("ix_invoice_client_revenue", "client_id", "currency", "issued_on", "amount_minor"),
        # The portfolio's receivables per client (list_clients): the unpaid invoices in client order.
        Index(
            "ix_invoice_unpaid_client",
            *("client_id", "due_on", "amount_minor", "paid_minor"),
            sqlite_where=text("paid_minor < amount_minor"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True, ondelete="CASCADE")
    contract_id: int | None = Field(default=None, foreign_key="contract.id", ondelete="SET NULL")
    number: str = Field(max_length=100)
    issued_on: date
    due_on: date
    # Money in minor units (kopecks, cents) of `currency`: exact, never float.
    amount_minor: int = Field(sa_type=MONEY)
    paid_minor: int = Field(default=0, sa_type=MONEY)
    currency: str = Field(default="RUB", max_length=3)
    paid_on: date | None = None
    external_id: str | None = Field(default=None, index=True, max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
