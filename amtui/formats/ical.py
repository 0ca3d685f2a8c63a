"""iCalendar (.ics) events as planned interactions.

Recurring events are expanded within a window (recurring-ical-events handles
RRULE, EXDATE and RECURRENCE-ID overrides); time zones come from the file's
VTIMEZONE blocks (Outlook's Windows names included), floating times take the
calendar's X-WR-TIMEZONE or the user's zone; all-day events are planned at
09:00 local; cancelled events are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any

from amtui.formats.readers import FileFormatError, detect_encoding

ALL_DAY_TIME = time(9, 0)
# Event length when an interaction has no duration (the planner export writes these).
DEFAULT_MINUTES = {"call": 30, "visit": 90, "meeting": 60}
_OWN_UID = re.compile(r"^amtui-interaction-\d+@amtui$")
_KIND_WORDS = (
    ("call", ("call", "phone", "звонок", "созвон", "позвонить", "телефон")),
    ("visit", ("visit", "визит", "выезд", "посещение")),
)


def guess_kind(text: str) -> str:
    folded = text.casefold()
    for kind, words in _KIND_WORDS:
        if any(re.search(rf"\b{word}", folded) for word in words):
            return kind
    return "meeting"


def _as_utc(value: date | datetime, zone: tzinfo) -> datetime:
    if isinstance(value, datetime):
        local = value if value.tzinfo else value.replace(tzinfo=zone)
        return local.astimezone(UTC)
    return datetime.combine(value, ALL_DAY_TIME, tzinfo=zone).astimezone(UTC)


def _emails(event: Any) -> list[str]:
    found: list[str] = []
    for name in ("ATTENDEE", "ORGANIZER"):
        values = event.get(name)
        if values is None:
            continue
        for value in values if isinstance(values, list) else [values]:
            text = str(value)
            if text.lower().startswith("mailto:"):
                found.append(text[7:])
    return found


def read_events(
    path: Path, *, start: date, end: date, zone: tzinfo, notes: list[str]
) -> Iterator[tuple[int, dict[str, Any], dict[str, Any]]]:
    import icalendar
    import recurring_ical_events
    import x_wr_timezone

    encoding = detect_encoding(path)
    text = path.read_bytes().decode(encoding, errors="replace").lstrip("\ufeff")
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except Exception as exc:  # icalendar raises ValueError and others on broken files
        raise FileFormatError(f"{path}: not a readable iCalendar file: {str(exc).splitlines()[0][:200]}") from None
    if isinstance(calendar, list):
        calendar = calendar[0]
    try:
        calendar = x_wr_timezone.to_standard(calendar)
    except Exception:  # an unknown X-WR-TIMEZONE: keep floating times local
        notes.append("the calendar's X-WR-TIMEZONE is unknown; floating times read as local")
    recurring = {
        str(event.get("UID"))
        for event in calendar.walk("VEVENT")
        if event.get("RRULE") or event.get("RDATE") or event.get("RECURRENCE-ID")
    }
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    uid_lines: dict[str, int] = {}
    for number, text_line in enumerate(unfolded.splitlines(), start=1):
        if text_line.upper().startswith("UID"):
            uid_lines.setdefault(text_line.partition(":")[2].strip(), number)
    try:
        occurrences = recurring_ical_events.of(calendar).between(start, end + timedelta(days=1))
    except Exception as exc:
        raise FileFormatError(f"{path}: cannot expand the events: {str(exc).splitlines()[0][:200]}") from None
    cancelled = 0
    for event in sorted(occurrences, key=lambda item: _as_utc(item.get("DTSTART").dt, zone)):
        uid = str(event.get("UID") or "")
        line = uid_lines.get(uid, 1)
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            cancelled += 1
            continue
        begins = event.get("DTSTART")
        if begins is None:
            yield line, {"_broken": "an event without a start (DTSTART)"}, {"uid": uid}
            continue
        planned_at = _as_utc(begins.dt, zone)
        summary = str(event.get("SUMMARY") or "").strip()
        values: dict[str, Any] = {"planned_at": planned_at, "status": "planned"}
        # Our own exports carry the subject apart from the "Client: subject" summary.
        subject = str(event.get("X-AMTUI-SUBJECT") or "").strip() or summary
        if subject:
            values["subject"] = subject
        location = str(event.get("LOCATION") or "").strip()
        if location:
            values["place"] = location
        kind = str(event.get("X-AMTUI-KIND") or "").strip() or guess_kind(f"{summary} {event.get('CATEGORIES', '')}")
        values["kind"] = kind
        ends = event.get("DTEND")
        if isinstance(begins.dt, datetime) and ends is not None and isinstance(ends.dt, datetime):
            minutes = int((_as_utc(ends.dt, zone) - planned_at).total_seconds() // 60)
            # Our own exports end events after a default length when none was set: keep it unset.
            default = event.get("X-AMTUI-KIND") and minutes == DEFAULT_MINUTES.get(kind)
            if 0 < minutes <= 24 * 60 and not default:
                values["duration"] = minutes
        client = str(event.get("X-AMTUI-CLIENT") or "").strip()
        if client:
            values["client"] = client
        attendees = _emails(event)
        if attendees:
            values["_attendees"] = attendees
        if uid and not _OWN_UID.match(uid):  # our planner's made-up UIDs are not ids of another system
            occurrence = planned_at.strftime("%Y%m%dT%H%M%SZ")
            values["external_id"] = f"{uid}/{occurrence}"[:300] if uid in recurring else uid[:300]
        raw = {"uid": uid, "start": planned_at.isoformat(), "summary": summary, "location": location}
        yield line, values, raw
    if cancelled:
        notes.append(f"{cancelled} cancelled events skipped")
