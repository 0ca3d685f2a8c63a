"""Dates and times as people type them (frozen clock: Wed 25.11.2026 09:00 Moscow)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from amtui.services.dates import (
    ACCEPTED_FORMS,
    format_birthday,
    parse_birthday,
    parse_date,
    parse_datetime,
    parse_duration,
)
from amtui.services.errors import ValidationError

TODAY = date(2026, 11, 25)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", date(2026, 11, 25)),
        ("Today", date(2026, 11, 25)),
        ("сегодня", date(2026, 11, 25)),
        ("tomorrow", date(2026, 11, 26)),
        ("завтра", date(2026, 11, 26)),
        ("yesterday", date(2026, 11, 24)),
        ("+3d", date(2026, 11, 28)),
        ("+2w", date(2026, 12, 9)),
        ("+1m", date(2026, 12, 25)),
        ("-2d", date(2026, 11, 23)),
        ("wed", date(2026, 11, 25)),  # today counts as the next Wednesday
        ("fri", date(2026, 11, 27)),
        ("friday", date(2026, 11, 27)),
        ("пт", date(2026, 11, 27)),
        ("пятница", date(2026, 11, 27)),
        ("пн", date(2026, 11, 30)),
        ("mon", date(2026, 11, 30)),
        ("2026-12-01", date(2026, 12, 1)),
        ("01.12.2026", date(2026, 12, 1)),
        ("1.12.2026", date(2026, 12, 1)),
        ("01.12.26", date(2026, 12, 1)),
        ("01.12", date(2026, 12, 1)),
        ("29.02.2028", date(2028, 2, 29)),
    ],
)
def test_parse_date_accepts_every_documented_form(text: str, expected: date) -> None:
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize("text", ["", "  ", "32.01.2026", "29.02.2026", "13.13", "someday", "2026-13-01", "+3x"])
def test_bad_dates_name_the_field_and_the_accepted_forms(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_date(text, today=TODAY, field="--due")
    message = str(caught.value)
    assert message.startswith("--due: cannot read")
    assert ACCEPTED_FORMS in message


@pytest.mark.parametrize(
    ("text", "local"),
    [
        ("tomorrow 10:00", datetime(2026, 11, 26, 10, 0)),
        ("завтра 9.30", datetime(2026, 11, 26, 9, 30)),
        ("пт 15:00", datetime(2026, 11, 27, 15, 0)),
        ("27.11.2026 14:30", datetime(2026, 11, 27, 14, 30)),
        ("2026-11-27T14:30", datetime(2026, 11, 27, 14, 30)),
        ("2026-11-27 14:30", datetime(2026, 11, 27, 14, 30)),
        ("16:00", datetime(2026, 11, 25, 16, 0)),
        ("fri", datetime(2026, 11, 27, 10, 0)),  # the default time
        ("+3d", datetime(2026, 11, 28, 10, 0)),
    ],
)
def test_parse_datetime_in_local_time(text: str, local: datetime, now: datetime, zone) -> None:  # type: ignore[no-untyped-def]
    value = parse_datetime(text, now=now, zone=zone, default_time=time(10, 0))
    assert value.utcoffset() is not None and value.utcoffset().total_seconds() == 0  # stored in UTC
    assert value.astimezone(zone).replace(tzinfo=None) == local


def test_explicit_zone_is_kept(now: datetime, zone) -> None:  # type: ignore[no-untyped-def]
    value = parse_datetime("2026-11-27T10:00+00:00", now=now, zone=zone)
    assert value.astimezone(zone).hour == 13


def test_today_without_time_is_now(now: datetime, zone) -> None:  # type: ignore[no-untyped-def]
    assert parse_datetime("today", now=now, zone=zone) == now


@pytest.mark.parametrize("text", ["tomorrow 25:00", "завтра 10:75", "next year"])
def test_bad_datetimes_are_rejected(text: str, now: datetime, zone) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="cannot read"):
        parse_datetime(text, now=now, zone=zone, field="--at")


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("45m", 45), ("1h", 60), ("1h30m", 90), ("1:30", 90), ("90", 90), ("1.5h", 90), ("45 мин", 45), ("2ч", 120)],
)
def test_durations(text: str, minutes: int) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("text", ["", "soon", "0", "25h", "-5m"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValidationError, match="duration"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.03", ("03-12", None)),
        ("12.03.1980", ("03-12", 1980)),
        ("1980-03-12", ("03-12", 1980)),
        ("--03-12", ("03-12", None)),
        ("--0312", ("03-12", None)),
        ("12 March", ("03-12", None)),
        ("12 марта", ("03-12", None)),
        ("29.02", ("02-29", None)),  # a leap-day birthday without a year is real
        ("1604-03-12", ("03-12", None)),  # Apple's placeholder year means "no year"
    ],
)
def test_birthdays_with_and_without_year(text: str, expected: tuple[str, int | None]) -> None:
    assert parse_birthday(text) == expected


@pytest.mark.parametrize("text", ["31.02", "29.02.2023", "12.03.80", "someday", "00.00"])
def test_bad_birthdays(text: str) -> None:
    with pytest.raises(ValidationError, match="birthday"):
        parse_birthday(text)


def test_birthday_display() -> None:
    assert format_birthday("03-12", None) == "12.03"
    assert format_birthday("03-12", 1980) == "12.03.1980"
