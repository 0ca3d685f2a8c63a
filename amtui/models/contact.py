"""People at a client, and their phones and e-mails."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from amtui.models.base import utcnow


class Contact(SQLModel, table=True):
    __tablename__ = "contact"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int | None = Field(default=None, foreign_key="client.id", index=True, ondelete="CASCADE")
    full_name: str = Field(max_length=300)
    full_name_folded: str = Field(default="", index=True, max_length=300)
    given_name: str | None = None
    middle_name: str | None = None
    family_name: str | None = None
    title: str | None = None
    department: str | None = None
    role: str | None = Field(default=None, max_length=20)
    preferred_channel: str | None = Field(default=None, max_length=20)
    # Birthday as a month-day key ("03-12") so that a year is optional and the
    # upcoming-birthday query is an indexed IN over a handful of keys.
    birthday_md: str | None = Field(default=None, index=True, max_length=5)
    birthday_year: int | None = None
    personal_notes: str | None = None
    # The language to write to this person in (ru, it, en); None: the client's.
    language: str | None = Field(default=None, max_length=5)
    external_id: str | None = Field(default=None, index=True, max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ContactMethod(SQLModel, table=True):
    """A phone number or an e-mail address of a contact (a contact has several)."""

    __tablename__ = "contact_method"
    __table_args__ = (Index("ix_contact_method_kind_norm", "kind", "value_norm"),)

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=10)
    value: str = Field(max_length=300)
    # Digits only for phones, casefolded for e-mails: what imports match on.
    value_norm: str = Field(default="", max_length=300)
    label: str | None = Field(default=None, max_length=60)
    position: int = 0
