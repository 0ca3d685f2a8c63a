"""The meeting report owed after every visit or meeting, and its next steps."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from amtui.models.base import utcnow


class MeetingReport(SQLModel, table=True):
    __tablename__ = "meeting_report"

    id: int | None = Field(default=None, primary_key=True)
    interaction_id: int = Field(foreign_key="interaction.id", unique=True, ondelete="CASCADE")
    client_id: int = Field(foreign_key="client.id", index=True, ondelete="CASCADE")
    # People present who are not contacts of the client (our colleagues, guests).
    other_attendees: str | None = None
    agenda: str | None = None
    agreements: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None


class ReportAttendee(SQLModel, table=True):
    __tablename__ = "report_attendee"

    report_id: int = Field(foreign_key="meeting_report.id", primary_key=True, ondelete="CASCADE")
    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")


class NextStep(SQLModel, table=True):
    """An agreed next step; with an owner and a date it becomes a task on save."""

    __tablename__ = "next_step"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="meeting_report.id", index=True, ondelete="CASCADE")
    position: int = 0
    text: str
    owner: str | None = None
    due_on: date | None = None
    task_id: int | None = Field(default=None, foreign_key="task.id", ondelete="SET NULL")
