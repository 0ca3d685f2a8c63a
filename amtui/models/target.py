"""Monthly sales targets per currency, for plan against actual."""

from __future__ import annotations

from datetime import date

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from amtui.models.money import MONEY


class SalesTarget(SQLModel, table=True):
    __tablename__ = "sales_target"
    __table_args__ = (UniqueConstraint("period", "currency", name="uq_sales_target_period_currency"),)

    id: int | None = Field(default=None, primary_key=True)
    # The first day of the month the target is for.
    period: date
    amount_minor: int = Field(sa_type=MONEY)
    currency: str = Field(default="RUB", max_length=3)
