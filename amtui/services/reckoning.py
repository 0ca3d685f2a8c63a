"""The portfolio's reckonings the alert engine reads: ABC tiers, credit exposure, stalled deals, and the
exchange rates and settings they stand on, in plain SQL through a :class:`amtui.services.store.Store`.

``amtui digest`` and ``amtui alerts`` read on a plain ``sqlite3`` connection when the database is a SQLite
file at the current schema, so the alert engine and what it calls import no SQLAlchemy: these used to live
in :mod:`amtui.services.portfolio` (SQLAlchemy Core), which still offers them under the same names. ``session``
is anything :func:`amtui.services.store.store_of` takes: a Session, a SQLAlchemy or sqlite3 connection, a Store.
Values are turned into dates and aware moments whatever the driver gives (SQLite: text; PostgreSQL: objects).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from operator import itemgetter
from typing import Any

from amtui.i18n import _, ngettext
from amtui.services.errors import ValidationError
from amtui.services.store import Store, placeholders, store_of
from amtui.vocabulary import OPEN_DEAL_STAGES, ClientStatus, DealStage, Tier

ACTIVE_DAYS = 90  # a client is active with an invoice in the trailing 90 days


UPSELL_DAYS = 365  # upsell/cross-sell deals won in the trailing 12 months


ABC_THRESHOLDS = (80, 95)  # A: the first 80 % of revenue, B: up to 95 %, C: the rest


ABC_MIN_CLIENTS = 3  # fewer clients with revenue in a currency: too few to rank


CREDIT_WARNING_PCT = 90


# Days a deal may sit in a stage before it is called stalled.
STALLED_DAYS: dict[str, int] = {
    DealStage.LEAD: 30,
    DealStage.QUALIFIED: 21,
    DealStage.PROPOSAL: 14,
    DealStage.NEGOTIATION: 21,
}


RATE_SCALE = 1_000_000  # rates are stored in millionths (amtui.models.rate)


@dataclass(frozen=True, slots=True)
class PortfolioSettings:
    home_currency: str = "RUB"
    active_days: int = ACTIVE_DAYS
    upsell_days: int = UPSELL_DAYS
    abc_thresholds: tuple[int, int] = ABC_THRESHOLDS
    credit_warning_pct: int = CREDIT_WARNING_PCT
    stalled_days: Mapping[str, int] = field(default_factory=lambda: dict(STALLED_DAYS))


def settings_from(config: Any) -> PortfolioSettings:
    """The services' settings from :class:`amtui.config.Settings` (its ``currency`` and ``[portfolio]`` table)."""
    table_ = config.portfolio
    return PortfolioSettings(
        home_currency=config.currency,
        active_days=table_.active_days,
        upsell_days=table_.upsell_days,
        abc_thresholds=(table_.abc_a, table_.abc_b),
        credit_warning_pct=table_.credit_warning_pct,
        stalled_days=dict(table_.stalled_days),
    )


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """``part`` of ``whole`` in percent, exact to one decimal (half up); None when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _add_months(day: date, months: int) -> date:
    """The first of the month ``months`` away from ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def local_midnight(day: date, zone: tzinfo) -> datetime:
    """00:00 of ``day`` in ``zone``, as an aware UTC datetime."""
    return datetime.combine(day, time(0, 0), tzinfo=zone).astimezone(UTC)


def _utc(value: datetime | str) -> datetime:
    """A stored moment as an aware UTC datetime: from a driver's datetime, or from the raw text SQLite
    keeps (plain SQL, or ``portfolio._raw``; parsing it with ``fromisoformat`` is many times cheaper than
    the dialect's own result processing, which matters over thousands of rows)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def local_days(zone: tzinfo) -> Callable[[datetime | str], date]:
    """A stored moment (raw, see :func:`_utc`) -> its day in ``zone``, worked out once per distinct
    value: the large demo's month moves 3,700 deals at a dozen distinct moments."""
    found: dict[datetime | str, date] = {}

    def day(moment: datetime | str) -> date:
        known = found.get(moment)
        if known is None:
            known = found[moment] = _utc(moment).astimezone(zone).date()
        return known

    return day


@dataclass(frozen=True, slots=True)
class RateRead:
    currency: str
    rate: Decimal
    valid_from: date


