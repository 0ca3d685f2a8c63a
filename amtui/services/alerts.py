"""The alert engine: everything that must not slip, computed for a given moment.

One entry point, :func:`compute_alerts`, reads plain columns with a handful of
indexed SQLAlchemy Core selects (portable SQL: date arithmetic happens in
Python, never in the database) and returns frozen :class:`Alert` objects,
most urgent first. Snoozes and dismissals live in the ``alert_mark`` table;
a mark only applies while the alert's facts (its ``fingerprint``) are
unchanged, so a moved due date, a payment or an escalation brings it back.

No UI code here: the CLI, the digest and the TUI all read the same list.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Any, NamedTuple

from sqlalchemy import func, or_, select
from sqlmodel import Session, col

from amtui.models import (
    AlertMark,
    Client,
    Contact,
    Contract,
    Deal,
    Interaction,
    InteractionContact,
    Invoice,
    MeetingReport,
    Task,
)
from amtui.models.base import (
    DEFAULT_CADENCE_DAYS,
    OPEN_DEAL_STAGES,
    REPORTED_KINDS,
    AlertState,
    ClientStatus,
    ContractStatus,
    Direction,
    InteractionKind,
    InteractionStatus,
    Priority,
    TaskStatus,
    Tier,
    table_of,
)
from amtui.services.errors import NotFoundError, ValidationError
from amtui.services.text import format_money

# Plain table columns: selects over them compile as Core, without the ORM's per-statement setup.
_Interaction = table_of(Interaction).c
_InteractionContact = table_of(InteractionContact).c
_Client = table_of(Client).c
_Contact = table_of(Contact).c
_Task = table_of(Task).c
_Contract = table_of(Contract).c
_Invoice = table_of(Invoice).c
_Deal = table_of(Deal).c
_MeetingReport = table_of(MeetingReport).c
_AlertMark = table_of(AlertMark).c


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    NORMAL = "normal"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for the most urgent: sort ascending."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.CRITICAL: 0, Severity.HIGH: 1, Severity.NORMAL: 2, Severity.INFO: 3}


class AlertKind(StrEnum):
    """What an alert is about. The order here is the tie-break order in lists and the digest."""

    MISSED = "missed"  # planned in the past, neither done nor cancelled
    UNANSWERED = "unanswered"  # inbound, needs a reply, the day it came has ended
    OVERDUE_TASK = "overdue_task"
    CHECK_IN = "check_in"  # a delegated task's check-in time has passed unconfirmed
    NO_REPORT = "no_report"  # visit/meeting done > 24 h ago without a meeting report
    RECEIVABLE = "receivable"  # overdue invoice
    NOTICE = "notice"  # a contract's notice deadline approaching or passed
    CONTRACT = "contract"  # a contract ending within 90 days
    SILENCE = "silence"  # no touch for longer than the client's cadence
    CALLED_FIRST = "called_first"  # the client had to call us
    DEAL = "deal"  # open deal past its expected close date
    AGENDA = "agenda"  # planned for today
    TASK_TODAY = "task_today"
    BIRTHDAY = "birthday"


KIND_ORDER = {kind: index for index, kind in enumerate(AlertKind)}

# The prefix of each kind's id: the id names the record, so it stays stable while the facts change.
ID_PREFIX: dict[AlertKind, str] = {
    AlertKind.MISSED: "missed",
    AlertKind.UNANSWERED: "reply",
    AlertKind.OVERDUE_TASK: "task",
    AlertKind.CHECK_IN: "checkin",
    AlertKind.NO_REPORT: "report",
    AlertKind.RECEIVABLE: "invoice",
    AlertKind.NOTICE: "notice",
    AlertKind.CONTRACT: "contract",
    AlertKind.SILENCE: "silence",
    AlertKind.CALLED_FIRST: "called",
    AlertKind.DEAL: "deal",
    AlertKind.AGENDA: "agenda",
    AlertKind.TASK_TODAY: "task",
    AlertKind.BIRTHDAY: "birthday",
}

# Windows, in days.
CONTRACT_BANDS = (30, 60, 90)
NOTICE_WINDOW_DAYS = 30
CALLED_FIRST_DAYS = 7
REPORT_GRACE = timedelta(hours=24)
# A report is a follow-up to send the client; two months on it is history, and the
# client card still marks the meeting "(no report)".
REPORT_WINDOW_DAYS = 60
AGING_BUCKETS = ((30, "1-30"), (60, "31-60"), (90, "61-90"))


# Alert has a field named ``date``: inside its body the name means the field, so annotate with this alias.
Day = date


class Alert(NamedTuple):
    """One thing that needs the user's attention (immutable; a NamedTuple because a
    large portfolio makes thousands per run and a frozen dataclass costs 6x more to build).

    ``date`` is the day the alert is about (due day, planned day, birthday,
    contract end...) in the user's zone; ``days`` is ``date - today`` in whole
    days, so negative means late by that many days. ``fingerprint`` digests
    the facts the alert stands on; ``mark``/``snoozed_until`` are only set when
    the caller asked for marked alerts too.
    """

    id: str
    kind: str
    severity: str
    date: date
    days: int
    text: str
    fingerprint: str
    client_id: int | None = None
    client_name: str | None = None
    contact_id: int | None = None
    contact_name: str | None = None
    interaction_id: int | None = None
    task_id: int | None = None
    contract_id: int | None = None
    invoice_id: int | None = None
    deal_id: int | None = None
    amount_minor: int | None = None
    currency: str | None = None
    bucket: str | None = None
    at: datetime | None = None
    mark: str | None = None
    snoozed_until: Day | None = None

    @property
    def severity_rank(self) -> int:
        # StrEnum members hash like their values: a plain dict lookup, no Enum() call per alert.
        return _SEVERITY_RANK.get(self.severity, 9)  # type: ignore[call-overload]

    def sort_key(self) -> tuple[int, Day, datetime, int, str]:
        return (
            _SEVERITY_RANK.get(self.severity, 9),  # type: ignore[call-overload]
            self.date,
            self.at or _EARLIEST,
            KIND_ORDER.get(self.kind, 99),  # type: ignore[call-overload]
            self.id,
        )


_EARLIEST = datetime.min.replace(tzinfo=UTC)


def fingerprint(*facts: Any) -> str:
    """A short digest of the facts an alert stands on (a mark applies while they hold)."""
    return hashlib.blake2b(repr(facts).encode(), digest_size=8).hexdigest()


@dataclass(frozen=True, slots=True)
class _Clock:
    now: datetime
    zone: tzinfo
    today: date
    day_start: datetime  # today 00:00 local, in UTC
    day_end: datetime  # tomorrow 00:00 local, in UTC

    @classmethod
    def at(cls, now: datetime, zone: tzinfo) -> _Clock:
        if now.utcoffset() is None:
            raise ValidationError("a time zone is required", field="now")
        today = now.astimezone(zone).date()
        return cls(
            now=now.astimezone(UTC),
            zone=zone,
            today=today,
            day_start=local_midnight(today, zone),
            day_end=local_midnight(today + timedelta(days=1), zone),
        )

    def local_date(self, value: datetime) -> date:
        return value.astimezone(self.zone).date()

    def days(self, day: date) -> int:
        return (day - self.today).days


def local_midnight(day: date, zone: tzinfo) -> datetime:
    """00:00 of ``day`` in ``zone``, as an aware UTC datetime."""
    return datetime.combine(day, time(0, 0), tzinfo=zone).astimezone(UTC)


def _as_utc(value: Any) -> datetime | None:
    """SQLite hands some expressions back as text: read them as UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _d(day: date) -> str:
    return f"{day.day:02d}.{day.month:02d}.{day.year}"  # strftime costs 3x more, per alert


