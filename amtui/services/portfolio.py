"""Portfolio numbers: KPIs per currency, plan against actual, ABC tiers, credit exposure, stalled deals.

Every money figure is kept per currency and never summed across currencies; a converted
total (to the home currency) is made only when the user has set a rate for every currency
involved, and says which rate of which day it used. Money is exact: integer minor units,
Decimal for rates and percentages.

Reads go through lightweight Core views (like :mod:`amtui.services.alerts`), so the CLI
commands (``amtui kpi``, ``amtui summary``) never build the SQLModel classes; the views are
checked against the models in tests/test_portfolio.py. ``session`` may be a Session or a
plain Connection. No UI code here: the CLI, the TUI and the reports share these figures.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    BigInteger,
    String,
    and_,
    case,
    cast,
    func,
    insert,
    or_,
    select,
    type_coerce,
    update,
)
from sqlalchemy.engine import Connection

from amtui.i18n import N_, _

# The Core views of the columns read are declared once, in amtui.services.core_views.
from amtui.services.core_views import (
    _client,
    _deal,
    _interaction,
    _invoice,
    _meeting_report,
    _task,
)
from amtui.services.core_views import _exchange_rate as _rate
from amtui.services.core_views import _sales_target as _target
from amtui.services.errors import ValidationError

# What the alert engine reads (ABC, credit, stalled deals, rates, the settings) lives in plain SQL in
# amtui.services.reckoning (no SQLAlchemy import); offered here under the same names.
from amtui.services.reckoning import (  # noqa: F401  (offered here too)
    ABC_MIN_CLIENTS,
    ABC_THRESHOLDS,
    ACTIVE_DAYS,
    CREDIT_WARNING_PCT,
    RATE_SCALE,
    STALLED_DAYS,
    UPSELL_DAYS,
    AbcResult,
    AbcRow,
    CreditExposure,
    PortfolioSettings,
    RateRead,
    Rates,
    StalledDeal,
    _add_months,
    _months_back,
    _round,
    _utc,
    abc_tiers,
    credit_exposure,
    exposure_of,
    list_rates,
    load_rates,
    local_days,
    local_midnight,
    percent,
    settings_from,
    stalled_deals,
)
from amtui.vocabulary import (
    OPEN_DEAL_STAGES,
    REPORTED_KINDS,
    DealKind,
    DealStage,
    Direction,
    InteractionKind,
    InteractionStatus,
    TaskStatus,
)

if TYPE_CHECKING:
    from typing import TypeAlias

    from sqlalchemy.orm import Session

    Reader: TypeAlias = Session | Connection

# --- settings --------------------------------------------------------------------------------------------------


def _rows(session: Reader, statement: Any) -> Sequence[Any]:
    connection = session if isinstance(session, Connection) else session.connection()
    return connection.execute(statement).all()


def _connection(session: Reader) -> Connection:
    return session if isinstance(session, Connection) else session.connection()


# --- exact arithmetic ------------------------------------------------------------------------------------------


def weighted(amount_minor: int, probability: int | None) -> int:
    """Amount x probability, in whole minor units (half up, exact integer arithmetic)."""
    product = amount_minor * (probability or 0)
    sign = -1 if product < 0 else 1
    return sign * ((abs(product) * 2 + 100) // 200)


# --- periods ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Period:
    """A calendar month, quarter, year or week: ``start`` inclusive, ``end`` exclusive (dates, the user's zone)."""

    kind: str
    start: date
    end: date

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return str(self.start.year)
        return f"{self.start:%d.%m.%Y}-{self.end - timedelta(days=1):%d.%m.%Y}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def months(self) -> list[date]:
        """The first day of each month in the period."""
        result = []
        current = self.start.replace(day=1)
        while current < self.end:
            result.append(current)
            current = _add_months(current, 1)
        return result

    def previous(self) -> Period:
        if self.kind == "week":
            return Period("week", self.start - timedelta(days=7), self.start)
        size = {"month": 1, "quarter": 3, "year": 12}[self.kind]
        return Period(self.kind, _add_months(self.start, -size), self.start)

    def next(self) -> Period:
        if self.kind == "week":
            return Period("week", self.end, self.end + timedelta(days=7))
        size = {"month": 1, "quarter": 3, "year": 12}[self.kind]
        return Period(self.kind, self.end, _add_months(self.end, size))

    def year_earlier(self) -> Period:
        if self.kind == "week":
            return Period("week", self.start - timedelta(days=364), self.end - timedelta(days=364))
        return Period(self.kind, _add_months(self.start, -12), _add_months(self.end, -12))


def month_period(day: date) -> Period:
    start = day.replace(day=1)
    return Period("month", start, _add_months(start, 1))


def week_period(day: date) -> Period:
    start = day - timedelta(days=day.weekday())
    return Period("week", start, start + timedelta(days=7))


def summary_period(kind: str, *, day: date | None = None, today: date) -> Period:
    """The week or month a summary covers: the one holding ``day`` when given; otherwise the one
    holding today, except on its first day (a Monday, the 1st), when the period just ended is the
    one to report: a cron job on the 1st sends last month, not a month one day old."""
    of = week_period if kind == "week" else month_period
    if day is not None:
        return of(day)
    current = of(today)
    return of(today - timedelta(days=1)) if today == current.start else current


_MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_QUARTER_RE = re.compile(r"^\s*(\d{4})-?[Qq]([1-4])\s*$")
_YEAR_RE = re.compile(r"^\s*(\d{4})\s*$")


def parse_month(text: str, *, field: str = "--month") -> date:
    """``2026-11`` -> 1 Nov 2026."""
    found = _MONTH_RE.match(text)
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise ValidationError(_("{text} is not a month (YYYY-MM, e.g. 2026-11)").format(text=repr(text)), field=field)
    return date(int(found.group(1)), int(found.group(2)), 1)


def parse_period(
    *, today: date, month: str | None = None, quarter: str | None = None, year: str | None = None
) -> Period:
    """The period named by one of the options; none given: the current month."""
    given = [name for name, value in (("--month", month), ("--quarter", quarter), ("--year", year)) if value]
    if len(given) > 1:
        raise ValidationError(
            _("give one of --month, --quarter, --year, not {given}").format(given=" and ".join(given)), field=given[1]
        )
    if month:
        start = parse_month(month)
        return Period("month", start, _add_months(start, 1))
    if quarter:
        found = _QUARTER_RE.match(quarter)
        if not found:
            raise ValidationError(
                _("{quarter} is not a quarter (YYYY-Qn, e.g. 2026-Q4)").format(quarter=repr(quarter)), field="--quarter"
            )
        start = date(int(found.group(1)), (int(found.group(2)) - 1) * 3 + 1, 1)
        return Period("quarter", start, _add_months(start, 3))
    if year:
        found = _YEAR_RE.match(year)
        if not found:
            raise ValidationError(_("{year} is not a year (YYYY, e.g. 2026)").format(year=repr(year)), field="--year")
        start = date(int(found.group(1)), 1, 1)
        return Period("year", start, _add_months(start, 12))
    return month_period(today)


def _raw(moment: Any) -> Any:
    """A moment column selected without the dialect's result processing (see :func:`_utc`)."""
    return type_coerce(moment, String)


# --- exchange rates --------------------------------------------------------------------------------------------


def parse_rate(text: str, *, field: str = "rate") -> int:
    """``98,50`` or ``98.5`` -> millionths (98_500_000); positive, at most six decimals."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d{1,6})?", cleaned):
        raise ValidationError(
            _("{text} is not a rate (e.g. 98,50; up to six decimals)").format(text=repr(text)), field=field
        )
    value = int(Decimal(cleaned) * RATE_SCALE)
    if value <= 0:
        raise ValidationError(_("a rate must be more than zero"), field=field)
    return value


def _currency_code(text: str, *, field: str = "currency") -> str:
    code = text.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ValidationError(_("{text} is not a currency code (like RUB, EUR)").format(text=repr(text)), field=field)
    return code


def set_rate(*, session: Session, currency: str, rate_e6: int, valid_from: date, home_currency: str) -> RateRead:
    """Set the rate of ``currency`` to the home currency from ``valid_from`` on (replacing that day's rate)."""
    code = _currency_code(currency)
    if code == home_currency.upper():
        raise ValidationError(
            _("{code} is the home currency: its rate is always 1").format(code=code), field="currency"
        )
    connection = _connection(session)
    r = _rate.c
    existing = connection.execute(select(r.id).where(r.currency == code, r.valid_from == valid_from)).scalar()
    if existing is None:
        connection.execute(insert(_rate).values(currency=code, rate_e6=rate_e6, valid_from=valid_from))
    else:
        connection.execute(update(_rate).where(r.id == existing).values(rate_e6=rate_e6))
    return RateRead(code, Decimal(rate_e6) / RATE_SCALE, valid_from)


# --- KPIs ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CurrencyKpi:
    currency: str
    invoiced_minor: int
    invoice_count: int
    average_invoice_minor: int | None
    paid_minor: int
    receivables_minor: int
    overdue_minor: int
    target_minor: int | None
    reached_pct: Decimal | None
    # Only for the running period: the share of the target reached by the period's end at this pace.
    pace_pct: Decimal | None
    upsell_invoiced_minor: int
    upsell_share_pct: Decimal | None
    won_by_kind: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class ConvertedTotal:
    """Figures converted to the home currency: only made when every currency involved has a rate."""

    currency: str
    invoiced_minor: int
    paid_minor: int
    receivables_minor: int
    overdue_minor: int
    target_minor: int | None
    rates: Mapping[str, tuple[Decimal, date]]  # currency -> (rate, valid from)
    as_of: date


@dataclass(frozen=True, slots=True)
class ClientGrowth:
    client_id: int
    client_name: str
    currency: str
    now_minor: int
    before_minor: int

    @property
    def change_minor(self) -> int:
        return self.now_minor - self.before_minor

    @property
    def change_pct(self) -> Decimal | None:
        return percent(self.change_minor, self.before_minor)


@dataclass(frozen=True, slots=True)
class Ratio:
    """A working KPI: ``count`` of ``total`` (and the share)."""

    name: str
    count: int
    total: int

    @property
    def pct(self) -> Decimal | None:
        return percent(self.count, self.total)


@dataclass(frozen=True, slots=True)
class PipelineRow:
    currency: str
    month: date | None  # first day of the expected close month; None: no date
    deals: int
    amount_minor: int
    weighted_minor: int


@dataclass(frozen=True, slots=True)
class Kpis:
    period: Period
    today: date
    running: bool  # today lies inside the period
    currencies: tuple[CurrencyKpi, ...]
    converted: ConvertedTotal | None
    active_clients: int
    active_before: int
    new_clients: tuple[str, ...]
    lost_clients: tuple[str, ...]
    active_days: int
    growth_up: tuple[ClientGrowth, ...]
    growth_down: tuple[ClientGrowth, ...]
    work: tuple[Ratio, ...]
    pipeline: tuple[PipelineRow, ...]
    stalled: tuple[StalledDeal, ...]
    # The days compared for growth: the period (so far, while it runs) and the same days a year earlier.
    growth_spans: tuple[Period, Period] | None = None

    def currency(self, code: str) -> CurrencyKpi | None:
        return next((c for c in self.currencies if c.currency == code), None)

    def ratio(self, name: str) -> Ratio:
        return next(r for r in self.work if r.name == name)


def _money_by_currency(session: Reader, statement: Any) -> dict[str, int]:
    return {currency: int(total or 0) for currency, total in _rows(session, statement)}


def _invoiced(session: Reader, start: date, end: date) -> dict[str, tuple[int, int]]:
    v = _invoice.c
    statement = (
        select(v.currency, func.sum(v.amount_minor), func.count())
        .where(v.issued_on >= start, v.issued_on < end)
        .group_by(v.currency)
    )
    return {currency: (int(total or 0), int(count)) for currency, total, count in _rows(session, statement)}


def owed_at(session: Reader, cut: date, today: date) -> list[tuple[str, date, int]]:
    """(currency, due day, amount owed) at the start of day ``cut``, per currency and due day, of the invoices
    issued before it, payments dated before it counted (an invoice's payment day is its last payment's).

    Two indexed reads, each summed per currency and due day in SQL (every caller sums by currency and due
    day: thousands of rows fewer to carry into Python): the invoices still unpaid (their partial index),
    and, for a past cut, those paid off on or after it (by payment day). The issue day is checked inside
    the sums rather than in the WHERE clause, which would tempt the planner into reading every invoice
    issued before the cut."""
    v = _invoice.c
    found: list[tuple[str, date, int]] = []
    if cut > today:
        # The running period: what is owed now, read from the unpaid invoices' covering index.
        for currency, due, owed in _rows(
            session,
            select(v.currency, v.due_on, func.sum(v.amount_minor - v.paid_minor))
            .where(v.paid_minor < v.amount_minor)
            .group_by(v.currency, v.due_on),
        ):
            found.append((currency, due, int(owed)))
        return found
    before = v.issued_on < cut
    # Unpaid now: all of it was owed at the cut if the (last) payment came on or after it.
    owed_then = case((v.paid_on >= cut, v.amount_minor), else_=v.amount_minor - v.paid_minor)
    unpaid = (
        select(v.currency, v.due_on, func.sum(case((before, owed_then), else_=0)), func.sum(case((before, 1), else_=0)))
        .where(v.paid_minor < v.amount_minor)
        .group_by(v.currency, v.due_on)
    )
    paid_off_later = (
        select(
            v.currency,
            v.due_on,
            func.sum(case((before, v.amount_minor), else_=0)),
            func.sum(case((before, 1), else_=0)),
        )
        .where(v.paid_on >= cut, v.paid_minor >= v.amount_minor)
        .group_by(v.currency, v.due_on)
    )
    for statement in (unpaid, paid_off_later):
        for currency, due, owed, issued in _rows(session, statement):
            if issued:  # at least one invoice of the group was issued before the cut
                found.append((currency, due, int(owed)))
    return found


def _receivables_at(
    session: Reader, cut: date, overdue_before: date, today: date, owed: Sequence[tuple[str, date, int]] | None = None
) -> dict[str, tuple[int, int]]:
    """Owed at the start of day ``cut`` per currency, and the part of it due before ``overdue_before``
    (``owed``: :func:`owed_at` of that cut, when the caller has read it already)."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for currency, due, amount in owed if owed is not None else owed_at(session, cut, today):
        entry = totals[currency]
        entry[0] += amount
        if due < overdue_before:
            entry[1] += amount
    return {currency: (owed, late) for currency, (owed, late) in totals.items()}


def _targets(session: Reader, period: Period) -> dict[str, int]:
    t = _target.c
    statement = (
        select(t.currency, func.sum(t.amount_minor))
        .where(t.period >= period.start, t.period < period.end)
        .group_by(t.currency)
    )
    return _money_by_currency(session, statement)


def _active(session: Reader, start: date, end: date) -> set[int]:
    v = _invoice.c
    return {
        row[0] for row in _rows(session, select(v.client_id).where(v.issued_on >= start, v.issued_on < end).distinct())
    }


def _names(session: Reader, ids: Iterable[int]) -> dict[int, str]:
    wanted = list(ids)
    if not wanted:
        return {}
    c = _client.c
    return dict(_rows(session, select(c.id, c.name).where(c.id.in_(wanted))))


def period_cut(period: Period, today: date) -> date:
    """The day whose start the figures "at the period's end" are taken at: for the running period, as of now."""
    return min(period.end, today + timedelta(days=1))


def compute_kpis(
    *,
    session: Reader,
    period: Period,
    now: datetime,
    zone: tzinfo,
    settings: PortfolioSettings | None = None,
    top: int = 5,
    money_only: bool = False,
    owed_rows: Sequence[tuple[str, date, int]] | None = None,
) -> Kpis:
    """Every KPI of ``period`` as of ``now``: per currency, never summed across currencies.

    ``money_only``: just the money per currency (invoiced, paid, owed, plan); clients, growth, upsell,
    work, pipeline and stalled deals are left empty (the summary's "previous period"). ``owed_rows``: what
    :func:`owed_at` gives at :func:`period_cut`, when the caller has read it already (the summary's aging)."""
    settings = settings or PortfolioSettings()
    today = now.astimezone(zone).date()
    running = period.start <= today < period.end
    cut = period_cut(period, today)
    overdue_before = min(period.end, today)

    invoiced = _invoiced(session, period.start, period.end)
    v = _invoice.c
    paid = _money_by_currency(
        session,
        select(v.currency, func.sum(v.paid_minor))
        .where(v.paid_on >= period.start, v.paid_on < period.end, v.paid_minor > 0)
        .group_by(v.currency),
    )
    receivables = _receivables_at(session, cut, overdue_before, today, owed_rows)
    targets = _targets(session, period)

    upsell: dict[str, int] = {}
    won: dict[str, dict[str, int]] = defaultdict(dict)
    if not money_only:
        # Upsell: invoiced money from clients with an upsell/cross-sell deal won in the trailing 12 months.
        d = _deal.c
        upsell_clients = select(d.client_id).where(
            d.stage == DealStage.WON,
            d.kind.in_((DealKind.UPSELL, DealKind.CROSS_SELL)),
            d.closed_on >= cut - timedelta(days=settings.upsell_days),
            d.closed_on < cut,
        )
        upsell = _money_by_currency(
            session,
            select(v.currency, func.sum(v.amount_minor))
            .where(v.issued_on >= period.start, v.issued_on < period.end, v.client_id.in_(upsell_clients))
            .group_by(v.currency),
        )
        for currency, kind, total in _rows(
            session,
            select(d.currency, d.kind, func.sum(d.amount_minor))
            .where(d.stage == DealStage.WON, d.closed_on >= period.start, d.closed_on < period.end)
            .group_by(d.currency, d.kind)
            .order_by(d.currency, d.kind),
        ):
            won[currency][kind] = int(total or 0)

    codes = sorted(set(invoiced) | set(paid) | set(receivables) | set(targets) | set(won))
    elapsed = (today - period.start).days + 1
    currencies = []
    for code in codes:
        total, count = invoiced.get(code, (0, 0))
        target = targets.get(code)
        pace = None
        if running and target:
            pace = percent(total * period.days, target * elapsed)
        owed, late = receivables.get(code, (0, 0))
        currencies.append(
            CurrencyKpi(
                currency=code,
                invoiced_minor=total,
                invoice_count=count,
                average_invoice_minor=_round(Decimal(total) / count) if count else None,
                paid_minor=paid.get(code, 0),
                receivables_minor=owed,
                overdue_minor=late,
                target_minor=target,
                reached_pct=percent(total, target) if target else None,
                pace_pct=pace,
                upsell_invoiced_minor=upsell.get(code, 0),
                upsell_share_pct=percent(upsell.get(code, 0), total),
                won_by_kind=won.get(code, {}),
            )
        )

    rates = load_rates(session, settings.home_currency)
    converted = _converted(currencies, rates, cut - timedelta(days=1)) if rates.any else None

    if money_only:
        return Kpis(
            period, today, running, tuple(currencies), converted, 0, 0, (), (), settings.active_days, (), (), (), (), ()
        )
    active_days = timedelta(days=settings.active_days)
    active_now = _active(session, cut - active_days, cut)
    active_before = _active(session, period.start - active_days, period.start)
    new_ids = active_now - active_before
    lost_ids = active_before - active_now
    names = _names(session, new_ids | lost_ids)

    spans = growth_spans(period, cut)
    up, down = _growth(session, spans, top)
    return Kpis(
        period=period,
        today=today,
        running=running,
        currencies=tuple(currencies),
        converted=converted,
        active_clients=len(active_now),
        active_before=len(active_before),
        new_clients=tuple(sorted(names[i] for i in new_ids)),
        lost_clients=tuple(sorted(names[i] for i in lost_ids)),
        active_days=settings.active_days,
        growth_up=up,
        growth_down=down,
        work=_work(session, period, zone, today if running else None),
        pipeline=tuple(weighted_pipeline(session=session)),
        stalled=tuple(stalled_deals(session=session, today=today, zone=zone, limits=settings.stalled_days)),
        growth_spans=spans,
    )


def _converted(currencies: Sequence[CurrencyKpi], rates: Rates, day: date) -> ConvertedTotal | None:
    used: dict[str, tuple[Decimal, date]] = {}
    sums = [0, 0, 0, 0, 0]
    any_target = False
    for kpi in currencies:
        rate = rates.on(kpi.currency, day)
        if rate is None:
            return None  # a currency without a rate: no converted total at all, rather than a wrong one
        if rate[1] is not None:
            used[kpi.currency] = (Decimal(rate[0]) / RATE_SCALE, rate[1])
        values = (kpi.invoiced_minor, kpi.paid_minor, kpi.receivables_minor, kpi.overdue_minor, kpi.target_minor or 0)
        for index, value in enumerate(values):
            sums[index] += _round(Decimal(value) * rate[0] / RATE_SCALE)
        any_target = any_target or kpi.target_minor is not None
    if not used:
        return None  # everything is in the home currency already
    return ConvertedTotal(
        currency=rates.home,
        invoiced_minor=sums[0],
        paid_minor=sums[1],
        receivables_minor=sums[2],
        overdue_minor=sums[3],
        target_minor=sums[4] if any_target else None,
        rates=used,
        as_of=day,
    )


def growth_spans(period: Period, cut: date) -> tuple[Period, Period]:
    """The days growth compares: the period up to ``cut`` (exclusive; the day after today while it runs)
    and the same days a year earlier. Two days of December are not compared with the whole of last December."""
    now = Period(period.kind, period.start, min(period.end, cut))
    earlier = period.year_earlier()
    before_end = min(earlier.end, earlier.start + timedelta(days=(now.end - now.start).days))
    return now, Period(period.kind, earlier.start, before_end)


def _growth(
    session: Reader, spans: tuple[Period, Period], top: int
) -> tuple[tuple[ClientGrowth, ...], tuple[ClientGrowth, ...]]:
    """Per client and currency: invoiced in the period (so far) against the same days a year earlier."""
    v = _invoice.c
    sums: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for index, span in enumerate(spans):
        for client_id, currency, total in _rows(
            session,
            select(v.client_id, v.currency, func.sum(v.amount_minor))
            .where(v.issued_on >= span.start, v.issued_on < span.end)
            .group_by(v.client_id, v.currency),
        ):
            sums[(client_id, currency)][index] = int(total or 0)
    # Ranked within each currency (a ruble and a euro change are not compared), the largest change first and
    # the name breaking a tie. The names are read only for the clients that can make a top: those whose change
    # reaches the top-th largest one (ties included), not for the 1,700 clients of a month of the large demo.
    changes: dict[str, list[tuple[int, int, int, int]]] = defaultdict(list)
    for (cid, cur), (now_, before_) in sums.items():
        if now_ != before_:
            changes[cur].append((now_ - before_, cid, now_, before_))
    ranked: list[tuple[str, list[tuple[int, int, int, int]], list[tuple[int, int, int, int]]]] = []
    for code in sorted(changes):
        ups = sorted((row for row in changes[code] if row[0] > 0), key=lambda row: -row[0])
        downs = sorted((row for row in changes[code] if row[0] < 0), key=lambda row: row[0])
        ranked.append((code, _reaching(ups, top), _reaching(downs, top)))
    names = _names(session, {row[1] for _code, ups, downs in ranked for row in (*ups, *downs)})
    up: list[ClientGrowth] = []
    down: list[ClientGrowth] = []
    for code, ups, downs in ranked:
        for found, rows in ((up, ups), (down, downs)):
            growth = [
                ClientGrowth(cid, names.get(cid, ""), code, now_, before_) for _change, cid, now_, before_ in rows
            ]
            sign = -1 if found is up else 1
            found += sorted(growth, key=lambda g: (sign * g.change_minor, g.client_name))[:top]
    return tuple(up), tuple(down)


def _reaching(ordered: list[tuple[int, int, int, int]], top: int) -> list[tuple[int, int, int, int]]:
    """The first ``top`` of ``ordered`` (changes sorted, the largest first) and every later one whose change
    ties with the last of them: the name decides among those."""
    if top <= 0 or len(ordered) <= top:
        return ordered  # the caller's own cut decides
    last = ordered[top - 1][0]
    end = top
    while end < len(ordered) and ordered[end][0] == last:
        end += 1
    return ordered[:end]


INBOUND_CALLS = N_("inbound calls")
REPORTED_IN_24H = N_("visits and meetings reported within 24 h")
DELEGATED_ON_TIME = N_("delegated tasks closed by their due date")
ANSWERED_SAME_DAY = N_("messages answered the same day")


# "Not cancelled" as the statuses it leaves, so that the (kind, direction, status, done_at) and (status, due_on)
# indexes find the period's rows by range (with ``!=`` SQLite read every inbound message ever: 19 ms, now 1).
NOT_CANCELLED_INTERACTION = tuple(s.value for s in InteractionStatus if s != InteractionStatus.CANCELLED)
NOT_CANCELLED_TASK = tuple(s.value for s in TaskStatus if s != TaskStatus.CANCELLED)


def _work(session: Reader, period: Period, zone: tzinfo, running_today: date | None = None) -> tuple[Ratio, ...]:
    """How the manager works, from the interactions and tasks of the period (its days in the user's zone).

    While the period runs (``running_today``), a delegated task due today or later and a message of today
    not yet answered are still undecided: they count once closed, not as failures before their day is over."""
    start, end = local_midnight(period.start, zone), local_midnight(period.end, zone)
    i = _interaction.c
    done_in = (i.status == InteractionStatus.DONE, i.done_at >= start, i.done_at < end)
    # Per direction, so that the (kind, direction, status, done_at) index answers alone.
    by_direction = dict(
        _rows(
            session,
            select(i.direction, func.count())
            .where(i.kind == InteractionKind.CALL, i.direction.in_((Direction.INBOUND, Direction.OUTBOUND)), *done_in)
            .group_by(i.direction),
        )
    )
    calls = (sum(by_direction.values()), by_direction.get(Direction.INBOUND, 0))
    r = _meeting_report.c
    meetings = _rows(
        session,
        select(_raw(i.done_at), _raw(r.created_at))
        .select_from(_interaction.outerjoin(_meeting_report, r.interaction_id == i.id))
        .where(i.kind.in_(REPORTED_KINDS), *done_in),
    )
    reported = sum(
        1 for done, written in meetings if written is not None and _utc(written) - _utc(done) <= timedelta(hours=24)
    )
    # Day ends in the user's zone, one bound per day of the period, so SQL decides "by the due day" and
    # "the same day" without reading every task and message into Python.
    days = [period.start + timedelta(days=n) for n in range(period.days)]
    day_end = {day: local_midnight(day + timedelta(days=1), zone) for day in days}
    t = _task.c
    by_due_day = case(*((t.due_on == day, bound) for day, bound in day_end.items()))
    tasks = _rows(
        session,
        select(
            func.count(),
            func.sum(
                case(
                    (and_(t.status == TaskStatus.DONE, t.completed_at.is_not(None), t.completed_at < by_due_day), 1),
                    else_=0,
                )
            ),
        ).where(
            t.assignee.is_not(None),
            t.assignee != "",
            t.status.in_(NOT_CANCELLED_TASK),
            t.due_on >= period.start,
            t.due_on < period.end,
            *(() if running_today is None else (or_(t.due_on < running_today, t.status == TaskStatus.DONE),)),
        ),
    )[0]
    end_of_day_came = case(*((i.done_at < bound, bound) for bound in day_end.values()))
    messages = _rows(
        session,
        select(
            func.count(),
            func.sum(case((and_(i.replied_at.is_not(None), i.replied_at < end_of_day_came), 1), else_=0)),
        ).where(
            i.kind.in_((InteractionKind.EMAIL, InteractionKind.MESSAGE)),
            i.direction == Direction.INBOUND,
            i.status.in_(NOT_CANCELLED_INTERACTION),
            i.done_at >= start,
            i.done_at < end,
            or_(i.needs_reply.is_(True), i.replied_at.is_not(None)),
            *(
                ()
                if running_today is None
                else (or_(i.done_at < local_midnight(running_today, zone), i.replied_at.is_not(None)),)
            ),
        ),
    )[0]
    return (
        Ratio(INBOUND_CALLS, int(calls[1] or 0), int(calls[0] or 0)),
        Ratio(REPORTED_IN_24H, reported, len(meetings)),
        Ratio(DELEGATED_ON_TIME, int(tasks[1] or 0), int(tasks[0] or 0)),
        Ratio(ANSWERED_SAME_DAY, int(messages[1] or 0), int(messages[0] or 0)),
    )


# --- pipeline and stalled deals --------------------------------------------------------------------------------


def weighted_pipeline(*, session: Reader) -> list[PipelineRow]:
    """Open deals per currency and expected-close month: count, amount, amount x probability (rounded
    half up once per month, so the weighted figure is exact to the minor unit)."""
    d = _deal.c
    rows = _rows(
        session,
        select(
            d.currency,
            d.expected_close,
            func.count(),
            func.sum(func.coalesce(d.amount_minor, 0)),
            # Cast: amount x probability overflows a 32-bit integer on PostgreSQL.
            func.sum(cast(func.coalesce(d.amount_minor, 0), BigInteger) * func.coalesce(d.probability, 0)),
        )
        .where(d.stage.in_(OPEN_DEAL_STAGES))
        .group_by(d.currency, d.expected_close),
    )
    groups: dict[tuple[str, date | None], list[int]] = defaultdict(lambda: [0, 0, 0])
    for currency, close, count, amount, product in rows:
        group = groups[(currency, close.replace(day=1) if close else None)]
        group[0] += int(count)
        group[1] += int(amount or 0)
        group[2] += int(product or 0)
    return [
        PipelineRow(currency, month, count, amount, weighted(product, 1))
        for (currency, month), (count, amount, product) in sorted(
            groups.items(), key=lambda item: (item[0][0], item[0][1] is None, item[0][1] or date.min)
        )
    ]


# --- ABC -------------------------------------------------------------------------------------------------------


def apply_tiers(*, session: Session, changes: Iterable[AbcRow], now: datetime) -> int:
    """Store the suggested tiers; returns how many clients changed."""
    count = 0
    connection = _connection(session)
    for row in changes:
        if not row.differs:
            continue
        connection.execute(
            update(_client).where(_client.c.id == row.client_id).values(tier=row.suggested, updated_at=now)
        )
        count += 1
    return count


# --- credit exposure -------------------------------------------------------------------------------------------


def credit_warning(
    *, before: CreditExposure | None, after: CreditExposure | None, warning_pct: int = CREDIT_WARNING_PCT
) -> str | None:
    """What to tell the user when a change (an invoice, a deal won) raised a client's exposure into the
    warning band or past its limit; None when it did not."""
    if before is None or after is None or after.exposure_minor <= before.exposure_minor:
        return None
    status = after.status(warning_pct)
    if status == "ok":
        return None
    from amtui.services.locale_format import money as format_money
    from amtui.services.locale_format import percent as format_percent

    exposure, limit, code = after.exposure_minor, after.limit_minor, after.currency
    if status == "over":
        return _("{client}: exposure is now {exposure}, over the credit limit of {limit} by {excess}").format(
            client=after.client_name,
            exposure=format_money(exposure, code),
            limit=format_money(limit, code),
            excess=format_money(exposure - limit, code),
        )
    return _("{client}: exposure is now {exposure}, {share} of the credit limit of {limit}").format(
        client=after.client_name,
        exposure=format_money(exposure, code),
        share=format_percent(after.used_pct),
        limit=format_money(limit, code),
    )


def credit_check(
    *, session: Reader, client_id: int, extra_minor: int, currency: str, warning_pct: int = CREDIT_WARNING_PCT
) -> str | None:
    """A warning when adding ``extra_minor`` to the client's exposure would pass its limit or the warning band."""
    found = credit_exposure(session=session, client_ids=[client_id])
    if not found or found[0].currency != currency.upper():
        return None
    now = found[0]
    after = now.exposure_minor + extra_minor
    from amtui.services.locale_format import money as format_money
    from amtui.services.locale_format import percent as format_percent

    if after > now.limit_minor:
        return _("{client}: exposure would be {exposure} against a credit limit of {limit} (over by {excess})").format(
            client=now.client_name,
            exposure=format_money(after, now.currency),
            limit=format_money(now.limit_minor, now.currency),
            excess=format_money(after - now.limit_minor, now.currency),
        )
    if after * 100 >= now.limit_minor * warning_pct:
        return _("{client}: exposure would be {exposure}, {share} of the credit limit of {limit}").format(
            client=now.client_name,
            exposure=format_money(after, now.currency),
            share=format_percent(percent(after, now.limit_minor)),
            limit=format_money(now.limit_minor, now.currency),
        )
    return None


# --- the Portfolio screen's read ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MonthlyInvoiced:
    currency: str
    months: tuple[date, ...]  # first days, oldest first
    amounts: tuple[int, ...]  # minor units invoiced in each month


@dataclass(frozen=True, slots=True)
class PortfolioView:
    """Everything the Portfolio screen shows, read in one go."""

    kpis: Kpis
    monthly: tuple[MonthlyInvoiced, ...]
    abc: AbcResult
    credit: tuple[CreditExposure, ...]
    credit_warning_pct: int


def monthly_invoiced(*, session: Reader, last_month: date, months: int = 12) -> list[MonthlyInvoiced]:
    """Invoiced per currency for each of ``months`` calendar months ending with ``last_month``'s."""
    end = _add_months(last_month.replace(day=1), 1)
    firsts = tuple(_add_months(end, -back) for back in range(months, 0, -1))
    v = _invoice.c
    sums: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for currency, day, total in _rows(
        session,
        select(v.currency, v.issued_on, func.sum(v.amount_minor))
        .where(v.issued_on >= firsts[0], v.issued_on < end)
        .group_by(v.currency, v.issued_on),
    ):
        sums[currency][day.replace(day=1)] += int(total or 0)
    return [MonthlyInvoiced(code, firsts, tuple(sums[code].get(first, 0) for first in firsts)) for code in sorted(sums)]


@dataclass(frozen=True, slots=True)
class PortfolioMoney:
    """The Portfolio screen's first part, from its cheapest reads: this month's money per currency against
    the plan (money only: no pipeline or stalled deals yet) and 12 months invoiced for the chart."""

    kpis: Kpis
    monthly: tuple[MonthlyInvoiced, ...]


def portfolio_money(
    *, session: Reader, now: datetime, zone: tzinfo, settings: PortfolioSettings | None = None
) -> PortfolioMoney:
    settings = settings or PortfolioSettings()
    today = now.astimezone(zone).date()
    # The screen shows money, plan, pipeline and stalled deals: not the clients, growth or work ratios.
    kpis = compute_kpis(
        session=session, period=month_period(today), now=now, zone=zone, settings=settings, money_only=True
    )
    return PortfolioMoney(kpis=kpis, monthly=tuple(monthly_invoiced(session=session, last_month=today)))


def portfolio_rest(
    *,
    session: Reader,
    money: PortfolioMoney,
    zone: tzinfo,
    settings: PortfolioSettings | None = None,
) -> PortfolioView:
    """The whole screen: ``money`` (:func:`portfolio_money`) completed with the pipeline, the stalled deals,
    credit exposure and the ABC tiers (the costlier reads), as of the same day."""
    settings = settings or PortfolioSettings()
    today = money.kpis.today
    kpis = replace(
        money.kpis,
        pipeline=tuple(weighted_pipeline(session=session)),
        stalled=tuple(stalled_deals(session=session, today=today, zone=zone, limits=settings.stalled_days)),
    )
    credit = [row for row in credit_exposure(session=session) if row.status(settings.credit_warning_pct) != "ok"]
    credit.sort(key=lambda row: (-(row.exposure_minor * 10_000 // max(row.limit_minor, 1)), row.client_name))
    return PortfolioView(
        kpis=kpis,
        monthly=money.monthly,
        abc=abc_tiers(
            session=session, today=today, thresholds=settings.abc_thresholds, home_currency=settings.home_currency
        ),
        credit=tuple(credit),
        credit_warning_pct=settings.credit_warning_pct,
    )


def portfolio_view(
    *, session: Reader, now: datetime, zone: tzinfo, settings: PortfolioSettings | None = None
) -> PortfolioView:
    """Everything the Portfolio screen shows, in one call (:func:`portfolio_money`, then :func:`portfolio_rest`)."""
    money = portfolio_money(session=session, now=now, zone=zone, settings=settings)
    return portfolio_rest(session=session, money=money, zone=zone, settings=settings)
