"""The workspace: every use case the front ends need, in one UI-free place.

The CLI commands and the TUI screens both build a :class:`Workspace` (a database,
a clock, the settings) and call one method per use case; each method is one unit
of work (one session or one read-only connection) and returns plain read objects
(frozen dataclasses, or the alert engine's immutable ``Alert`` tuples), never ORM
objects. The day's rules (what "late" means, the birthday window, who is overdue
for contact) live here and in the alert engine, nowhere else: both front ends show
the same :class:`TodayView`.

Importing this module imports neither SQLModel nor SQLAlchemy (the TUI's first
frame and ``amtui --help`` rely on that): every method imports what it needs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from time import monotonic
from typing import TYPE_CHECKING, Any, TypeVar

from amtui import vocabulary
from amtui.i18n import _
from amtui.vocabulary import AlertKind

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlmodel import Session

    from amtui.config import Settings
    from amtui.services.alerts import Alert, Tally
    from amtui.services.colleagues import ColleagueRead
    from amtui.services.digest import Digest
    from amtui.services.moves import Moved
    from amtui.services.portfolio import AbcRow, PortfolioMoney, PortfolioView
    from amtui.services.schemas import (
        ClientCard,
        ClientRead,
        ClientSummary,
        ComplaintRead,
        ContactRead,
        ContractRead,
        DealRead,
        InteractionRead,
        InvoiceRead,
        NoteRead,
        ReportRead,
        TaskRead,
    )
    from amtui.services.search import SearchHit
    from amtui.services.undo import Removed
    from amtui.services.workweek import WorkWeek

T = TypeVar("T")

# Today's sections come from each alert kind's row in amtui.vocabulary.ALERT_KINDS: "Late" (a contract
# notice only from a week before its deadline on), the backlog summed up in one line per kind, and the
# agenda (planned today, tasks due today, today's birthdays; later birthdays are "coming").
LATE_KINDS = vocabulary.LATE_KINDS
NOTICE_LATE_WITHIN_DAYS = vocabulary.NOTICE_LATE_DAYS
SUMMARISED_KINDS = vocabulary.BACKLOG_KINDS
# The backlog kinds Today only counts: silence is also listed ("Clients overdue for contact").
TALLIED_KINDS = tuple(kind for kind in SUMMARISED_KINDS if kind != AlertKind.SILENCE)
AGENDA_KINDS = vocabulary.AGENDA_KINDS
# Today's reads run side by side, per database kind, from this many interactions on (their last id). PostgreSQL
# runs the SQL in its server and hands each result over whole, so the reads overlap. SQLite is not listed: its SQL
# runs in our own process and sqlite3 drops and retakes the interpreter lock for every row, so two reading
# threads mostly wait for each other. Measured on a quiet machine at ten times the large demo (bench_scale.py):
# Today 524 ms in one thread against 590 side by side, the TUI's quick part at 95 against 389 ms, the engine
# 9,600 context switches a run and +50 % CPU; slower at 1x and 3x too.
SIDE_BY_SIDE_FROM: dict[str, int] = {"postgresql": 500_000}
# How long one read of the portfolio serves the Clients screen (another program may write).
PORTFOLIO_FRESH_S = 30.0


@dataclass(frozen=True, slots=True)
class BacklogLine:
    """One line of Today's "Also open": a kind of alert summed up (``8 overdue invoices, 750 600,50 GBP``)."""

    kind: str
    title: str
    count: int
    summary: str


@dataclass(frozen=True, slots=True)
class TodayView:
    """What the day holds, the same for ``amtui today`` and the TUI's Today screen."""

    today: date
    agenda: tuple[Alert, ...]  # planned today (also those whose time has passed), tasks due today, birthdays today
    late: tuple[Alert, ...]  # LATE_KINDS, most urgent first
    coming: tuple[Alert, ...]  # birthdays ahead, within the settings' window
    overdue_clients: tuple[Alert, ...]  # the alerts of kind silence (never-contacted clients included)
    backlog: tuple[BacklogLine, ...]
    receivables: tuple[tuple[str, int, int], ...]  # (currency, owed, overdue): never summed across currencies
    currency: str
    sales_minor: int
    target_minor: int | None
    sales_by_month: tuple[int, ...]
    # How many alerts are open in all (the backlog's counted, not built: see alerts_and_tallies).
    alert_count: int = 0
    # False while only the quick part (agenda, sales) is loaded: the other sections are still to come.
    complete: bool = True
    # This month's sales in the other currencies: (currency, invoiced, target), never added to the above.
    other_sales: tuple[tuple[str, int, int | None], ...] = field(default=())
    # How many clients the database holds (None: not counted, without figures): 0 says how to start.
    clients: int | None = None

    def section_ids(self) -> dict[str, list[str]]:
        """The alert ids of each section (what parity tests compare)."""
        return {
            "today": [a.id for a in self.agenda],
            "late": [a.id for a in self.late],
            "coming": [a.id for a in self.coming],
            "overdue_clients": [a.id for a in self.overdue_clients],
        }


@dataclass(frozen=True, slots=True)
class _TodayMoney:
    """Today's sales figures: six months in the home currency (the last is this month), this month's target
    in it, and this month's sales and targets in the other currencies."""

    sales: tuple[int, ...]
    target_minor: int | None
    others: tuple[tuple[str, int, int | None], ...]


@dataclass(frozen=True, slots=True)
class CardView:
    card: ClientCard
    reports: tuple[ReportRead, ...]
    today: date


@dataclass(frozen=True, slots=True)
class InteractionView:
    """An interaction, its client's people and its report if written (what the report form needs)."""

    interaction: InteractionRead
    people: tuple[ContactRead, ...]
    report: ReportRead | None


@dataclass(frozen=True)
class AfterCall:
    """What one after-call form stored: the touch, whether it closed a planned one, the next step."""

    interaction: InteractionRead
    closed: bool
    task: TaskRead | None = None
    follow_up: InteractionRead | None = None

    @property
    def text(self) -> str:
        item = self.interaction
        said = f"{'Closed planned' if self.closed else 'Logged'} {item.kind} with {item.client_name}"
        if self.task is not None:
            said += f"; task: {self.task.title}"
        if self.follow_up is not None and self.follow_up.planned_at is not None:
            said += f"; next {self.follow_up.kind} planned"
        return said