def _ago(days: int) -> str:
    """``days`` is date - today: "today", "in 3 days", "2 days ago"."""
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _quote(text: str | None) -> str:
    return f"«{text}»" if text else ""


# --- the kinds -------------------------------------------------------------------------------------------------


def _planned(session: Session, clock: _Clock, names: dict[int, str], kinds: Collection[str]) -> list[Alert]:
    """Agenda (planned today, local day) and missed (planned before today, not done or cancelled)."""
    statuses = [InteractionStatus.PLANNED.value]
    if AlertKind.MISSED in kinds:
        statuses.append(InteractionStatus.MISSED.value)
    lower = clock.day_start if AlertKind.MISSED not in kinds else None
    upper = clock.day_end if AlertKind.AGENDA in kinds else clock.day_start
    statement = select(
        _Interaction.id,
        _Interaction.client_id,
        _Interaction.kind,
        _Interaction.status,
        _Interaction.planned_at,
        _Interaction.subject,
        _Interaction.place,
    ).where(col(_Interaction.status).in_(statuses), col(_Interaction.planned_at) < upper)
    if lower is not None:
        statement = statement.where(col(_Interaction.planned_at) >= lower)
    rows = _core(session).execute(statement).all()
    today_ids = [row.id for row in rows if _as_utc(row.planned_at) >= clock.day_start]  # type: ignore[operator]
    people = _interaction_people(session, today_ids)
    alerts = []
    for row in rows:
        planned_at = _as_utc(row.planned_at)
        assert planned_at is not None
        client_name = names.get(row.client_id, "")
        local = planned_at.astimezone(clock.zone)
        day = local.date()
        attendees = people.get(row.id, [])
        who = f" ({', '.join(attendees)})" if attendees else ""
        about = f": {row.subject}" if row.subject else ""
        if planned_at >= clock.day_start:
            if AlertKind.AGENDA not in kinds or row.status != InteractionStatus.PLANNED:
                continue
            place = f" at {row.place}" if row.place else ""
            late = planned_at < clock.now
            alerts.append(
                Alert(
                    id=f"agenda:{row.id}",
                    kind=AlertKind.AGENDA,
                    severity=Severity.HIGH if late else Severity.NORMAL,
                    date=day,
                    days=0,
                    at=planned_at,
                    text=f"{local:%H:%M} {row.kind} with {client_name}{who}{place}{about}"
                    + (" (time has passed, not logged yet)" if late else ""),
                    fingerprint=fingerprint(planned_at.isoformat(), row.status),
                    client_id=row.client_id,
                    client_name=client_name,
                    interaction_id=row.id,
                )
            )
        elif AlertKind.MISSED in kinds:
            days = clock.days(day)
            alerts.append(
                Alert(
                    id=f"missed:{row.id}",
                    kind=AlertKind.MISSED,
                    severity=Severity.HIGH,
                    date=day,
                    days=days,
                    at=planned_at,
                    text=f"Missed {row.kind} with {client_name}{who} planned for {local:%d.%m.%Y %H:%M} "
                    f"({_ago(days)}){about}: log it, move it or cancel it",
                    fingerprint=fingerprint(planned_at.isoformat(), row.status),
                    client_id=row.client_id,
                    client_name=client_name,
                    interaction_id=row.id,
                )
            )
    return alerts


