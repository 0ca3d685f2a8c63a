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
from time import monotonic
from typing import Any

from amtui.formats.readers import FileFormatError, detect_encoding
from amtui.vocabulary import PLANNED_MINUTES

ALL_DAY_TIME = time(9, 0)
# Repeating events are expanded within the window and no further than these (see _expand).
MAX_OCCURRENCES_PER_EVENT = 1000
MAX_OCCURRENCES = 10_000
MAX_SKIPPED = 100_000
RULE_SECONDS = 2  # to work out where one rule stops (see _walk_rules)
WALK_SECONDS = 10  # ... and every rule of a file
# Event length when an interaction has no duration (the planner export writes these).
DEFAULT_MINUTES = PLANNED_MINUTES
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


def _expand(
    path: Path, calendar: Any, start: date, end: date, uid_lines: dict[str, int], notes: list[str]
) -> tuple[list[Any], list[tuple[int, str, str]]]:
    """The events of the window ``start``..``end`` (inclusive), repeating events expanded, bounded:

    * a repeating event gives at most ``MAX_OCCURRENCES_PER_EVENT`` occurrences, and all of them
      together at most ``MAX_OCCURRENCES`` (a note says where a cap cut);
    * before anything is expanded, each rule is walked lazily to find where the cap falls, and an
      event that repeats more than ``MAX_SKIPPED`` times before the window is refused (a rule
      every second since 1970 would take hours to walk to today);
    so neither time nor memory grows with what a rule claims, only with what is imported.
    """
    import icalendar

    span_start = datetime.combine(start, time(0))
    span_end = datetime.combine(end + timedelta(days=1), time(0))
    timezones = list(calendar.walk("VTIMEZONE"))
    single = icalendar.Calendar()
    series: dict[str, list[Any]] = {}
    for index, event in enumerate(calendar.walk("VEVENT")):
        if event.get("RRULE") or event.get("RDATE") or event.get("RECURRENCE-ID"):
            series.setdefault(str(event.get("UID") or f"\x00{index}"), []).append(event)
        else:
            single.add_component(event)
    for zone_component in timezones:
        single.add_component(zone_component)
    found: list[Any] = _occurrences(path, single, start, end + timedelta(days=1))
    refused: list[tuple[int, str, str]] = []
    expanded = 0
    capped: list[str] = []
    walked = _walk_rules(series, span_start, span_end)
    for number, (uid, components) in enumerate(series.items()):
        if expanded >= MAX_OCCURRENCES:
            left = len(series) - number
            notes.append(
                f"at most {MAX_OCCURRENCES:,} occurrences of repeating events are imported at once: "
                f"{left} repeating event{'s' if left != 1 else ''} from line {uid_lines.get(uid, 1)} on "
                "not imported; import a shorter window (--from/--to)"
            )
            break
        outcome = walked.get(uid)
        if outcome is None:
            reason = f"not expanded: the rules of the file took more than {WALK_SECONDS} s to work out"
            refused.append((uid_lines.get(uid, 1), uid, reason))
            continue
        if isinstance(outcome, str):
            refused.append((uid_lines.get(uid, 1), uid, outcome))
            continue
        stop, empty = outcome
        if empty:
            continue
        calendar_of_one = icalendar.Calendar()
        for component in (*components, *timezones):
            calendar_of_one.add_component(component)
        if stop < span_end:
            occurrences = _occurrences(path, calendar_of_one, span_start, stop)
        else:
            occurrences = _occurrences(path, calendar_of_one, start, end + timedelta(days=1))
        allowed = min(MAX_OCCURRENCES_PER_EVENT, MAX_OCCURRENCES - expanded)
        if stop < span_end or len(occurrences) > allowed:
            occurrences.sort(key=lambda item: _sort_key(item.get("DTSTART")))
            capped.append(f"line {uid_lines.get(uid, 1)}")
            occurrences = occurrences[:allowed]
        expanded += len(occurrences)
        found.extend(occurrences)
    if capped:
        shown = ", ".join(capped[:5]) + (" ..." if len(capped) > 5 else "")
        notes.append(
            f"repeating events cut at {MAX_OCCURRENCES_PER_EVENT:,} occurrences each ({shown}); "
            "import a shorter window (--from/--to) for the rest"
        )
    return found, refused


class _TooFrequent(Exception):
    pass


class _Stopped(BaseException):
    """Raised inside the walking thread when the time of one rule, or of all, is up."""


