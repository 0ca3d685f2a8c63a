"""Dates and times as people type them and as files hold them: the one date parser of amtui.

The CLI, the forms and the imports all read dates here.

Typed (CLI options, form fields; relative forms need ``today``): ISO (``2026-11-27``,
``2026-11-27T10:00``, with a zone), ``27.11.2026``, ``27.11.26``, ``27.11``, ``27/11/2026``,
``27.11.2026 10:00``, ``today``/``сегодня``, ``tomorrow``/``завтра``, ``yesterday``/``вчера``,
``+3d``, ``+2w``, ``+1m``, ``-2d``, weekday names (``fri``, ``friday``, ``пт``, ``пятница``,
``в пятницу``, ``venerdì``), ``next tue``/``след вт``/``в следующий вторник``/``martedì prossimo``
(that weekday in the next calendar week), each with an optional time (``tomorrow 10:00``,
``пт 9.30``). Times without a zone are the user's local time.

A weekday or a day-month without a year is the next one to come, today included (``31.01``
typed on 01.12 is next January; ``вт 11:00`` typed on a Tuesday evening is next Tuesday);
where the past is meant (logging what happened, a payment) callers pass ``prefer="past"``
and get the latest one gone by, today included.

Cells (imports): the same absolute forms, ``dd/mm/yyyy`` or ``mm/dd/yyyy`` by ``--date-order``,
ISO datetimes with seconds and zones, a spreadsheet's typed date/datetime cells, and Excel
serial day numbers (``45988`` is 2025-11-27) when a date cell holds a plain number.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, Literal

from amtui.i18n import N_, _
from amtui.services.errors import ValidationError

Prefer = Literal["future", "past"]

ACCEPTED_FORMS = N_(
    "2026-11-27, 27.11.2026, 27.11, today, tomorrow, +3d, +2w, fri, пт, next tue, след вт, "
    "optionally with a time: 'tomorrow 10:00', '27.11.2026 14:30'"
)
DATE_FORMS = "dd.mm.yyyy, yyyy-mm-dd, dd/mm/yyyy (mm/dd/yyyy with --date-order mdy)"

_WEEKDAYS: dict[str, int] = {}
for _index, _names in enumerate(
    (
        ("mon", "monday", "пн", "пон", "понедельник", "lun", "lunedì", "lunedi"),
        ("tue", "tues", "tuesday", "вт", "вто", "вторник", "mar", "martedì", "martedi"),
        ("wed", "wednesday", "ср", "сре", "среда", "среду", "mer", "mercoledì", "mercoledi"),
        ("thu", "thur", "thurs", "thursday", "чт", "чет", "четверг", "gio", "giovedì", "giovedi"),
        ("fri", "friday", "пт", "пят", "пятница", "пятницу", "ven", "venerdì", "venerdi"),
        ("sat", "saturday", "сб", "суб", "суббота", "субботу", "sab", "sabato"),
        ("sun", "sunday", "вс", "вос", "воскресенье", "dom", "domenica"),
    )
):
    for _name in _names:
        _WEEKDAYS[_name] = _index

_RELATIVE_DAYS = {
    "today": 0, "сегодня": 0, "now": 0, "сейчас": 0, "oggi": 0, "adesso": 0, "ora": 0,
    "tomorrow": 1, "завтра": 1, "tmr": 1, "domani": 1,
    "yesterday": -1, "вчера": -1, "ieri": -1,
    "послезавтра": 2, "dopodomani": 2, "позавчера": -2, "avantieri": -2, "l'altro ieri": -2,
}  # fmt: skip

# "next tue", "след. вт", "в следующий вторник", "martedì prossimo", "mar prossimo".
_NEXT_WORDS = frozenset(
    ("next", "след", "следующий", "следующая", "следующую", "следующее", "следующем", "prossimo", "prossima")
)
# "в пятницу", "во вторник", "on fri", "this fri": the plain weekday.
_FILLER_WORDS = frozenset(("в", "во", "on", "this", "этот", "эту", "это", "этом"))

_OFFSET_RE = re.compile(r"^([+-])\s*(\d{1,4})\s*([dwmyдннмг]|days?|weeks?|months?|дн|нед|мес)?$")
_DOTTED_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})(?:\.(\d{2}|\d{4}))?$")
_SLASHED_RE = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?$")
_ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TIME_RE = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?(?::(\d{2})(?:\.\d+)?)?$")
_ISO_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}")
# Excel counts days from 30.12.1899; 3654 is 1910-01-02 and 73050 is 2099-12-31: a number outside is no date.
_EXCEL_EPOCH = datetime(1899, 12, 30)
_EXCEL_SERIALS = (3654, 73050)


class _Unreadable(ValueError):
    """No date form matches the text."""


class _NotReal(ValueError):
    """A date form matches but names no real day (31.02); the message says why."""


# Why a typed date is not one, as Python or this module says it, in the interface language.
_REASONS = {
    "month must be in 1..12": N_("month must be in 1..12"),
    "day is out of range for month": N_("day is out of range for month"),
    "empty": N_("empty"),
    "a date without a time is expected here": N_("a date without a time is expected here"),
    "a date needs its year here": N_("a date needs its year here"),
}


def _reason(why: str) -> str:
    if why.startswith("the year must be between"):
        return _("the year must be between {first} and {last}").format(first=MIN_YEAR, last=MAX_YEAR)
    marked = _REASONS.get(why)
    return _(marked) if marked else why


def _bad(text: str, field: str | None, why: str = "") -> ValidationError:
    if why:
        message = _("cannot read {text} as a date ({reason}; accepted: {forms})").format(
            text=repr(text), reason=_reason(why), forms=_(ACCEPTED_FORMS)
        )
    else:
        message = _("cannot read {text} as a date (accepted: {forms})").format(text=repr(text), forms=_(ACCEPTED_FORMS))
    return ValidationError(message, field=field)


def _split_time(text: str) -> tuple[str, time | None]:
    """Separate a trailing ``HH:MM[:SS]`` (or ``HH.MM`` after a space) from the day part."""
    parts = re.split(r"[ T]", text, maxsplit=1) if _ISO_DATETIME_RE.match(text) else text.rsplit(None, 1)
    if len(parts) == 2:
        match = _TIME_RE.match(parts[1])
        if match and (":" in parts[1] or "." in parts[1]):
            hour, minute, second = int(match.group(1)), int(match.group(2) or 0), int(match.group(3) or 0)
            if hour > 23 or minute > 59 or second > 59:
                raise ValueError(f"{parts[1]!r} is not a time of day")
            return parts[0], time(hour, minute, second)
    return text, None


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    from calendar import monthrange

    return date(year, month, min(day.day, monthrange(year, month)[1]))


def _year(text: str | None, today: date | None, day: int = 1, month: int = 1, prefer: Prefer = "future") -> int:
    if text is None:
        if today is None:
            raise _Unreadable("a date needs its year here")
        return _year_for(day, month, today, prefer)
    return int(text) + 2000 if len(text) == 2 else int(text)


def _year_for(day: int, month: int, today: date, prefer: Prefer) -> int:
    """The year of a day-month typed without one: the next to come (or the latest gone by)."""
    step = 1 if prefer == "future" else -1
    for candidate in range(today.year, today.year + 9 * step, step):  # 29.02: up to 8 years away
        try:
            moment = date(candidate, month, day)
        except ValueError:
            continue  # 29.02 outside a leap year: try the next one
        if (moment >= today) if prefer == "future" else (moment <= today):
            return candidate
    return today.year


def _weekday(key: str, today: date, prefer: Prefer) -> date | None:
    """A weekday phrase: ``fri``/``в пятницу`` (the next one, today included, or the
    last one with ``prefer="past"``); ``next fri``/``след пт``/``venerdì prossimo``
    (the Friday of next week). None if ``key`` names no weekday."""
    words = [word.rstrip(".") for word in key.replace(".", ". ").split()]
    words = [word for word in words if word and word not in _FILLER_WORDS]
    following = any(word in _NEXT_WORDS for word in words)
    names = [word for word in words if word not in _NEXT_WORDS]
    if len(names) != 1 or names[0] not in _WEEKDAYS or len(words) > 2:
        return None
    weekday = _WEEKDAYS[names[0]]
    if following:
        next_monday = today + timedelta(days=7 - today.weekday())
        return next_monday + timedelta(days=weekday)
    if prefer == "past":
        return today - timedelta(days=(today.weekday() - weekday) % 7)
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def _real(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise _NotReal(str(exc)) from None


def _parse_day(text: str, today: date | None, date_order: str = "dmy", prefer: Prefer = "future") -> date:
    """The day ``text`` names. Relative forms and a missing year need ``today``; slashes follow
    ``date_order``; a weekday or a day-month is the next to come (``prefer="past"``: the latest)."""
    key = text.casefold().strip().rstrip(".")
    if today is not None:
        if key in _RELATIVE_DAYS:
            return today + timedelta(days=_RELATIVE_DAYS[key])
        weekday = _weekday(key, today, prefer)
        if weekday is not None:
            return weekday
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
        return _real(_year(dotted.group(3), today, day, month, prefer), month, day)
    slashed = _SLASHED_RE.match(key)
    if slashed:
        first, second = int(slashed.group(1)), int(slashed.group(2))
        day, month = (second, first) if date_order == "mdy" else (first, second)
        return _real(_year(slashed.group(3), today, day, month, prefer), month, day)
    iso = _ISO_DATE_RE.match(key)
    if iso:
        return _real(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    try:
        return date.fromisoformat(key)
    except ValueError:
        raise _Unreadable(key) from None


# Dates a user can mean when typing: anything outside is a typo (``+7974y``) and would overflow later sums.
MIN_YEAR, MAX_YEAR = 1900, 2999
_YEAR_RANGE = f"the year must be between {MIN_YEAR} and {MAX_YEAR}"


def _typed_day(text: str, today: date, date_order: str = "dmy", prefer: Prefer = "future") -> date:
    """:func:`_parse_day` for typed dates, within MIN_YEAR..MAX_YEAR (``+7974y``, ``-2026y`` too)."""
    try:
        day = _parse_day(text, today, date_order, prefer)
    except (_NotReal, _Unreadable):
        raise
    except (OverflowError, ValueError):  # an offset past year 9999 or before year 1
        raise _NotReal(_YEAR_RANGE) from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise _NotReal(_YEAR_RANGE)
    return day


def _parse_iso_datetime(text: str, zone: tzinfo) -> datetime | None:
    if not _ISO_DATETIME_RE.match(text):
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=zone)


def _excel_serial(value: float, field: str) -> datetime:
    if not _EXCEL_SERIALS[0] <= value <= _EXCEL_SERIALS[1]:
        raise ValidationError(f"{value!r} is a number, not a date ({DATE_FORMS})", field=field)
    return _EXCEL_EPOCH + timedelta(days=value)


# --- typed: CLI options and form fields --------------------------------------------------------


def parse_date(
    text: str, *, today: date, field: str | None = "date", date_order: str = "dmy", prefer: Prefer = "future"
) -> date:
    """A calendar date from what the user typed (a time, if given, is not allowed).
    A weekday or a day-month without a year is the next to come (``prefer="past"``: the latest)."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise _bad(text, field, "empty")
    try:
        day_part, at = _split_time(cleaned)
    except ValueError as exc:
        raise _bad(text, field, str(exc)) from None
    if at is not None:
        raise _bad(text, field, "a date without a time is expected here")
    try:
        return _typed_day(day_part, today, date_order, prefer)
    except _NotReal as exc:
        raise _bad(text, field, str(exc)) from None
    except _Unreadable:
        raise _bad(text, field) from None