def _interaction_people(session: Session, interaction_ids: list[int]) -> dict[int, list[str]]:
    if not interaction_ids:
        return {}
    people: dict[int, list[str]] = {}
    statement = (
        select(_InteractionContact.interaction_id, _Contact.full_name)
        .join(Contact, col(_Contact.id) == _InteractionContact.contact_id)
        .where(col(_InteractionContact.interaction_id).in_(interaction_ids))
        .order_by(_InteractionContact.interaction_id, _Contact.full_name)
    )
    for interaction_id, name in _core(session).execute(statement):
        people.setdefault(interaction_id, []).append(name)
    return people


def _interaction_scan(
    session: Session, clock: _Clock, names: dict[int, str], kinds: Collection[str], called_first_days: int
) -> list[Alert]:
    """Meetings without a report, unanswered messages and "the client called first": three narrow,
    indexed queries (status, kind, done_at) and (needs_reply, replied_at) rather than one scan."""
    called_since = clock.now - timedelta(days=called_first_days)
    # kind -> (the rows it concerns, id prefix, severity for a given days-ago, sentence)
    checks: list[tuple[AlertKind, tuple[Any, ...], Callable[[int], Severity], Callable[..., str]]] = [
        (
            AlertKind.NO_REPORT,
            (
                _Interaction.status == InteractionStatus.DONE,
                col(_Interaction.kind).in_(REPORTED_KINDS),
                col(_Interaction.done_at) < clock.now - REPORT_GRACE,
                col(_Interaction.done_at) >= clock.day_start - timedelta(days=REPORT_WINDOW_DAYS),
                ~select(_MeetingReport.id).where(_MeetingReport.interaction_id == _Interaction.id).exists(),
            ),
            lambda days: Severity.HIGH,
            lambda row, name, day, local, days: (
                f"No meeting report for the {row.kind} with {name} on {_d(day)} ({_ago(days)})"
            ),
        ),
        (
            AlertKind.UNANSWERED,
            (
                col(_Interaction.needs_reply).is_(True),
                col(_Interaction.replied_at).is_(None),
                _Interaction.direction == Direction.INBOUND,
                _Interaction.status != InteractionStatus.CANCELLED,
                # The day it came has ended: it arrived before today's local midnight.
                col(_Interaction.done_at) < clock.day_start,
            ),
            lambda days: Severity.CRITICAL if days <= -3 else Severity.HIGH,
            lambda row, name, day, local, days: (
                f"Unanswered {row.kind} from {name} since {local:%d.%m.%Y %H:%M} ({_ago(days)})"
            ),
        ),
        (
            AlertKind.CALLED_FIRST,
            (
                _Interaction.status == InteractionStatus.DONE,
                _Interaction.kind == InteractionKind.CALL,
                col(_Interaction.done_at) >= called_since,
                col(_Interaction.done_at) <= clock.now,
                _Interaction.direction == Direction.INBOUND,
            ),
            lambda days: Severity.NORMAL,
            lambda row, name, day, local, days: f"{name} had to call first on {_d(day)} ({_ago(days)})",
        ),
    ]
    columns = (_Interaction.id, _Interaction.client_id, _Interaction.kind, _Interaction.done_at, _Interaction.subject)
    alerts: list[Alert] = []
    for kind, conditions, severity, sentence in checks:
        if kind not in kinds:
            continue
        # No join with client: names come from the dict (SQLite would drive the query from client).
        for row in _core(session).execute(select(*columns).where(*conditions)).all():
            done_at = _as_utc(row.done_at)
            assert done_at is not None
            name = names.get(row.client_id, "")
            local = done_at.astimezone(clock.zone)
            day = local.date()
            days = clock.days(day)
            about = f": {row.subject}" if row.subject else ""
            alerts.append(
                Alert(
                    id=f"{ID_PREFIX[kind]}:{row.id}",
                    kind=kind,
                    severity=severity(days),
                    date=day,
                    days=days,
                    text=sentence(row, name, day, local, days) + about,
                    fingerprint=fingerprint(done_at.isoformat()),
                    client_id=row.client_id,
                    client_name=name,
                    interaction_id=row.id,
                    at=done_at,
                )
            )
    return alerts


