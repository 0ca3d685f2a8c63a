"""Contracts with their term, renewal rule and value."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from amtui.models.base import ContractStatus, utcnow
from amtui.models.money import MONEY


class Contract(SQLModel, table=True):
    __tablename__ = "contract"
    __table_args__ = (
        # The contracts ending soon with what the alert engine reads of them, no table lookup (migration 0017).
        Index(
            "ix_contract_status_end", "status", "end_on", "client_id", "auto_renew", "notice_days", "number", "title"
        ),
        # The alert engine's longest notice of the active contracts, one index step (migration 0015).
        Index("ix_contract_status_notice", "status", "notice_days"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True, ondelete="CASCADE")
    number: str = Field(max_length=100)
    title: str | None = None
    start_on: date | None = None
    end_on: date | None = None
    auto_renew: bool = False
    notice_days: int = 0
    value_minor: int | None = Field(default=None, sa_type=MONEY)
    currency: str = Field(default="RUB", max_length=3)
    status: str = Field(default=ContractStatus.ACTIVE, max_length=12)
    external_id: str | None = Field(default=None, index=True, max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
