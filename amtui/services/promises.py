"""Rule 19 without the database: is a move something the client must be told of? (The TUI asks before it
writes, so this module imports no ORM.)"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo

from amtui.vocabulary import REPORTED_KINDS


def fmt_day(value: date) -> str:
    return f"{value:%d.%m.%Y}"


def fmt_moment(value: datetime, zone: tzinfo) -> str:
    return f"{value.astimezone(zone):%d.%m.%Y %H:%M}"


def aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def interaction_promise(
    kind: str, subject: str | None, old: datetime | None, new: datetime, zone: tzinfo
) -> str | None:
    """What the client expects from a planned visit/meeting being moved; None when it need not be told."""
    if kind not in REPORTED_KINDS or old is None or aware(old) == aware(new):
        return None
    return f"{kind} {subject or ''}".strip() + f": {fmt_moment(old, zone)} -> {fmt_moment(new, zone)}"


def task_promise(report_id: int | None, title: str, old: date | None, new: date) -> str | None:
    """A next step from a meeting report moved past the date promised; None otherwise."""
    if report_id is None or old is None or new <= old:
        return None
    return f"{title}: {fmt_day(old)} -> {fmt_day(new)}"