def _core(session: Session) -> Any:
    """The session's connection: plain-column selects skip the ORM's row loading (3x cheaper)."""
    return session.connection()


def _tasks(session: Session, clock: _Clock, kinds: Collection[str]) -> list[Alert]:
    """Open tasks due today or earlier."""
    statement = (
        select(_Task.id, _Task.title, _Task.client_id, _Client.name, _Task.assignee, _Task.priority, _Task.due_on)
        .join(Client, col(_Client.id) == _Task.client_id, isouter=True)
        .where(_Task.status == TaskStatus.OPEN, col(_Task.due_on) <= clock.today)
    )
    alerts = []
    for row in _core(session).execute(statement).all():
        due = _as_date(row.due_on)
        assert due is not None
        days = clock.days(due)
        kind = AlertKind.TASK_TODAY if days == 0 else AlertKind.OVERDUE_TASK
        if kind not in kinds:
            continue
        urgent = row.priority == Priority.HIGH
        who = f" (delegated to {row.assignee})" if row.assignee else ""
        client = f" for {row.name}" if row.name else ""
        if kind == AlertKind.TASK_TODAY:
            severity = Severity.HIGH if urgent else Severity.NORMAL
            text = f"Task #{row.id} {_quote(row.title)}{client}{who} is due today"
        else:
            severity = Severity.CRITICAL if urgent else Severity.HIGH
            text = f"Task #{row.id} {_quote(row.title)}{client}{who} is {_plural(-days, 'day')} overdue (due {_d(due)})"
        alerts.append(
            Alert(
                id=f"task:{row.id}",
                kind=kind,
                severity=severity,
                date=due,
                days=days,
                text=text,
                fingerprint=fingerprint(due.isoformat(), kind.value),
                client_id=row.client_id,
                client_name=row.name,
                task_id=row.id,
            )
        )
    return alerts


def _check_ins(session: Session, clock: _Clock) -> list[Alert]:
    """Delegated tasks whose check-in time has passed with no progress confirmed since."""
    statement = (
        select(  # type: ignore[misc]  # mypy gives up on the overloads of an 8-column select
            _Task.id,
            _Task.title,
            _Task.client_id,
            _Client.name,
            _Task.assignee,
            _Task.due_on,
            _Task.check_in_at,
            _Task.checked_in_at,
        )
        .join(Client, col(_Client.id) == _Task.client_id, isouter=True)
        .where(
            _Task.status == TaskStatus.OPEN,
            col(_Task.assignee).is_not(None),
            col(_Task.check_in_at) <= clock.now,
            or_(col(_Task.checked_in_at).is_(None), col(_Task.checked_in_at) < _Task.check_in_at),
        )
    )
    alerts = []
    for row in _core(session).execute(statement).all():
        check_in_at = _as_utc(row.check_in_at)
        assert check_in_at is not None
        local = check_in_at.astimezone(clock.zone)
        day = local.date()
        days = clock.days(day)
        due = _as_date(row.due_on)
        client = f" for {row.name}" if row.name else ""
        due_text = f"; it is due {_d(due)}" if due else ""
        alerts.append(
            Alert(
                id=f"checkin:{row.id}",
                kind=AlertKind.CHECK_IN,
                severity=Severity.HIGH,
                date=day,
                days=days,
                at=check_in_at,
                text=f"Check in with {row.assignee} on task #{row.id} {_quote(row.title)}{client}: "
                f"the check-in was due {local:%d.%m.%Y %H:%M}{due_text}",
                fingerprint=fingerprint(check_in_at.isoformat(), due.isoformat() if due else None),
                client_id=row.client_id,
                client_name=row.name,
                task_id=row.id,
            )
        )
    return alerts


