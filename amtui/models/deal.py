"""Opportunities: new business, upsell, cross-sell and renewals."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from amtui.models.base import DealKind, DealStage, utcnow
from amtui.models.money import MONEY


class Deal(SQLModel, table=True):
    __tablename__ = "deal"
    # The open deals whose expected close has passed, without reading every open deal (migration 0017).
    __table_args__ = (Index("ix_deal_stage_close", "stage", "expected_close"),)

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True, ondelete="CASCADE")
    title: str
    kind: str = Field(default=DealKind.NEW, max_length=12)
    stage: str = Field(default=DealStage.LEAD, index=True, max_length=12)
    amount_minor: int | None = Field(default=None, sa_type=MONEY)
    currency: str = Field(default="RUB", max_length=3)
    probability: int | None = None
    expected_close: date | None = None
    closed_on: date | None = None
    # When the deal entered its current stage: days in stage, stalled-deal alerts.
    stage_changed_at: datetime | None = None
    external_id: str | None = Field(default=None, index=True, max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