def parse_datetime(
    text: str,
    *,
    now: datetime,
    zone: tzinfo,
    default_time: time | None = None,
    field: str | None = "when",
    prefer: Prefer = "future",
) -> datetime:
    """An aware datetime in UTC. ``now`` is aware; a day without a time takes
    ``default_time`` (or the current local time for ``today``/``now``/offsets).
    A weekday or a day-month without a year is the next to come (``prefer="past"``: the latest)."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise _bad(text, field, "empty")
    local_now = now.astimezone(zone)
    iso = _parse_iso_datetime(cleaned, zone)
    if iso is not None:
        if not MIN_YEAR <= iso.year <= MAX_YEAR:
            raise _bad(text, field, _YEAR_RANGE)
        return iso.astimezone(UTC)
    try:
        day_part, at = _split_time(cleaned)
    except ValueError as exc:
        raise _bad(text, field, str(exc)) from None
    if at is None and _TIME_RE.match(day_part) and ":" in day_part:
        # A bare time: today at that time.
        try:
            day_part, at = "today", _split_time("today " + day_part)[1]
        except ValueError as exc:  # 24:00
            raise _bad(text, field, str(exc)) from None
    try:
        day = _typed_day(day_part, local_now.date(), prefer=prefer)
    except _NotReal as exc:
        raise _bad(text, field, str(exc)) from None
    except _Unreadable:
        raise _bad(text, field) from None
    if at is None:
        at = default_time or local_now.time().replace(second=0, microsecond=0)
    local = datetime.combine(day, at)
    local += timedelta(days=_weekday_shift(local, day_part, local_now.replace(tzinfo=None), prefer))
    return local.replace(tzinfo=zone).astimezone(UTC)


def _weekday_shift(local: datetime, day_part: str, local_now: datetime, prefer: Prefer) -> int:
    """``вт 11:00`` typed on a Tuesday evening is next Tuesday (the next one to come):
    +7 days; with ``prefer="past"``, ``пт 15:00`` typed on a Friday morning is last Friday."""
    key = day_part.casefold().strip().rstrip(".")
    if key in _RELATIVE_DAYS or _weekday(key, local_now.date(), prefer) is None:
        return 0
    if _NEXT_WORDS.intersection(word.rstrip(".") for word in key.split()):
        return 0  # "next tue" is next week's already
    if prefer == "future" and local < local_now.replace(second=0, microsecond=0):
        return 7
    if prefer == "past" and local > local_now:
        return -7
    return 0


def is_past(moment: datetime, now: datetime) -> bool:
    """Whether ``moment`` has gone by (to the minute: "now" typed as a time is not past)."""
    return moment < now.replace(second=0, microsecond=0)


# --- cells: imported files ---------------------------------------------------------------------


def parse_date_cell(value: Any, *, field: str, date_order: str = "dmy", zone: tzinfo | None = None) -> date:
    """A date from a file's cell: text in the absolute forms, a typed date or datetime, an Excel serial."""
    if isinstance(value, datetime):
        return value.astimezone(zone).date() if value.tzinfo and zone else value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValidationError(f"{value!r} is not a date ({DATE_FORMS})", field=field)
    if isinstance(value, (int, float)):
        return _excel_serial(value, field).date()
    text = str(value).strip()
    if "T" in text or " " in text or ":" in text:
        moment = parse_datetime_cell(text, field=field, date_order=date_order, zone=zone or UTC)
        return moment.astimezone(zone).date() if zone else moment.date()
    return _cell_day(text, field, date_order)


