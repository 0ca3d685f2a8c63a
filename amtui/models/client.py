"""The client company (account) and the person-independent facts about it."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from amtui.models.base import ClientStatus, Tier, utcnow
from amtui.models.money import MONEY


class Client(SQLModel, table=True):
    __tablename__ = "client"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=300)
    # casefold()ed name, kept by the services: SQLite's lower()/LIKE fold ASCII only.
    name_folded: str = Field(default="", index=True, max_length=300)
    legal_name: str | None = None
    tax_id: str | None = Field(default=None, index=True, max_length=20)
    segment: str | None = None
    tier: str = Field(default=Tier.B, max_length=1)
    status: str = Field(default=ClientStatus.ACTIVE, index=True, max_length=16)
    # None means the tier's default cadence (models.base.DEFAULT_CADENCE_DAYS).
    cadence_days: int | None = None
    city: str | None = None
    address: str | None = None
    website: str | None = None
    phone: str | None = None
    email: str | None = None
    currency: str = Field(default="RUB", max_length=3)
    # The language of documents for this client (ru, it, en); None: the interface language.
    language: str | None = Field(default=None, max_length=5)
    credit_limit_minor: int | None = Field(default=None, sa_type=MONEY)
    payment_terms_days: int | None = None
    # Discount in basis points (500 = 5.00 %), exact like money.
    discount_bp: int | None = None
    annual_potential_minor: int | None = Field(default=None, sa_type=MONEY)
    needs: str | None = None
    competitors: str | None = None
    external_id: str | None = Field(default=None, index=True, max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
