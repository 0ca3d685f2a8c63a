"""Exchange rates to the home currency, for converted totals (never needed to keep currencies apart)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

# A rate is stored exactly as an integer number of millionths: 98,50 RUB per EUR is 98_500_000.
RATE_SCALE = 1_000_000


class ExchangeRate(SQLModel, table=True):
    __tablename__ = "exchange_rate"
    __table_args__ = (UniqueConstraint("currency", "valid_from", name="uq_exchange_rate_currency_valid_from"),)

    id: int | None = Field(default=None, primary_key=True)
    currency: str = Field(max_length=3)
    # Units of the home currency for one unit of `currency`, in millionths (exact).
    rate_e6: int = Field(sa_column=Column(BigInteger, nullable=False))
    valid_from: date
