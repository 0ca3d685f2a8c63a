"""Cell values to typed values: money, numbers, yes/no, enumerations (dates: services/dates.py).

Every parser takes a string (CSV) or a typed spreadsheet cell (int, float,
date, datetime) and raises ValidationError with a reason the user can act on.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from amtui.i18n import _
from amtui.services.errors import ValidationError
from amtui.services.text import parse_money

_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")


def parse_money_cell(value: Any, *, field: str) -> int:
    if isinstance(value, bool):
        raise ValidationError(f"{value!r} is not an amount", field=field)
    if isinstance(value, int):
        return parse_money(value, field=field)
    if isinstance(value, float):
        if not math.isfinite(value) or abs(value) >= 1e15:
            return parse_money(Decimal(repr(value)) if math.isfinite(value) else repr(value), field=field)
        return parse_money(Decimal(repr(value)).quantize(Decimal("0.01")), field=field)
    text = str(value).strip()
    if _SCIENTIFIC.match(text):  # Salesforce writes big amounts as 8.48E10
        return parse_money(Decimal(text), field=field)
    return parse_money(text, field=field)


def parse_int_cell(value: Any, *, field: str, low: int | None = None, high: int | None = None) -> int:
    """A whole number; ``30.7`` is refused, not cut to 30, and ``1e999999`` is out of range, not computed."""
    if isinstance(value, int) and not isinstance(value, bool):
        number: int | Decimal = value
    else:
        text = re.sub(r"[\s\u00a0%]", "", str(value))
        try:
            number = Decimal(text.replace(",", "."))
        except (ArithmeticError, ValueError):
            raise ValidationError(f"{value!r} is not a whole number", field=field) from None
        if not number.is_finite():
            raise ValidationError(f"{value!r} is not a whole number", field=field)
    if (low is not None and number < low) or (high is not None and number > high):
        short = abs(number) < 10**30 if isinstance(number, int) else abs(number.adjusted()) < 30
        shown = number if short else str(value).strip()[:20] + "..."
        raise ValidationError(f"{shown} is out of range ({low}..{high})", field=field)
    if isinstance(number, Decimal):
        if number != number.to_integral_value():
            raise ValidationError(f"{value!r} is not a whole number", field=field)
        number = int(number)
    return number


def parse_percent_bp(value: Any, *, field: str) -> int:
    """Basis points from ``5``, ``5%``, ``5,5 %``, ``0.055`` stays 0.055 % (we do not guess)."""
    text = re.sub(r"[\s\u00a0%]", "", str(value)).replace(",", ".")
    try:
        bp = Decimal(text) * 100
    except ArithmeticError:  # InvalidOperation, or Overflow for 1e999999
        raise ValidationError(f"{value!r} is not a percentage", field=field) from None
    if bp != bp.to_integral_value() or not 0 <= bp <= 10000:
        raise ValidationError(f"{value!r}: a percentage 0..100 with at most two decimals", field=field)
    return int(bp)


_TRUE = {"1", "yes", "y", "true", "t", "x", "да", "д", "+", "истина", "on"}
_FALSE = {"0", "no", "n", "false", "f", "нет", "н", "-", "ложь", "off"}


def parse_bool_cell(value: Any, *, field: str) -> bool:
    if isinstance(value, bool):
        return value
    key = str(value).strip().casefold()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValidationError(f"{value!r}: write yes or no", field=field)


def parse_choice(value: Any, *, field: str, allowed: tuple[str, ...], aliases: dict[str, str] | None = None) -> str:
    key = str(value).strip().casefold()
    if key in allowed:
        return key
    if aliases and key in aliases:
        return aliases[key]
    normalised = key.replace(" ", "_").replace("-", "_")
    if normalised in allowed:
        return normalised
    raise ValidationError(
        _("{value}: one of {values}").format(value=repr(value), values=", ".join(allowed)), field=field
    )


def cell_text(value: Any) -> str:
    """The text of a cell; numbers from spreadsheets without a trailing ``.0``."""
    if isinstance(value, str):
        text = value.strip()
        # Our CSV exports neutralise formulas with a leading apostrophe: take it off again.
        if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
            return text[1:]
        return text
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()