def _contracts(session: Session, clock: _Clock, kinds: Collection[str]) -> list[Alert]:
    """Active contracts ending within 90 days (one alert, escalating) and notice deadlines."""
    horizon = CONTRACT_BANDS[-1]
    if AlertKind.NOTICE in kinds:
        # The deadline is end - notice_days: bound the range by the longest notice period.
        longest = session.scalar(
            select(func.max(_Contract.notice_days)).where(_Contract.status == ContractStatus.ACTIVE)
        )
        horizon = max(horizon, NOTICE_WINDOW_DAYS + int(longest or 0))
    statement = (
        select(
            _Contract.id,
            _Contract.client_id,
            _Client.name,
            _Contract.number,
            _Contract.title,
            _Contract.end_on,
            _Contract.auto_renew,
            _Contract.notice_days,
        )
        .join(Client, col(_Client.id) == _Contract.client_id)
        .where(
            _Contract.status == ContractStatus.ACTIVE,
            col(_Contract.end_on).is_not(None),
            col(_Contract.end_on) <= clock.today + timedelta(days=horizon),
        )
    )
    alerts = []
    for row in _core(session).execute(statement).all():
        end = _as_date(row.end_on)
        assert end is not None
        days = clock.days(end)
        name = f"contract {row.number}" + (f" {_quote(row.title)}" if row.title else "")
        label = name[0].upper() + name[1:]
        renew = "it renews automatically" if row.auto_renew else "it does not renew automatically"
        common = {"client_id": row.client_id, "client_name": row.name, "contract_id": row.id}
        if AlertKind.CONTRACT in kinds and days <= CONTRACT_BANDS[-1]:
            if days < 0:
                severity, band = Severity.CRITICAL, "ended"
                text = (
                    f"{label} with {row.name} ended on {_d(end)} ({_ago(days)}) but is still active: renew or close it"
                )
            else:
                limit = next(limit for limit in CONTRACT_BANDS if days <= limit)
                band = str(limit)
                severity = {30: Severity.HIGH, 60: Severity.NORMAL, 90: Severity.INFO}[limit]
                text = f"{label} with {row.name} ends on {_d(end)} ({_ago(days)}); {renew}"
            alerts.append(
                Alert(
                    id=f"contract:{row.id}",
                    kind=AlertKind.CONTRACT,
                    severity=severity,
                    date=end,
                    days=days,
                    text=text,
                    fingerprint=fingerprint(end.isoformat(), bool(row.auto_renew), band),
                    **common,
                )
            )
        notice_days = int(row.notice_days or 0)
        if AlertKind.NOTICE in kinds and notice_days > 0 and days >= 0:
            deadline = end - timedelta(days=notice_days)
            until = clock.days(deadline)
            if until > NOTICE_WINDOW_DAYS:
                continue
            notice = f"{_plural(notice_days, 'day')}' notice before it ends on {_d(end)}"
            if until >= 0:
                severity = Severity.CRITICAL if until <= 7 else Severity.HIGH
                consequence = "renews automatically unless notice is given" if row.auto_renew else "then ends"
                text = (
                    f"Notice deadline for {name} with {row.name} is {_d(deadline)} ({_ago(until)}): "
                    f"{notice}; it {consequence}"
                )
            else:
                severity = Severity.INFO if row.auto_renew else Severity.HIGH
                outcome = (
                    "it renews automatically" if row.auto_renew else f"it ends on {_d(end)} unless a renewal is agreed"
                )
                text = f"Notice deadline for {name} with {row.name} passed on {_d(deadline)} ({_ago(until)}); {outcome}"
            alerts.append(
                Alert(
                    id=f"notice:{row.id}",
                    kind=AlertKind.NOTICE,
                    severity=severity,
                    date=deadline,
                    days=until,
                    text=text,
                    fingerprint=fingerprint(deadline.isoformat(), bool(row.auto_renew), until >= 0),
                    **common,
                )
            )
    return alerts


def aging_bucket(days_late: int) -> str:
    """The receivables aging bucket of an invoice ``days_late`` days past due (>= 1)."""
    for limit, name in AGING_BUCKETS:
        if days_late <= limit:
            return name
    return "90+"


_BUCKET_SEVERITY = {"1-30": Severity.NORMAL, "31-60": Severity.HIGH, "61-90": Severity.HIGH, "90+": Severity.CRITICAL}


