"""Dates and times as people type them, in English and Russian.

Accepted: ISO (``2026-11-27``, ``2026-11-27T10:00``, with a zone), ``27.11.2026``,
``27.11.26``, ``27.11``, ``27.11.2026 10:00``, ``today``/``сегодня``,
``tomorrow``/``завтра``, ``yesterday``/``вчера``, ``+3d``, ``+2w``, ``+1m``,
``-2d``, weekday names (``fri``, ``friday``, ``пт``, ``пятница``), each with an
optional time (``tomorrow 10:00``, ``пт 9.30``). A weekday means the next one,
today included. Times without a zone are the user's local time.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from amtui.services.errors import ValidationError

ACCEPTED_FORMS = (
    "2026-11-27, 27.11.2026, 27.11, today, tomorrow, +3d, +2w, fri, пт, "
    "optionally with a time: 'tomorrow 10:00', '27.11.2026 14:30'"
)

_WEEKDAYS: dict[str, int] = {}
for _index, _names in enumerate(
    (
        ("mon", "monday", "пн", "пон", "понедельник"),
        ("tue", "tues", "tuesday", "вт", "вто", "вторник"),
        ("wed", "wednesday", "ср", "сре", "среда", "среду"),
        ("thu", "thur", "thurs", "thursday", "чт", "чет", "четверг"),
        ("fri", "friday", "пт", "пят", "пятница", "пятницу"),
        ("sat", "saturday", "сб", "суб", "суббота", "субботу"),
        ("sun", "sunday", "вс", "вос", "воскресенье"),
    )
):
    for _name in _names:
        _WEEKDAYS[_name] = _index

_RELATIVE_DAYS = {
    "today": 0, "сегодня": 0, "now": 0, "сейчас": 0,
    "tomorrow": 1, "завтра": 1, "tmr": 1,
    "yesterday": -1, "вчера": -1,
    "послезавтра": 2,
}  # fmt: skip

_OFFSET_RE = re.compile(r"^([+-])\s*(\d{1,4})\s*([dwmyдннмг]|days?|weeks?|months?|дн|нед|мес)?$")
_DOTTED_RE = re.compile(r"^(\d{1,2})[./](\d{1,2})(?:[./](\d{2}|\d{4}))?$")
_TIME_RE = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?$")


def _bad(text: str, field: str | None, why: str = "") -> ValidationError:
    reason = f"{why}; " if why else ""
    return ValidationError(f"cannot read {text!r} as a date ({reason}accepted: {ACCEPTED_FORMS})", field=field)


def _split_time(text: str) -> tuple[str, time | None]:
    """Separate a trailing ``HH:MM`` (or ``HH.MM`` after a space) from the day part."""
    parts = text.rsplit(None, 1)
    if len(parts) == 2:
        match = _TIME_RE.match(parts[1])
        if match and (":" in parts[1] or "." in parts[1]):
            hour, minute = int(match.group(1)), int(match.group(2) or 0)
            if hour > 23 or minute > 59:
                raise ValueError(f"{parts[1]!r} is not a time of day")
            return parts[0], time(hour, minute)
    return text, None


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    from calendar import monthrange

    return date(year, month, min(day.day, monthrange(year, month)[1]))


def _parse_day(text: str, today: date, field: str | None) -> date:
    key = text.casefold().strip().rstrip(".")
    if key in _RELATIVE_DAYS:
        return today + timedelta(days=_RELATIVE_DAYS[key])
    if key in _WEEKDAYS:
        return today + timedelta(days=(_WEEKDAYS[key] - today.weekday()) % 7)
    offset = _OFFSET_RE.match(key)
    if offset:
        sign = -1 if offset.group(1) == "-" else 1
        amount = sign * int(offset.group(2))
        unit = (offset.group(3) or "d")[0]
        if unit in "dд":
            return today + timedelta(days=amount)
        if unit in "wн":
            return today + timedelta(weeks=amount)
        if unit in "mм":
            return _add_months(today, amount)
        return _add_months(today, 12 * amount)
    dotted = _DOTTED_RE.match(key)
    if dotted:
        day, month = int(dotted.group(1)), int(dotted.group(2))
        year_text = dotted.group(3)
        year = today.year if year_text is None else int(year_text)
        if year_text is not None and len(year_text) == 2:
            year += 2000
        try:
            return date(year, month, day)
        except ValueError as exc:
            raise _bad(text, field, str(exc)) from None
    try:
        return date.fromisoformat(key)
    except ValueError:
        raise _bad(text, field) from None


def parse_date(text: str, *, today: date, field: str | None = "date") -> date:
    """A calendar date from what the user typed (a time, if given, is not allowed)."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise _bad(text, field, "empty")
    try:
        day_part, at = _split_time(cleaned)
    except ValueError as exc:
        raise _bad(text, field, str(exc)) from None
    if at is not None:
        raise _bad(text, field, "a date without a time is expected here")
    return _parse_day(day_part, today, field)


