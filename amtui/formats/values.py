"""Cell values to typed values: dates in the orders people write them, money, yes/no, enumerations.

Every parser takes a string (CSV) or a typed spreadsheet cell (int, float,
date, datetime) and raises ValidationError with a reason the user can act on.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any

from amtui.services.errors import ValidationError
from amtui.services.text import parse_money

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})$")
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})$")
_DATE_TIME = re.compile(r"^(\S+)[ T](\d{1,2})[:.](\d{2})(?::(\d{2})(?:\.\d+)?)?$")
_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
DATE_FORMS = "dd.mm.yyyy, yyyy-mm-dd, dd/mm/yyyy (mm/dd/yyyy with --date-order mdy)"


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if len(text) == 2 else year


def parse_date_cell(value: Any, *, field: str, date_order: str = "dmy", zone: tzinfo | None = None) -> date:
    if isinstance(value, datetime):
        return value.astimezone(zone).date() if value.tzinfo and zone else value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValidationError(f"{value!r} is a number, not a date ({DATE_FORMS})", field=field)
    text = str(value).strip()
    try:
        match = _DOTTED.match(text)
        if match:
            return date(_year(match.group(3)), int(match.group(2)), int(match.group(1)))
        match = _ISO_DATE.match(text)
        if match:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        match = _SLASHED.match(text)
        if match:
            first, second, year = int(match.group(1)), int(match.group(2)), _year(match.group(3))
            return date(year, first, second) if date_order == "mdy" else date(year, second, first)
        if "T" in text or " " in text or ":" in text:
            moment = parse_datetime_cell(text, field=field, date_order=date_order, zone=zone or UTC)
            return moment.astimezone(zone).date() if zone else moment.date()
    except ValueError as exc:
        raise ValidationError(f"{text!r} is not a real date ({exc})", field=field) from None
    raise ValidationError(f"cannot read {text!r} as a date ({DATE_FORMS})", field=field)


def parse_datetime_cell(
    value: Any, *, field: str, zone: tzinfo, date_order: str = "dmy", date_only_time: time = time(12, 0)
) -> datetime:
    """An aware UTC datetime; without a zone the time is local; a bare date takes ``date_only_time``."""
    if isinstance(value, datetime):
        local = value if value.tzinfo else value.replace(tzinfo=zone)
        return local.astimezone(UTC)
    if isinstance(value, date):
        return datetime.combine(value, date_only_time, tzinfo=zone).astimezone(UTC)
    text = str(value).strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", text):
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1))
        except ValueError:
            raise ValidationError(f"cannot read {text!r} as a date and time", field=field) from None
        return (moment if moment.tzinfo else moment.replace(tzinfo=zone)).astimezone(UTC)
    match = _DATE_TIME.match(text)
    if match:
        day = parse_date_cell(match.group(1), field=field, date_order=date_order)
        hour, minute, second = int(match.group(2)), int(match.group(3)), int(match.group(4) or 0)
        if hour > 23 or minute > 59 or second > 59:
            raise ValidationError(f"{text!r}: not a time of day", field=field)
        return datetime.combine(day, time(hour, minute, second), tzinfo=zone).astimezone(UTC)
    day = parse_date_cell(text, field=field, date_order=date_order)
    return datetime.combine(day, date_only_time, tzinfo=zone).astimezone(UTC)


def parse_money_cell(value: Any, *, field: str) -> int:
    if isinstance(value, bool):
        raise ValidationError(f"{value!r} is not an amount", field=field)
    if isinstance(value, int):
        return value * 100
    if isinstance(value, float):
        return parse_money(Decimal(repr(value)).quantize(Decimal("0.01")), field=field)
    text = str(value).strip()
    if _SCIENTIFIC.match(text):  # Salesforce writes big amounts as 8.48E10
        return parse_money(Decimal(text), field=field)
    return parse_money(text, field=field)


def parse_int_cell(value: Any, *, field: str, low: int | None = None, high: int | None = None) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = re.sub(r"[\s\u00a0%]", "", str(value))
        try:
            number = int(Decimal(text.replace(",", ".")))
        except (InvalidOperation, ValueError):
            raise ValidationError(f"{value!r} is not a whole number", field=field) from None
    if (low is not None and number < low) or (high is not None and number > high):
        raise ValidationError(f"{number} is out of range ({low}..{high})", field=field)
    return number


def parse_percent_bp(value: Any, *, field: str) -> int:
    """Basis points from ``5``, ``5%``, ``5,5 %``, ``0.055`` stays 0.055 % (we do not guess)."""
    text = re.sub(r"[\s\u00a0%]", "", str(value)).replace(",", ".")
    try:
        bp = Decimal(text) * 100
    except InvalidOperation:
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
    raise ValidationError(f"{value!r}: one of {', '.join(allowed)}", field=field)


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
