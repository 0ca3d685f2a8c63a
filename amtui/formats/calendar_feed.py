"""``amtui export calendar``: everything dated as one iCalendar feed (or one file per kind).

One collector per source (``COLLECTORS``): each yields the events of its kind in a window of days;
adding a dated entity is one small function and one line in ``COLLECTORS``. Every event has a
stable UID, ``amtui-<kind>-<id>@amtui``, so a calendar program importing or subscribing to the feed
again updates the events instead of adding copies.

Repeating calls and tasks go out as one event with the series' RRULE (a calendar expands it as amtui
does, services/recurrence.py): its start is the series' first open occurrence; an occurrence moved on
its own is a RECURRENCE-ID override, a cancelled one an EXDATE. Birthdays repeat yearly; a birthday
on 29 February falls on 28 February in other years, as amtui's alerts show it (``BYMONTHDAY=-1``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from sqlalchemy import and_, or_, select
from sqlmodel import col

from amtui.i18n import _
from amtui.services import recurrence
from amtui.services.sanitize import export_text
from amtui.vocabulary import OPEN_COMPLAINT_STATUSES, PLANNED_MINUTES, ContractStatus, InteractionStatus, TaskStatus

if TYPE_CHECKING:
    from sqlmodel import Session

CHECK_IN_MINUTES = 15
# A birthday whose year is unknown starts its yearly rule in a leap year (29 February exists).
BIRTHDAY_BASE_YEAR = 2000


@dataclass(frozen=True, slots=True)
class Window:
    start: date
    end: date | None
    zone: tzinfo
    now: datetime

    def holds(self, day: date) -> bool:
        return day >= self.start and (self.end is None or day <= self.end)

    def reaches(self, day: date) -> bool:
        """A repeating event starting on ``day`` may have occurrences in the window."""
        return self.end is None or day <= self.end


def _event(uid: str, summary: str, window: Window, *, description: str | None = None) -> Any:
    from icalendar import Event

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", window.now.astimezone(UTC))
    event.add("summary", export_text(summary))
    if description:
        event.add("description", export_text(description))
    return event


def _all_day(event: Any, day: date) -> Any:
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    return event


def _rrule(rule: str, *, timed: bool, zone: tzinfo, done_before: int = 0) -> Any:
    """The stored rule as an icalendar RRULE: ``COUNT`` less the occurrences before the exported start,
    a local ``UNTIL`` in UTC (RFC 5545: UNTIL is UTC when DTSTART has a zone)."""
    from icalendar.prop import vRecur

    parts = vRecur.from_ical(rule)
    if "COUNT" in parts and done_before:
        parts["COUNT"] = [max(int(parts["COUNT"][0]) - done_before, 1)]
    if "UNTIL" in parts:
        until = parts["UNTIL"][0]
        if timed:
            moment = until if isinstance(until, datetime) else datetime.combine(until, time(23, 59, 59))
            parts["UNTIL"] = [moment.replace(tzinfo=zone).astimezone(UTC) if moment.tzinfo is None else moment]
        else:
            parts["UNTIL"] = [until.date() if isinstance(until, datetime) else until]
    return parts


def _money(minor: int, currency: str) -> str:
    return f"{(Decimal(minor) / 100).quantize(Decimal('0.01'))} {currency}"


def _about(client: str | None) -> str:
    return f" ({client})" if client else ""


# --- collectors --------------------------------------------------------------------------------------------------


def planned(session: Session, window: Window) -> Iterator[Any]:
    """Planned calls, visits and meetings; a repeating one as its series."""
    from amtui.models import Client, Interaction

    rows = session.execute(
        select(Interaction, col(Client.name))
        .join(Client, col(Client.id) == col(Interaction.client_id))
        .where(
            or_(
                col(Interaction.status) == InteractionStatus.PLANNED,
                and_(col(Interaction.series_id).is_not(None), col(Interaction.status) == InteractionStatus.CANCELLED),
            ),
            col(Interaction.planned_at).is_not(None),
            col(Interaction.kind).in_(tuple(PLANNED_MINUTES)),
        )
        .order_by(col(Interaction.planned_at), col(Interaction.id))
    ).all()
    series: dict[int, list[tuple[Any, str]]] = defaultdict(list)
    for item, client in rows:
        if item.series_id is not None:
            series[item.series_id].append((item, client))
        elif item.status == InteractionStatus.PLANNED and window.holds(_local_day(item.planned_at, window)):
            yield _interaction_event(item, client, window, f"amtui-interaction-{item.id}@amtui")
    for series_id, members in series.items():
        yield from _interaction_series(series_id, members, window)


def _local_day(moment: datetime, window: Window) -> date:
    return _aware(moment).astimezone(window.zone).date()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _interaction_event(item: Any, client: str, window: Window, uid: str, *, start: datetime | None = None) -> Any:
    title = item.subject or item.kind.capitalize()
    event = _event(uid, f"{client}: {title}", window, description=item.subject)
    begins = _aware(start or item.planned_at).astimezone(window.zone)
    event.add("dtstart", begins)
    event.add("dtend", begins + timedelta(minutes=item.duration_min or PLANNED_MINUTES.get(item.kind, 30)))
    location = ", ".join(part for part in (item.place, item.city) if part)
    if location:
        event.add("location", export_text(location))
    event.add("categories", [item.kind])
    event.add("x-amtui-kind", item.kind)
    return event


def _interaction_series(series_id: int, members: list[tuple[Any, str]], window: Window) -> Iterator[Any]:
    open_rows = sorted(
        ((item, client) for item, client in members if item.status == InteractionStatus.PLANNED),
        key=lambda pair: pair[0].occurrence or 0,
    )
    if not open_rows:
        return
    first, client = open_rows[0]
    if not first.repeat or first.repeat_from is None:  # the series has ended: what is left is single events
        for item, name in open_rows:
            if window.holds(_local_day(item.planned_at, window)):
                yield _interaction_event(item, name, window, f"amtui-interaction-{item.id}@amtui")
        return
    start_local = recurrence.local_naive(_aware(first.repeat_from), window.zone)

    def slot_of(place: int) -> datetime | None:
        moment = recurrence.slot(first.repeat, start_local, place)
        return recurrence.from_local(moment, window.zone) if moment else None

    begins = slot_of(first.occurrence or 1) or _aware(first.planned_at)
    if not window.reaches(begins.astimezone(window.zone).date()):
        return
    uid = f"amtui-interaction-{series_id}@amtui"
    master = _interaction_event(first, client, window, uid, start=begins)
    master.add("rrule", _rrule(first.repeat, timed=True, zone=window.zone, done_before=(first.occurrence or 1) - 1))
    overrides = []
    for item, name in members:
        place = item.occurrence or 0
        if place < (first.occurrence or 1):
            continue
        moment = slot_of(place)
        if moment is None:
            continue
        if item.status == InteractionStatus.CANCELLED:
            master.add("exdate", moment.astimezone(window.zone))
        elif _aware(item.planned_at) != moment:
            override = _interaction_event(item, name, window, uid)
            override.add("recurrence-id", moment.astimezone(window.zone))
            overrides.append(override)
    yield master
    yield from overrides


def tasks(session: Session, window: Window) -> Iterator[Any]:
    """Open tasks on their due days (all-day events); a repeating one as its series."""
    from amtui.models import Client, Task

    rows = session.execute(
        select(Task, col(Client.name))
        .join(Client, col(Client.id) == col(Task.client_id), isouter=True)
        .where(col(Task.status) == TaskStatus.OPEN, col(Task.due_on).is_not(None))
        .order_by(col(Task.due_on), col(Task.id))
    ).all()
    seen: set[int] = set()
    for task, client in rows:
        summary = _("Task: {title}").format(title=task.title) + _about(client)
        if task.series_id is not None and task.repeat and task.repeat_from is not None:
            if task.series_id in seen:
                continue  # the first open occurrence carries the series
            seen.add(task.series_id)
            place = task.occurrence or 1
            begins = recurrence.task_slot(task.repeat, task.repeat_from, place) or task.due_on
            if not window.reaches(begins):
                continue
            uid = f"amtui-task-{task.series_id}@amtui"
            master = _all_day(_event(uid, summary, window, description=task.notes), begins)
            master.add("rrule", _rrule(task.repeat, timed=False, zone=window.zone, done_before=place - 1))
            yield master
            if task.due_on != begins:
                override = _all_day(_event(uid, summary, window, description=task.notes), task.due_on)
                override.add("recurrence-id", begins)
                yield override
        elif window.holds(task.due_on):
            yield _all_day(_event(f"amtui-task-{task.id}@amtui", summary, window, description=task.notes), task.due_on)


def check_ins(session: Session, window: Window) -> Iterator[Any]:
    """When to ask a colleague how a delegated task goes."""
    from amtui.models import Client, Task

    rows = session.execute(
        select(Task, col(Client.name))
        .join(Client, col(Client.id) == col(Task.client_id), isouter=True)
        .where(
            col(Task.status) == TaskStatus.OPEN,
            col(Task.assignee).is_not(None),
            col(Task.check_in_at).is_not(None),
        )
    ).all()
    for task, client in rows:
        if task.checked_in_at is not None and _aware(task.checked_in_at) >= _aware(task.check_in_at):
            continue
        begins = _aware(task.check_in_at).astimezone(window.zone)
        if not window.holds(begins.date()):
            continue
        summary = _("Check in with {assignee}: {title}").format(assignee=task.assignee, title=task.title)
        event = _event(f"amtui-checkin-{task.id}@amtui", summary + _about(client), window)
        event.add("dtstart", begins)
        event.add("dtend", begins + timedelta(minutes=CHECK_IN_MINUTES))
        yield event


def contracts(session: Session, window: Window) -> Iterator[Any]:
    """Active contracts: the end day and the last day to give notice."""
    from amtui.models import Client, Contract

    rows = session.execute(
        select(Contract, col(Client.name))
        .join(Client, col(Client.id) == col(Contract.client_id))
        .where(col(Contract.status) == ContractStatus.ACTIVE, col(Contract.end_on).is_not(None))
    ).all()
    for contract, client in rows:
        end = contract.end_on
        if window.holds(end):
            summary = _("Contract {number} ends").format(number=contract.number) + _about(client)
            yield _all_day(_event(f"amtui-contract-{contract.id}@amtui", summary, window), end)
        if contract.notice_days:
            notice = end - timedelta(days=contract.notice_days)
            if window.holds(notice):
                summary = _("Last day to give notice: contract {number}").format(number=contract.number)
                yield _all_day(_event(f"amtui-notice-{contract.id}@amtui", summary + _about(client), window), notice)


def invoices(session: Session, window: Window) -> Iterator[Any]:
    """Invoices not fully paid, on their due days."""
    from amtui.models import Client, Invoice

    rows = session.execute(
        select(Invoice, col(Client.name))
        .join(Client, col(Client.id) == col(Invoice.client_id))
        .where(col(Invoice.paid_minor) < col(Invoice.amount_minor))
    ).all()
    for invoice, client in rows:
        if not window.holds(invoice.due_on):
            continue
        owed = _money(invoice.amount_minor - invoice.paid_minor, invoice.currency)
        summary = _("Invoice {number} due: {amount}").format(number=invoice.number, amount=owed) + _about(client)
        yield _all_day(_event(f"amtui-invoice-{invoice.id}@amtui", summary, window), invoice.due_on)


def complaints(session: Session, window: Window) -> Iterator[Any]:
    """Open complaints on the day their resolution was promised."""
    from amtui.models import Client
    from amtui.models.complaint import Complaint

    rows = session.execute(
        select(Complaint, col(Client.name))
        .join(Client, col(Client.id) == col(Complaint.client_id))
        .where(col(Complaint.status).in_(OPEN_COMPLAINT_STATUSES), col(Complaint.due_on).is_not(None))
    ).all()
    for complaint, client in rows:
        if complaint.due_on is None or not window.holds(complaint.due_on):
            continue
        summary = _("Complaint to resolve: {title}").format(title=complaint.title) + _about(client)
        yield _all_day(_event(f"amtui-complaint-{complaint.id}@amtui", summary, window), complaint.due_on)


def birthdays(session: Session, window: Window) -> Iterator[Any]:
    """Contacts' birthdays, every year; 29 February on 28 February in other years (as the alerts show it)."""
    from amtui.models import Client, Contact

    rows = session.execute(
        select(Contact, col(Client.name))
        .join(Client, col(Client.id) == col(Contact.client_id), isouter=True)
        .where(col(Contact.birthday_md).is_not(None))
    ).all()
    for contact, client in rows:
        try:
            month, day = (int(part) for part in contact.birthday_md.split("-"))
            year = contact.birthday_year or BIRTHDAY_BASE_YEAR
            first = date(year, month, day)
        except ValueError:
            continue
        summary = _("Birthday: {name}").format(name=contact.full_name) + _about(client)
        event = _all_day(_event(f"amtui-birthday-{contact.id}@amtui", summary, window), first)
        if (month, day) == (2, 29):
            event.add("rrule", {"FREQ": "YEARLY", "BYMONTH": 2, "BYMONTHDAY": -1})
        else:
            event.add("rrule", {"FREQ": "YEARLY"})
        yield event


