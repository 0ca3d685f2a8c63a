"""Free notes on a client: competitors, needs, personal facts."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from amtui.models.base import NoteTag, utcnow


class Note(SQLModel, table=True):
    __tablename__ = "note"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True, ondelete="CASCADE")
    text: str
    tag: str = Field(default=NoteTag.GENERAL, max_length=12)
    created_at: datetime = Field(default_factory=utcnow)
