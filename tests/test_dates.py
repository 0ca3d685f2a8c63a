"""Dates and times as people type them (frozen clock: Wed 25.11.2026 09:00 Moscow)."""

from __future__ import annotations

import re
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


# --- one parser for the CLI, the forms and the imports ----------------------------------------------

from datetime import UTC  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

from amtui.services.dates import parse_date_cell, parse_datetime_cell  # noqa: E402

MOSCOW = ZoneInfo("Europe/Moscow")


def test_dates_have_one_module() -> None:
    import amtui.formats.values as values

    assert not any(name.startswith(("parse_date", "parse_datetime")) for name in vars(values))


@pytest.mark.parametrize("text", ["2026-12-01", "01.12.2026", "1.12.2026", "01.12.26", "01/12/2026"])
def test_typed_and_imported_absolute_dates_agree(text: str) -> None:
    assert parse_date(text, today=TODAY) == parse_date_cell(text, field="due_on") == date(2026, 12, 1)


@pytest.mark.parametrize(
    ("value", "order", "expected"),
    [
        ("03/04/2026", "dmy", date(2026, 4, 3)),
        ("03/04/2026", "mdy", date(2026, 3, 4)),
        ("12/31/26", "mdy", date(2026, 12, 31)),
        ("2026-4-3", "dmy", date(2026, 4, 3)),
        ("2026-11-27T23:30:00Z", "dmy", date(2026, 11, 28)),  # a UTC moment is a Moscow date
        ("27.11.2026 14:30:15", "dmy", date(2026, 11, 27)),
        (datetime(2026, 11, 2, 9, 0), "dmy", date(2026, 11, 2)),  # a typed spreadsheet cell
        (date(2026, 11, 16), "dmy", date(2026, 11, 16)),
        (46353, "dmy", date(2026, 11, 27)),  # an Excel serial day number
        (46353.75, "dmy", date(2026, 11, 27)),
    ],
)
def test_date_cells(value: object, order: str, expected: date) -> None:
    assert parse_date_cell(value, field="issued_on", date_order=order, zone=MOSCOW) == expected


def test_date_order_applies_to_typed_dates_too() -> None:
    assert parse_date("03/04/2026", today=TODAY, date_order="mdy") == date(2026, 3, 4)
    # A typed date may leave out the year: the next 3 April to come (issue 10 point 7), or the last one.
    assert parse_date("03/04", today=TODAY) == date(2027, 4, 3)
    assert parse_date("03/04", today=TODAY, prefer="past") == date(2026, 4, 3)
    assert parse_date("03/04", today=TODAY, date_order="mdy", prefer="past") == date(2026, 3, 4)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31.02.2026", "'31.02.2026' is not a real date"),
        ("someday", "cannot read 'someday' as a date"),
        ("завтра", "cannot read 'завтра' as a date"),  # a file's date does not depend on when it is imported
        ("27.11", "cannot read '27.11' as a date"),  # nor on the year it is imported in
        (12, "12 is a number, not a date"),
        (True, "True is not a date"),
        ("hello world", "cannot read 'hello world' as a date"),
    ],
)
def test_bad_date_cells(value: object, message: str) -> None:
    with pytest.raises(ValidationError, match="^issued_on: " + re.escape(message)):
        parse_date_cell(value, field="issued_on")


@pytest.mark.parametrize(
    ("value", "local"),
    [
        ("2026-11-27 14:30", datetime(2026, 11, 27, 14, 30)),
        ("2026-11-27T14:30:15", datetime(2026, 11, 27, 14, 30, 15)),
        ("27.11.2026 14.30", datetime(2026, 11, 27, 14, 30)),
        ("11/27/2026 9:05", datetime(2026, 11, 27, 9, 5)),
        ("27.11.2026", datetime(2026, 11, 27, 12, 0)),  # a bare date: noon
        (datetime(2026, 11, 27, 14, 30), datetime(2026, 11, 27, 14, 30)),
        (46353.5, datetime(2026, 11, 27, 12, 0)),
    ],
)
def test_datetime_cells_are_local_and_stored_in_utc(value: object, local: datetime) -> None:
    order = "mdy" if isinstance(value, str) and "/" in value else "dmy"
    moment = parse_datetime_cell(value, field="when", zone=MOSCOW, date_order=order)
    assert moment.tzinfo is not None and moment.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert moment.astimezone(MOSCOW).replace(tzinfo=None) == local
    assert parse_datetime_cell("2026-11-27T10:00Z", field="when", zone=MOSCOW) == datetime(2026, 11, 27, 10, tzinfo=UTC)


def test_typed_datetimes_take_seconds_like_cells(now: datetime, zone) -> None:  # type: ignore[no-untyped-def]
    assert parse_datetime("27.11.2026 14:30:15", now=now, zone=zone).astimezone(zone).second == 15
    with pytest.raises(ValidationError, match="^" + re.escape("when: '27.11.2026 25:00': not a time of day")):
        parse_datetime_cell("27.11.2026 25:00", field="when", zone=MOSCOW)