def _receivables(session: Session, clock: _Clock, names: dict[int, str]) -> list[Alert]:
    """Invoices past due with money still owed (partial payments count)."""
    statement = (
        select(
            _Invoice.id,
            _Invoice.client_id,
            _Invoice.number,
            _Invoice.due_on,
            _Invoice.amount_minor,
            _Invoice.paid_minor,
            _Invoice.currency,
        )
        # The same condition as the partial index ix_invoice_unpaid_due, so the index holds only unpaid invoices.
        .where(col(_Invoice.paid_minor) < _Invoice.amount_minor, col(_Invoice.due_on) < clock.today)
    )
    alerts = []
    for row in _core(session).execute(statement).all():
        due = _as_date(row.due_on)
        if due is None or due >= clock.today:
            continue
        client_name = names.get(row.client_id, "")
        owed = int(row.amount_minor) - int(row.paid_minor or 0)
        if owed <= 0:
            continue
        days = clock.days(due)
        bucket = aging_bucket(-days)
        partial = f" of {format_money(row.amount_minor, row.currency)}" if row.paid_minor else ""
        alerts.append(
            Alert(
                id=f"invoice:{row.id}",
                kind=AlertKind.RECEIVABLE,
                severity=_BUCKET_SEVERITY[bucket],
                date=due,
                days=days,
                text=f"Invoice {row.number} of {client_name}: {format_money(owed, row.currency)}{partial} still owed, "
                f"{_plural(-days, 'day')} overdue (due {_d(due)}, {bucket})",
                fingerprint=fingerprint(due.isoformat(), owed, row.currency, bucket),
                client_id=row.client_id,
                client_name=client_name,
                invoice_id=row.id,
                amount_minor=owed,
                currency=row.currency,
                bucket=bucket,
            )
        )
    return alerts


def birthday_keys(today: date, days: int) -> dict[str, date]:
    """Month-day keys ("MM-DD") of the next ``days`` days (today included) and the date each falls on.

    Crosses the year end; in a non-leap year "02-29" falls on 28 February."""
    keys: dict[str, date] = {}
    for offset in range(days + 1):
        day = today + timedelta(days=offset)
        keys[f"{day.month:02d}-{day.day:02d}"] = day
        if day.month == 2 and day.day == 28 and not _is_leap(day.year):
            keys["02-29"] = day
    return keys


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _birthdays(session: Session, clock: _Clock, birthday_days: int) -> list[Alert]:
    keys = birthday_keys(clock.today, max(birthday_days, 0))
    statement = (
        select(
            _Contact.id,
            _Contact.full_name,
            _Contact.client_id,
            _Client.name,
            _Contact.birthday_md,
            _Contact.birthday_year,
        )
        .join(Client, col(_Client.id) == _Contact.client_id, isouter=True)
        .where(col(_Contact.birthday_md).in_(list(keys)))
    )
    alerts = []
    for row in _core(session).execute(statement).all():
        day = keys[row.birthday_md]
        days = clock.days(day)
        age = day.year - row.birthday_year if row.birthday_year else None
        at = f" ({row.name})" if row.name else ""
        turns = f", turns {age}" if age else ""
        alerts.append(
            Alert(
                id=f"birthday:{row.id}",
                kind=AlertKind.BIRTHDAY,
                severity=Severity.HIGH if days == 0 else Severity.NORMAL if days <= 2 else Severity.INFO,
                date=day,
                days=days,
                text=f"Birthday of {row.full_name}{at} on {day:%d.%m} ({_ago(days)}){turns}",
                # This year's occurrence: dismissing it does not hide next year's.
                fingerprint=fingerprint(day.isoformat()),
                client_id=row.client_id,
                client_name=row.name,
                contact_id=row.id,
                contact_name=row.full_name,
            )
        )
    return alerts


