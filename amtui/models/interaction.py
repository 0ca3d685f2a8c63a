"""Calls, visits, meetings, e-mails and messages, planned or done."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from amtui.models.base import Direction, InteractionStatus, utcnow


class Interaction(SQLModel, table=True):
    __tablename__ = "interaction"
    __table_args__ = (
        # Last touch per client: max(done_at) over (client_id, status).
        Index("ix_interaction_client_status_done", "client_id", "status", "done_at"),
        # Agenda and missed contacts: planned ones by start.
        Index("ix_interaction_status_planned", "status", "planned_at"),
        # Meetings owed a report: done ones of a kind, by time; with the client, the summary's calls and
        # visits by client are counted from the index alone.
        Index("ix_interaction_status_kind_done", "status", "kind", "done_at", "client_id"),
        # "The client had to call first": inbound calls by time, without reading every call. Kind
        # first: with direction first, "unanswered" (no kind) would pick it over needs_reply.
        Index("ix_interaction_kind_direction_done", "kind", "direction", "status", "done_at"),
        # Messages still waiting for a reply (few among many).
        Index("ix_interaction_needs_reply", "needs_reply", "replied_at"),
        # A repeating series: one row per occurrence, never two for the same one.
        Index("ix_interaction_series", "series_id", "occurrence", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", ondelete="CASCADE")
    kind: str = Field(max_length=10)
    direction: str = Field(default=Direction.OUTBOUND, max_length=10)
    status: str = Field(default=InteractionStatus.PLANNED, max_length=10)
    planned_at: datetime | None = None
    duration_min: int | None = None
    done_at: datetime | None = None
    place: str | None = None
    city: str | None = None
    subject: str | None = None
    outcome: str | None = None
    needs_reply: bool = False
    replied_at: datetime | None = None
    external_id: str | None = Field(default=None, index=True, max_length=300)
    # Repeating (issue 13, services/recurrence.py): the series' first row id, this row's place in it (1-based),
    # the rule (an RRULE value, local wall time, e.g. "FREQ=WEEKLY;INTERVAL=2;COUNT=5") and the series' start.
    series_id: int | None = None
    occurrence: int | None = None
    repeat: str | None = Field(default=None, max_length=200)
    repeat_from: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class InteractionContact(SQLModel, table=True):
    """Which of the client's people took part in an interaction."""

    __tablename__ = "interaction_contact"

    interaction_id: int = Field(foreign_key="interaction.id", primary_key=True, ondelete="CASCADE")
    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE", index=True)
