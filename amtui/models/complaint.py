"""A client's complaint, claim, return, dispute or shortage report, and how it was settled."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from amtui.models.base import utcnow
from amtui.models.money import MONEY
from amtui.vocabulary import ComplaintKind, ComplaintStatus


class Complaint(SQLModel, table=True):
    __tablename__ = "complaint"
    __table_args__ = (Index("ix_complaint_status_due", "status", "due_on"),)

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True, ondelete="CASCADE")
    contact_id: int | None = Field(default=None, foreign_key="contact.id", ondelete="SET NULL")
    contract_id: int | None = Field(default=None, foreign_key="contract.id", ondelete="SET NULL")
    invoice_id: int | None = Field(default=None, foreign_key="invoice.id", ondelete="SET NULL")
    kind: str = Field(default=ComplaintKind.COMPLAINT, max_length=10)
    title: str = Field(max_length=300)
    # What happened, in the client's words.
    description: str | None = None
    # The amount in dispute, in minor units of ``currency`` (None: no money at stake).
    amount_minor: int | None = Field(default=None, sa_type=MONEY)
    currency: str = Field(default="RUB", max_length=3)
    opened_on: date
    # The resolution promised to the client by this day.
    due_on: date | None = None
    # None: the user's own; otherwise the colleague it is delegated to (checked in with like a task).
    owner: str | None = Field(default=None, max_length=200)
    check_in_at: datetime | None = None
    status: str = Field(default=ComplaintStatus.OPEN, max_length=12)
    resolution: str | None = None
    resolved_on: date | None = None
    # The last time anyone worked on it (an edit, a status change): an open complaint untouched for long is
    # stale. None (imported without it): since it was recorded.
    touched_at: datetime | None = Field(default_factory=utcnow)
    external_id: str | None = Field(default=None, index=True, max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