def _silence(session: Session, clock: _Clock) -> list[Alert]:
    """Active clients whose last touch (any done interaction) is older than their cadence.

    Only active clients: prospects are pursued through deals and tasks, and
    dormant or lost ones have no rhythm to keep."""
    last_touch = (
        select(func.max(_Interaction.done_at))
        .where(_Interaction.client_id == _Client.id, _Interaction.status == InteractionStatus.DONE)
        .correlate(Client)
        .scalar_subquery()
    )
    statement = select(
        _Client.id, _Client.name, _Client.tier, _Client.cadence_days, last_touch.label("last_touch")
    ).where(_Client.status == ClientStatus.ACTIVE)
    alerts = []
    thresholds: dict[int, datetime] = {}
    for row in _core(session).execute(statement).all():
        cadence = row.cadence_days or DEFAULT_CADENCE_DAYS.get(row.tier, DEFAULT_CADENCE_DAYS[Tier.B])
        last = _as_utc(row.last_touch)
        important = row.tier == Tier.A
        if last is None:
            alerts.append(
                Alert(
                    id=f"silence:{row.id}",
                    kind=AlertKind.SILENCE,
                    severity=Severity.HIGH if important else Severity.NORMAL,
                    date=clock.today,
                    days=0,
                    text=f"{row.name} (tier {row.tier}) has never been contacted",
                    fingerprint=fingerprint(None, cadence),
                    client_id=row.id,
                    client_name=row.name,
                )
            )
            continue
        # due = local day of the last touch + cadence; silent when due < today, i.e. when the last
        # touch came before local midnight of (today - cadence): one comparison, no zone maths per client.
        threshold = thresholds.get(cadence)
        if threshold is None:
            threshold = thresholds[cadence] = local_midnight(clock.today - timedelta(days=cadence), clock.zone)
        if last >= threshold:
            continue
        last_day = clock.local_date(last)
        due = last_day + timedelta(days=cadence)
        overdue = clock.today - due
        silent = (clock.today - last_day).days
        alerts.append(
            Alert(
                id=f"silence:{row.id}",
                kind=AlertKind.SILENCE,
                severity=Severity.HIGH if important or overdue.days >= cadence else Severity.NORMAL,
                date=due,
                days=-overdue.days,
                at=last,
                text=f"No touch with {row.name} for {silent} days (tier {row.tier}, every {cadence} days): "
                f"{_plural(overdue.days, 'day')} overdue, last on {_d(last_day)}",
                fingerprint=fingerprint(last.isoformat(), cadence),
                client_id=row.id,
                client_name=row.name,
            )
        )
    return alerts


def _deals(session: Session, clock: _Clock, names: dict[int, str]) -> list[Alert]:
    statement = select(
        _Deal.id,
        _Deal.client_id,
        _Deal.title,
        _Deal.stage,
        _Deal.amount_minor,
        _Deal.currency,
        _Deal.expected_close,
    ).where(col(_Deal.stage).in_(OPEN_DEAL_STAGES), col(_Deal.expected_close) < clock.today)
    alerts = []
    for row in _core(session).execute(statement).all():
        close = _as_date(row.expected_close)
        assert close is not None
        client_name = names.get(row.client_id, "")
        days = clock.days(close)
        amount = f", {format_money(row.amount_minor, row.currency)}" if row.amount_minor else ""
        alerts.append(
            Alert(
                id=f"deal:{row.id}",
                kind=AlertKind.DEAL,
                severity=Severity.HIGH if days < -30 else Severity.NORMAL,
                date=close,
                days=days,
                text=f"Deal {_quote(row.title)} with {client_name} ({row.stage}{amount}) was expected to close "
                f"on {_d(close)} ({_ago(days)}): move the date or close it",
                fingerprint=fingerprint(close.isoformat(), row.stage),
                client_id=row.client_id,
                client_name=client_name,
                deal_id=row.id,
                amount_minor=row.amount_minor,
                currency=row.currency if row.amount_minor else None,
            )
        )
    return alerts


# --- the engine ------------------------------------------------------------------------------------------------


def parse_kinds(values: Iterable[str] | None) -> frozenset[AlertKind] | None:
    """Kinds from user input (names as in :class:`AlertKind`, '-' or '_'); None means all."""
    if values is None:
        return None
    chosen: set[AlertKind] = set()
    for value in values:
        for part in str(value).split(","):
            key = part.strip().lower().replace("-", "_")
            if not key:
                continue
            try:
                chosen.add(AlertKind(key))
            except ValueError:
                allowed = ", ".join(kind.value for kind in AlertKind)
                raise ValidationError(f"{part.strip()!r} is not an alert kind ({allowed})", field="kind") from None
    return frozenset(chosen) or None


def compute_alerts(
    *,
    session: Session,
    now: datetime,
    zone: tzinfo,
    birthday_days: int = 7,
    called_first_days: int = CALLED_FIRST_DAYS,
    include_marked: bool = False,
    kinds: Collection[str] | None = None,
) -> list[Alert]:
    """Every open alert at ``now`` (aware), most urgent first.

    ``zone`` decides what "today" is. Snoozed (until a later day) and dismissed
    alerts are left out unless ``include_marked``; a mark whose fingerprint no
    longer matches is ignored, so the alert is back.
    """
    clock = _Clock.at(now, zone)
    wanted: frozenset[str] = frozenset(AlertKind) if kinds is None else frozenset(AlertKind(k) for k in kinds)
    alerts: list[Alert] = []
    names: dict[int, str] = {row.id: row.name for row in _core(session).execute(select(_Client.id, _Client.name))}
    steps: list[tuple[Collection[AlertKind], Callable[[], list[Alert]]]] = [
        ((AlertKind.AGENDA, AlertKind.MISSED), lambda: _planned(session, clock, names, wanted)),
        (
            (AlertKind.NO_REPORT, AlertKind.UNANSWERED, AlertKind.CALLED_FIRST),
            lambda: _interaction_scan(session, clock, names, wanted, called_first_days),
        ),
        ((AlertKind.OVERDUE_TASK, AlertKind.TASK_TODAY), lambda: _tasks(session, clock, wanted)),
        ((AlertKind.CHECK_IN,), lambda: _check_ins(session, clock)),
        ((AlertKind.CONTRACT, AlertKind.NOTICE), lambda: _contracts(session, clock, wanted)),
        ((AlertKind.RECEIVABLE,), lambda: _receivables(session, clock, names)),
        ((AlertKind.BIRTHDAY,), lambda: _birthdays(session, clock, birthday_days)),
        ((AlertKind.SILENCE,), lambda: _silence(session, clock)),
        ((AlertKind.DEAL,), lambda: _deals(session, clock, names)),
    ]
    for step_kinds, step in steps:
        if wanted.intersection(step_kinds):
            alerts.extend(step())
    alerts = _apply_marks(session, alerts, clock.today, include_marked=include_marked)
    alerts.sort(key=Alert.sort_key)
    return alerts


