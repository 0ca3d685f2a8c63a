"""The column type of money in minor units."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer

# 64-bit on every database: PostgreSQL's ``integer`` is 32-bit (21 474 836,47 at most); SQLite's
# INTEGER already holds 64 bits, so it keeps its type there (no table rebuild).
MONEY = BigInteger().with_variant(Integer(), "sqlite")