def parse_datetime(
    text: str,
    *,
    now: datetime,
    zone: tzinfo,
    default_time: time | None = None,
    field: str | None = "when",
) -> datetime:
    """An aware datetime in UTC. ``now`` is aware; a day without a time takes
    ``default_time`` (or the current local time for ``today``/``now``/offsets)."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise _bad(text, field, "empty")
    local_now = now.astimezone(zone)
    iso = _parse_iso_datetime(cleaned, zone)
    if iso is not None:
        return iso.astimezone(UTC)
    try:
        day_part, at = _split_time(cleaned)
    except ValueError as exc:
        raise _bad(text, field, str(exc)) from None
    if at is None and _TIME_RE.match(day_part) and ":" in day_part:
        # A bare time: today at that time.
        day_part, at = "today", _split_time("today " + day_part)[1]
    day = _parse_day(day_part, local_now.date(), field)
    if at is None:
        at = default_time or local_now.time().replace(second=0, microsecond=0)
    return _localize(datetime.combine(day, at), zone).astimezone(UTC)


def _localize(naive: datetime, zone: tzinfo) -> datetime:
    return naive.replace(tzinfo=zone)


def _parse_iso_datetime(text: str, zone: tzinfo) -> datetime | None:
    if not re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}", text):
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else _localize(value, zone)


_DURATION_RE = re.compile(r"^(?:(\d+)\s*(?:h|ч|час|часа|часов|hours?))?\s*(?:(\d+)\s*(?:m|min|мин|minutes?)?)?$")


def parse_duration(text: str, *, field: str | None = "duration") -> int:
    """Minutes from ``45m``, ``1h``, ``1h30m``, ``1:30``, ``90``, ``1.5h``, ``45 мин``."""
    key = text.strip().casefold().replace(" ", "")
    if re.fullmatch(r"\d+:\d{2}", key):
        hours_text, minutes_text = key.split(":")
        return int(hours_text) * 60 + int(minutes_text)
    decimal_hours = re.fullmatch(r"(\d+)[.,](\d+)(?:h|ч)", key)
    if decimal_hours:
        return round(float(f"{decimal_hours.group(1)}.{decimal_hours.group(2)}") * 60)
    match = _DURATION_RE.match(key)
    if key and match and (match.group(1) or match.group(2)):
        minutes = int(match.group(1) or 0) * 60 + int(match.group(2) or 0)
        if 0 < minutes <= 24 * 60:
            return minutes
    raise ValidationError(f"cannot read {text!r} as a duration (e.g. 45m, 1h30m, 1:30, 90)", field=field)


def parse_birthday(text: str, *, field: str | None = "birthday") -> tuple[str, int | None]:
    """``(month-day key, year or None)`` from ``12.03``, ``12.03.1980``, ``1980-03-12``,
    ``--03-12`` (vCard without year), ``12 March``, ``12 марта``."""
    key = text.strip().casefold().rstrip(".")
    year: int | None = None
    month = day = 0
    dotted = _DOTTED_RE.match(key)
    named = re.fullmatch(r"(\d{1,2})\s+([a-zа-яё]+)(?:\s+(\d{4}))?", key)
    if dotted:
        day, month = int(dotted.group(1)), int(dotted.group(2))
        if dotted.group(3):
            year = int(dotted.group(3))
            if year < 100:
                raise ValidationError(f"{text!r}: give the year in four digits", field=field)
    elif named and _month_number(named.group(2)):
        day, month = int(named.group(1)), _month_number(named.group(2))
        year = int(named.group(3)) if named.group(3) else None
    elif re.fullmatch(r"--\d{2}-?\d{2}", key):
        digits = key.replace("-", "")
        month, day = int(digits[:2]), int(digits[2:])
    elif re.fullmatch(r"\d{4}-?\d{2}-?\d{2}", key):
        digits = key.replace("-", "")
        year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:])
        if year <= 1604:  # Apple's "no year" placeholder
            year = None
    else:
        raise ValidationError(f"cannot read {text!r} as a birthday (e.g. 12.03, 12.03.1980, 12 March)", field=field)
    try:
        date(year or 2000, month, day)  # 2000 is a leap year: 29.02 is valid without a year
    except ValueError:
        raise ValidationError(f"{text!r} is not a real date", field=field) from None
    return f"{month:02d}-{day:02d}", year


_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
    "янв": 1, "фев": 2, "мар": 3, "апр": 4, "мая": 5, "май": 5, "июн": 6,
    "июл": 7, "авг": 8, "сен": 9, "окт": 10, "ноя": 11, "дек": 12,
}  # fmt: skip


def _month_number(word: str) -> int:
    return _MONTHS.get(word[:3], 0)


def format_birthday(md: str | None, year: int | None) -> str:
    if not md:
        return ""
    month, day = md.split("-")
    return f"{day}.{month}.{year}" if year else f"{day}.{month}"


def local_today(now: datetime, zone: tzinfo) -> date:
    return now.astimezone(zone).date()


def to_local(value: datetime | None, zone: tzinfo) -> datetime | None:
    return None if value is None else value.astimezone(zone)


def format_local(value: datetime | None, zone: tzinfo, *, with_date: bool = True) -> str:
    if value is None:
        return ""
    local = value.astimezone(zone)
    return local.strftime("%d.%m.%Y %H:%M") if with_date else local.strftime("%H:%M")


def format_date(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""