def split_today(
    alerts: Sequence[Alert], *, today: date, now: datetime, zone: tzinfo, tallies: Mapping[str, Tally] | None = None
) -> dict[str, Any]:
    """Today's sections from the alert list: the one place that decides what goes where. ``tallies``: the
    backlog kinds counted without their alerts (``alerts_and_tallies``); the backlog's alerts in ``alerts``
    are summed up the same way."""
    from amtui.services.alerts import Tally
    from amtui.services.digest import GROUP_TITLES, backlog_order, count_summary

    # A check-in later today is on the day's agenda; once its time has passed it is late.
    agenda = sorted(
        (
            a
            for a in alerts
            if (a.kind in AGENDA_KINDS and (a.kind != AlertKind.BIRTHDAY or a.days == 0)) or a.is_later_today(now)
        ),
        key=lambda a: (a.at is None, a.at or now, a.id),
    )
    coming = [a for a in alerts if a.kind == AlertKind.BIRTHDAY and a.days > 0]
    late = [
        a
        for a in alerts
        if a.kind in LATE_KINDS
        and (a.kind != AlertKind.NOTICE or a.days <= NOTICE_LATE_WITHIN_DAYS)
        and not a.is_later_today(now)
    ]
    silence = [a for a in alerts if a.kind == AlertKind.SILENCE]
    # Only counts and money totals are shown: one Tally per kind, from the database's counts or the alerts.
    counted = dict(tallies or {})
    by_kind: dict[str, list[Alert]] = {}
    for a in alerts:
        if a.kind in SUMMARISED_KINDS and a.kind not in counted:
            by_kind.setdefault(a.kind, []).append(a)
    counted.update({kind: Tally.of(kind, items) for kind, items in by_kind.items()})
    lines = tuple(
        BacklogLine(t.kind, GROUP_TITLES[t.kind][0], t.count, count_summary(t.kind, t.count, t.totals))  # type: ignore[index]
        for t in sorted(counted.values(), key=lambda t: backlog_order(t.kind, t.severity))
    )
    return {
        "agenda": tuple(agenda),
        "late": tuple(late),
        "coming": tuple(coming),
        "overdue_clients": tuple(silence),
        "backlog": lines,
    }


