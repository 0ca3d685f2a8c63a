"""UI-side glue between the TUI and the services: one engine, one session per unit of work.

Everything here runs in thread workers. The engine is opened on first use (not at
import time) so the first frame never waits for SQLModel; screens receive plain
read objects. Domain rules stay in ``amtui.services``; this module only gathers
what a screen shows in one unit of work.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from time import monotonic
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from amtui.services.schemas import (
        ClientCard,
        ClientSummary,
        InteractionRead,
        ReportRead,
        TaskRead,
    )

T = TypeVar("T")

# Birthdays shown on Today: this many days ahead, today included.
BIRTHDAY_WINDOW_DAYS = 7
# Alert kinds Today lists under "Late".
# How long Today's read of the portfolio serves the Clients screen too.
PORTFOLIO_FRESH_S = 30.0
LATE_KINDS = ("missed", "unanswered", "overdue_task", "check_in", "no_report", "called_first")


@dataclass(frozen=True, slots=True)
class BirthdayLine:
    contact_id: int
    client_id: int | None
    client_name: str | None
    full_name: str
    day: date


@dataclass(frozen=True, slots=True)
class LateLine:
    kind: str  # an alert kind from LATE_KINDS
    text: str
    client_id: int | None
    target_id: int  # the interaction or task the line is about (0: none)
    day: date | None


@dataclass(frozen=True, slots=True)
class AlertLine:
    """An alert as the TUI shows it (the engine's Alert reduced to what the screens need)."""

    id: str
    kind: str
    severity: str
    day: date | None
    client_id: int | None
    client_name: str | None
    text: str
    contact_id: int | None = None
    contact_name: str | None = None
    interaction_id: int | None = None
    task_id: int | None = None


@dataclass(frozen=True, slots=True)
class TodayData:
    today: date
    agenda: tuple[InteractionRead, ...]
    late: tuple[LateLine, ...]
    birthdays: tuple[BirthdayLine, ...]
    overdue_clients: tuple[ClientSummary, ...]
    receivables: tuple[tuple[str, int, int], ...]  # (currency, owed, overdue): never summed across currencies
    currency: str
    sales_minor: int
    target_minor: int | None
    sales_by_month: tuple[int, ...]
    alerts: tuple[AlertLine, ...] = field(default=())
    # False while only the quick part (agenda, sales) is loaded: the other sections show "Loading…".
    complete: bool = True


@dataclass(frozen=True, slots=True)
class CardData:
    card: ClientCard
    reports: tuple[ReportRead, ...]
    today: date


class Backend:
    """The TUI's access to the store: a lazily opened engine plus a frozen-able clock."""

    def __init__(self, db_url: str, *, now: Callable[[], datetime], zone: tzinfo | None = None) -> None:
        self.db_url = db_url
        self._now = now
        self._zone = zone
        self._engine: Engine | None = None
        self._lock = threading.Lock()
        # Bumped by every successful write: screens reload on resume only when it moved.
        self.version = 0
        self._portfolio: tuple[tuple[int, date], float, tuple[ClientSummary, ...]] | None = None

    # Clock and engine

    def now(self) -> datetime:
        return self._now()

    @property
    def zone(self) -> tzinfo:
        if self._zone is None:
            from amtui.config import local_zone

            self._zone = local_zone()
        return self._zone

    def today(self) -> date:
        return self.now().astimezone(self.zone).date()

    @property
    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                from amtui.db import open_engine

                self._engine = open_engine(self.db_url)
            return self._engine

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None

    @contextmanager
    def unit(self) -> Iterator[Session]:
        from amtui.db import session_scope

        with session_scope(self.engine) as session:
            yield session

    def run(self, job: Callable[[Session], T]) -> T:
        """Run ``job(session)`` as one unit of work (committed on success): the writes go through here."""
        with self.unit() as session:
            result = job(session)
        self.version += 1
        return result

    # Reads

    def today_data(self) -> TodayData:
        return self.today_rest(self.today_first())

    def today_first(self) -> TodayData:
        """The quick part of Today (agenda, sales against target): shown while the rest loads."""
        from amtui.services import records
        from amtui.services.interactions import list_in_range

        zone, today = self.zone, self.today()
        start = datetime.combine(today, time(0), tzinfo=zone).astimezone(UTC)
        with self.unit() as session:
            day_items = list_in_range(session=session, start=start, end=start + timedelta(days=1))
            targets = {t.period: t for t in records.list_targets(session=session)}
            month = records.month_start(today)
            months = [_month_back(month, back) for back in range(5, -1, -1)]
            sales = tuple(records.sales_in_month(session=session, period=m) for m in months)
        target = targets.get(month)
        return TodayData(
            today=today,
            agenda=tuple(item for item in day_items if item.status in ("planned", "done")),
            late=(),
            birthdays=(),
            overdue_clients=(),
            receivables=(),
            currency=target.currency if target else "RUB",
            sales_minor=sales[-1],
            target_minor=target.amount_minor if target else None,
            sales_by_month=sales,
            complete=False,
        )

    def today_rest(self, first: TodayData) -> TodayData:
        """The slow part of Today (the alert engine, the portfolio) added to the quick part."""
        today = first.today
        with self.unit() as session:
            alerts = tuple(self._alerts(session))
        portfolio = self.client_list()
        # What is late and whose birthday comes are the alert engine's findings, shown here by theme.
        late = tuple(
            LateLine(alert.kind, alert.text, alert.client_id, alert.interaction_id or alert.task_id or 0, alert.day)
            for alert in alerts
            if alert.kind in LATE_KINDS
        )
        birthdays = tuple(
            BirthdayLine(alert.contact_id or 0, alert.client_id, alert.client_name, alert.contact_name or "", alert.day)
            for alert in alerts
            if alert.kind == "birthday" and alert.day is not None
        )
        overdue_clients = tuple(
            sorted(
                (c for c in portfolio if c.status != "lost" and c.next_contact_due and c.next_contact_due < today),
                key=lambda c: (c.next_contact_due or today, c.name),
            )
        )
        return replace(
            first,
            late=late,
            birthdays=birthdays,
            overdue_clients=overdue_clients,
            receivables=_by_currency(portfolio),
            alerts=alerts,
            complete=True,
        )

    def client_list(self) -> list[ClientSummary]:
        """The portfolio; Today and Clients share one read until something is written or the day changes."""
        from amtui.services.clients import list_clients

        key = (self.version, self.today())
        cached = self._portfolio
        # Another program (the CLI, an import) may write too: a shared read is short-lived.
        if cached is not None and cached[0] == key and monotonic() - cached[1] < PORTFOLIO_FRESH_S:
            return list(cached[2])
        with self.unit() as session:
            portfolio = list_clients(session=session, today=key[1], zone=self.zone)
        self._portfolio = (key, monotonic(), tuple(portfolio))
        return portfolio

    def card(self, client_id: int) -> CardData:
        from amtui.services.cards import client_card
        from amtui.services.reports import list_reports

        with self.unit() as session:
            card = client_card(session=session, client_id=client_id, today=self.today(), zone=self.zone)
            reports = tuple(list_reports(session=session, client_id=client_id, limit=10))
        return CardData(card=card, reports=reports, today=self.today())

    def week(self, monday: date) -> list[InteractionRead]:
        from amtui.services.interactions import list_in_range

        start = datetime.combine(monday, time(0), tzinfo=self.zone).astimezone(UTC)
        with self.unit() as session:
            return list_in_range(session=session, start=start, end=start + timedelta(days=7))

    def task_list(self) -> list[TaskRead]:
        from amtui.services.tasks import list_tasks

        with self.unit() as session:
            return list_tasks(session=session)

    def alerts(self) -> list[AlertLine]:
        with self.unit() as session:
            return self._alerts(session)

    def _alerts(self, session: Session) -> list[AlertLine]:
        try:
            from amtui.services import alerts as engine
        except ImportError:
            return []
        found = engine.compute_alerts(session=session, now=self.now(), zone=self.zone)
        return [
            AlertLine(
                id=str(alert.id),
                kind=str(alert.kind),
                severity=str(getattr(alert, "severity", "")),
                day=_as_date(getattr(alert, "date", None)),
                client_id=getattr(alert, "client_id", None),
                client_name=getattr(alert, "client_name", None),
                text=str(alert.text),
                contact_id=getattr(alert, "contact_id", None),
                contact_name=getattr(alert, "contact_name", None),
                interaction_id=getattr(alert, "interaction_id", None),
                task_id=getattr(alert, "task_id", None),
            )
            for alert in found
        ]

    def client_names(self) -> list[tuple[int, str]]:
        from sqlmodel import col, select

        from amtui.models import Client

        with self.unit() as session:
            rows = session.exec(select(col(Client.id), col(Client.name)).order_by(col(Client.name)))
            return [(client_id, name) for client_id, name in rows if client_id is not None]

    def interaction(self, interaction_id: int) -> tuple[InteractionRead, list[Any], ReportRead | None]:
        """An interaction, its client's contacts and its report if written (for the report form)."""
        from amtui.services.contacts import list_contacts
        from amtui.services.interactions import get_interaction
        from amtui.services.reports import report_for_interaction

        with self.unit() as session:
            item = get_interaction(session=session, interaction_id=interaction_id)
            people = list_contacts(session=session, client_id=item.client_id)
            report = report_for_interaction(session=session, interaction_id=interaction_id)
        return item, people, report

    # Writes (each its own unit of work; errors propagate to the screen, which keeps the form)

    def plan(self, **values: Any) -> InteractionRead:
        from amtui.services.interactions import plan_interaction

        return self.run(lambda session: plan_interaction(session=session, **values))

    def log(self, **values: Any) -> InteractionRead:
        from amtui.services.interactions import log_interaction

        return self.run(lambda session: log_interaction(session=session, **values))

    def reschedule(self, interaction_id: int, at: datetime) -> InteractionRead:
        from amtui.services.interactions import reschedule

        return self.run(lambda session: reschedule(session=session, interaction_id=interaction_id, at=at))

    def cancel(self, interaction_id: int) -> InteractionRead:
        from amtui.services.interactions import cancel

        return self.run(lambda session: cancel(session=session, interaction_id=interaction_id))

    def mark_done(self, interaction_id: int) -> InteractionRead:
        from amtui.services.interactions import get_interaction, mark_done

        def job(session: Session) -> InteractionRead:
            item = get_interaction(session=session, interaction_id=interaction_id)
            # A planned meeting is "done" at its planned time unless that is still ahead.
            at = item.planned_at if item.planned_at and item.planned_at <= self.now() else self.now()
            return mark_done(session=session, interaction_id=interaction_id, at=at)

        return self.run(job)

    def save_report(
        self, interaction_id: int, *, steps: list[tuple[str, str | None, date | None]], **values: Any
    ) -> Any:
        from amtui.services.reports import NextStepInput, save_report

        inputs = [NextStepInput(text=text, owner=owner, due_on=due) for text, owner, due in steps]
        return self.run(
            lambda session: save_report(
                session=session,
                interaction_id=interaction_id,
                now=self.now(),
                zone=self.zone,
                next_steps=inputs,
                **values,
            )
        )

    def mark_report_sent(self, report_id: int) -> Any:
        from amtui.services.reports import mark_sent

        return self.run(lambda session: mark_sent(session=session, report_id=report_id, now=self.now()))

    def add_task(self, **values: Any) -> TaskRead:
        from amtui.services.tasks import create_task

        return self.run(lambda session: create_task(session=session, now=self.now(), zone=self.zone, **values))

    def complete_task(self, task_id: int) -> TaskRead:
        from amtui.services.tasks import complete_task

        return self.run(lambda session: complete_task(session=session, task_id=task_id, now=self.now()))

    def reschedule_task(self, task_id: int, due_on: date) -> TaskRead:
        from amtui.services.tasks import reschedule_task

        return self.run(
            lambda session: reschedule_task(
                session=session, task_id=task_id, due_on=due_on, now=self.now(), zone=self.zone
            )
        )

    def cancel_task(self, task_id: int) -> TaskRead:
        from amtui.services.tasks import cancel_task

        return self.run(lambda session: cancel_task(session=session, task_id=task_id, now=self.now()))

    def reopen_task(self, task_id: int) -> TaskRead:
        from amtui.services.tasks import reopen_task

        return self.run(lambda session: reopen_task(session=session, task_id=task_id, now=self.now()))

    def confirm_check_in(self, task_id: int) -> TaskRead:
        from amtui.services.tasks import confirm_check_in

        return self.run(lambda session: confirm_check_in(session=session, task_id=task_id, now=self.now()))

    def add_note(self, client_id: int, text: str, tag: str | None) -> Any:
        from amtui.services.records import add_note

        return self.run(
            lambda session: add_note(session=session, client_id=client_id, text=text, tag=tag, now=self.now())
        )

    def create_client(self, **values: Any) -> Any:
        from amtui.services.clients import create_client

        return self.run(lambda session: create_client(session=session, **values))

    def update_client(self, client_id: int, **changes: Any) -> Any:
        from amtui.services.clients import update_client

        return self.run(lambda session: update_client(session=session, client_id=client_id, **changes))

    def snooze_alert(self, alert_id: str, until: date) -> None:
        from amtui.services import alerts as engine

        self.run(
            lambda session: engine.snooze_alert(
                session=session, alert_id=alert_id, until=until, now=self.now(), zone=self.zone
            )
        )

    def delete_record(self, kind: str, record_id: int) -> str:
        """Delete a person ("contact"), a contract or a deal from the card; returns what to tell the user."""
        from amtui.services import contacts, records

        if kind == "contact":
            person = self.run(lambda session: contacts.delete_contact(session=session, contact_id=record_id))
            return f"Deleted {person.full_name}"
        if kind == "contract":
            contract = self.run(lambda session: records.delete_contract(session=session, contract_id=record_id))
            return f"Deleted contract {contract.number}"
        deal = self.run(lambda session: records.delete_deal(session=session, deal_id=record_id))
        return f"Deleted deal {deal.title}"

    def answer_message(self, interaction_id: int) -> None:
        """The user answered an inbound message: log the reply now and clear its "unanswered" alert."""
        from amtui.services.interactions import answer_message

        self.run(lambda session: answer_message(session=session, interaction_id=interaction_id, at=self.now()))

    def dismiss_alert(self, alert_id: str) -> None:
        from amtui.services import alerts as engine

        self.run(
            lambda session: engine.dismiss_alert(session=session, alert_id=alert_id, now=self.now(), zone=self.zone)
        )


def _by_currency(portfolio: list[ClientSummary]) -> tuple[tuple[str, int, int], ...]:
    totals: dict[str, list[int]] = {}
    for client in portfolio:
        if client.receivables_minor:
            entry = totals.setdefault(client.currency, [0, 0])
            entry[0] += client.receivables_minor
            entry[1] += client.overdue_minor
    # The largest first: in practice the home currency.
    return tuple(sorted(((c, o, d) for c, (o, d) in totals.items()), key=lambda item: -item[1]))


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def _month_back(month: date, back: int) -> date:
    index = month.year * 12 + month.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)
