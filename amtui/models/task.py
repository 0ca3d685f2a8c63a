"""Tasks: the user's own and those delegated to colleagues."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from amtui.models.base import Priority, TaskStatus, utcnow


class Task(SQLModel, table=True):
    __tablename__ = "task"
    __table_args__ = (
        Index("ix_task_status_due", "status", "due_on"),
        Index("ix_task_status_check_in", "status", "check_in_at"),
        Index("ix_task_series", "series_id", "occurrence", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    title: str
    client_id: int | None = Field(default=None, foreign_key="client.id", index=True, ondelete="SET NULL")
    # None: the user's own task; otherwise the colleague it is delegated to.
    assignee: str | None = None
    status: str = Field(default=TaskStatus.OPEN, max_length=10)
    priority: str = Field(default=Priority.NORMAL, max_length=10)
    due_on: date | None = None
    # When to ask a delegate how it goes: by default 35 % of the way to the due date.
    check_in_at: datetime | None = None
    checked_in_at: datetime | None = None
    notes: str | None = None
    report_id: int | None = Field(default=None, foreign_key="meeting_report.id", ondelete="SET NULL")
    external_id: str | None = Field(default=None, index=True, max_length=200)
    # Repeating (issue 13, services/recurrence.py): as on Interaction; the series starts on a day.
    series_id: int | None = None
    occurrence: int | None = None
    repeat: str | None = Field(default=None, max_length=200)
    repeat_from: date | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    completed_at: datetime | None = None