class Workspace:
    """The use cases on one database, a clock and the settings.

    ``engine`` or ``db_url`` (the engine is then opened on first use, in whatever thread
    needs it first); ``now`` returns the current aware moment; ``zone`` and ``settings``
    default to the user's. Thread-safe for the TUI's workers: each call opens its own
    session.
    """

    def __init__(
        self,
        db_url: str | None = None,
        *,
        engine: Engine | None = None,
        now: Callable[[], datetime] | None = None,
        zone: tzinfo | None = None,
        settings: Settings | None = None,
        engine_source: Callable[[], Engine] | None = None,
        quick_writes: bool = False,
        quick_reads: bool = False,
    ) -> None:
        if db_url is None and engine is None:
            raise ValueError("a Workspace needs a db_url or an engine")
        self.db_url = db_url
        self._engine = engine
        # Who opens the engine when it is first needed (the command line's, which knows whether a
        # missing file may be created); None: this workspace opens and owns it.
        self._engine_source = engine_source
        self._owns_engine = engine is None and engine_source is None
        # Logging a touch and adding a task on a SQLite file at the current schema go through a plain
        # sqlite3 connection while no engine is open (the command line's quick commands).
        self._quick_writes = quick_writes
        # The alert engine reads on a plain sqlite3 connection too while no engine is open (``amtui digest``,
        # ``amtui alerts``): no SQLAlchemy import unless a repeating series must move on first.
        self._quick_reads = quick_reads
        self._now = now or _system_now
        self._zone = zone
        self._settings = settings
        self._week: WorkWeek | None = None
        self._lock = threading.Lock()
        # Bumped by every successful write: screens reload on resume only when it moved.
        self.version = 0
        # Watching for other programs' writes (``data_changed``): one connection kept for it.
        self._watch_lock = threading.Lock()
        self._watch: Any = None
        self._seen_stamp: Any = None
        self._portfolio: tuple[tuple[int, date], float, tuple[ClientSummary, ...]] | None = None
        self._side_by_side_ok: bool | None = None

    # Clock, settings, engine

    def now(self) -> datetime:
        return self._now()

    @property
    def zone(self) -> tzinfo:
        if self._zone is None:
            from amtui.config import local_zone

            self._zone = local_zone()
        return self._zone

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from amtui.config import load_settings

            self._settings = load_settings()
        return self._settings

    @property
    def work_week(self) -> WorkWeek:
        """The working week check-ins and default times fall in (``[work]`` in the config)."""
        if self._week is None:
            from amtui.config import work_week

            self._week = work_week()
        return self._week

    def today(self) -> date:
        return self.now().astimezone(self.zone).date()

    @property
    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                if self._engine_source is not None:
                    self._engine = self._engine_source()
                else:
                    from amtui.db import open_engine

                    assert self.db_url is not None
                    self._engine = open_engine(self.db_url)
            return self._engine

    def close(self) -> None:
        with self._watch_lock:
            if self._watch is not None:
                self._watch.close()
                self._watch = None
        with self._lock:
            if self._engine is not None and self._owns_engine:
                self._engine.dispose()
                self._engine = None

    @contextmanager
    def _session(self) -> Iterator[Session]:
        from amtui.db import session_scope

        with session_scope(self.engine) as session:
            yield session

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        from amtui.db import read_scope

        with read_scope(self.engine) as connection:
            yield connection

    @contextmanager
    def _alert_reading(self, *, advanced: bool) -> Iterator[Any]:
        """Where the alert engine reads, once the repeating series have moved on (:meth:`advance_series`;
        ``advanced``: the caller moved them on already): a plain sqlite3 connection when the workspace makes
        quick reads and nothing is due (the usual case: the due check is the same two queries
        :func:`amtui.services.recurrence.advance` asks), else a connection of the engine."""
        if self._quick_reads and self._engine is None and self.db_url is not None:
            from amtui.db import quick_connection

            connection = quick_connection(self.db_url)
            if connection is not None:
                from amtui.services.recurrence import due_series

                try:
                    if advanced or not any(due_series(connection, now=self.now(), zone=self.zone)):
                        yield connection
                        return
                finally:
                    connection.rollback()
                    connection.close()
        if not advanced:
            self.advance_series()
        with self._reading() as connection:
            yield connection

    def advance_series(self) -> int:
        """Make the next occurrence of repeating calls/tasks whose latest one is done or past (lazily, before
        a read that shows them: alerts, the agenda, the planner, the task list); returns how many."""
        from amtui.services.recurrence import advance_quietly

        with self.engine.connect() as connection:
            made = advance_quietly(connection, now=self.now(), zone=self.zone, week=self.work_week)
        if made:
            self.version += 1
        return made

    def _advance_in(self, session: Session) -> None:
        """The next occurrence, in the unit of work that closed or cancelled the latest one."""
        from amtui.services.recurrence import advance

        session.flush()
        advance(session.connection(), now=self.now(), zone=self.zone, week=self.work_week)

    def _write(self, job: Callable[[Session], T]) -> T:
        """Run ``job(session)`` as one unit of work, committed on success."""
        with self._session() as session:
            result = job(session)
        self.version += 1
        if self._watch is not None:  # our own write is not news: move the watch's mark past it
            with self._watch_lock:
                self._seen_stamp = self._data_stamp()
        return result

    def _write_rows(self, job: Callable[[Any], T], *, quick: bool = True) -> T:
        """Run ``job(where)`` (``where``: what :func:`amtui.services.store.store_of` takes) as one unit
        of work: on a plain sqlite3 connection when the workspace makes quick writes and ``quick``
        (no SQLAlchemy import), else in an ORM session (:meth:`_write`). The same rules either way."""
        if quick and self._quick_writes and self._engine is None and self.db_url is not None:
            from amtui.db import quick_connection

            connection = quick_connection(self.db_url)
            if connection is not None:
                from amtui.services.store import SqliteStore

                try:
                    with connection:  # committed on success, rolled back on error
                        result = job(SqliteStore(connection))
                finally:
                    connection.close()
                self.version += 1
                return result
        return self._write(job)

    # Other programs' writes

    def _data_stamp(self) -> Any:
        """Where the database stands, cheaply (call with ``_watch_lock`` held).

        SQLite: ``PRAGMA data_version`` on one connection kept for it, which moves when any other
        connection commits. PostgreSQL: the next transaction id of the cluster
        (``pg_snapshot_xmax(pg_current_snapshot())``), which moves when anyone writes (a write
        elsewhere in the cluster gives a harmless extra refresh)."""
        if self._watch is None:
            self._watch = self.engine.raw_connection()
        cursor = self._watch.cursor()
        try:
            if self.engine.dialect.name == "sqlite":
                cursor.execute("PRAGMA data_version")
            else:
                cursor.execute("SELECT pg_snapshot_xmax(pg_current_snapshot())::text")
            row = cursor.fetchone()
        finally:
            cursor.close()
        self._watch.commit()  # no transaction left open between two polls
        return row[0] if row else None

    @property
    def watching(self) -> bool:
        """Whether ``data_changed`` has taken its first mark (writes from then on are noticed)."""
        return self._seen_stamp is not None

    def data_changed(self) -> bool:
        """Whether another program (the CLI, a cron import) wrote to the database since the
        last call; the first call only takes the mark. A change bumps ``version`` so that every
        screen reloads when shown."""
        with self._watch_lock:
            stamp = self._data_stamp()
            previous, self._seen_stamp = self._seen_stamp, stamp
        if previous is None or stamp == previous:
            return False
        self.version += 1
        return True

    # Alerts and today

    def alerts(
        self,
        *,
        kinds: Sequence[str] | None = None,
        include_marked: bool = False,
        birthday_days: int | None = None,
        at: datetime | None = None,
    ) -> list[Alert]:
        """Every open alert, most urgent first, honouring the settings (birthday window, cadence per tier,
        the ``[portfolio]`` thresholds)."""
        # The series move on first (on a quick workspace only when the plain connection finds one due).
        return self._read_alerts(
            kinds=kinds, include_marked=include_marked, birthday_days=birthday_days, at=at, advanced=False
        )

    def _read_alerts(
        self,
        *,
        kinds: Sequence[str] | None = None,
        include_marked: bool = False,
        birthday_days: int | None = None,
        at: datetime | None = None,
        advanced: bool = True,
    ) -> list[Alert]:
        """:meth:`alerts` without the recurrence check before it (made once by the caller; ``advanced=False``:
        with it)."""
        from amtui.services.alerts import compute_alerts
        from amtui.services.reckoning import settings_from

        settings = self.settings
        with self._alert_reading(advanced=advanced) as connection:
            return compute_alerts(
                session=connection,
                now=at or self.now(),
                zone=self.zone,
                birthday_days=settings.birthday_days if birthday_days is None else birthday_days,
                cadence_by_tier=settings.cadence_days,
                include_marked=include_marked,
                kinds=kinds,
                portfolio=settings_from(settings),
                complaint_stale_days=settings.complaint_stale_days,
            )

    def digest(self, *, at: datetime | None = None, birthday_days: int | None = None, limit: int = 0) -> Digest:
        """The morning digest as of ``at`` (now by default). ``limit`` > 0: what text, Markdown and HTML show,
        each group's first ``limit`` alerts (receivables and ending contracts counted in the database, only
        their first alerts built: :func:`amtui.services.alerts.alerts_and_summaries`); 0: every alert (JSON)."""
        from amtui.services.alerts import alerts_and_summaries
        from amtui.services.digest import build_digest
        from amtui.services.reckoning import settings_from

        moment = at or self.now()
        settings = self.settings
        days = settings.birthday_days if birthday_days is None else birthday_days
        day = moment.astimezone(self.zone).date()
        if limit <= 0:
            every = self.alerts(at=moment, birthday_days=days)
            return build_digest(every, day=day, generated_at=moment, zone=self.zone)
        with self._alert_reading(advanced=False) as connection:
            alerts, summaries = alerts_and_summaries(
                session=connection,
                now=moment,
                zone=self.zone,
                limit=limit,
                birthday_days=days,
                cadence_by_tier=settings.cadence_days,
                portfolio=settings_from(settings),
                complaint_stale_days=settings.complaint_stale_days,
            )
        return build_digest(alerts, day=day, generated_at=moment, zone=self.zone, summaries=summaries)

    def alerts_and_tallies(self, *, tally: Sequence[str]) -> tuple[list[Alert], dict[str, Tally]]:
        """Every open alert but those of the kinds in ``tally``, which are only counted (Today's backlog)."""
        return self._read_tallies(tally, advanced=False)

    def _read_tallies(self, tally: Sequence[str], *, advanced: bool = True) -> tuple[list[Alert], dict[str, Tally]]:
        """:meth:`alerts_and_tallies` without the recurrence check before it (made once by the caller;
        ``advanced=False``: with it)."""
        from amtui.services.alerts import alerts_and_tallies
        from amtui.services.reckoning import settings_from

        settings = self.settings
        with self._alert_reading(advanced=advanced) as connection:
            return alerts_and_tallies(
                session=connection,
                now=self.now(),
                zone=self.zone,
                tally=tally,
                birthday_days=settings.birthday_days,
                cadence_by_tier=settings.cadence_days,
                portfolio=settings_from(settings),
                complaint_stale_days=settings.complaint_stale_days,
            )

    def _side_by_side(self, *jobs: Callable[[], Any]) -> list[Any]:
        """Run independent reads at once, the first in this thread and each other one in a thread of its own,
        each opening its own connection (one unit of work each): SQLite and PostgreSQL work with the interpreter
        lock released, so the reads overlap. One after the other where the database cannot serve two
        connections at once (an in-memory SQLite database, a pool of one connection). The results in order;
        a job's error is raised here once all are done."""
        if len(jobs) < 2 or not self._reads_side_by_side():
            return [job() for job in jobs]
        _import_for_threads()
        # What the jobs share is loaded before they start (these properties load lazily, without a lock).
        self.settings, self.zone  # noqa: B018
        results: list[Any] = [None] * len(jobs)
        errors: list[BaseException] = []

        def run(index: int) -> None:
            try:
                results[index] = jobs[index]()
            except BaseException as exc:  # handed to the caller's thread
                errors.append(exc)

        threads = [
            threading.Thread(target=run, args=(index,), name=f"amtui-read-{index}", daemon=True)
            for index in range(1, len(jobs))
        ]
        for thread in threads:
            thread.start()
        run(0)
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
        return results

    def _reads_side_by_side(self) -> bool:
        """Whether reading side by side pays: the database kind is one where it does (``SIDE_BY_SIDE_FROM``), the
        engine gives each thread a connection of its own (PostgreSQL's pool, a SQLite file in WAL: readers never
        wait for each other; not an in-memory database or a single shared connection), and the database is large
        enough for the reads' SQL, which overlaps, to outweigh their Python, which takes turns."""
        if self._side_by_side_ok is None:
            from sqlalchemy import text
            from sqlalchemy.pool import SingletonThreadPool, StaticPool

            engine = self.engine
            database = engine.url.database or ""
            threshold = SIDE_BY_SIDE_FROM.get(engine.dialect.name)
            self._side_by_side_ok = (
                threshold is not None
                and not isinstance(engine.pool, (SingletonThreadPool, StaticPool))
                and (
                    engine.dialect.name != "sqlite"
                    or (database not in ("", ":memory:") and "mode=memory" not in database)
                )
            )
            if self._side_by_side_ok:
                with self._reading() as connection:  # the largest table's last id: one index step
                    last = connection.execute(text("SELECT max(id) FROM interaction")).scalar()
                self._side_by_side_ok = (last or 0) >= (threshold or 0)
        return self._side_by_side_ok

    def today_view(self, *, figures: bool = True, first: Callable[[TodayView], None] | None = None) -> TodayView:
        """The whole of Today in one call. ``figures=False`` leaves out sales and receivables
        (``amtui today`` sums overdue invoices in its backlog and never needs the ORM).

        The alert engine, the month's sales and the portfolio's receivables are read side by side
        (:meth:`_side_by_side`). ``first`` given (the TUI): the quick part (the agenda and sales, what
        :meth:`today_first` gives) is also read beside the engine and handed to ``first`` as soon as it is
        ready, from another thread; without it the agenda is not read twice (the engine gives every section)."""
        today, now = self.today(), self.now()
        self.advance_series()

        def quick() -> TodayView:
            agenda = () if first is None else self._read_alerts(kinds=AGENDA_KINDS, at=now)
            view = self._first_view(today, now, agenda, self._today_money(today) if figures else None)
            if first is not None:
                first(view)
            return view

        if not figures and first is None:  # the engine alone: nothing to read beside it
            return self._complete_view(quick(), *self._read_tallies(TALLIED_KINDS), None)
        # The quick part first: read one after the other (see _side_by_side), it still comes first.
        base, (alerts, tallies), totals = self._side_by_side(
            quick, lambda: self._read_tallies(TALLIED_KINDS), lambda: self._today_totals(today) if figures else None
        )
        return self._complete_view(base, alerts, tallies, totals)

    def today_first(self, *, figures: bool = True, agenda: Sequence[Alert] | None = None) -> TodayView:
        """The quick part of Today: the agenda (planned today, tasks due today, birthdays) and sales.
        ``agenda`` given: those alerts instead of computing the agenda's."""
        today, now = self.today(), self.now()
        money = (lambda: self._today_money(today)) if figures else (lambda: None)
        if agenda is not None:
            quick, sales = list(agenda), money()
        else:
            self.advance_series()
            quick, sales = self._side_by_side(lambda: self._read_alerts(kinds=AGENDA_KINDS, at=now), money)
        return self._first_view(today, now, quick, sales)

    def today_rest(self, first: TodayView, *, figures: bool = True) -> TodayView:
        """The slow part of Today (every alert, the portfolio's receivables per currency) added to the quick part.
        The backlog kinds other than silence are only counted (their lines show counts and totals)."""
        self.advance_series()
        (alerts, tallies), totals = self._side_by_side(
            lambda: self._read_tallies(TALLIED_KINDS), lambda: self._today_totals(first.today) if figures else None
        )
        return self._complete_view(first, alerts, tallies, totals)

    def _today_money(self, today: date) -> _TodayMoney:
        """This month's sales and targets per currency, and six months of sales in the home currency."""
        from amtui.services import records

        currency = self.settings.currency
        month = records.month_start(today)
        months = [month_back(month, back) for back in range(5, -1, -1)]
        with self._session() as session:
            targets = {t.currency: t.amount_minor for t in records.list_targets(session=session) if t.period == month}
            by_month = records.sales_by_month(session=session, first=months[0], last=month)
        by_currency = by_month.get(month, {})
        # The bar and the trend in the home currency only: currencies are never added together.
        return _TodayMoney(
            sales=tuple(by_month.get(m, {}).get(currency.upper(), 0) for m in months),
            target_minor=targets.get(currency),
            others=tuple(
                (code, by_currency.get(code, 0), targets.get(code))
                for code in sorted(set(by_currency) | set(targets))
                if code != currency
            ),
        )

    def _today_totals(self, today: date) -> tuple[tuple[tuple[str, int, int], ...], int]:
        """The portfolio's receivables per currency and how many clients there are, in one grouped read
        (not the whole Clients table: 20,000 rows at 10x)."""
        from amtui.services.clients import count_clients, receivables_by_currency

        with self._session() as session:
            return receivables_by_currency(session=session, today=today), count_clients(session=session)

    def _first_view(self, today: date, now: datetime, agenda: Sequence[Alert], money: _TodayMoney | None) -> TodayView:
        sections = split_today(agenda, today=today, now=now, zone=self.zone)
        sales = money.sales if money is not None else (0,)
        return TodayView(
            today=today,
            agenda=sections["agenda"],
            late=(),
            coming=sections["coming"],
            overdue_clients=(),
            backlog=(),
            receivables=(),
            currency=self.settings.currency,
            sales_minor=sales[-1],
            target_minor=money.target_minor if money is not None else None,
            sales_by_month=sales,
            other_sales=money.others if money is not None else (),
            complete=False,
        )

    def _complete_view(
        self,
        first: TodayView,
        alerts: list[Alert],
        tallies: dict[str, Tally],
        totals: tuple[tuple[tuple[str, int, int], ...], int] | None,
    ) -> TodayView:
        sections = split_today(alerts, today=first.today, now=self.now(), zone=self.zone, tallies=tallies)
        receivables, clients = totals if totals is not None else ((), None)
        count = len(alerts) + sum(t.count for t in tallies.values())
        return replace(first, **sections, receivables=receivables, alert_count=count, complete=True, clients=clients)

    # Portfolio

    def portfolio(self) -> PortfolioView:
        """What the Portfolio screen shows: this month per currency, 12 months invoiced, ABC, credit, stalled."""
        return self.portfolio_rest(self.portfolio_money())

    def portfolio_money(self) -> PortfolioMoney:
        """The Portfolio screen's first part (its cheapest reads): this month's money per currency, 12 months
        invoiced."""
        from amtui.services.portfolio import portfolio_money, settings_from

        with self._reading() as connection:
            return portfolio_money(
                session=connection, now=self.now(), zone=self.zone, settings=settings_from(self.settings)
            )

    def portfolio_rest(self, money: PortfolioMoney) -> PortfolioView:
        """``money`` completed with the pipeline, stalled deals, credit exposure and ABC tiers."""
        from amtui.services.portfolio import portfolio_rest, settings_from

        with self._reading() as connection:
            return portfolio_rest(
                session=connection, money=money, zone=self.zone, settings=settings_from(self.settings)
            )

    def accept_tiers(self, rows: Sequence[AbcRow]) -> int:
        """Store the suggested ABC tiers of ``rows``; returns how many clients changed."""
        from amtui.services.portfolio import apply_tiers

        return self._write(lambda session: apply_tiers(session=session, changes=rows, now=self.now()))

    def snooze_alert(self, alert_id: str, until: date) -> Alert:
        from amtui.services.alerts import snooze_alert

        return self._write(
            lambda session: snooze_alert(
                session=session,
                alert_id=alert_id,
                until=until,
                now=self.now(),
                zone=self.zone,
                birthday_days=self.settings.birthday_days,
                cadence_by_tier=self.settings.cadence_days,
                complaint_stale_days=self.settings.complaint_stale_days,
            )
        )

    def dismiss_alert(self, alert_id: str) -> Alert:
        from amtui.services.alerts import dismiss_alert

        return self._write(
            lambda session: dismiss_alert(
                session=session,
                alert_id=alert_id,
                now=self.now(),
                zone=self.zone,
                birthday_days=self.settings.birthday_days,
                cadence_by_tier=self.settings.cadence_days,
                complaint_stale_days=self.settings.complaint_stale_days,
            )
        )

    def restore_alert(self, alert_id: str) -> bool:
        from amtui.services.alerts import restore_alert

        return self._write(lambda session: restore_alert(session=session, alert_id=alert_id))

    # Clients, cards, people

    def client_list(self) -> list[ClientSummary]:
        """The portfolio, in no set order (the Clients screen sorts it); one read serves until something
        is written or the day changes (Today reads only its totals:
        :func:`amtui.services.clients.receivables_by_currency`)."""
        from amtui.services.clients import list_clients

        key = (self.version, self.today())
        cached = self._portfolio
        if cached is not None and cached[0] == key and monotonic() - cached[1] < PORTFOLIO_FRESH_S:
            return list(cached[2])
        with self._session() as session:
            portfolio = list_clients(session=session, today=key[1], zone=self.zone, ordered=False)
        self._portfolio = (key, monotonic(), tuple(portfolio))
        return portfolio

    def first_clients(self, limit: int) -> list[ClientSummary] | None:
        """The first clients of the Clients screen's order, read for them alone, while the whole portfolio
        is read; None when :meth:`client_list` would answer from what it keeps."""
        from amtui.services.clients import first_clients

        key = (self.version, self.today())
        cached = self._portfolio
        if cached is not None and cached[0] == key and monotonic() - cached[1] < PORTFOLIO_FRESH_S:
            return None
        with self._session() as session:
            return first_clients(session=session, today=key[1], zone=self.zone, limit=limit)

    def client_names(self) -> list[tuple[int, str]]:
        from sqlmodel import col, select

        from amtui.models import Client

        with self._session() as session:
            rows = session.exec(select(col(Client.id), col(Client.name)).order_by(col(Client.name)))
            return [(client_id, name) for client_id, name in rows if client_id is not None]

    def people_names(self) -> list[tuple[int, str, str]]:
        """(client id, person, client) for every person at a client: the palette's typo suggestions."""
        from sqlmodel import col, select

        from amtui.models import Client, Contact

        with self._session() as session:
            rows = session.exec(
                select(col(Contact.client_id), col(Contact.full_name), col(Client.name)).join(
                    Client, col(Contact.client_id) == col(Client.id)
                )
            )
            return [(client_id, person, client) for client_id, person, client in rows if client_id is not None]

    def card(self, client_id: int) -> CardView:
        from amtui.services.cards import client_card
        from amtui.services.reports import list_reports

        today = self.today()
        with self._session() as session:
            card = client_card(session=session, client_id=client_id, today=today, zone=self.zone)
            reports = tuple(list_reports(session=session, client_id=client_id, limit=10))
        return CardView(card=card, reports=reports, today=today)

    def create_client(self, **values: Any) -> ClientRead:
        from amtui.services.clients import create_client

        return self._write(lambda session: create_client(session=session, **values))

    def update_client(self, client_id: int, **changes: Any) -> ClientRead:
        from amtui.services.clients import update_client

        return self._write(lambda session: update_client(session=session, client_id=client_id, **changes))

    def save_contact(
        self,
        contact_id: int | None,
        *,
        client_id: int,
        full_name: str,
        phones: Sequence[str] = (),
        emails: Sequence[str] = (),
        **values: Any,
    ) -> ContactRead:
        """Create a person, or overwrite one with a form's values: the phone and e-mail lists
        become the given lists in their order (removed ones go, new ones come)."""
        from amtui.services import contacts

        def job(session: Session) -> ContactRead:
            if contact_id is None:
                return contacts.create_contact(
                    session=session, client_id=client_id, full_name=full_name, phones=phones, emails=emails, **values
                )
            return contacts.replace_contact(
                session=session, contact_id=contact_id, full_name=full_name, phones=phones, emails=emails, **values
            )

        return self._write(job)

    def search(self, text: str, *, limit: int = 50) -> list[SearchHit]:
        from amtui.services.search import search

        with self._reading() as connection:  # Core only: no SQLModel import for a search
            return search(session=connection, text=text, limit=limit)

    # Interactions and meeting reports

    def week(self, monday: date) -> list[InteractionRead]:
        from amtui.services.interactions import list_in_range

        start = datetime.combine(monday, time(0), tzinfo=self.zone).astimezone(UTC)
        self.advance_series()
        with self._session() as session:
            return list_in_range(session=session, start=start, end=start + timedelta(days=7))

    def planned(self, days: int, *, client: int | str | None = None) -> list[InteractionRead]:
        """What is planned from today on, for ``days`` days, in time order."""
        from amtui.services.interactions import list_planned

        start = datetime.combine(self.today(), time(0), tzinfo=self.zone).astimezone(UTC)
        self.advance_series()
        with self._session() as session:
            client_id = _client_id(session, client) if client is not None else None
            return list_planned(session=session, start=start, end=start + timedelta(days=days), client_id=client_id)

    def interaction(self, interaction_id: int) -> InteractionView:
        from amtui.services.contacts import list_contacts
        from amtui.services.interactions import get_interaction
        from amtui.services.reports import report_for_interaction

        with self._session() as session:
            item = get_interaction(session=session, interaction_id=interaction_id)
            people = tuple(list_contacts(session=session, client_id=item.client_id))
            report = report_for_interaction(session=session, interaction_id=interaction_id)
        return InteractionView(item, people, report)

    def plan(
        self,
        client_id: int | str,
        *,
        contacts: Sequence[str] = (),
        every: str | None = None,
        count: int | None = None,
        until: date | None = None,
        **values: Any,
    ) -> InteractionRead:
        """Plan a call, visit or meeting; ``client_id`` may be a reference (part of a name),
        ``contacts`` the client's people by name, both resolved in the same unit of work.
        ``every`` ("2w", "month"...) repeats it, ended by ``count`` occurrences or on ``until``."""
        from amtui.services.interactions import plan_interaction

        if every:
            from amtui.services.recurrence import make_rule

            values["repeat"] = make_rule(every, values["at"].astimezone(self.zone), count=count, until=until)
        elif count is not None or until is not None:
            from amtui.services.errors import ValidationError

            raise ValidationError("--count and --until end a repeat: give --every too", field="every")

        def job(session: Session) -> InteractionRead:
            target = _client_id(session, client_id)
            people = _contact_ids(session, target, contacts)
            return plan_interaction(session=session, client_id=target, **_with_people(values, people))

        return self._write(job)

    def log(
        self, client_id: int | str, *, contacts: Sequence[str] = (), replies_to: int | None = None, **values: Any
    ) -> InteractionRead:
        """Log a done interaction (a touch); ``replies_to`` marks the client's message it answers."""
        from amtui.services.entries import log_interaction

        def job(session: Any) -> InteractionRead:
            target = _client_id(session, client_id)
            people = _contact_ids(session, target, contacts)
            logged = log_interaction(session=session, client_id=target, **_with_people(values, people))
            if replies_to is not None:
                from amtui.services.interactions import mark_replied

                mark_replied(session=session, interaction_id=replies_to, at=values["at"], client_id=target)
            return logged

        # People named and a message answered are read and changed through the ORM.
        return self._write_rows(job, quick=not contacts and replies_to is None)

    def after_call_context(
        self, client_id: int, *, also: int | None = None
    ) -> tuple[tuple[ContactRead, ...], tuple[InteractionRead, ...]]:
        """What the after-call form offers for a client: its people, and what is planned today
        (with ``also``, the planned item the form was opened to close, whatever its day)."""
        from amtui.services.contacts import list_contacts
        from amtui.services.interactions import get_interaction

        planned = self.planned_today(client_id)
        with self._session() as session:
            people = tuple(list_contacts(session=session, client_id=client_id))
            if also is not None and all(item.id != also for item in planned):
                extra = get_interaction(session=session, interaction_id=also)
                if extra.client_id == client_id and extra.status != "done":
                    planned.insert(0, extra)
        return people, tuple(planned)

    def planned_today(self, client_id: int) -> list[InteractionRead]:
        """The client's calls, visits and meetings planned today and not yet done (those an after-call
        form offers to close)."""
        from amtui.services.interactions import list_planned

        start = datetime.combine(self.today(), time(0), tzinfo=self.zone).astimezone(UTC)
        with self._session() as session:
            return list_planned(
                session=session,
                start=start,
                end=start + timedelta(days=1),
                client_id=client_id,
                kinds=("call", "visit", "meeting"),
            )

    def after_call(
        self,
        client_id: int | str,
        *,
        kind: str,
        at: datetime,
        direction: str = "outbound",
        contact_ids: Sequence[int] = (),
        subject: str | None = None,
        outcome: str | None = None,
        needs_reply: bool = False,
        close_id: int | None = None,
        next_kind: str | None = None,
        next_text: str | None = None,
        next_at: date | datetime | None = None,
    ) -> AfterCall:
        """The after-call form in one unit of work: the touch (a new one, or ``close_id``, a planned
        one closed), then the next step: ``next_kind`` "task" (``next_text`` due ``next_at``) or a
        call/visit/meeting planned at ``next_at``. A touch is never recorded in the future."""
        from amtui.services import interactions, tasks
        from amtui.services.errors import ValidationError

        now = self.now()
        if at > now + timedelta(minutes=1):
            raise ValidationError(_("a touch is recorded when it happened, not in the future"), field="when")
        if next_kind and next_at is None:
            raise ValidationError(_("the next step needs a date"), field="next-date")
        if next_kind == "task" and not (next_text or "").strip():
            raise ValidationError(_("the next task needs a text"), field="next-task")

        def job(session: Session) -> AfterCall:
            target = _client_id(session, client_id)
            if close_id is not None:
                planned = interactions.get_interaction(session=session, interaction_id=close_id)
                if planned.client_id != target:
                    raise ValidationError(
                        _("interaction {close_id} is another client's").format(close_id=close_id), field="close"
                    )
                item = interactions.close_planned(
                    session=session,
                    interaction_id=close_id,
                    at=at,
                    direction=direction,
                    contact_ids=contact_ids,
                    subject=subject,
                    outcome=outcome,
                    needs_reply=needs_reply,
                )
                self._advance_in(session)  # a repeating call closed: its next occurrence
            else:
                item = interactions.log_interaction(
                    session=session,
                    client_id=target,
                    kind=kind,
                    at=at,
                    direction=direction,
                    contact_ids=contact_ids,
                    subject=subject,
                    outcome=outcome,
                    needs_reply=needs_reply,
                )
            task, follow_up = None, None
            if next_kind == "task" and next_at is not None:
                due = next_at.astimezone(self.zone).date() if isinstance(next_at, datetime) else next_at
                task = tasks.create_task(
                    session=session,
                    title=next_text or "",
                    now=now,
                    zone=self.zone,
                    due_on=due,
                    client_id=target,
                )
            elif next_kind and next_at is not None:
                when = (
                    next_at
                    if isinstance(next_at, datetime)
                    else datetime.combine(next_at, time(10, 0), tzinfo=self.zone)
                )
                follow_up = interactions.plan_interaction(
                    session=session,
                    client_id=target,
                    kind=next_kind,
                    at=when,
                    contact_ids=contact_ids,
                    subject=next_text,
                )
            return AfterCall(item, close_id is not None, task, follow_up)

        return self._write(job)

    def reopen(self, interaction_id: int) -> InteractionRead:
        """Undo done/cancelled on a planned call, visit or meeting."""
        from amtui.services.interactions import reopen

        return self._write(lambda session: reopen(session=session, interaction_id=interaction_id))

    def move(self, interaction_id: int, at: datetime) -> InteractionRead:
        from amtui.services.interactions import reschedule

        return self._write(lambda session: reschedule(session=session, interaction_id=interaction_id, at=at))

    def move_planned(
        self, interaction_id: int, at: datetime, *, following: bool = False, told: bool | None = None
    ) -> Moved:
        """Move a planned call/visit/meeting (``following``: the rest of its series too). A visit or meeting
        moved: ``told`` False or None adds a "tell the client" task due today (rule 19)."""
        from amtui.services.moves import move_interaction

        return self._write(
            lambda session: move_interaction(
                session=session,
                interaction_id=interaction_id,
                at=at,
                zone=self.zone,
                now=self.now(),
                following=following,
                told=told,
            )
        )

    def cancel(self, interaction_id: int, *, following: bool = False) -> InteractionRead:
        """Cancel a planned one. In a series: this occurrence (the next one is made), or ``following``:
        this and the rest (the series ends)."""
        from amtui.services.interactions import cancel

        def job(session: Session) -> InteractionRead:
            cancelled = cancel(session=session, interaction_id=interaction_id)
            if following:
                from amtui.models import Interaction
                from amtui.services.interactions import get_interaction
                from amtui.services.recurrence import end_series

                record = session.get(Interaction, interaction_id)
                end_series(session, Interaction, record)
                session.add(record)
                session.flush()
                return get_interaction(session=session, interaction_id=interaction_id)
            self._advance_in(session)
            return cancelled

        return self._write(job)

    def done(self, interaction_id: int, *, at: datetime | None = None, outcome: str | None = None) -> InteractionRead:
        """Mark a planned interaction done: at ``at``, else at its planned time unless that is
        still ahead (then now: a touch is never recorded in the future)."""
        from amtui.services.interactions import get_interaction, mark_done

        def job(session: Session) -> InteractionRead:
            item = get_interaction(session=session, interaction_id=interaction_id)
            now = self.now()
            if at is not None and at > now + timedelta(minutes=1):
                from amtui.services.errors import ValidationError

                raise ValidationError(_("a touch is recorded when it happened, not in the future"), field="at")
            when = at or (item.planned_at if item.planned_at and item.planned_at <= now else now)
            done = mark_done(session=session, interaction_id=interaction_id, at=when, outcome=outcome)
            self._advance_in(session)
            return done

        return self._write(job)

    def answer_message(self, interaction_id: int) -> InteractionRead:
        """The user answered an inbound message: log the reply now and clear its "unanswered" alert."""
        from amtui.services.interactions import answer_message

        return self._write(
            lambda session: answer_message(session=session, interaction_id=interaction_id, at=self.now())
        )

    def save_report(
        self, interaction_id: int, *, steps: Sequence[tuple[str, str | None, date | None]], **values: Any
    ) -> ReportRead:
        from amtui.services.reports import NextStepInput, save_report

        inputs = [NextStepInput(text=text, owner=owner, due_on=due) for text, owner, due in steps]
        return self._write(
            lambda session: save_report(
                session=session,
                interaction_id=interaction_id,
                now=self.now(),
                zone=self.zone,
                next_steps=inputs,
                week=self.work_week,
                **values,
            )
        )

    # Drafts (a meeting report being written survives a crash)

    def _draft_path(self, kind: str, item_id: int) -> Any:
        from amtui.config import user_data_dir
        from amtui.services.drafts import draft_path

        return draft_path(user_data_dir() / "drafts", self.db_url or str(self.engine.url), kind, item_id)

    def save_draft(self, kind: str, item_id: int, data: dict[str, Any]) -> None:
        from amtui.services.drafts import save_draft

        save_draft(self._draft_path(kind, item_id), {**data, "saved_at": self.now().isoformat()})

    def draft(self, kind: str, item_id: int) -> dict[str, Any] | None:
        from amtui.services.drafts import load_draft

        return load_draft(self._draft_path(kind, item_id))

    def drop_draft(self, kind: str, item_id: int) -> None:
        from amtui.services.drafts import drop_draft

        drop_draft(self._draft_path(kind, item_id))

    def mark_report_sent(self, report_id: int) -> ReportRead:
        from amtui.services.reports import mark_sent

        return self._write(lambda session: mark_sent(session=session, report_id=report_id, now=self.now()))

    # Tasks

    def task_list(self, *, client: int | str | None = None, delegated: bool | None = None) -> list[TaskRead]:
        """Open tasks, the most pressing first; only a client's, only delegated (True) or own (False)."""
        from amtui.services.tasks import list_tasks

        self.advance_series()
        with self._session() as session:
            client_id = _client_id(session, client) if client is not None else None
            return list_tasks(session=session, client_id=client_id, delegated=delegated)

    def add_task(
        self,
        *,
        client: int | str | None = None,
        every: str | None = None,
        count: int | None = None,
        until: date | None = None,
        **values: Any,
    ) -> TaskRead:
        """Add a task; ``client`` (an id or a reference) or ``client_id`` ties it to a client; ``every``
        ("month", "2w"...) repeats it from its due day, ended by ``count`` occurrences or on ``until``."""
        from amtui.services.colleagues import resolve_colleague
        from amtui.services.entries import create_task
        from amtui.services.errors import ValidationError

        week = self.work_week
        if every:
            from amtui.services.recurrence import make_rule

            if values.get("due_on") is None:
                raise ValidationError("a repeating task needs a due date", field="due")
            values["repeat"] = make_rule(every, values["due_on"], count=count, until=until)
        elif count is not None or until is not None:
            raise ValidationError("--count and --until end a repeat: give --every too", field="every")

        def job(session: Any) -> TaskRead:
            if client is not None:
                values["client_id"] = _client_id(session, client)
            if values.get("assignee"):
                # "петров" is the "Петров (логистика)" already given tasks: one colleague, one name.
                values["assignee"] = resolve_colleague(session=session, name=values["assignee"])
            return create_task(session=session, now=self.now(), zone=self.zone, week=week, **values)

        return self._write_rows(job)

    def complete_task(self, task_id: int) -> TaskRead:
        """Mark a task done (a repeating one: its next occurrence is made)."""
        from amtui.services.tasks import complete_task

        def job(session: Session) -> TaskRead:
            done = complete_task(session=session, task_id=task_id, now=self.now())
            self._advance_in(session)
            return done

        return self._write(job)

    def move_task(self, task_id: int, due_on: date, *, following: bool = False, told: bool | None = None) -> Moved:
        """A task's new due date (``following``: the rest of its series too). A next step promised at a meeting
        moved past its date: ``told`` False or None adds a "tell the client" task due today (rule 19)."""
        from amtui.services.moves import move_task

        return self._write(
            lambda session: move_task(
                session=session,
                task_id=task_id,
                due_on=due_on,
                now=self.now(),
                zone=self.zone,
                week=self.work_week,
                following=following,
                told=told,
            )
        )

    def reschedule_task(self, task_id: int, due_on: date) -> TaskRead:
        from amtui.services.tasks import reschedule_task

        return self._write(
            lambda session: reschedule_task(
                session=session, task_id=task_id, due_on=due_on, now=self.now(), zone=self.zone, week=self.work_week
            )
        )

    def colleagues(self) -> list[ColleagueRead]:
        """The colleagues tasks are delegated to, one per person ("Петров" is "Петров (логистика)")."""
        from amtui.services.colleagues import list_colleagues

        with self._session() as session:
            return list_colleagues(session=session)

    def cancel_task(self, task_id: int, *, following: bool = False) -> TaskRead:
        """Drop a task. In a series: this occurrence (the next one is made), or ``following``: the series ends."""
        from amtui.services.tasks import cancel_task

        def job(session: Session) -> TaskRead:
            cancelled = cancel_task(session=session, task_id=task_id, now=self.now())
            if not following:
                self._advance_in(session)
                return cancelled
            from amtui.models import Task
            from amtui.services.recurrence import end_series
            from amtui.services.tasks import get_task

            record = session.get(Task, task_id)
            end_series(session, Task, record)
            session.add(record)
            session.flush()
            return get_task(session=session, task_id=task_id)

        return self._write(job)

    def reopen_task(self, task_id: int) -> TaskRead:
        from amtui.services.tasks import reopen_task

        return self._write(lambda session: reopen_task(session=session, task_id=task_id, now=self.now()))

    def confirm_check_in(
        self, task_id: int, *, next_check_in: datetime | None = None, note: str | None = None
    ) -> TaskRead:
        from amtui.services.tasks import confirm_check_in

        return self._write(
            lambda session: confirm_check_in(
                session=session, task_id=task_id, now=self.now(), next_check_in=next_check_in, note=note
            )
        )

    # Contracts, invoices, deals, notes

    def add_contract(self, client_id: int, **values: Any) -> ContractRead:
        from amtui.services.records import create_contract

        return self._write(lambda session: create_contract(session=session, client_id=client_id, **values))

    def update_contract(self, contract_id: int, **changes: Any) -> ContractRead:
        from amtui.services.records import update_contract

        return self._write(lambda session: update_contract(session=session, contract_id=contract_id, **changes))

    def add_invoice(self, client_id: int, **values: Any) -> InvoiceRead:
        from amtui.services.records import create_invoice

        return self._write(lambda session: create_invoice(session=session, client_id=client_id, **values))

    def record_payment(self, invoice_id: int, *, amount_minor: int, paid_on: date) -> InvoiceRead:
        from amtui.services.records import record_payment

        return self._write(
            lambda session: record_payment(
                session=session, invoice_id=invoice_id, amount_minor=amount_minor, paid_on=paid_on
            )
        )

    def add_deal(self, client_id: int, **values: Any) -> DealRead:
        from amtui.services.records import create_deal

        return self._write(lambda session: create_deal(session=session, client_id=client_id, **values))

    def update_deal(self, deal_id: int, **changes: Any) -> DealRead:
        from amtui.services.records import update_deal

        today = self.today()
        return self._write(lambda session: update_deal(session=session, deal_id=deal_id, today=today, **changes))

    def add_note(self, client_id: int, text: str, tag: str | None = None) -> NoteRead:
        from amtui.services.records import add_note

        return self._write(
            lambda session: add_note(session=session, client_id=client_id, text=text, tag=tag, now=self.now())
        )

    # Complaints

    def complaint(self, complaint_id: int) -> ComplaintRead:
        from amtui.services.complaints import get_complaint

        with self._session() as session:
            return get_complaint(session=session, complaint_id=complaint_id)

    def complaint_titles(self) -> list[tuple[int, int, str, str]]:
        """(complaint id, client id, "title, client", status) of every complaint, open ones first: the palette's."""
        from amtui.services.complaints import list_complaints

        with self._session() as session:
            rows = list_complaints(session=session)
        return [(c.id, c.client_id, f"{c.title}, {c.client_name}", c.status) for c in rows]

    def add_complaint(self, client_id: int, **values: Any) -> ComplaintRead:
        from amtui.services.complaints import create_complaint

        return self._write(
            lambda session: create_complaint(
                session=session, client_id=client_id, now=self.now(), zone=self.zone, week=self.work_week, **values
            )
        )

    def save_complaint(
        self, complaint_id: int, *, status: str | None = None, note: str | None = None, **changes: Any
    ) -> ComplaintRead:
        """Edit a complaint in one unit of work: reopen it, change it, then resolve or reject it with ``note``
        when ``status`` says so (what the complaint form does with one Save)."""
        from amtui.services import complaints
        from amtui.vocabulary import OPEN_COMPLAINT_STATUSES, ComplaintStatus

        now, zone, week = self.now(), self.zone, self.work_week

        def job(session: Session) -> ComplaintRead:
            current = complaints.get_complaint(session=session, complaint_id=complaint_id)
            opening = status in OPEN_COMPLAINT_STATUSES
            if opening and not current.is_open:
                complaints.reopen_complaint(session=session, complaint_id=complaint_id, now=now, zone=zone, week=week)
            if opening and status != current.status:
                changes["status"] = status
            if changes:
                complaints.update_complaint(
                    session=session, complaint_id=complaint_id, now=now, zone=zone, week=week, **changes
                )
            if status in (ComplaintStatus.RESOLVED, ComplaintStatus.REJECTED) and status != current.status:
                settle = (
                    complaints.resolve_complaint if status == ComplaintStatus.RESOLVED else complaints.reject_complaint
                )
                settle(session=session, complaint_id=complaint_id, note=note or "", on=self.today(), now=now)
            return complaints.get_complaint(session=session, complaint_id=complaint_id)

        return self._write(job)

    # Deletes

    def delete_contact(self, contact_id: int) -> ContactRead:
        from amtui.services.contacts import delete_contact

        return self._write(lambda session: delete_contact(session=session, contact_id=contact_id))

    def delete_contract(self, contract_id: int) -> ContractRead:
        from amtui.services.records import delete_contract

        return self._write(lambda session: delete_contract(session=session, contract_id=contract_id))

    def delete_deal(self, deal_id: int) -> DealRead:
        from amtui.services.records import delete_deal

        return self._write(lambda session: delete_deal(session=session, deal_id=deal_id))

    def delete_record(self, kind: str, record_id: int) -> Removed:
        """Delete a person ("contact"), a contract or a deal, keeping what it takes with it:
        the answer says what to tell the user and is what ``restore`` needs to undo the delete."""
        from amtui.services import contacts, records
        from amtui.services.undo import capture

        def job(session: Session) -> Removed:
            if kind == "contact":
                what, table = contacts.get_contact(session=session, contact_id=record_id).full_name, "contact"
            elif kind == "contract":
                what, table = f"contract {records.get_contract(session=session, contract_id=record_id).number}", kind
            else:
                what, table = f"deal {records.get_deal(session=session, deal_id=record_id).title}", "deal"
            removed = capture(session=session, table=table, row_id=record_id, text=f"Deleted {what}", what=what)
            if kind == "contact":
                contacts.delete_contact(session=session, contact_id=record_id)
            elif kind == "contract":
                records.delete_contract(session=session, contract_id=record_id)
            else:
                records.delete_deal(session=session, deal_id=record_id)
            return removed

        return self._write(job)

    def restore(self, removed: Removed) -> str:
        """Undo a delete (``delete_record``): the rows come back with their ids and links."""
        from amtui.services.undo import restore

        self._write(lambda session: restore(session=session, removed=removed))
        return f"Restored {removed.what}"


def _client_id(session: Any, client: int | str) -> int:
    if isinstance(client, int):
        return client
    from amtui.services.entries import find_client

    return find_client(session, client)[0]


def _contact_ids(session: Session, client_id: int, names: Sequence[str]) -> list[int]:
    if not names:
        return []
    from amtui.services.contacts import resolve_contact

    return [resolve_contact(session=session, client_id=client_id, ref=name).id for name in names]


def _with_people(values: dict[str, Any], people: list[int]) -> dict[str, Any]:
    return {**values, "contact_ids": people} if people else values


def _system_now() -> datetime:
    from amtui.config import current_time

    return current_time()


def _import_for_threads() -> None:
    """Import what the reads made side by side use, in this one thread, before they start: two threads
    importing SQLAlchemy's ORM at once can meet a module half done (its circular imports), and fail."""
    import sqlalchemy.orm  # noqa: F401
    import sqlmodel  # noqa: F401

    import amtui.models
    import amtui.services.alerts
    import amtui.services.clients
    import amtui.services.digest
    import amtui.services.portfolio
    import amtui.services.reckoning
    import amtui.services.records  # noqa: F401


def month_back(month: date, back: int) -> date:
    index = month.year * 12 + month.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)