Collector = Callable[["Session", Window], Iterator[Any]]
# The feed's kinds, in file order; ``--split`` writes one file per kind.
COLLECTORS: dict[str, Collector] = {
    "planned": planned,
    "tasks": tasks,
    "check-ins": check_ins,
    "contracts": contracts,
    "invoices": invoices,
    "complaints": complaints,
    "birthdays": birthdays,
}


def _calendar(name: str) -> Any:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//amtui//calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def build(session: Session, window: Window, kinds: tuple[str, ...] | None = None) -> dict[str, Any]:
    """One calendar per kind (``kinds``: all of ``COLLECTORS``)."""
    calendars = {}
    for kind in kinds or tuple(COLLECTORS):
        calendar = _calendar(f"amtui {kind}")
        for event in COLLECTORS[kind](session, window):
            calendar.add_component(event)
        calendars[kind] = calendar
    return calendars


def merged(calendars: dict[str, Any]) -> Any:
    calendar = _calendar("amtui")
    for part in calendars.values():
        for event in part.walk("VEVENT"):
            calendar.add_component(event)
    return calendar


def count_events(calendar: Any) -> int:
    return len({str(event.get("UID")) for event in calendar.walk("VEVENT")})


def to_bytes(calendar: Any) -> bytes:
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def split_path(output: Path, kind: str) -> Path:
    """``feed.ics`` -> ``feed-planned.ics``, ``feed-birthdays.ics``..."""
    suffix = output.suffix or ".ics"
    return output.with_name(f"{output.stem}-{kind}{suffix}")


def write(handle: IO[bytes], calendar: Any) -> None:
    handle.write(to_bytes(calendar))


def export_calendar(
    *,
    session: Session,
    window: Window,
    output: Path | None,
    split: bool = False,
    kinds: tuple[str, ...] | None = None,
) -> dict[Path | None, int]:
    """Write the feed to ``output`` (stdout when None), or with ``split`` one file per kind beside it;
    returns the events written per file (files are private, written atomically)."""
    import sys

    from amtui.files import atomic_open

    calendars = build(session, window, kinds)
    if not split:
        calendar = merged(calendars)
        if output is None:
            write(sys.stdout.buffer, calendar)
        else:
            with atomic_open(output, binary=True) as handle:
                write(handle, calendar)
        return {output: count_events(calendar)}
    assert output is not None
    written: dict[Path | None, int] = {}
    for kind, calendar in calendars.items():
        path = split_path(output, kind)
        with atomic_open(path, binary=True) as handle:
            write(handle, calendar)
        written[path] = count_events(calendar)
    return written