def _cell_day(text: str, field: str, date_order: str) -> date:
    try:
        return _parse_day(text, None, date_order)
    except _NotReal as exc:
        raise ValidationError(f"{text!r} is not a real date ({exc})", field=field) from None
    except _Unreadable:
        raise ValidationError(f"cannot read {text!r} as a date ({DATE_FORMS})", field=field) from None


def parse_datetime_cell(
    value: Any, *, field: str, zone: tzinfo, date_order: str = "dmy", date_only_time: time = time(12, 0)
) -> datetime:
    """An aware UTC datetime; without a zone the time is local; a bare date takes ``date_only_time``."""
    if isinstance(value, datetime):
        local = value if value.tzinfo else value.replace(tzinfo=zone)
        return local.astimezone(UTC)
    if isinstance(value, date):
        return datetime.combine(value, date_only_time, tzinfo=zone).astimezone(UTC)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        moment = _excel_serial(value, field)
        if moment.time() == time(0, 0) and float(value).is_integer():
            moment = datetime.combine(moment.date(), date_only_time)
        return moment.replace(tzinfo=zone).astimezone(UTC)
    text = " ".join(str(value).split())
    if _ISO_DATETIME_RE.match(text):
        parsed = _parse_iso_datetime(text, zone)
        if parsed is None:
            raise ValidationError(_("cannot read {text} as a date and time").format(text=repr(text)), field=field)
        return parsed.astimezone(UTC)
    try:
        day_part, at = _split_time(text)
    except ValueError:
        raise ValidationError(_("{text}: not a time of day").format(text=repr(text)), field=field) from None
    day = _cell_day(day_part, field, date_order)
    return datetime.combine(day, at or date_only_time, tzinfo=zone).astimezone(UTC)


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
    raise ValidationError(
        _("cannot read {text} as a duration (e.g. 45m, 1h30m, 1:30, 90)").format(text=repr(text)), field=field
    )


def parse_birthday(text: str, *, field: str | None = "birthday") -> tuple[str, int | None]:
    """``(month-day key, year or None)`` from ``12.03``, ``12.03.1980``, ``1980-03-12``,
    ``--03-12`` (vCard without year), ``12 March``, ``12 марта``."""
    key = text.strip().casefold().rstrip(".")
    year: int | None = None
    month = day = 0
    dotted = _DOTTED_RE.match(key) or _SLASHED_RE.match(key)
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
        raise ValidationError(
            _("cannot read {text} as a birthday (e.g. 12.03, 12.03.1980, 12 March)").format(text=repr(text)),
            field=field,
        )
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
