"""The alert engine: everything that must not slip, computed for a given moment.

One entry point, :func:`compute_alerts`, reads plain columns with a handful of
indexed queries (portable SQL with ``:name`` parameters: date arithmetic happens in
Python, never in the database) and returns immutable :class:`Alert` tuples,
most urgent first. Snoozes and dismissals live in the ``alert_mark`` table;
a mark only applies while the alert's facts (its ``fingerprint``) are
unchanged, so a moved due date, a payment or an escalation brings it back.

No UI code here: the CLI, the digest and the TUI all read the same list.
Each query is written once and run through a :class:`amtui.services.store.Store`:
on a SQLAlchemy connection or session (the TUI, Today, PostgreSQL) or on a plain
``sqlite3`` connection (``amtui digest`` and ``amtui alerts`` on a SQLite file, which
then import no SQLAlchemy); each value is turned into a date or an aware UTC moment
whatever the driver gave. Today's backlog (:func:`alerts_and_tallies`) and the
digest's largest groups (:func:`alerts_and_summaries`) are counted from the kinds'
own queries and row-to-alert code, without building every alert.
"""

from __future__ import annotations

import gc
import heapq
from bisect import bisect_right
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache, partial, wraps
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple, ParamSpec, TypeVar

from amtui.i18n import _, current_language, ngettext
from amtui.services.errors import NotFoundError, ValidationError
from amtui.services.locale_format import money as format_money
from amtui.services.locale_format import percent as format_percent
from amtui.services.store import Store, placeholders, store_of
from amtui.vocabulary import (
    ALERT_KINDS,
    COMPLAINT_STALE_DAYS,
    DEFAULT_CADENCE_DAYS,
    OPEN_COMPLAINT_STATUSES,
    OPEN_DEAL_STAGES,
    REPORTED_KINDS,
    SEVERITY_RANK,
    AlertKind,
    AlertState,
    ClientStatus,
    ComplaintKind,
    ComplaintStatus,
    ContractStatus,
    DealStage,
    Direction,
    InteractionKind,
    InteractionStatus,
    Priority,
    Severity,
    TaskStatus,
    Tier,
    complaint_cadence,
    label,
    title_label,
)

if TYPE_CHECKING:
    from typing import TypeAlias

    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session

    # What the engine reads through: a Session, a SQLAlchemy Connection, a plain sqlite3 connection or a
    # Store (:func:`amtui.services.store.store_of` takes each).
    Reader: TypeAlias = Session | Connection | Any

_SEVERITY_RANK = SEVERITY_RANK
KIND_ORDER = {kind: index for index, kind in enumerate(AlertKind)}
ID_PREFIX: dict[AlertKind, str] = {kind: info.id_prefix for kind, info in ALERT_KINDS.items()}

# Windows, in days.
CONTRACT_BANDS = (30, 60, 90)
NOTICE_WINDOW_DAYS = 30
CALLED_FIRST_DAYS = 7
REPORT_GRACE = timedelta(hours=24)
# A report is a follow-up to send the client; two months on it is history, and the
# client card still marks the meeting "(no report)".
REPORT_WINDOW_DAYS = 60
# An open complaint alerts this many days before its promised day; a resolved one asks for a call
# to check the client is satisfied within FOLLOW_UP_DAYS, and is no longer asked after FOLLOW_UP_WINDOW_DAYS.
COMPLAINT_DUE_SOON_DAYS = 2
FOLLOW_UP_DAYS = 7
FOLLOW_UP_WINDOW_DAYS = 60
AGING_BUCKETS = ((30, "1-30"), (60, "31-60"), (90, "61-90"))


# Alert has a field named ``date``: inside its body the name means the field, so annotate with this alias.
Day = date


class Alert(NamedTuple):
    """One thing that needs the user's attention (immutable; a NamedTuple because a
    large portfolio makes thousands per run and a frozen dataclass costs 6x more to build).

    ``date`` is the day the alert is about (due day, planned day, birthday,
    contract end...) in the user's zone; ``days`` is ``date - today`` in whole
    days, so negative means late by that many days. ``text`` is written from
    ``sentence`` (a writer and its parts) when read: a digest shows ~25 alerts a
    group and the TUI the lines on screen, so most sentences of a big portfolio
    are never needed. ``facts`` are what the alert stands on and ``fingerprint``
    their digest (computed when asked: only marked alerts need it);
    ``mark``/``snoozed_until`` are only set when the caller asked for marked
    alerts too.
    """

    id: str
    kind: str
    severity: str
    date: date
    days: int
    sentence: tuple[Callable[..., str], tuple[Any, ...]]
    facts: tuple[Any, ...]
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

    def is_later_today(self, now: datetime) -> bool:
        """A check-in still to come today: on the day's agenda, not late yet."""
        return self.kind in _CHECK_IN_KINDS and self.at is not None and self.at > now

    @property
    def text(self) -> str:
        """The alert in one sentence."""
        write, parts = self.sentence
        return write(*parts)

    @property
    def fingerprint(self) -> str:
        return fingerprint(*self.facts)

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
_CHECK_IN_KINDS = frozenset({AlertKind.CHECK_IN, AlertKind.COMPLAINT_CHECK_IN})


def fingerprint(*facts: Any) -> str:
    """A short digest of the facts an alert stands on (a mark applies while they hold).

    Dates and moments enter as ISO text, so a digest does not depend on how a driver returns them."""
    import hashlib  # only marked alerts need one: not imported on every run

    plain = tuple(fact.isoformat() if isinstance(fact, date) else fact for fact in facts)
    return hashlib.blake2b(repr(plain).encode(), digest_size=8).hexdigest()


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
            raise ValidationError(_("a time zone is required"), field="now")
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


def _utc(value: Any) -> datetime:
    """A stored moment as an aware UTC datetime: SQLite keeps UTC text without an offset (plain SQL hands
    that text back), PostgreSQL returns an aware datetime."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _day(value: Any) -> date:
    """A stored day as a date: SQLite keeps ISO text, PostgreSQL returns a date."""
    if type(value) is date:
        return value
    if isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    return date.fromisoformat(str(value)[:10])


def _as_date(value: Any) -> date | None:
    return None if value is None else _day(value)


def _d(day: date) -> str:
    # strftime costs 3x more, per alert; Italians write 08/12/2026.
    separator = "/" if current_language() == "it" else "."
    return f"{day.day:02d}{separator}{day.month:02d}{separator}{day.year}"


def _ago(days: int) -> str:
    """``days`` is date - today: "today", "in 3 days", "2 days ago" (in the interface language)."""
    if days == 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    if days == -1:
        return _("yesterday")
    if days > 0:
        return ngettext("in {n} day", "in {n} days", days).format(n=days)
    return ngettext("{n} day ago", "{n} days ago", -days).format(n=-days)


def _kind(kind: str) -> str:
    """An interaction kind as the sentences name it: the vocabulary's label, as the CLI and TUI show it."""
    return label(InteractionKind, kind)


def _quote(text: str | None) -> str:
    return f"«{text}»" if text else ""


def _in(prefix: str, values: Iterable[Any]) -> tuple[str, dict[str, Any]]:
    """``(:p0, :p1, ...)`` for an ``IN`` list, and its parameters."""
    marks, params = placeholders(prefix, [str(value) if isinstance(value, str) else value for value in values])
    return f"({marks})", params


def client_names(store: Store) -> dict[int, str]:
    """Every client's name by id (20,000 clients at ten times the large demo)."""
    return dict(store.rows("SELECT id, name FROM client"))


# --- the sentences ---------------------------------------------------------------------------------------------