def _walk_rules(
    series: dict[str, list[Any]], span_start: datetime, span_end: datetime
) -> dict[str, tuple[datetime, bool] | str]:
    """Per series: ``(where to stop expanding, whether it surely has nothing here)``, or why it is refused.

    The rules are walked in a worker thread, each for at most ``RULE_SECONDS`` and all of them for at
    most ``WALK_SECONDS``: a rule whose filters never match (``FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30``)
    makes dateutil search day by day up to the year 9999 without yielding once, which no check
    between yields can stop. When time is up an exception is raised in the thread; the rule is
    refused and the walk goes on with the next one (or, at the end of the budget, stops: the series
    not walked are missing from the answer).
    """
    import ctypes
    import threading
    import time as clock

    results: dict[str, tuple[datetime, bool] | str] = {}
    lock = threading.Lock()
    current: list[Any] = [None, 0.0]  # the series being walked, and when its walk last moved on
    abandoned: list[bool] = []
    too_slow = f"its rule was not worked out within {RULE_SECONDS} s (a rule that finds no date?); not expanded"

    def walk() -> None:
        try:
            for uid, components in series.items():
                with lock:
                    if abandoned:
                        break
                    current[:] = [uid, clock.monotonic()]
                try:
                    results[uid] = _series_stop(components, span_start, span_end, current)
                except _Stopped:
                    results[uid] = too_slow
            with lock:
                current[0] = None
        except _Stopped:  # arrived between two rules
            pass

    def stop(worker: threading.Thread) -> None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(worker.ident or 0), ctypes.py_object(_Stopped))

    worker = threading.Thread(target=walk, name="amtui-rrule-walk", daemon=True)
    started = clock.monotonic()
    worker.start()
    while worker.is_alive():
        worker.join(0.05)
        now = clock.monotonic()
        with lock:
            stuck = current[0] is not None and now - current[1] > RULE_SECONDS  # no step for that long
            if stuck:
                current[1] = now  # once per rule
                stop(worker)
        if now - started > WALK_SECONDS and worker.is_alive():
            with lock:
                abandoned.append(True)
                if current[0] is not None:
                    stop(worker)
            worker.join(1.0)
            break
    return dict(results)


def _series_stop(
    components: list[Any], span_start: datetime, span_end: datetime, beat: list[Any]
) -> tuple[datetime, bool] | str:
    stop = span_end
    # Only rules (no RDATE, no moved occurrences) that surely give nothing here need no expansion.
    empty = all(component.get("RRULE") is not None and component.get("RDATE") is None for component in components)
    for component in components:
        if component.get("RRULE") is None or component.get("RECURRENCE-ID") is not None:
            continue
        try:
            cut, nothing = _rule_cut(component, span_start, span_end, beat)
        except _TooFrequent as exc:
            return str(exc)
        empty = empty and nothing
        if cut is not None:
            stop = min(stop, cut)
    return stop, empty or stop <= span_start


_UTC_UNTIL = re.compile(r"(UNTIL=\d{8}(?:T\d{6})?)Z", re.IGNORECASE)


def _rule_cut(
    component: Any, span_start: datetime, span_end: datetime, beat: list[Any]
) -> tuple[datetime | None, bool]:
    """``(cut, nothing)``: where the occurrence after the ``MAX_OCCURRENCES_PER_EVENT``-th one of the
    event's rules in the window falls (None when the rules stay under the cap or cannot be read here:
    the expansion then reports them), and whether the rules surely have no occurrence near the window
    (then the expansion, which would walk them all over again, is skipped). Times are naive, in the
    event's own zone: how recurring_ical_events reads a naive span."""
    from dateutil.rrule import rrulestr

    begins = component.get("DTSTART")
    if begins is None:
        return None, False
    first = begins.dt
    if not isinstance(first, datetime):
        first = datetime.combine(first, time(0))
    first = first.replace(tzinfo=None)
    ends = component.get("DTEND")
    length = timedelta(days=1)
    if ends is not None and isinstance(ends.dt, datetime) and isinstance(begins.dt, datetime):
        length = max(length, ends.dt.replace(tzinfo=None) - first)
    near = span_start - length  # an occurrence that began before the window may still overlap it
    rules = component.get("RRULE")
    cut: datetime | None = None
    seen = False
    for rule_value in rules if isinstance(rules, list) else [rules]:
        text = _UTC_UNTIL.sub(r"\1", rule_value.to_ical().decode("ascii", "replace"))
        try:
            rule = rrulestr(text, dtstart=first, cache=False)
            skipped = inside = 0
            for moment in rule:
                if moment < span_start:
                    seen = seen or moment >= near
                    skipped += 1
                    if not skipped % 1024:
                        beat[1] = monotonic()  # still moving: the watchdog waits
                    if skipped > MAX_SKIPPED:
                        raise _TooFrequent(
                            f"the event repeats more than {MAX_SKIPPED:,} times between its start "
                            f"{first:%d.%m.%Y} and the window; not expanded (RRULE {text[:80]})"
                        )
                    continue
                if moment >= span_end:
                    break
                seen = True
                inside += 1
                if inside > MAX_OCCURRENCES_PER_EVENT:
                    cut = moment if cut is None else max(cut, moment)
                    break
        except (ValueError, TypeError, OverflowError):
            return None, False
    return cut, not seen


def _sort_key(begins: Any) -> datetime:
    value = begins.dt if begins is not None else datetime.min
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0))
    return value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)


def _occurrences(path: Path, calendar: Any, start: date | datetime, stop: date | datetime) -> list[Any]:
    import recurring_ical_events

    try:
        return list(recurring_ical_events.of(calendar).between(start, stop))
    except Exception as exc:
        raise FileFormatError(f"{path}: cannot expand the events: {str(exc).splitlines()[0][:200]}") from None


def read_events(
    path: Path, *, start: date, end: date, zone: tzinfo, notes: list[str]
) -> Iterator[tuple[int, dict[str, Any], dict[str, Any]]]:
    import icalendar
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
    occurrences, refused = _expand(path, calendar, start, end, uid_lines, notes)
    for line, uid, reason in refused:
        yield line, {"_broken": reason}, {"uid": uid}
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