def _apply_marks(session: Session, alerts: list[Alert], today: date, *, include_marked: bool) -> list[Alert]:
    marks = {
        row.alert_id: row
        for row in _core(session).execute(
            select(_AlertMark.alert_id, _AlertMark.state, _AlertMark.snoozed_until, _AlertMark.fingerprint)
        )
    }
    if not marks:
        return alerts
    kept = []
    for alert in alerts:
        mark = marks.get(alert.id)
        if mark is None or mark.fingerprint != alert.fingerprint:
            kept.append(alert)
            continue
        until = _as_date(mark.snoozed_until)
        active = mark.state == AlertState.DISMISSED or (
            mark.state == AlertState.SNOOZED and until is not None and today < until
        )
        if not active:
            kept.append(alert)
        elif include_marked:
            kept.append(alert._replace(mark=mark.state, snoozed_until=until))
    return kept


# --- snooze and dismiss ----------------------------------------------------------------------------------------


def _kinds_for_id(alert_id: str) -> frozenset[AlertKind]:
    prefix = alert_id.split(":", 1)[0]
    return frozenset(kind for kind, kind_prefix in ID_PREFIX.items() if kind_prefix == prefix)


def find_alert(*, session: Session, alert_id: str, now: datetime, zone: tzinfo, birthday_days: int = 7) -> Alert:
    """The current alert with this id (marked or not), or NotFoundError."""
    key = alert_id.strip()
    kinds = _kinds_for_id(key)
    if kinds:
        for alert in compute_alerts(
            session=session, now=now, zone=zone, birthday_days=birthday_days, include_marked=True, kinds=kinds
        ):
            if alert.id == key:
                return alert
    raise NotFoundError(
        f"no current alert with id {key!r} (ids look like invoice:42 or task:7; list them with: amtui alerts)"
    )


def _mark(session: Session, alert: Alert, state: AlertState, until: date | None, now: datetime) -> Alert:
    mark = session.get(AlertMark, alert.id)
    if mark is None:
        mark = AlertMark(alert_id=alert.id, state=state.value, fingerprint=alert.fingerprint)
    mark.state = state.value
    mark.snoozed_until = until
    mark.fingerprint = alert.fingerprint
    mark.updated_at = now
    session.add(mark)
    session.flush()
    return alert._replace(mark=state.value, snoozed_until=until)


def snooze_alert(
    *,
    session: Session,
    alert_id: str,
    until: date,
    now: datetime,
    zone: tzinfo,
    birthday_days: int = 7,
) -> Alert:
    """Hide the alert until ``until`` (it shows again on that day), unless its facts change first."""
    today = now.astimezone(zone).date()
    if until <= today:
        raise ValidationError(f"snooze until a later day than today ({_d(today)})", field="until")
    alert = find_alert(session=session, alert_id=alert_id, now=now, zone=zone, birthday_days=birthday_days)
    return _mark(session, alert, AlertState.SNOOZED, until, now)


def dismiss_alert(*, session: Session, alert_id: str, now: datetime, zone: tzinfo, birthday_days: int = 7) -> Alert:
    """Hide the alert for good, unless its facts change (then it is a new situation and comes back)."""
    alert = find_alert(session=session, alert_id=alert_id, now=now, zone=zone, birthday_days=birthday_days)
    return _mark(session, alert, AlertState.DISMISSED, None, now)


def restore_alert(*, session: Session, alert_id: str) -> bool:
    """Undo a snooze or dismissal; False when the alert was not marked."""
    mark = session.get(AlertMark, alert_id.strip())
    if mark is None:
        return False
    session.delete(mark)
    session.flush()
    return True
