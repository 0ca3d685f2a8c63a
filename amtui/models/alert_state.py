"""What the user did with an alert: snoozed it or dismissed it."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from amtui.models.base import utcnow


class AlertMark(SQLModel, table=True):
    __tablename__ = "alert_mark"

    # The alert's stable id, e.g. "invoice:42".
    alert_id: str = Field(primary_key=True, max_length=80)
    state: str = Field(max_length=10)
    snoozed_until: date | None = None
    # A digest of the facts the alert was raised on: when they change (a new
    # due date, a payment) the mark no longer applies and the alert returns.
    fingerprint: str = Field(max_length=80)
    updated_at: datetime = Field(default_factory=utcnow)