def _hhmm(moment: datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def _with(people: list[str] | None) -> str:
    return f" ({', '.join(people)})" if people else ""


def _about(subject: str | None) -> str:
    return f": {subject}" if subject else ""


def _agenda_text(
    local: datetime,
    kind: str,
    client: str,
    people: list[str] | None,
    place: str | None,
    subject: str | None,
    late: bool,
) -> str:
    at = _(" at {place}").format(place=place) if place else ""
    passed = _(" (time has passed, not logged yet)") if late else ""
    line = _("{time} {kind} with {client}").format(time=_hhmm(local), kind=_kind(kind), client=client)
    return f"{line}{_with(people)}{at}{_about(subject)}{passed}"


def _missed_text(
    local: datetime, kind: str, client: str, people: list[str] | None, subject: str | None, days: int
) -> str:
    return _(
        "Missed {kind} with {client}{people} planned for {date} {time} ({ago}){subject}: "
        "log it, move it or cancel it"
    ).format(
        kind=_kind(kind), client=client, people=_with(people), date=_d(local.date()), time=_hhmm(local),
        ago=_ago(days), subject=_about(subject),
    )  # fmt: skip


def _no_report_text(kind: str, client: str, local: datetime, days: int, subject: str | None) -> str:
    return _("No meeting report for the {kind} with {client} on {date} ({ago}){subject}").format(
        kind=_kind(kind), client=client, date=_d(local.date()), ago=_ago(days), subject=_about(subject)
    )


def _unanswered_text(kind: str, client: str, local: datetime, days: int, subject: str | None) -> str:
    return _("Unanswered {kind} from {client} since {date} {time} ({ago}){subject}").format(
        kind=_kind(kind), client=client, date=_d(local.date()), time=_hhmm(local), ago=_ago(days),
        subject=_about(subject),
    )  # fmt: skip


def _called_first_text(kind: str, client: str, local: datetime, days: int, subject: str | None) -> str:
    return _("{client} had to call first on {date} ({ago}){subject}").format(
        client=client, date=_d(local.date()), ago=_ago(days), subject=_about(subject)
    )


def _task_text(task_id: int, title: str, client: str | None, assignee: str | None, days: int, due: date) -> str:
    what = _("Task #{id} {title}").format(id=task_id, title=_quote(title))
    if client:
        what += _(" for {client}").format(client=client)
    if assignee:
        what += _(" (delegated to {assignee})").format(assignee=assignee)
    if days == 0:
        return _("{task} is due today").format(task=what)
    return ngettext("{task} is {n} day overdue (due {date})", "{task} is {n} days overdue (due {date})", -days).format(
        task=what, n=-days, date=_d(due)
    )


def _promise_text(task_id: int, title: str, client: str | None, days: int, due: date) -> str:
    what = _("Task #{id} {title}").format(id=task_id, title=_quote(title))
    whom = client or _("the client")
    if days == 0:
        return _("Promised to {client} at a meeting: {task} is due today").format(client=whom, task=what)
    return _("Promised to {client} at a meeting: {task} is due tomorrow ({date})").format(
        client=whom, task=what, date=_d(due)
    )


def _check_in_text(
    assignee: str, task_id: int, title: str, client: str | None, local: datetime, due: date | None
) -> str:
    for_client = _(" for {client}").format(client=client) if client else ""
    due_text = _("; it is due {date}").format(date=_d(due)) if due else ""
    return _(
        "Check in with {assignee} on task #{id} {title}{for_client}: the check-in was due {date} {time}{due}"
    ).format(
        assignee=assignee, id=task_id, title=_quote(title), for_client=for_client, date=_d(local.date()),
        time=_hhmm(local), due=due_text,
    )  # fmt: skip


def _check_in_today_text(
    assignee: str, task_id: int, title: str, client: str | None, local: datetime, due: date | None
) -> str:
    for_client = _(" for {client}").format(client=client) if client else ""
    due_text = _("; it is due {date}").format(date=_d(due)) if due else ""
    return _("Check in with {assignee} today at {time} on task #{id} {title}{for_client}{due}").format(
        assignee=assignee, time=_hhmm(local), id=task_id, title=_quote(title), for_client=for_client, due=due_text
    )


def _contract_name(number: str, title: str | None) -> str:
    return number + (f" {_quote(title)}" if title else "")


def _contract_text(number: str, title: str | None, client: str, end: date, days: int, auto_renew: bool) -> str:
    name = _contract_name(number, title)
    if days < 0:
        return _(
            "Contract {contract} with {client} ended on {date} ({ago}) but is still active: renew or close it"
        ).format(contract=name, client=client, date=_d(end), ago=_ago(days))
    renew = _("it renews automatically") if auto_renew else _("it does not renew automatically")
    return _("Contract {contract} with {client} ends on {date} ({ago}); {renew}").format(
        contract=name, client=client, date=_d(end), ago=_ago(days), renew=renew
    )


def _notice_text(
    number: str, title: str | None, client: str, end: date, deadline: date, until: int, notice_days: int, renews: bool
) -> str:
    name = _contract_name(number, title)
    if until >= 0:
        consequence = _("it renews automatically unless notice is given") if renews else _("it then ends")
        return ngettext(
            "Notice deadline for contract {contract} with {client} is {deadline} ({ago}): "
            "{n} day's notice before it ends on {end}; {consequence}",
            "Notice deadline for contract {contract} with {client} is {deadline} ({ago}): "
            "{n} days' notice before it ends on {end}; {consequence}",
            notice_days,
        ).format(
            contract=name, client=client, deadline=_d(deadline), ago=_ago(until), n=notice_days, end=_d(end),
            consequence=consequence,
        )  # fmt: skip
    outcome = (
        _("it renews automatically")
        if renews
        else _("it ends on {date} unless a renewal is agreed").format(date=_d(end))
    )
    return _("Notice deadline for contract {contract} with {client} passed on {deadline} ({ago}); {outcome}").format(
        contract=name, client=client, deadline=_d(deadline), ago=_ago(until), outcome=outcome
    )


def _receivable_text(
    number: str, client: str, owed: int, amount: int, paid: int | None, currency: str, late: int, due: date, bucket: str
) -> str:
    partial = _(" of {amount}").format(amount=format_money(amount, currency)) if paid else ""
    return ngettext(
        "Invoice {number} of {client}: {owed}{partial} still owed, {n} day overdue (due {date}, {bucket})",
        "Invoice {number} of {client}: {owed}{partial} still owed, {n} days overdue (due {date}, {bucket})",
        late,
    ).format(
        number=number, client=client, owed=format_money(owed, currency), partial=partial, n=late, date=_d(due),
        bucket=bucket,
    )  # fmt: skip


def _birthday_text(full_name: str, client: str | None, day: date, days: int, age: int | None) -> str:
    at = f" ({client})" if client else ""
    turns = _(", turns {age}").format(age=age) if age else ""
    return _("Birthday of {name}{client} on {date} ({ago}){turns}").format(
        name=full_name, client=at, date=_d(day)[:5], ago=_ago(days), turns=turns
    )


def _never_contacted_text(client: str, tier: str) -> str:
    return _("{client} (tier {tier}) has never been contacted").format(client=client, tier=tier)


def _silence_text(client: str, overdue: int, cadence: int, tier: str, last_day: date) -> str:
    return ngettext(
        "No touch with {client} for {days} days (tier {tier}, every {cadence} days): {n} day overdue, last on {date}",
        "No touch with {client} for {days} days (tier {tier}, every {cadence} days): {n} days overdue, last on {date}",
        overdue,
    ).format(client=client, days=overdue + cadence, tier=tier, cadence=cadence, n=overdue, date=_d(last_day))


def _deal_text(title: str, client: str, stage: str, amount: int | None, currency: str, close: date, days: int) -> str:
    money = f", {format_money(amount, currency)}" if amount else ""
    return _(
        "Deal {title} with {client} ({stage}{money}) was expected to close on {date} ({ago}): "
        "move the date or close it"
    ).format(
        title=_quote(title), client=client, stage=label(DealStage, stage), money=money, date=_d(close),
        ago=_ago(days),
    )  # fmt: skip


# --- the kinds -------------------------------------------------------------------------------------------------


def _planned_rows(store: Store, clock: _Clock, kinds: Collection[str]) -> list[tuple[Any, ...]]:
    """The interactions behind the agenda (planned today, local day) and missed ones (planned before today, not
    done or cancelled), of the kinds wanted."""
    want_agenda, want_missed = AlertKind.AGENDA in kinds, AlertKind.MISSED in kinds
    statuses = [InteractionStatus.PLANNED.value] + ([InteractionStatus.MISSED.value] if want_missed else [])
    marks, params = _in("status", statuses)
    sql = (
        "SELECT interaction.id, interaction.client_id, interaction.kind, interaction.status, interaction.planned_at,"
        " interaction.subject, interaction.place FROM interaction"
        f" WHERE interaction.status IN {marks} AND interaction.planned_at < :before"
    )
    params["before"] = clock.day_end if want_agenda else clock.day_start
    if not want_missed:
        sql += " AND interaction.planned_at >= :since"
        params["since"] = clock.day_start
    return store.rows(sql, params)


def _planned_alert(
    clock: _Clock, names: Mapping[int, str], people: Mapping[int, list[str]], row: Sequence[Any]
) -> Alert | None:
    """A row of :func:`_planned_rows` -> its agenda or missed alert (None: not planned any more, today)."""
    interaction_id, client_id, kind, status, stored_at, subject, place = row
    planned_at = _utc(stored_at)
    client_name = names.get(client_id, "")
    local = planned_at.astimezone(clock.zone)
    day = local.date()
    attendees = people.get(interaction_id)
    if planned_at >= clock.day_start:
        if status != InteractionStatus.PLANNED:
            return None
        late = planned_at < clock.now
        return Alert(
            id=f"agenda:{interaction_id}",
            kind=AlertKind.AGENDA,
            severity=Severity.HIGH if late else Severity.NORMAL,
            date=day,
            days=0,
            at=planned_at,
            sentence=(_agenda_text, (local, kind, client_name, attendees, place, subject, late)),
            facts=(planned_at, status),
            client_id=client_id,
            client_name=client_name,
            interaction_id=interaction_id,
        )
    days = clock.days(day)
    return Alert(
        id=f"missed:{interaction_id}",
        kind=AlertKind.MISSED,
        severity=Severity.HIGH,
        date=day,
        days=days,
        at=planned_at,
        sentence=(_missed_text, (local, kind, client_name, attendees, subject, days)),
        facts=(planned_at, status),
        client_id=client_id,
        client_name=client_name,
        interaction_id=interaction_id,
    )


def _planned(store: Store, clock: _Clock, names: dict[int, str], kinds: Collection[str]) -> list[Alert]:
    """Agenda (planned today, local day) and missed (planned before today, not done or cancelled)."""
    rows = _planned_rows(store, clock, kinds)
    people = _agenda_people(store, clock) if AlertKind.AGENDA in kinds else {}
    built = (_planned_alert(clock, names, people, row) for row in rows)
    return [alert for alert in built if alert is not None]


def _agenda_people(store: Store, clock: _Clock) -> dict[int, list[str]]:
    """The people named on today's planned interactions (the agenda's), by interaction: joined in the database
    (2,740 interactions at ten times the large demo, not bound one by one as an IN list)."""
    sql = (
        "SELECT interaction_contact.interaction_id, contact.full_name FROM interaction"
        " JOIN interaction_contact ON interaction_contact.interaction_id = interaction.id"
        " JOIN contact ON contact.id = interaction_contact.contact_id"
        " WHERE interaction.status = :planned AND interaction.planned_at >= :since AND interaction.planned_at < :before"
        " ORDER BY interaction_contact.interaction_id, contact.full_name"
    )
    params = {"planned": InteractionStatus.PLANNED.value, "since": clock.day_start, "before": clock.day_end}
    people: dict[int, list[str]] = {}
    for interaction_id, name in store.rows(sql, params):
        people.setdefault(interaction_id, []).append(name)
    return people


class _Query(NamedTuple):
    """A select in plain SQL with ``:name`` parameters: its columns (name, expression), what it reads and its
    conditions (ANDed). One per kind: the alerts are built from its rows, and its tally groups them."""

    columns: tuple[tuple[str, str], ...]
    source: str
    conditions: tuple[str, ...]
    params: dict[str, Any]

    def sql(self, *, named: bool = False) -> str:
        shown = ", ".join(f"{expression} AS {name}" if named else expression for name, expression in self.columns)
        return f"SELECT {shown} FROM {self.source} WHERE {' AND '.join(self.conditions)}"

    def where(self, condition: str, params: Mapping[str, Any]) -> _Query:
        return self._replace(conditions=(*self.conditions, condition), params={**self.params, **params})

    def rows(self, store: Store) -> list[tuple[Any, ...]]:
        return store.rows(self.sql(), self.params)


def _columns(table: str, *names: str) -> tuple[tuple[str, str], ...]:
    return tuple((name, f"{table}.{name}") for name in names)


# An interaction kind of alert: its conditions (SQL, parameters), the severity for a given days-ago, the sentence.
_InteractionCheck = tuple[tuple[str, dict[str, Any]], Callable[[int], Severity], Callable[..., str]]


def _interaction_checks(clock: _Clock, called_first_days: int) -> dict[AlertKind, _InteractionCheck]:
    called_since = clock.now - timedelta(days=called_first_days)
    reported, reported_params = _in("kind", REPORTED_KINDS)
    return {
        AlertKind.NO_REPORT: (
            (
                "interaction.status = :done AND interaction.kind IN "
                + reported
                + " AND interaction.done_at < :before AND interaction.done_at >= :since AND NOT (EXISTS (SELECT *"
                " FROM meeting_report WHERE meeting_report.interaction_id = interaction.id))",
                {
                    "done": InteractionStatus.DONE.value,
                    **reported_params,
                    "before": clock.now - REPORT_GRACE,
                    "since": clock.day_start - timedelta(days=REPORT_WINDOW_DAYS),
                },
            ),
            lambda days: Severity.HIGH,
            _no_report_text,
        ),
        AlertKind.UNANSWERED: (
            (
                # The day it came has ended: it arrived before today's local midnight.
                "interaction.needs_reply = :yes AND interaction.replied_at IS NULL"
                " AND interaction.direction = :inbound AND interaction.status != :cancelled"
                " AND interaction.done_at < :before",
                {
                    "yes": True,
                    "inbound": Direction.INBOUND.value,
                    "cancelled": InteractionStatus.CANCELLED.value,
                    "before": clock.day_start,
                },
            ),
            lambda days: Severity.CRITICAL if days <= -3 else Severity.HIGH,
            _unanswered_text,
        ),
        AlertKind.CALLED_FIRST: (
            (
                "interaction.status = :done AND interaction.kind = :call AND interaction.done_at >= :since"
                " AND interaction.done_at <= :now AND interaction.direction = :inbound",
                {
                    "done": InteractionStatus.DONE.value,
                    "call": InteractionKind.CALL.value,
                    "since": called_since,
                    "now": clock.now,
                    "inbound": Direction.INBOUND.value,
                },
            ),
            lambda days: Severity.NORMAL,
            _called_first_text,
        ),
    }


def _interaction_statement(check: _InteractionCheck) -> _Query:
    # No join with client: names come from the dict (SQLite would drive the query from client).
    condition, params = check[0]
    return _Query(
        _columns("interaction", "id", "client_id", "kind", "done_at", "subject"), "interaction", (condition,), params
    )


def _interaction_alert(
    clock: _Clock, names: Mapping[int, str], alert_kind: AlertKind, check: _InteractionCheck, row: Sequence[Any]
) -> Alert:
    interaction_id, client_id, kind, stored_at, subject = row
    _conditions, severity, write = check
    done_at = _utc(stored_at)
    name = names.get(client_id, "")
    local = done_at.astimezone(clock.zone)
    day = local.date()
    days = clock.days(day)
    return Alert(
        id=f"{ID_PREFIX[alert_kind]}:{interaction_id}",
        kind=alert_kind,
        severity=severity(days),
        date=day,
        days=days,
        sentence=(write, (kind, name, local, days, subject)),
        facts=(done_at,),
        client_id=client_id,
        client_name=name,
        interaction_id=interaction_id,
        at=done_at,
    )


def _interaction_scan(
    store: Store, clock: _Clock, names: dict[int, str], kinds: Collection[str], called_first_days: int
) -> list[Alert]:
    """Meetings without a report, unanswered messages and "the client called first": three narrow,
    indexed queries (status, kind, done_at) and (needs_reply, replied_at) rather than one scan."""
    alerts: list[Alert] = []
    for alert_kind, check in _interaction_checks(clock, called_first_days).items():
        if alert_kind not in kinds:
            continue
        for row in _interaction_statement(check).rows(store):
            alerts.append(_interaction_alert(clock, names, alert_kind, check, row))
    return alerts


_TASK_AND_CLIENT = "task LEFT OUTER JOIN client ON client.id = task.client_id"


def _task_statement(clock: _Clock, kinds: Collection[str]) -> _Query:
    """Open tasks due today (``task_today`` in ``kinds``) or earlier (``overdue_task``)."""
    want_today, want_overdue = AlertKind.TASK_TODAY in kinds, AlertKind.OVERDUE_TASK in kinds
    due = "task.due_on <= :today" if want_today and want_overdue else "task.due_on < :today"
    if not want_overdue:
        due = "task.due_on = :today"
    return _Query(
        (
            *_columns("task", "id", "title", "client_id"),
            ("name", "client.name"),
            *_columns("task", "assignee", "priority", "due_on"),
        ),
        _TASK_AND_CLIENT,
        ("task.status = :open", due),
        {"open": TaskStatus.OPEN.value, "today": clock.today},
    )


def _task_alert(clock: _Clock, row: Sequence[Any]) -> Alert:
    task_id, title, client_id, client_name, assignee, priority, stored_due = row
    due = _day(stored_due)
    days = clock.days(due)
    urgent = priority == Priority.HIGH
    if days == 0:
        kind, severity = AlertKind.TASK_TODAY, Severity.HIGH if urgent else Severity.NORMAL
    else:
        kind, severity = AlertKind.OVERDUE_TASK, Severity.CRITICAL if urgent else Severity.HIGH
    return Alert(
        id=f"task:{task_id}",
        kind=kind,
        severity=severity,
        date=due,
        days=days,
        sentence=(_task_text, (task_id, title, client_name, assignee, days, due)),
        facts=(due, kind.value),
        client_id=client_id,
        client_name=client_name,
        task_id=task_id,
    )


def _tasks(store: Store, clock: _Clock, kinds: Collection[str]) -> list[Alert]:
    """Open tasks due today or earlier, of the kinds wanted."""
    return [_task_alert(clock, row) for row in _task_statement(clock, kinds).rows(store)]


PROMISE_DAYS = 1  # a promise due within this many days (today included) and not done is "about to be missed"


def _promises(store: Store, clock: _Clock) -> list[Alert]:
    """Next steps promised to a client at a meeting (tasks from a meeting report), open and due within
    ``PROMISE_DAYS``: "warn the client before it passes" (rule 19)."""
    sql = (
        f"SELECT task.id, task.title, task.client_id, client.name, task.due_on FROM {_TASK_AND_CLIENT}"
        " WHERE task.status = :open AND task.report_id IS NOT NULL AND task.due_on >= :today AND task.due_on <= :until"
    )
    params = {"open": TaskStatus.OPEN.value, "today": clock.today, "until": clock.today + timedelta(days=PROMISE_DAYS)}
    alerts = []
    for task_id, title, client_id, client_name, stored_due in store.rows(sql, params):
        due = _day(stored_due)
        days = clock.days(due)
        alerts.append(
            Alert(
                id=f"promise:{task_id}",
                kind=AlertKind.PROMISE,
                severity=Severity.HIGH if days == 0 else Severity.NORMAL,
                date=due,
                days=days,
                sentence=(_promise_text, (task_id, title, client_name, days, due)),
                facts=(due,),
                client_id=client_id,
                client_name=client_name,
                task_id=task_id,
            )
        )
    return alerts


def _check_in_rows(store: Store, clock: _Clock) -> list[tuple[Any, ...]]:
    """Delegated open tasks whose check-in time has passed with no progress confirmed since, or comes later today."""
    sql = (
        "SELECT task.id, task.title, task.client_id, client.name, task.assignee, task.due_on, task.check_in_at"
        f" FROM {_TASK_AND_CLIENT} WHERE task.status = :open AND task.assignee IS NOT NULL"
        " AND task.check_in_at < :before AND (task.checked_in_at IS NULL OR task.checked_in_at < task.check_in_at)"
    )
    return store.rows(sql, {"open": TaskStatus.OPEN.value, "before": clock.day_end})


def _check_in_alert(clock: _Clock, row: Sequence[Any]) -> Alert:
    task_id, title, client_id, client_name, assignee, stored_due, stored_at = row
    due = _as_date(stored_due)
    check_in_at = _utc(stored_at)
    local = check_in_at.astimezone(clock.zone)
    day = local.date()
    passed = check_in_at <= clock.now
    return Alert(
        id=f"checkin:{task_id}",
        kind=AlertKind.CHECK_IN,
        severity=Severity.HIGH if passed else Severity.NORMAL,
        date=day,
        days=clock.days(day),
        at=check_in_at,
        sentence=(
            _check_in_text if passed else _check_in_today_text,
            (assignee, task_id, title, client_name, local, due),
        ),
        facts=(check_in_at, due),
        client_id=client_id,
        client_name=client_name,
        task_id=task_id,
    )


def _check_ins(store: Store, clock: _Clock) -> list[Alert]:
    """Delegated tasks whose check-in time has passed with no progress confirmed since, and
    those whose check-in comes later today (so the morning digest lists the day's check-ins)."""
    return [_check_in_alert(clock, row) for row in _check_in_rows(store, clock)]


_BAND_SEVERITY = {30: Severity.HIGH, 60: Severity.NORMAL, 90: Severity.INFO}


def _contract_statement(store: Store, clock: _Clock, want_notice: bool) -> _Query:
    """Active contracts ending within 90 days, or (``want_notice``) whose notice deadline may be near."""
    active = ContractStatus.ACTIVE.value
    horizon = CONTRACT_BANDS[-1]
    if want_notice:
        # The deadline is end - notice_days: bound the range by the longest notice period.
        longest = store.rows(
            "SELECT max(contract.notice_days) FROM contract WHERE contract.status = :active", {"active": active}
        )[0][0]
        horizon = max(horizon, NOTICE_WINDOW_DAYS + int(longest or 0))
    return _Query(
        (
            *_columns("contract", "id", "client_id"),
            ("name", "client.name"),
            *_columns("contract", "number", "title", "end_on", "auto_renew", "notice_days"),
        ),
        "contract JOIN client ON client.id = contract.client_id",
        ("contract.status = :active", "contract.end_on IS NOT NULL", "contract.end_on <= :until"),
        {"active": active, "until": clock.today + timedelta(days=horizon)},
    )


def _contract_alerts(clock: _Clock, want_contract: bool, want_notice: bool, row: Sequence[Any]) -> list[Alert]:
    """The ending contract's alert (within 90 days) and its notice deadline's (within 30 days), as wanted."""
    contract_id, client_id, client_name, number, title, stored_end, auto_renew, notice_days = row
    end = _day(stored_end)
    days = clock.days(end)
    auto_renew = bool(auto_renew)
    alerts = []
    if want_contract and days <= CONTRACT_BANDS[-1]:
        if days < 0:
            severity, band = Severity.CRITICAL, "ended"
        else:
            limit = next(limit for limit in CONTRACT_BANDS if days <= limit)
            band, severity = str(limit), _BAND_SEVERITY[limit]
        alerts.append(
            Alert(
                id=f"contract:{contract_id}",
                kind=AlertKind.CONTRACT,
                severity=severity,
                date=end,
                days=days,
                sentence=(_contract_text, (number, title, client_name, end, days, auto_renew)),
                facts=(end, auto_renew, band),
                client_id=client_id,
                client_name=client_name,
                contract_id=contract_id,
            )
        )
    notice_days = notice_days or 0
    if not (want_notice and notice_days > 0 and days >= 0):
        return alerts
    deadline = end - timedelta(days=notice_days)
    until = clock.days(deadline)
    if until > NOTICE_WINDOW_DAYS:
        return alerts
    if until >= 0:
        severity = Severity.CRITICAL if until <= 7 else Severity.HIGH
    else:
        severity = Severity.INFO if auto_renew else Severity.HIGH
    alerts.append(
        Alert(
            id=f"notice:{contract_id}",
            kind=AlertKind.NOTICE,
            severity=severity,
            date=deadline,
            days=until,
            sentence=(_notice_text, (number, title, client_name, end, deadline, until, notice_days, auto_renew)),
            facts=(deadline, auto_renew, until >= 0),
            client_id=client_id,
            client_name=client_name,
            contract_id=contract_id,
        )
    )
    return alerts


def _contracts(store: Store, clock: _Clock, kinds: Collection[str]) -> list[Alert]:
    """Active contracts ending within 90 days (one alert, escalating) and notice deadlines."""
    want_contract, want_notice = AlertKind.CONTRACT in kinds, AlertKind.NOTICE in kinds
    alerts: list[Alert] = []
    for row in _contract_statement(store, clock, want_notice).rows(store):
        alerts += _contract_alerts(clock, want_contract, want_notice, row)
    return alerts


def aging_bucket(days_late: int) -> str:
    """The receivables aging bucket of an invoice ``days_late`` days past due (>= 1)."""
    for limit, name in AGING_BUCKETS:
        if days_late <= limit:
            return name
    return "90+"


_BUCKET_SEVERITY = {"1-30": Severity.NORMAL, "31-60": Severity.HIGH, "61-90": Severity.HIGH, "90+": Severity.CRITICAL}


def _receivable_statement(clock: _Clock) -> Any:
    """Invoices past due with money still owed (partial payments count)."""
    # The same condition as the partial index ix_invoice_unpaid_due, so the index holds only unpaid invoices.
    return _Query(
        _columns("invoice", "id", "client_id", "number", "due_on", "amount_minor", "paid_minor", "currency"),
        "invoice",
        ("invoice.paid_minor < invoice.amount_minor", "invoice.due_on < :today"),
        {"today": clock.today},
    )


@lru_cache(maxsize=4096)
def _aging(today: date, stored_due: Any) -> tuple[date, int, str, Severity]:
    """A due day as stored -> (the day, days late, aging bucket, severity): worked out once per distinct day
    (14,000 overdue invoices fall on a few hundred days at ten times the large demo)."""
    due = _day(stored_due)
    late = (today - due).days
    bucket = aging_bucket(late)
    return due, late, bucket, _BUCKET_SEVERITY[bucket]


def _owed(amount: int, paid: int | None) -> int:
    """What an invoice (or a group of them, summed) still owes."""
    return amount - (paid or 0)


def _receivable_money(names: Mapping[int, str], row: Sequence[Any]) -> tuple[int, str, str, int]:
    """An overdue invoice's row (as :func:`_receivable_alert` reads it) -> client, name, currency, money owed."""
    _invoice_id, client_id, _number, _due, amount, paid, currency = row
    return client_id, names.get(client_id, ""), currency, _owed(amount, paid)


def _receivable_alert(clock: _Clock, names: Mapping[int, str], row: Sequence[Any]) -> Alert:
    invoice_id, client_id, number, stored_due, amount, paid, currency = row
    due, late, bucket, severity = _aging(clock.today, stored_due)
    owed = _owed(amount, paid)
    client_name = names.get(client_id, "")
    return Alert(
        id=f"invoice:{invoice_id}",
        kind=AlertKind.RECEIVABLE,
        severity=severity,
        date=due,
        days=-late,
        sentence=(_receivable_text, (number, client_name, owed, amount, paid, currency, late, due, bucket)),
        facts=(due, owed, currency, bucket),
        client_id=client_id,
        client_name=client_name,
        invoice_id=invoice_id,
        amount_minor=owed,
        currency=currency,
        bucket=bucket,
    )


def _receivables(store: Store, clock: _Clock, names: dict[int, str]) -> list[Alert]:
    """Invoices past due with money still owed (partial payments count)."""
    return [_receivable_alert(clock, names, row) for row in _receivable_statement(clock).rows(store)]


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


def _birthday_statement(keys: Mapping[str, date]) -> _Query:
    """The people whose birthday falls on one of ``keys`` (month-day -> the day: :func:`birthday_keys`)."""
    marks, params = _in("md", list(keys))
    return _Query(
        (
            *_columns("contact", "id", "full_name", "client_id"),
            ("name", "client.name"),
            *_columns("contact", "birthday_md", "birthday_year"),
        ),
        "contact LEFT OUTER JOIN client ON client.id = contact.client_id",
        (f"contact.birthday_md IN {marks}",),
        params,
    )


def _birthday_alert(clock: _Clock, keys: Mapping[str, date], row: Sequence[Any]) -> Alert:
    contact_id, full_name, client_id, client_name, month_day, year = row
    day = keys[month_day]
    days = clock.days(day)
    age = day.year - year if year else None
    return Alert(
        id=f"birthday:{contact_id}",
        kind=AlertKind.BIRTHDAY,
        severity=Severity.HIGH if days == 0 else Severity.NORMAL if days <= 2 else Severity.INFO,
        date=day,
        days=days,
        sentence=(_birthday_text, (full_name, client_name, day, days, age)),
        # This year's occurrence: dismissing it does not hide next year's.
        facts=(day,),
        client_id=client_id,
        client_name=client_name,
        contact_id=contact_id,
        contact_name=full_name,
    )


def _birthdays(store: Store, clock: _Clock, birthday_days: int) -> list[Alert]:
    keys = birthday_keys(clock.today, max(birthday_days, 0))
    return [_birthday_alert(clock, keys, row) for row in _birthday_statement(keys).rows(store)]


def _silence(store: Store, clock: _Clock, cadence_by_tier: Mapping[str, int] | None = None) -> list[Alert]:
    """Active clients whose last touch (any done interaction) is older than their cadence.

    Only active clients: prospects are pursued through deals and tasks, and
    dormant or lost ones have no rhythm to keep. ``cadence_by_tier`` (the settings)
    overrides the default cadence of a tier; a client's own cadence comes first."""
    tier_cadence = {**DEFAULT_CADENCE_DAYS, **(cadence_by_tier or {})}
    params: dict[str, Any] = {"active": ClientStatus.ACTIVE.value, "done": InteractionStatus.DONE.value}
    custom = {
        row[0]
        for row in store.rows(
            "SELECT DISTINCT client.cadence_days FROM client WHERE client.status = :active AND client.cadence_days > 0",
            params,
        )
    }
    # A client with an open complaint is called twice as often while it is open.
    complaining = open_complaint_clients(store)
    # Silent when the last touch came before local midnight of (today - cadence): one threshold per
    # cadence in use, computed here (zone maths), compared in SQL so only silent clients come back.
    cadences = custom | set(tier_cadence.values())
    if complaining:
        cadences |= {complaint_cadence(cadence) for cadence in cadences}
    thresholds = {cadence: local_midnight(clock.today - timedelta(days=cadence), clock.zone) for cadence in cadences}
    default = tier_cadence[Tier.B]  # for a tier outside A-C
    tiers = []
    for index, (tier, days) in enumerate(tier_cadence.items()):
        tiers.append(f" WHEN :tier{index} THEN :tier_days{index}")
        params |= {f"tier{index}": str(tier), f"tier_days{index}": days}
    params["default_days"] = default
    cadence_in_force = (
        f"CASE WHEN (client.cadence_days > 0) THEN client.cadence_days ELSE CASE client.tier{''.join(tiers)}"
        " ELSE :default_days END END"
    )
    if complaining:
        open_marks, open_params = _in("open", OPEN_COMPLAINT_STATUSES)
        params |= open_params
        # One list of the complaining clients, not a look-up per active client.
        has_complaint = (
            f"client.id IN (SELECT complaint.client_id FROM complaint WHERE complaint.status IN {open_marks})"
        )
        cadence_in_force = f"CASE WHEN {has_complaint} THEN ({cadence_in_force} + 1) / 2 ELSE {cadence_in_force} END"
    whens = []
    for index, (cadence, moment) in enumerate(thresholds.items()):
        whens.append(f" WHEN :cadence{index} THEN :threshold{index}")
        params |= {f"cadence{index}": cadence, f"threshold{index}": moment}
    threshold = f"CASE {cadence_in_force}{''.join(whens)} END"
    sql = (
        "SELECT client.id, client.name, client.tier, client.cadence_days, (SELECT max(interaction.done_at)"
        " FROM interaction WHERE interaction.client_id = client.id AND interaction.status = :done)"
        " FROM client WHERE client.status = :active AND NOT (EXISTS (SELECT 1 FROM interaction"
        " WHERE interaction.client_id = client.id AND interaction.status = :done"
        f" AND interaction.done_at >= {threshold}))"
    )
    alerts = []
    for client_id, name, tier, cadence_days, stored_last in store.rows(sql, params):
        cadence = cadence_days if cadence_days and cadence_days > 0 else tier_cadence.get(tier, default)
        if client_id in complaining:
            cadence = complaint_cadence(cadence)
        important = tier == Tier.A or client_id in complaining
        if stored_last is None:
            alerts.append(
                Alert(
                    id=f"silence:{client_id}",
                    kind=AlertKind.SILENCE,
                    severity=Severity.HIGH if important else Severity.NORMAL,
                    date=clock.today,
                    days=0,
                    sentence=(_never_contacted_text, (name, tier)),
                    facts=(None, cadence),
                    client_id=client_id,
                    client_name=name,
                )
            )
            continue
        last = _utc(stored_last)
        last_day = clock.local_date(last)
        overdue = (clock.today - last_day).days - cadence
        if overdue < 1:  # a touch or a new cadence committed between the two queries
            continue
        alerts.append(
            Alert(
                id=f"silence:{client_id}",
                kind=AlertKind.SILENCE,
                severity=Severity.HIGH if important or overdue >= cadence else Severity.NORMAL,
                date=last_day + timedelta(days=cadence),
                days=-overdue,
                at=last,
                sentence=(_silence_text, (name, overdue, cadence, tier, last_day)),
                facts=(last, cadence),
                client_id=client_id,
                client_name=name,
            )
        )
    return alerts


def _deal_statement(clock: _Clock) -> _Query:
    """Open deals whose expected close has passed."""
    marks, params = _in("stage", OPEN_DEAL_STAGES)
    return _Query(
        _columns("deal", "id", "client_id", "title", "stage", "amount_minor", "currency", "expected_close"),
        "deal",
        (f"deal.stage IN {marks}", "deal.expected_close < :today"),
        {**params, "today": clock.today},
    )


def _deal_alert(clock: _Clock, names: Mapping[int, str], row: Sequence[Any]) -> Alert:
    deal_id, client_id, title, stage, amount, currency, stored_close = row
    close = _day(stored_close)
    client_name = names.get(client_id, "")
    days = clock.days(close)
    return Alert(
        id=f"deal:{deal_id}",
        kind=AlertKind.DEAL,
        severity=Severity.HIGH if days < -30 else Severity.NORMAL,
        date=close,
        days=days,
        sentence=(_deal_text, (title, client_name, stage, amount, currency, close, days)),
        facts=(close, stage),
        client_id=client_id,
        client_name=client_name,
        deal_id=deal_id,
        amount_minor=amount,
        currency=currency if amount else None,
    )


def _deals(store: Store, clock: _Clock, names: dict[int, str]) -> list[Alert]:
    return [_deal_alert(clock, names, row) for row in _deal_statement(clock).rows(store)]


def _credit_text(client: str, status: str, exposure: int, limit: int, currency: str, pct: Any) -> str:
    if status == "over":
        return _("{client} owes and has won {exposure}, over its credit limit of {limit} by {excess}").format(
            client=client,
            exposure=format_money(exposure, currency),
            limit=format_money(limit, currency),
            excess=format_money(exposure - limit, currency),
        )
    return _("{client} is at {pct} of its credit limit: {exposure} of {limit} (headroom {headroom})").format(
        client=client,
        pct=format_percent(pct),
        exposure=format_money(exposure, currency),
        limit=format_money(limit, currency),
        headroom=format_money(limit - exposure, currency),
    )


def _stalled_text(title: str, client: str, stage: str, since: date, days: int, limit: int) -> str:
    return ngettext(
        "Deal «{title}» with {client} has been in {stage} for {n} day since {date} (limit {limit})",
        "Deal «{title}» with {client} has been in {stage} for {n} days since {date} (limit {limit})",
        days,
    ).format(title=title, client=client, stage=label(DealStage, stage), n=days, date=_d(since), limit=limit)


def _abc_text(client: str, share: Any, suggested: str, stored: str) -> str:
    if share is None:
        return _("{client} has no revenue: suggested tier {suggested}, stored {stored}").format(
            client=client, suggested=suggested, stored=stored
        )
    return _("{client} now makes {share} of revenue: suggested tier {suggested}, stored {stored}").format(
        client=client, share=format_percent(share), suggested=suggested, stored=stored
    )


def _portfolio_alerts(store: Store, clock: _Clock, kinds: Collection[str], settings: Any) -> list[Alert]:
    """Credit exposure, stalled deals and ABC suggestions (amtui.services.portfolio does the reckoning)."""
    from amtui.services import reckoning as portfolio

    settings = settings or portfolio.PortfolioSettings()
    alerts: list[Alert] = []
    if AlertKind.CREDIT in kinds:
        for row in portfolio.credit_exposure(session=store):
            status = row.status(settings.credit_warning_pct)
            if status == "ok":
                continue
            alerts.append(
                Alert(
                    id=f"credit:{row.client_id}",
                    kind=AlertKind.CREDIT,
                    severity=Severity.HIGH if status == "over" else Severity.NORMAL,
                    date=clock.today,
                    days=0,
                    sentence=(
                        _credit_text,
                        (row.client_name, status, row.exposure_minor, row.limit_minor, row.currency, row.used_pct),
                    ),
                    facts=(status, row.limit_minor, row.currency),
                    client_id=row.client_id,
                    client_name=row.client_name,
                    amount_minor=row.exposure_minor,
                    currency=row.currency,
                )
            )
    if AlertKind.STALLED in kinds:
        for deal in portfolio.stalled_deals(
            session=store, today=clock.today, zone=clock.zone, limits=settings.stalled_days
        ):
            since_limit = deal.since + timedelta(days=deal.limit)
            alerts.append(
                Alert(
                    id=f"stalled:{deal.deal_id}",
                    kind=AlertKind.STALLED,
                    severity=Severity.HIGH if deal.days >= 2 * deal.limit else Severity.NORMAL,
                    date=since_limit,
                    days=clock.days(since_limit),
                    sentence=(
                        _stalled_text,
                        (deal.title, deal.client_name, deal.stage, deal.since, deal.days, deal.limit),
                    ),
                    facts=(deal.stage, deal.since),
                    client_id=deal.client_id,
                    client_name=deal.client_name,
                    deal_id=deal.deal_id,
                    amount_minor=deal.amount_minor,
                    currency=deal.currency if deal.amount_minor else None,
                )
            )
    if AlertKind.ABC in kinds:
        result = portfolio.abc_tiers(
            session=store,
            today=clock.today,
            thresholds=settings.abc_thresholds,
            home_currency=settings.home_currency,
            changes_only=True,
        )
        for change in result.changes:
            alerts.append(
                Alert(
                    id=f"abc:{change.client_id}",
                    kind=AlertKind.ABC,
                    severity=Severity.INFO,
                    date=clock.today,
                    days=0,
                    sentence=(_abc_text, (change.client_name, change.share_pct, change.suggested, change.stored)),
                    facts=(change.suggested, change.stored),
                    client_id=change.client_id,
                    client_name=change.client_name,
                )
            )
    return alerts


# --- complaints ------------------------------------------------------------------------------------------------


def _complaint_kind(kind: str) -> str:
    return title_label(ComplaintKind, kind)


def _complaint_text(kind: str, title: str, client: str, due: date | None, days: int, state: str, idle: int) -> str:
    what = _("{kind} {title} from {client}").format(kind=_complaint_kind(kind), title=_quote(title), client=client)
    if state == "stale":
        return ngettext(
            "{what} is open and untouched for {n} day", "{what} is open and untouched for {n} days", idle
        ).format(what=what, n=idle)
    if state == "overdue" and due is not None:
        return _("{what}: the resolution promised for {date} is late ({ago})").format(
            what=what, date=_d(due), ago=_ago(days)
        )
    return _("{what}: the resolution is promised for {date} ({ago})").format(
        what=what, date=_d(due or date.min), ago=_ago(days)
    )


def _complaint_check_in_text(
    owner: str, kind: str, title: str, client: str, local: datetime, due: date | None, passed: bool
) -> str:
    due_text = _("; the resolution is promised for {date}").format(date=_d(due)) if due else ""
    if not passed:
        return _("Check in with {owner} today at {time} on the {kind} {title} of {client}{due}").format(
            owner=owner, time=_hhmm(local), kind=_complaint_kind(kind).lower(), title=_quote(title), client=client,
            due=due_text,
        )  # fmt: skip
    return _("Check in with {owner} on the {kind} {title} of {client}: the check-in was due {date} {time}{due}").format(
        owner=owner, kind=_complaint_kind(kind).lower(), title=_quote(title), client=client,
        date=_d(local.date()), time=_hhmm(local), due=due_text,
    )  # fmt: skip


def _complaint_follow_up_text(kind: str, title: str, client: str, resolved: date, by: date, days: int) -> str:
    return _(
        "Call {client} to check they are satisfied: the {kind} {title} was resolved on {date}; call by {by} ({ago})"
    ).format(
        client=client, kind=_complaint_kind(kind).lower(), title=_quote(title), date=_d(resolved), by=_d(by),
        ago=_ago(days),
    )  # fmt: skip


def _complaints(
    store: Store, clock: _Clock, names: dict[int, str], kinds: Collection[str], stale_days: int
) -> list[Alert]:
    """Open complaints due within 2 days, overdue, or untouched for ``stale_days``; delegated ones whose
    check-in has come; resolved ones still waiting for the call that checks the client is satisfied."""
    alerts: list[Alert] = []
    open_marks, params = _in("open", OPEN_COMPLAINT_STATUSES)
    is_open = f"complaint.status IN {open_marks}"
    touched_at = "coalesce(complaint.touched_at, complaint.created_at)"
    if AlertKind.COMPLAINT in kinds:
        sql = (
            "SELECT complaint.id, complaint.client_id, complaint.kind, complaint.title, complaint.due_on,"
            f" {touched_at} FROM complaint WHERE {is_open}"
            f" AND (complaint.due_on <= :soon OR {touched_at} < :stale_before)"
        )
        found = store.rows(
            sql,
            {
                **params,
                "soon": clock.today + timedelta(days=COMPLAINT_DUE_SOON_DAYS),
                "stale_before": clock.now - timedelta(days=max(stale_days, 1)),
            },
        )
        for complaint_id, client_id, kind, title, stored_due, stored_touch in found:
            due = _as_date(stored_due)
            client_name = names.get(client_id, "")
            touched = _utc(stored_touch)
            idle = (clock.today - clock.local_date(touched)).days
            if due is not None and due <= clock.today + timedelta(days=COMPLAINT_DUE_SOON_DAYS):
                days = clock.days(due)
                state = "overdue" if days < 0 else "due"
                severity = Severity.CRITICAL if days < -7 else Severity.HIGH if days <= 0 else Severity.NORMAL
                day, facts = due, (due, state)
            else:
                state, days, severity = "stale", -idle, Severity.NORMAL
                day, facts = clock.local_date(touched), (touched, state)
            alerts.append(
                Alert(
                    id=f"{ID_PREFIX[AlertKind.COMPLAINT]}:{complaint_id}",
                    kind=AlertKind.COMPLAINT,
                    severity=severity,
                    date=day,
                    days=days,
                    sentence=(_complaint_text, (kind, title, client_name, due, days, state, idle)),
                    facts=facts,
                    client_id=client_id,
                    client_name=client_name,
                )
            )
    if AlertKind.COMPLAINT_CHECK_IN in kinds:
        sql = (
            "SELECT complaint.id, complaint.client_id, complaint.kind, complaint.title, complaint.owner,"
            f" complaint.due_on, complaint.check_in_at FROM complaint WHERE {is_open} AND complaint.owner IS NOT NULL"
            f" AND complaint.check_in_at < :before AND {touched_at} < complaint.check_in_at"
        )
        found = store.rows(sql, {**params, "before": clock.day_end})
        for complaint_id, client_id, kind, title, owner, stored_due, stored_at in found:
            due = _as_date(stored_due)
            check_in_at = _utc(stored_at)
            local = check_in_at.astimezone(clock.zone)
            client_name = names.get(client_id, "")
            passed = check_in_at <= clock.now
            alerts.append(
                Alert(
                    id=f"{ID_PREFIX[AlertKind.COMPLAINT_CHECK_IN]}:{complaint_id}",
                    kind=AlertKind.COMPLAINT_CHECK_IN,
                    severity=Severity.HIGH if passed else Severity.NORMAL,
                    date=local.date(),
                    days=clock.days(local.date()),
                    at=check_in_at,
                    sentence=(_complaint_check_in_text, (owner, kind, title, client_name, local, due, passed)),
                    facts=(check_in_at, due),
                    client_id=client_id,
                    client_name=client_name,
                )
            )
    if AlertKind.COMPLAINT_FOLLOW_UP in kinds:
        sql = (
            "SELECT complaint.id, complaint.client_id, complaint.kind, complaint.title, complaint.resolved_on"
            " FROM complaint WHERE complaint.status = :resolved AND complaint.resolved_on >= :since"
            " AND complaint.resolved_on <= :today"
        )
        rows = [
            (*row[:4], _day(row[4]))
            for row in store.rows(
                sql,
                {
                    "resolved": ComplaintStatus.RESOLVED.value,
                    "since": clock.today - timedelta(days=FOLLOW_UP_WINDOW_DAYS),
                    "today": clock.today,
                },
            )
        ]
        called = _touched_after(store, clock, [(row[1], row[4]) for row in rows])
        for complaint_id, client_id, kind, title, resolved in rows:
            if (client_id, resolved) in called:
                continue
            by = resolved + timedelta(days=FOLLOW_UP_DAYS)
            days = clock.days(by)
            client_name = names.get(client_id, "")
            alerts.append(
                Alert(
                    id=f"{ID_PREFIX[AlertKind.COMPLAINT_FOLLOW_UP]}:{complaint_id}",
                    kind=AlertKind.COMPLAINT_FOLLOW_UP,
                    severity=Severity.HIGH if days < 0 else Severity.NORMAL,
                    date=by,
                    days=days,
                    sentence=(_complaint_follow_up_text, (kind, title, client_name, resolved, by, days)),
                    facts=(resolved,),
                    client_id=client_id,
                    client_name=client_name,
                )
            )
    return alerts


def _touched_after(store: Store, clock: _Clock, pairs: list[tuple[int, date]]) -> set[tuple[int, date]]:
    """The (client, day) pairs with a done interaction with that client after that local day."""
    if not pairs:
        return set()
    earliest = local_midnight(min(day for _, day in pairs) + timedelta(days=1), clock.zone)
    marks, params = _in("client", list(dict.fromkeys(client for client, _ in pairs)))
    sql = (
        "SELECT interaction.client_id, max(interaction.done_at) FROM interaction"
        f" WHERE interaction.client_id IN {marks} AND interaction.status = :done AND interaction.done_at >= :since"
        " GROUP BY interaction.client_id"
    )
    found = store.rows(sql, {**params, "done": InteractionStatus.DONE.value, "since": earliest})
    last = {client_id: _utc(at) for client_id, at in found}
    return {
        (client, day)
        for client, day in pairs
        if client in last and last[client] >= local_midnight(day + timedelta(days=1), clock.zone)
    }


def open_complaint_clients(store: Store) -> set[int]:
    """The clients with an open complaint (their contact cadence is halved while it is open)."""
    marks, params = _in("open", OPEN_COMPLAINT_STATUSES)
    sql = f"SELECT DISTINCT complaint.client_id FROM complaint WHERE complaint.status IN {marks}"
    return {row[0] for row in store.rows(sql, params)}


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
                allowed = ", ".join(AlertKind)
                raise ValidationError(
                    _("{value} is not an alert kind ({allowed})").format(value=repr(part.strip()), allowed=allowed),
                    field="kind",
                ) from None
    return frozenset(chosen) or None


def compute_alerts(
    *,
    session: Reader,
    now: datetime,
    zone: tzinfo,
    birthday_days: int = 7,
    cadence_by_tier: Mapping[str, int] | None = None,
    called_first_days: int = CALLED_FIRST_DAYS,
    include_marked: bool = False,
    kinds: Collection[str] | None = None,
    portfolio: Any = None,
    complaint_stale_days: int = COMPLAINT_STALE_DAYS,
) -> list[Alert]:
    """Every open alert at ``now`` (aware), most urgent first.

    ``complaint_stale_days`` (the ``[complaints] stale_days`` setting): an open complaint untouched
    that long is an alert.

    ``portfolio`` (:class:`amtui.services.portfolio.PortfolioSettings`) sets the credit warning band,
    the stalled-deal limits and the ABC thresholds; None: their defaults.

    ``session`` may also be a plain Connection: read-only callers such as the cron
    digest pass one so that they never import the ORM.

    ``zone`` decides what "today" is. Snoozed (until a later day) and dismissed
    alerts are left out unless ``include_marked``; a mark whose fingerprint no
    longer matches is ignored, so the alert is back.
    """
    alerts, _tallies, _summaries = _compute(
        session=session,
        clock=_Clock.at(now, zone),
        birthday_days=birthday_days,
        cadence_by_tier=cadence_by_tier,
        called_first_days=called_first_days,
        include_marked=include_marked,
        kinds=kinds,
        portfolio=portfolio,
        complaint_stale_days=complaint_stale_days,
        tally=(),
    )
    return alerts


def alerts_and_tallies(
    *,
    session: Reader,
    now: datetime,
    zone: tzinfo,
    tally: Collection[str],
    birthday_days: int = 7,
    cadence_by_tier: Mapping[str, int] | None = None,
    called_first_days: int = CALLED_FIRST_DAYS,
    portfolio: Any = None,
    complaint_stale_days: int = COMPLAINT_STALE_DAYS,
) -> tuple[list[Alert], dict[str, Tally]]:
    """The open alerts as :func:`compute_alerts` gives them, except those of the kinds in ``tally``:
    of these only a :class:`Tally` per kind (count, worst severity, money per currency), equal to one made
    from their alerts. Receivables, ending contracts and clients who called first (``TALLIED_IN_SQL``) are
    then counted in the database, grouped by what their severity and amount stand on, with the same
    conditions and the same alert-building code (each group builds one alert standing for all of it); only
    their marked alerts are built one by one, so that snoozed and dismissed ones are subtracted exactly."""
    alerts, tallies, _summaries = _compute(
        session=session,
        clock=_Clock.at(now, zone),
        birthday_days=birthday_days,
        cadence_by_tier=cadence_by_tier,
        called_first_days=called_first_days,
        include_marked=False,
        kinds=None,
        portfolio=portfolio,
        complaint_stale_days=complaint_stale_days,
        tally=tally,
    )
    return alerts, tallies


def alerts_and_summaries(
    *,
    session: Reader,
    now: datetime,
    zone: tzinfo,
    limit: int,
    birthday_days: int = 7,
    cadence_by_tier: Mapping[str, int] | None = None,
    called_first_days: int = CALLED_FIRST_DAYS,
    portfolio: Any = None,
    complaint_stale_days: int = COMPLAINT_STALE_DAYS,
) -> tuple[list[Alert], dict[str, Summary]]:
    """What the digest shows, without building every alert: the open alerts as :func:`compute_alerts` gives
    them, except the kinds in ``DIGEST_SUMMARIZED`` (receivables, ending contracts, notice deadlines,
    birthdays, late deals, overdue tasks and those due today: 27,600 of the 44,000 alerts at ten times the
    large demo; and the agenda, missed, no-report, unanswered, called-first and check-in alerts, 11,000 more).
    Of these, a :class:`Summary` per kind: counted from the kind's rows, grouped as Today's tallies are (or,
    for ``DIGEST_BY_MOMENT``, in the order of their moments), with the first ``limit`` alerts in order built
    from the rows that hold them, and the receivables' money per client; equal to what every alert of the kind
    gives (tests/test_engine_plain.py)."""
    if limit < 1:
        raise ValueError("a summary shows at least one alert")
    alerts, _tallies, summaries = _compute(
        session=session,
        clock=_Clock.at(now, zone),
        birthday_days=birthday_days,
        cadence_by_tier=cadence_by_tier,
        called_first_days=called_first_days,
        include_marked=False,
        kinds=None,
        portfolio=portfolio,
        complaint_stale_days=complaint_stale_days,
        tally=(),
        summary_limit=limit,
    )
    return alerts, summaries


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _collector_paused(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """``function`` run with the cyclic garbage collector paused. The engine makes tens of thousands of row
    tuples and alerts, none in a cycle, and so set off a collection every 700: twice a run one of the whole
    heap, then holding them all (a fifth of the engine's time at ten times the large demo, ~300 of 1,500 ms).
    The collector runs again afterwards; left off if something else turned it off (another thread's run)."""

    @wraps(function)
    def paused(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        was_on = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if was_on:
                if not _heap_frozen_by_others():  # (nothing else uses the permanent generation)
                    # What the run made and keeps (its alerts, 85,000 tuples at 10x) goes to the oldest
                    # generation at once: the next young collection would walk it all (~100 ms), finding no garbage.
                    gc.freeze()
                    gc.unfreeze()
                gc.enable()

    return paused


_permanent_generation_seen = False


def _heap_frozen_by_others() -> bool:
    """Whether something froze objects (the Clients screen and ``amtui summary`` do, once, for the process's
    life). ``gc.get_freeze_count`` counts the frozen objects one by one (3-30 ms for 300k, as they lie in
    memory): asked after every engine run, it cost more than a small database's whole run once the TUI had
    frozen its heap. Asked until it first says yes; after that the engine leaves the generations alone, as it
    did whenever it was asked."""
    global _permanent_generation_seen
    if not _permanent_generation_seen and gc.get_freeze_count():
        _permanent_generation_seen = True
    return _permanent_generation_seen


@_collector_paused
def _compute(
    *,
    session: Reader,
    clock: _Clock,
    birthday_days: int,
    cadence_by_tier: Mapping[str, int] | None,
    called_first_days: int,
    include_marked: bool,
    kinds: Collection[str] | None,
    portfolio: Any,
    complaint_stale_days: int,
    tally: Collection[str],
    summary_limit: int = 0,
) -> tuple[list[Alert], dict[str, Tally], dict[str, Summary]]:
    every: frozenset[str] = frozenset(AlertKind) if kinds is None else frozenset(AlertKind(k) for k in kinds)
    counted = every.intersection(tally)
    in_sql = counted & TALLIED_IN_SQL
    summarized = every & DIGEST_SUMMARIZED if summary_limit > 0 else frozenset()
    wanted = every - in_sql - summarized
    store = store_of(session)
    names = client_names(store)
    # Each step: the kinds it builds, and how.
    steps: list[tuple[Collection[AlertKind], Callable[[], list[Alert]]]] = [
        ((AlertKind.AGENDA, AlertKind.MISSED), lambda: _planned(store, clock, names, wanted)),
        (
            (AlertKind.NO_REPORT, AlertKind.UNANSWERED, AlertKind.CALLED_FIRST),
            lambda: _interaction_scan(store, clock, names, wanted, called_first_days),
        ),
        ((AlertKind.OVERDUE_TASK, AlertKind.TASK_TODAY), lambda: _tasks(store, clock, wanted)),
        ((AlertKind.CHECK_IN,), lambda: _check_ins(store, clock)),
        ((AlertKind.PROMISE,), lambda: _promises(store, clock)),
        ((AlertKind.CONTRACT, AlertKind.NOTICE), lambda: _contracts(store, clock, wanted)),
        ((AlertKind.RECEIVABLE,), lambda: _receivables(store, clock, names)),
        ((AlertKind.BIRTHDAY,), lambda: _birthdays(store, clock, birthday_days)),
        ((AlertKind.SILENCE,), lambda: _silence(store, clock, cadence_by_tier)),
        ((AlertKind.DEAL,), lambda: _deals(store, clock, names)),
        (
            (AlertKind.COMPLAINT, AlertKind.COMPLAINT_CHECK_IN, AlertKind.COMPLAINT_FOLLOW_UP),
            lambda: _complaints(store, clock, names, wanted, complaint_stale_days),
        ),
        (
            (AlertKind.CREDIT, AlertKind.STALLED, AlertKind.ABC),
            lambda: _portfolio_alerts(store, clock, wanted, portfolio),
        ),
    ]
    alerts = [alert for step_kinds, step in steps if wanted.intersection(step_kinds) for alert in step()]
    marks = {
        row[0]: row
        for row in store.rows(
            "SELECT alert_mark.alert_id, alert_mark.state, alert_mark.snoozed_until, alert_mark.fingerprint"
            " FROM alert_mark"
        )
    }
    alerts = _apply_marks(marks, alerts, clock.today, include_marked=include_marked)
    tallies: dict[str, Tally] = {}
    summaries: dict[str, Summary] = {}
    if summarized:
        specs = _tally_specs(store, clock, names, called_first_days, birthday_days)
        by_moment = _moment_specs(store, clock, names, called_first_days)
        for summed in sorted(AlertKind(k) for k in summarized):
            if summed in DIGEST_BY_MOMENT:
                summary = _moment_summary(store, summed, by_moment[summed], marks, clock.today, summary_limit)
            else:
                summary = _summary(store, summed, specs[summed], marks, clock.today, summary_limit)
            if summary is not None:
                summaries[summed] = summary
    if counted:
        kept = []
        built: dict[str, list[Alert]] = {}
        for alert in alerts:
            if alert.kind in counted:
                built.setdefault(alert.kind, []).append(alert)
            else:
                kept.append(alert)
        alerts = kept
        for kind, items in built.items():
            tallies[kind] = Tally.of(kind, items)
        specs = _tally_specs(store, clock, names, called_first_days)
        for kind in sorted(AlertKind(k) for k in in_sql):
            found = _sql_tally(store, kind, specs[kind], marks, clock.today)
            if found is not None:
                tallies[kind] = found
    alerts.sort(key=Alert.sort_key)
    return alerts, tallies, summaries


# --- counted in the database -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tally:
    """The open alerts of one kind summed up (what Today's backlog line shows): how many, the worst
    severity among them, and their money per currency (the alerts' ``amount_minor`` added up)."""

    kind: str
    count: int
    severity: str
    totals: tuple[tuple[str, int], ...]

    @classmethod
    def of(cls, kind: str, alerts: Iterable[Alert]) -> Tally:
        counter: _Counter = {}
        for alert in alerts:
            _count_in(counter, alert, 1)
        found = _tally_from(kind, counter)
        assert found is not None, "a tally of no alerts"
        return found


# (severity, currency or None) -> [alerts, money]: enough to subtract one alert and still know the worst severity.
_Counter = dict[tuple[str, str | None], list[int]]


def _count_in(counter: _Counter, alert: Alert, count: int) -> None:
    money = alert.amount_minor is not None and bool(alert.currency)
    entry = counter.setdefault((alert.severity, alert.currency if money else None), [0, 0])
    entry[0] += count
    if money:
        entry[1] += (alert.amount_minor or 0) * (1 if count > 0 else -1)


def _tally_from(kind: str, counter: _Counter) -> Tally | None:
    live = [(key, value) for key, value in counter.items() if value[0] > 0]
    if not live:
        return None
    totals: dict[str, int] = {}
    for (_severity, currency), (_count, money) in live:
        if currency:
            totals[currency] = totals.get(currency, 0) + money
    return Tally(
        kind=kind,
        count=sum(value[0] for _key, value in live),
        severity=min((key[0] for key, _value in live), key=lambda s: _SEVERITY_RANK.get(s, 9)),  # type: ignore[call-overload]
        totals=tuple(sorted(totals.items())),
    )


class _TallySpec(NamedTuple):
    statement: Callable[[], _Query]  # the kind's own select (its conditions), as its alerts are built from
    keys: tuple[str, ...]  # the columns the alert's severity (and facts that matter) stand on: grouped by
    sums: tuple[str, ...]  # the columns its money is made from (linearly): summed
    build: Callable[[Sequence[Any]], list[Alert]]  # the kind's own row-to-alert code
    id_column: str  # what the alert id names, to build the marked ones exactly
    # The kind's money per row, for the digest's list per client: (client id, name, currency, amount).
    per_client: Callable[[Sequence[Any]], tuple[int, str | None, str, int]] | None = None


TALLIED_IN_SQL = frozenset({AlertKind.RECEIVABLE, AlertKind.CONTRACT, AlertKind.CALLED_FIRST})


def _tally_specs(
    store: Store, clock: _Clock, names: Mapping[int, str], called_first_days: int, birthday_days: int = 7
) -> dict[AlertKind, _TallySpec]:
    called = _interaction_checks(clock, called_first_days)[AlertKind.CALLED_FIRST]
    birthdays = birthday_keys(clock.today, max(birthday_days, 0))
    return {
        AlertKind.RECEIVABLE: _TallySpec(
            lambda: _receivable_statement(clock),
            ("due_on", "currency"),
            ("amount_minor", "paid_minor"),
            lambda row: [_receivable_alert(clock, names, row)],
            "invoice.id",
            partial(_receivable_money, names),
        ),
        AlertKind.CONTRACT: _TallySpec(
            lambda: _contract_statement(store, clock, want_notice=False),
            ("end_on", "auto_renew"),
            (),
            lambda row: _contract_alerts(clock, True, False, row),
            "contract.id",
        ),
        AlertKind.CALLED_FIRST: _TallySpec(
            lambda: _interaction_statement(called),
            (),
            (),
            lambda row: [_interaction_alert(clock, names, AlertKind.CALLED_FIRST, called, row)],
            "interaction.id",
        ),
        AlertKind.OVERDUE_TASK: _TallySpec(
            lambda: _task_statement(clock, (AlertKind.OVERDUE_TASK,)),
            ("due_on", "priority"),
            (),
            lambda row: [_task_alert(clock, row)],
            "task.id",
        ),
        AlertKind.TASK_TODAY: _TallySpec(
            lambda: _task_statement(clock, (AlertKind.TASK_TODAY,)),
            ("due_on", "priority"),
            (),
            lambda row: [_task_alert(clock, row)],
            "task.id",
        ),
        AlertKind.NOTICE: _TallySpec(
            lambda: _contract_statement(store, clock, want_notice=True),
            ("end_on", "auto_renew", "notice_days"),
            (),
            lambda row: _contract_alerts(clock, False, True, row),
            "contract.id",
        ),
        AlertKind.BIRTHDAY: _TallySpec(
            lambda: _birthday_statement(birthdays),
            ("birthday_md",),
            (),
            lambda row: [_birthday_alert(clock, birthdays, row)],
            "contact.id",
        ),
        AlertKind.DEAL: _TallySpec(
            lambda: _deal_statement(clock),
            ("expected_close", "currency"),
            ("amount_minor",),
            lambda row: [_deal_alert(clock, names, row)],
            "deal.id",
        ),
    }


def _grouped(store: Store, statement: _Query, keys: Sequence[str], sums: Sequence[str]) -> list[tuple[list[Any], int]]:
    """The statement's rows grouped by ``keys`` in the database: per group a row standing for all of it (its
    keys, ``sums`` added up, any value of the other columns) and how many rows it holds."""
    names = [name for name, _expression in statement.columns]
    columns = [
        f"tallied.{name}"
        if name in keys
        else f"sum(coalesce(tallied.{name}, 0))"
        if name in sums
        else f"min(tallied.{name})"
        for name in names
    ]
    grouped = f"SELECT {', '.join(columns)}, count(*) FROM ({statement.sql(named=True)}) AS tallied"
    if keys:
        grouped += " GROUP BY " + ", ".join(f"tallied.{name}" for name in keys)
    summed = [index for index, name in enumerate(names) if name in sums]
    found = []
    for *row, count in store.rows(grouped, statement.params):
        if count:
            for index in summed:  # PostgreSQL sums a bigint as numeric: back to integer minor units
                row[index] = int(row[index])
            found.append((row, count))
    return found


def _hidden(
    store: Store, kind: AlertKind, spec: _TallySpec, statement: _Query, marks: Mapping[str, Sequence[Any]], today: date
) -> list[Alert]:
    """The kind's alerts a mark hides today, built one by one from the kind's statement."""
    prefix = ID_PREFIX[kind] + ":"
    marked = [int(key[len(prefix) :]) for key in marks if key.startswith(prefix) and key[len(prefix) :].isdigit()]
    if not marked:
        return []
    marks_sql, marked_params = _in("marked", marked)
    hidden = []
    for found in statement.where(f"{spec.id_column} IN {marks_sql}", marked_params).rows(store):
        for alert in spec.build(found):
            mark = marks.get(alert.id)
            if alert.kind == kind and mark is not None and _hides(mark, alert, today):
                hidden.append(alert)
    return hidden


def _sql_tally(
    store: Store, kind: AlertKind, spec: _TallySpec, marks: Mapping[str, Sequence[Any]], today: date
) -> Tally | None:
    """The kind's rows grouped in the database; each group builds one alert from a row standing for all of
    it (its keys, its sums, any value of the other columns), counted as many times as the group has rows.
    Then the kind's marked alerts, built one by one, are taken out when their mark hides them."""
    statement = spec.statement()
    counter: _Counter = {}
    for row, count in _grouped(store, statement, spec.keys, spec.sums):
        for alert in spec.build(row):
            _count_in(counter, alert, count)
    if counter:
        for alert in _hidden(store, kind, spec, statement, marks, today):
            _count_in(counter, alert, -1)
    return _tally_from(kind, counter)


@dataclass(frozen=True, slots=True)
class Summary:
    """A kind's open alerts as the digest shows them, without building them all: how many (in all and per
    severity, the worst first), their money per currency, the first ones in order (as many as asked), and
    for receivables the money per client: (client id, name, currency, money, alerts), the largest first (as
    many as asked, of ``client_count``)."""

    kind: str
    count: int
    severity: str
    totals: tuple[tuple[str, int], ...]
    by_severity: tuple[tuple[str, int], ...]
    first: tuple[Alert, ...]
    clients: tuple[tuple[int | None, str | None, str, int, int], ...]  # the first ones (as many as asked)
    client_count: int = 0  # how many clients ``clients`` is the first of


# The kinds the digest sums up (alerts_and_summaries) from groups of rows: their group keys decide an alert's
# severity, day and moment, so the first alerts in order come from the first groups (kinds whose alerts differ
# in their moment, like called-first, are summed up in the order of their moments: DIGEST_BY_MOMENT).
DIGEST_GROUPED = frozenset(
    {
        AlertKind.RECEIVABLE,
        AlertKind.CONTRACT,
        AlertKind.NOTICE,
        AlertKind.BIRTHDAY,
        AlertKind.DEAL,
        AlertKind.OVERDUE_TASK,
        AlertKind.TASK_TODAY,
    }
)
# The kinds whose alerts each stand on a moment of their own (:class:`_MomentSpec`: 11,000 of the 16,000 alerts
# the digest still built one by one at ten times the large demo), summed up by :func:`_moment_summary`.
DIGEST_BY_MOMENT = frozenset(
    {
        AlertKind.AGENDA,
        AlertKind.MISSED,
        AlertKind.NO_REPORT,
        AlertKind.UNANSWERED,
        AlertKind.CALLED_FIRST,
        AlertKind.CHECK_IN,
    }
)
DIGEST_SUMMARIZED = DIGEST_GROUPED | DIGEST_BY_MOMENT


def _group_rows(
    rows: Sequence[tuple[Any, ...]], keys: Sequence[int], summed: Sequence[int]
) -> list[tuple[list[Any], list[tuple[Any, ...]]]]:
    """``rows`` grouped by the columns ``keys`` (indexes), in the order each group first appears: per group a
    row standing for all of it (its first row, the columns ``summed`` added up, None as 0) and its rows."""
    keyed = itemgetter(*keys) if keys else (lambda row: ())
    grouped: dict[Any, list[tuple[Any, ...]]] = {}
    for row in rows:  # the one loop over every row: a key and an append, no more
        key = keyed(row)
        members = grouped.get(key)
        if members is None:
            grouped[key] = [row]
        else:
            members.append(row)
    found = []
    for members in grouped.values():
        standing = list(members[0])
        for index in summed:
            standing[index] = sum(filter(None, map(itemgetter(index), members)))
        found.append((standing, members))
    return found


def _summary(
    store: Store, kind: AlertKind, spec: _TallySpec, marks: Mapping[str, Sequence[Any]], today: date, limit: int
) -> Summary | None:
    """The kind's tally (what :func:`_sql_tally` counts), its first ``limit`` alerts and its money per client.

    The rows are grouped by the keys the severity and day stand on; each group builds one alert standing for
    all of it, as in the database's tally. The groups are put in the alerts' order; the rows of the first
    groups holding ``limit`` alerts (plus as many as marks hide, and every group tied with the last) are
    built, and the first ``limit`` of those not hidden are kept. A kind without money per client is grouped in
    the database and only those first groups' rows are read (3,600 ending contracts at ten times the large
    demo, 150 groups); the receivables' rows are read once and grouped here, as their money per client needs
    every row (14,000: cheaper than grouping them twice in the database)."""
    statement = spec.statement()
    # Per group: the alerts' order, a row standing for it, how many rows it holds, its rows (None: unread).
    groups: list[tuple[tuple[Any, ...], Sequence[Any], int, list[tuple[Any, ...]] | None]] = []
    counter: _Counter = {}
    rows: list[tuple[Any, ...]] = []
    if spec.per_client is None:
        found: list[tuple[Sequence[Any], int, list[tuple[Any, ...]] | None]] = [
            (standing, count, None) for standing, count in _grouped(store, statement, spec.keys, spec.sums)
        ]
    else:
        rows = statement.rows(store)
        names = [name for name, _expression in statement.columns]
        summed = [names.index(name) for name in spec.sums]
        found = [
            (standing, len(members), members)
            for standing, members in _group_rows(rows, [names.index(key) for key in spec.keys], summed)
        ]
    if not found:
        return None
    for standing, count, members in found:
        for alert in spec.build(standing):
            _count_in(counter, alert, count)
            groups.append((alert.sort_key()[:3], standing, count, members))
    hidden = _hidden(store, kind, spec, statement, marks, today)
    for alert in hidden:
        _count_in(counter, alert, -1)
    tally = _tally_from(kind, counter)
    if tally is None:
        return None
    groups.sort(key=itemgetter(0))
    needed, reach = limit + len(hidden), 0
    chosen: list[tuple[tuple[Any, ...], Sequence[Any], int, list[tuple[Any, ...]] | None]] = []
    for group in groups:
        if reach >= needed and group[0] != chosen[-1][0]:
            break
        chosen.append(group)
        reach += group[2]
    if spec.per_client is None:
        shown = _rows_of_groups(store, statement, spec.keys, [standing for _order, standing, _count, _rows in chosen])
    else:
        shown = [row for _order, _standing, _count, members in chosen for row in members or ()]
    hidden_ids = {alert.id for alert in hidden}
    first = [alert for row in shown for alert in spec.build(row) if alert.kind == kind and alert.id not in hidden_ids]
    first.sort(key=Alert.sort_key)
    by_severity: dict[str, int] = {}
    for (severity, _currency), (count, _money) in counter.items():
        if count > 0:
            by_severity[severity] = by_severity.get(severity, 0) + count
    clients: tuple[tuple[int | None, str | None, str, int, int], ...] = ()
    client_count = 0
    if spec.per_client is not None:
        clients, client_count = _client_money(rows, spec.per_client, hidden, limit)
    return Summary(
        kind=kind,
        count=tally.count,
        severity=tally.severity,
        totals=tally.totals,
        by_severity=tuple(sorted(by_severity.items(), key=lambda item: _SEVERITY_RANK.get(item[0], 9))),  # type: ignore[call-overload]
        first=tuple(first[:limit]),
        clients=clients,
        client_count=client_count,
    )


def _rows_of_groups(
    store: Store, statement: _Query, keys: Sequence[str], groups: Sequence[Sequence[Any]]
) -> list[tuple[Any, ...]]:
    """The statement's rows in the ``groups`` (a row standing for each, as :func:`_grouped` gives) by ``keys``."""
    if not keys:
        return statement.rows(store)
    names = [name for name, _expression in statement.columns]
    expressions = dict(statement.columns)
    either, params = [], {}
    for index, standing in enumerate(groups):
        each = []
        for key in keys:
            value = standing[names.index(key)]
            if value is None:
                each.append(f"{expressions[key]} IS NULL")
            else:
                params[f"group{index}_{key}"] = value
                each.append(f"{expressions[key]} = :group{index}_{key}")
        either.append(f"({' AND '.join(each)})")
    return statement.where(f"({' OR '.join(either)})", params).rows(store)


def _client_money(
    rows: Sequence[Sequence[Any]],
    money: Callable[[Sequence[Any]], tuple[int, str | None, str, int]],
    hidden: Sequence[Alert],
    limit: int,
) -> tuple[tuple[tuple[int | None, str | None, str, int, int], ...], int]:
    """The money per client and currency of a kind's rows (``money``: the kind's own row -> client, name,
    currency, amount), the hidden alerts taken out: the first ``limit`` in the order the digest lists the
    clients with overdue invoices (the largest first, then by name), and how many there are in all."""
    sums: dict[tuple[int | None, str | None, str], list[int]] = {}
    for row in rows:
        client_id, name, currency, amount = money(row)
        entry = sums.get((client_id, name, currency))
        if entry is None:
            sums[(client_id, name, currency)] = [amount, 1]
        else:
            entry[0] += amount
            entry[1] += 1
    for alert in hidden:
        found = sums.get((alert.client_id, alert.client_name, alert.currency or ""))
        if found is not None and alert.amount_minor is not None:
            found[0] -= alert.amount_minor
            found[1] -= 1
    listed = [
        (cid, name, currency, amount, count) for (cid, name, currency), (amount, count) in sums.items() if count > 0
    ]
    # Only the first ones are shown (8,700 clients owe at ten times the large demo): no sort of them all.
    return tuple(heapq.nsmallest(limit, listed, key=client_order)), len(listed)


class _MomentSpec(NamedTuple):
    """A kind whose alert stands on one moment per row (the interaction planned or done, the check-in), its day
    that moment's local day, and whose severity never gets less urgent for an earlier moment (the past is late):
    its alerts' order is then its rows' order by moment (ties by id), and along it their severities only
    step down, so each severity's rows are one stretch, found by bisection with the kind's own code."""

    rows: Callable[[Store], list[tuple[Any, ...]]]  # the kind's own select, as its alerts are built from
    moment: int  # the column of that moment (the alert's ``at``) in a row
    build: Callable[[Sequence[Any]], Alert | None]  # the kind's own row-to-alert code
    id_column: int  # where a row holds what the alert id names, to build the marked ones


def _moment_specs(
    store: Store, clock: _Clock, names: Mapping[int, str], called_first_days: int
) -> dict[AlertKind, _MomentSpec]:
    """The kinds of :data:`DIGEST_BY_MOMENT`, each with its own select and row-to-alert code (those the engine
    builds every alert with)."""
    people: dict[int, list[str]] = {}
    read: list[bool] = []

    def agenda_alert(row: Sequence[Any]) -> Alert | None:
        if not read:  # the agenda's attendees, for its sentences: read when the first one is built
            people.update(_agenda_people(store, clock))
            read.append(True)
        return _planned_alert(clock, names, people, row)

    specs = {
        AlertKind.AGENDA: _MomentSpec(lambda on: _planned_rows(on, clock, (AlertKind.AGENDA,)), 4, agenda_alert, 0),
        # No attendees: the agenda's are today's planned interactions, a missed one was planned before today.
        AlertKind.MISSED: _MomentSpec(
            lambda on: _planned_rows(on, clock, (AlertKind.MISSED,)),
            4,
            partial(_planned_alert, clock, names, {}),
            0,
        ),
        AlertKind.CHECK_IN: _MomentSpec(lambda on: _check_in_rows(on, clock), 6, partial(_check_in_alert, clock), 0),
    }
    for kind, check in _interaction_checks(clock, called_first_days).items():
        specs[kind] = _MomentSpec(
            _interaction_statement(check).rows,
            3,
            partial(_interaction_alert, clock, names, kind, check),
            0,
        )
    return specs


def _stored_order(column: int) -> Callable[[Sequence[Any]], Any]:
    """A row -> its moment at ``column``, as it sorts: stored text (SQLite's, UTC) read as it is, with no time
    zone attached (a third of :func:`_utc`'s cost, on every row of the kind), or the driver's datetime."""
    parse = datetime.fromisoformat

    def order(row: Sequence[Any]) -> Any:
        value = row[column]
        return parse(value) if type(value) is str else value

    return order


def _column_moment(column: int, row: Sequence[Any]) -> datetime:
    return _utc(row[column])


def _moment_summary(
    store: Store, kind: AlertKind, spec: _MomentSpec, marks: Mapping[str, Sequence[Any]], today: date, limit: int
) -> Summary | None:
    """What :func:`_summary` gives for a kind of :data:`DIGEST_BY_MOMENT`, building only a few of its alerts: its
    rows put in order by moment, the count of each severity from where the kind's code says the severity steps
    down (bisection), the marked alerts built and taken out, and the first ``limit`` built from the first rows."""

    def built(row: Sequence[Any]) -> Alert:
        alert = spec.build(row)
        assert alert is not None and alert.kind == kind, "a row of the kind builds an alert of the kind"
        return alert

    rows = spec.rows(store)
    if not rows:
        return None
    moment = _stored_order(spec.moment)
    try:
        ordered = sorted(rows, key=moment)
    except TypeError:  # stored moments with and without an offset: each as a UTC moment
        moment = partial(_column_moment, spec.moment)
        ordered = sorted(rows, key=moment)
    prefix = ID_PREFIX[kind] + ":"
    marked = {int(key[len(prefix) :]) for key in marks if key.startswith(prefix) and key[len(prefix) :].isdigit()}
    hidden = []
    for row in ordered if marked else ():
        if row[spec.id_column] in marked:
            alert = built(row)
            if _hides(marks[alert.id], alert, today):
                hidden.append(alert)

    def rank(index: int) -> int:
        return _SEVERITY_RANK[built(ordered[index]).severity]  # type: ignore[index]

    counter: _Counter = {}
    start, end = 0, len(ordered)
    while start < end:
        leading = built(ordered[start])
        stretch = bisect_right(range(end), rank(start), lo=start, key=rank) - start
        _count_in(counter, leading, stretch)
        start += stretch
    for alert in hidden:
        _count_in(counter, alert, -1)
    tally = _tally_from(kind, counter)
    if tally is None:
        return None
    # The first rows by moment, as many as shown and hidden, and every row tied with the last in moment.
    reach = min(limit + len(hidden), len(ordered))
    last = moment(ordered[reach - 1])
    while reach < len(ordered) and moment(ordered[reach]) == last:
        reach += 1
    hidden_ids = {alert.id for alert in hidden}
    first = [alert for alert in map(built, ordered[:reach]) if alert.id not in hidden_ids]
    first.sort(key=Alert.sort_key)
    return Summary(
        kind=kind,
        count=tally.count,
        severity=tally.severity,
        totals=tally.totals,
        by_severity=tuple(
            sorted(
                ((severity, count) for (severity, _currency), (count, _money) in counter.items() if count > 0),
                key=lambda item: _SEVERITY_RANK.get(item[0], 9),  # type: ignore[call-overload]
            )
        ),
        first=tuple(first[:limit]),
        clients=(),
    )


def client_order(row: tuple[int | None, str | None, str, int, int]) -> tuple[int, str, str, int]:
    """The order of the clients owing money (client id, name, currency, money, alerts): the largest debt
    first, then by name, currency and id."""
    cid, name, currency, money, _count = row
    return (-money, name or "", currency, cid or 0)


def _hides(mark: Sequence[Any], alert: Alert, today: date) -> bool:
    """Whether the stored mark (alert id, state, snoozed until, fingerprint) hides the alert today."""
    _id, state, until, marked_fingerprint = mark
    if marked_fingerprint != alert.fingerprint:
        return False
    until = _as_date(until)
    return state == AlertState.DISMISSED or (state == AlertState.SNOOZED and until is not None and today < until)


def _apply_marks(
    marks: Mapping[str, Sequence[Any]], alerts: list[Alert], today: date, *, include_marked: bool
) -> list[Alert]:
    if not marks:
        return alerts
    kept = []
    for alert in alerts:
        mark = marks.get(alert.id)
        if mark is None or not _hides(mark, alert, today):
            kept.append(alert)
        elif include_marked:
            kept.append(alert._replace(mark=mark[1], snoozed_until=_as_date(mark[2])))
    return kept


# --- snooze and dismiss ----------------------------------------------------------------------------------------


def _kinds_for_id(alert_id: str) -> frozenset[AlertKind]:
    prefix = alert_id.split(":", 1)[0]
    return frozenset(kind for kind, kind_prefix in ID_PREFIX.items() if kind_prefix == prefix)


def find_alert(
    *,
    session: Reader,
    alert_id: str,
    now: datetime,
    zone: tzinfo,
    birthday_days: int = 7,
    cadence_by_tier: Mapping[str, int] | None = None,
    complaint_stale_days: int = COMPLAINT_STALE_DAYS,
) -> Alert:
    """The current alert with this id (marked or not), or NotFoundError."""
    key = alert_id.strip()
    kinds = _kinds_for_id(key)
    if kinds:
        for alert in compute_alerts(
            session=session,
            now=now,
            zone=zone,
            birthday_days=birthday_days,
            cadence_by_tier=cadence_by_tier,
            complaint_stale_days=complaint_stale_days,
            include_marked=True,
            kinds=kinds,
        ):
            if alert.id == key:
                return alert
    raise NotFoundError(
        _("no current alert with id {key} (ids look like invoice:42 or task:7; list them with: amtui alerts)").format(
            key=repr(key)
        )
    )


def _mark(session: Session, alert: Alert, state: AlertState, until: date | None, now: datetime) -> Alert:
    from sqlalchemy import insert, update

    from amtui.services.core_views import _alert_mark

    m = _alert_mark.c
    values = {
        "state": state.value,
        "snoozed_until": until,
        "fingerprint": alert.fingerprint,
        "updated_at": now.astimezone(UTC),
    }
    updated = session.execute(update(_alert_mark).where(m.alert_id == alert.id).values(values))
    if not getattr(updated, "rowcount", 0):
        session.execute(insert(_alert_mark).values({"alert_id": alert.id, **values}))
    return alert._replace(mark=state.value, snoozed_until=until)


def snooze_alert(
    *,
    session: Session,
    alert_id: str,
    until: date,
    now: datetime,
    zone: tzinfo,
    birthday_days: int = 7,
    cadence_by_tier: Mapping[str, int] | None = None,
    complaint_stale_days: int = COMPLAINT_STALE_DAYS,
) -> Alert:
    """Hide the alert until ``until`` (it shows again on that day), unless its facts change first."""
    today = now.astimezone(zone).date()
    if until <= today:
        raise ValidationError(_("snooze until a later day than today ({today})").format(today=_d(today)), field="until")
    alert = find_alert(
        session=session,
        alert_id=alert_id,
        now=now,
        zone=zone,
        birthday_days=birthday_days,
        cadence_by_tier=cadence_by_tier,
        complaint_stale_days=complaint_stale_days,
    )
    return _mark(session, alert, AlertState.SNOOZED, until, now)


def dismiss_alert(
    *,
    session: Session,
    alert_id: str,
    now: datetime,
    zone: tzinfo,
    birthday_days: int = 7,
    cadence_by_tier: Mapping[str, int] | None = None,
    complaint_stale_days: int = COMPLAINT_STALE_DAYS,
) -> Alert:
    """Hide the alert for good, unless its facts change (then it is a new situation and comes back)."""
    alert = find_alert(
        session=session,
        alert_id=alert_id,
        now=now,
        zone=zone,
        birthday_days=birthday_days,
        cadence_by_tier=cadence_by_tier,
        complaint_stale_days=complaint_stale_days,
    )
    return _mark(session, alert, AlertState.DISMISSED, None, now)


def restore_alert(*, session: Session, alert_id: str) -> bool:
    """Undo a snooze or dismissal; False when the alert was not marked."""
    from sqlalchemy import delete

    from amtui.services.core_views import _alert_mark

    deleted = session.execute(delete(_alert_mark).where(_alert_mark.c.alert_id == alert_id.strip()))
    return bool(getattr(deleted, "rowcount", 0))