def _day(value: Any) -> date:
    """A stored day as a date (SQLite keeps ISO text, PostgreSQL returns a date)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def list_rates(*, session: Any) -> list[RateRead]:
    rows = store_of(session).rows(
        "SELECT exchange_rate.currency, exchange_rate.rate_e6, exchange_rate.valid_from FROM exchange_rate"
        " ORDER BY exchange_rate.currency, exchange_rate.valid_from"
    )
    return [RateRead(currency, Decimal(rate) / RATE_SCALE, _day(day)) for currency, rate, day in rows]


@dataclass(frozen=True, slots=True)
class Rates:
    """The rates known, to convert into ``home`` as of a day."""

    home: str
    by_currency: Mapping[str, tuple[tuple[date, int], ...]]  # currency -> (valid_from, rate_e6), oldest first

    def on(self, currency: str, day: date) -> tuple[int, date | None] | None:
        """(rate_e6, valid_from) in force on ``day``; the home currency is 1 (no date); None when unknown."""
        if currency == self.home:
            return RATE_SCALE, None
        found = None
        for valid_from, rate in self.by_currency.get(currency, ()):
            if valid_from <= day:
                found = (rate, valid_from)
        return found

    def convert(self, amount_minor: int, currency: str, day: date) -> int | None:
        if currency == self.home:
            return amount_minor  # rate 1: no Decimal work for most rows
        rate = self.on(currency, day)
        if rate is None:
            return None
        return _round(Decimal(amount_minor) * rate[0] / RATE_SCALE)

    @property
    def any(self) -> bool:
        return bool(self.by_currency)


def load_rates(session: Any, home: str) -> Rates:
    by_currency: dict[str, list[tuple[date, int]]] = defaultdict(list)
    for rate in list_rates(session=session):
        by_currency[rate.currency].append((rate.valid_from, int(rate.rate * RATE_SCALE)))
    return Rates(home.upper(), {key: tuple(values) for key, values in by_currency.items()})


@dataclass(frozen=True, slots=True)
class StalledDeal:
    deal_id: int
    client_id: int
    client_name: str
    title: str
    stage: str
    since: date
    days: int
    limit: int
    amount_minor: int | None
    currency: str


def stalled_deals(
    *, session: Any, today: date, zone: tzinfo, limits: Mapping[str, int] | None = None
) -> list[StalledDeal]:
    """Open deals that have sat in their stage at least as many days as the stage allows, longest over first.

    Decided in SQL: the stage began before local midnight of (today - limit + 1), one moment per stage."""
    limits = STALLED_DAYS if limits is None else limits
    stages = [stage for stage in OPEN_DEAL_STAGES if stage in limits]
    if not stages:
        return []
    marks, params = placeholders("stage", [str(stage) for stage in stages])
    whens = []
    for index, stage in enumerate(stages):
        whens.append(f" WHEN (deal.stage = :stage{index}) THEN :since{index}")
        params[f"since{index}"] = local_midnight(today - timedelta(days=limits[stage] - 1), zone)
    began = "coalesce(deal.stage_changed_at, deal.created_at)"
    # The client's name by its key per deal found: joined, SQLite walked every client and its deals
    # (87 against 38 ms at 60,000 deals). A deal always has its client (foreign key, cascade).
    rows = store_of(session).rows(
        "SELECT deal.id, deal.client_id, (SELECT client.name FROM client WHERE client.id = deal.client_id),"
        f" deal.title, deal.stage, {began}, deal.amount_minor, deal.currency FROM deal"
        f" WHERE deal.stage IN ({marks}) AND {began} < CASE{''.join(whens)} END",
        params,
    )
    found = []
    local_day = local_days(zone)
    for deal_id, client_id, name, title, stage, moment, amount, currency in rows:
        since = local_day(moment)
        days = (today - since).days
        found.append(StalledDeal(deal_id, client_id, name, title, stage, since, days, limits[stage], amount, currency))
    found.sort(key=lambda s: (-(s.days - s.limit), s.deal_id))
    return found


@dataclass(frozen=True, slots=True)
class AbcRow:
    client_id: int
    client_name: str
    status: str
    stored: str
    suggested: str
    revenue_minor: int
    currency: str  # the group's currency: the home currency when converted
    converted: bool
    share_pct: Decimal | None
    note: str = ""

    @property
    def differs(self) -> bool:
        return self.suggested != self.stored


@dataclass(frozen=True, slots=True)
class AbcResult:
    since: date
    until: date  # exclusive
    thresholds: tuple[int, int]
    rows: tuple[AbcRow, ...]

    @property
    def changes(self) -> tuple[AbcRow, ...]:
        return tuple(row for row in self.rows if row.differs)


def abc_tiers(
    *,
    session: Any,
    today: date,
    months: int = 12,
    thresholds: tuple[int, int] = ABC_THRESHOLDS,
    home_currency: str = "RUB",
    min_clients: int = ABC_MIN_CLIENTS,
    changes_only: bool = False,
) -> AbcResult:
    """Pareto over the trailing ``months`` of invoiced revenue: A the clients making the first
    ``thresholds[0]`` % of it, B up to ``thresholds[1]`` %, C the rest. Revenue in a currency with a
    rate is converted to the home currency and ranked with it; a currency without one is ranked on its own.
    Clients without revenue are C, except prospects, which keep their tier (with a note). A group of
    fewer than ``min_clients`` clients with revenue is too small to rank: its clients keep their tiers.

    ``changes_only``: ``rows`` holds only the clients whose suggested tier differs from the stored one
    (what the alert engine needs: every client is still ranked, but 20,000 rows are not built)."""
    if months < 1:
        raise ValidationError(_("at least one month"), field="--months")
    a_limit, b_limit = thresholds
    if not 0 < a_limit < b_limit <= 100:
        raise ValidationError(
            _("thresholds {a_limit}/{b_limit}: need 0 < A < B <= 100").format(a_limit=a_limit, b_limit=b_limit),
            field="abc",
        )
    until = today + timedelta(days=1)
    since = _months_back(today, months)
    store = store_of(session)
    rates = load_rates(store, home_currency)
    # A year or more is most of the invoices: one pass over ix_invoice_client_revenue, already in group
    # order, beats the date range of ix_invoice_issued and a temporary B-tree (120 against 300 ms at
    # 500,000 invoices). The date wrapped in coalesce() keeps SQLite from choosing the date index.
    issued = "coalesce(invoice.issued_on, invoice.issued_on)" if months >= 12 else "invoice.issued_on"
    revenue = store.rows(
        "SELECT invoice.client_id, invoice.currency, sum(invoice.amount_minor) FROM invoice"
        f" WHERE {issued} >= :since AND {issued} < :until GROUP BY invoice.client_id, invoice.currency",
        {"since": since, "until": until},
    )
    groups: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    home = rates.home
    for client_id, currency, total in revenue:
        amount = int(total or 0)
        value = amount if currency == home else rates.convert(amount, currency, today)  # the home rate is 1
        if value is None:
            groups[currency][client_id] += amount
        else:
            groups[home][client_id] += value
    listed = "SELECT client.id, client.name, client.tier, client.status FROM client WHERE client.status != :lost"
    # The changes alone are alerts (sorted by the engine, ties by id): no need for the database to sort 20,000 names.
    clients = store.rows(
        listed if changes_only else listed + " ORDER BY client.name, client.id", {"lost": ClientStatus.LOST.value}
    )
    # client -> (tier, revenue, currency group, the group's total): the share is worked out per row built.
    best: dict[int, tuple[str, int, str, int]] = {}
    stored_tiers = {row[0]: row[2] for row in clients}
    too_few: dict[int, str] = {}
    for code, members in groups.items():
        total = sum(members.values())
        if len(members) < min_clients:
            for client_id, value in members.items():
                if client_id in best:
                    continue
                best[client_id] = (stored_tiers.get(client_id, "C"), value, code, total)
                too_few[client_id] = ngettext(
                    "only {n} client(s) with revenue in {currency}: too few to rank",
                    "only {n} client(s) with revenue in {currency}: too few to rank",
                    len(members),
                ).format(n=len(members), currency=code)
            continue
        running = 0
        a_bound, b_bound = a_limit * total, b_limit * total
        # The largest revenue first, ties by client id: sorted by id, then (stable) by revenue, descending.
        ranked = sorted(members.items())
        ranked.sort(key=itemgetter(1), reverse=True)
        for client_id, value in ranked:
            if total > 0:  # share before this client < limit, in integers: running * 100 / total < limit
                before = running * 100
                tier = "A" if before < a_bound else "B" if before < b_bound else "C"
            else:
                share_before = Decimal(running) * 100 / total if total else Decimal(100)
                tier = "A" if share_before < a_limit else "B" if share_before < b_limit else "C"
            running += value
            current = best.get(client_id)
            if current is None or tier < current[0] or (too_few and client_id in too_few):
                best[client_id] = (tier, value, code, total)
                if too_few:
                    too_few.pop(client_id, None)
    rows = []
    for client_id, name, stored, status in clients:
        if client_id in best:
            tier, value, code, total = best[client_id]
            if changes_only and tier == stored:
                continue
            converted = code == rates.home and rates.any
            note = too_few.get(client_id, "")
            rows.append(
                AbcRow(client_id, name, status, stored, tier, value, code, converted, percent(value, total), note)
            )
        elif status == ClientStatus.PROSPECT:
            if changes_only:
                continue  # a prospect without revenue keeps its tier
            rows.append(
                AbcRow(
                    client_id,
                    name,
                    status,
                    stored,
                    stored,
                    0,
                    "",
                    False,
                    None,
                    "prospect without revenue yet: tier kept",
                )
            )
        elif not (changes_only and stored == Tier.C):
            rows.append(AbcRow(client_id, name, status, stored, Tier.C.value, 0, "", False, None, "no revenue"))
    rows.sort(key=lambda row: (row.currency, -row.revenue_minor, row.client_name, row.client_id))
    return AbcResult(since, until, (a_limit, b_limit), tuple(rows))


def _months_back(today: date, months: int) -> date:
    """The same day ``months`` months back, plus one (a trailing window of exactly that many months)."""
    index = today.year * 12 + today.month - 1 - months
    year, month = index // 12, index % 12 + 1
    last = (_add_months(date(year, month, 1), 1) - timedelta(days=1)).day
    return date(year, month, min(today.day, last)) + timedelta(days=1)


@dataclass(frozen=True, slots=True)
class CreditExposure:
    client_id: int
    client_name: str
    currency: str
    limit_minor: int
    receivables_minor: int
    won_not_invoiced_minor: int
    payment_terms_days: int | None
    discount_bp: int | None

    @property
    def exposure_minor(self) -> int:
        return self.receivables_minor + self.won_not_invoiced_minor

    @property
    def headroom_minor(self) -> int:
        return self.limit_minor - self.exposure_minor

    @property
    def used_pct(self) -> Decimal | None:
        return percent(self.exposure_minor, self.limit_minor)

    def status(self, warning_pct: int = CREDIT_WARNING_PCT) -> str:
        """ "over" past the limit, "warning" from ``warning_pct`` % of it, else "ok"."""
        if self.exposure_minor > self.limit_minor:
            return "over"
        if self.exposure_minor * 100 >= self.limit_minor * warning_pct:
            return "warning"
        return "ok"


def credit_exposure_rows(
    store: Store, client_ids: Iterable[int] | None = None
) -> list[tuple[int, str, str, int, int, int, int | None, int | None]]:
    """Per client with a credit limit: (id, name, currency, limit, open receivables, won deals not
    invoiced yet, payment terms, discount), the money in the client's currency. A won deal counts
    until the client has an invoice issued on or after the day it was won."""
    where = "credit_limit_minor IS NOT NULL"
    params: dict[str, Any] = {}
    if client_ids is not None:
        marks, params = placeholders("i", list(client_ids))
        where += f" AND id IN ({marks})"
    clients = store.rows(
        f"SELECT id, name, currency, credit_limit_minor, payment_terms_days, discount_bp FROM client WHERE {where}",
        params,
    )
    if not clients:
        return []
    marks, id_params = placeholders("k", [row[0] for row in clients])
    ids = f"({marks})"
    owed = {
        (cid, currency): int(total or 0)
        for cid, currency, total in store.rows(
            "SELECT client_id, currency, sum(amount_minor - paid_minor) FROM invoice"
            f" WHERE paid_minor < amount_minor AND client_id IN {ids} GROUP BY client_id, currency",
            id_params,
        )
    }
    last_invoice = {
        cid: None if last is None else _day(last)
        for cid, last in store.rows(
            f"SELECT client_id, max(issued_on) FROM invoice WHERE client_id IN {ids} GROUP BY client_id", id_params
        )
    }
    won: dict[tuple[int, str], int] = defaultdict(int)
    for cid, currency, amount, closed in store.rows(
        "SELECT client_id, currency, amount_minor, closed_on FROM deal"
        f" WHERE stage = :won AND client_id IN {ids} AND amount_minor IS NOT NULL",
        {**id_params, "won": DealStage.WON.value},
    ):
        last = last_invoice.get(cid)
        closed_on = None if closed is None else _day(closed)
        if closed_on is None or last is None or last < closed_on:
            won[(cid, currency)] += amount
    return [
        (cid, name, currency, int(limit), owed.get((cid, currency), 0), won.get((cid, currency), 0), terms, discount)
        for cid, name, currency, limit, terms, discount in clients
    ]


def credit_exposure(*, session: Any, client_ids: Iterable[int] | None = None) -> list[CreditExposure]:
    """Per client with a credit limit: open receivables + won deals not invoiced yet (a won deal counts
    until the client has an invoice issued on or after the day it was won), in the client's currency
    (the rule: :func:`credit_exposure_rows`, which the client card reads too)."""
    return [CreditExposure(*row) for row in credit_exposure_rows(store_of(session), client_ids)]


def exposure_of(*, session: Any, client_id: int) -> CreditExposure | None:
    found = credit_exposure(session=session, client_ids=[client_id])
    return found[0] if found else None
