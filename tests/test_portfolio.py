"""Portfolio numbers on a hand-built dataset whose every expected figure is computed by hand below.

The clock: Monday 14 February 2028, 12:00 in Moscow (UTC+3); 2028 is a leap year, so February has
29 days. Two currencies (RUB, EUR), a partly paid invoice, moments a few minutes either side of
local midnight at the period's boundaries, a payment made after the period it is owed in.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

ZONE = ZoneInfo("Europe/Moscow")
NOW = datetime(2028, 2, 14, 9, 0, tzinfo=UTC)  # 12:00 Moscow
TODAY = date(2028, 2, 14)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def build(session) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """The dataset; returns client ids by short name."""
    from amtui.models import (
        Client,
        Deal,
        Interaction,
        Invoice,
        MeetingReport,
        SalesTarget,
        Task,
    )

    clients = {
        "alpha": Client(
            name="ООО «Альфа»",
            name_folded="ооо «альфа»",
            tier="B",
            currency="RUB",
            credit_limit_minor=60_000_000,
            payment_terms_days=10,
            discount_bp=250,
        ),
        "beta": Client(name="Beta Ltd", name_folded="beta ltd", tier="A", currency="EUR", credit_limit_minor=900_000),
        "gamma": Client(
            name="ООО «Гамма»", name_folded="ооо «гамма»", tier="A", currency="RUB", credit_limit_minor=20_000_000
        ),
        "delta": Client(name="ООО «Дельта»", name_folded="ооо «дельта»", tier="B", status="prospect", currency="RUB"),
        "epsilon": Client(name="ООО «Эпсилон»", name_folded="ооо «эпсилон»", tier="B", currency="RUB"),
    }
    for client in clients.values():
        session.add(client)
    session.flush()
    ids = {key: client.id for key, client in clients.items()}
    a, b, g, e = ids["alpha"], ids["beta"], ids["gamma"], ids["epsilon"]

    def invoice(
        client_id: int,
        number: str,
        issued: date,
        due: date,
        amount: int,
        currency: str = "RUB",
        paid: int = 0,
        paid_on: date | None = None,
    ) -> None:
        session.add(
            Invoice(
                client_id=client_id,
                number=number,
                issued_on=issued,
                due_on=due,
                amount_minor=amount,
                currency=currency,
                paid_minor=paid,
                paid_on=paid_on,
            )
        )

    # February 2028 (the period).
    invoice(a, "A1", date(2028, 2, 1), date(2028, 2, 11), 50_000_000, paid=20_000_000, paid_on=date(2028, 2, 10))
    invoice(a, "A2", date(2028, 2, 12), date(2028, 3, 12), 25_000_000)
    invoice(g, "G1", date(2028, 2, 3), date(2028, 2, 20), 10_000_000, paid=10_000_000, paid_on=date(2028, 2, 5))
    invoice(b, "B1", date(2028, 2, 5), date(2028, 2, 29), 1_000_000, "EUR")
    # January 2028, paid in February.
    invoice(b, "B2", date(2028, 1, 31), date(2028, 2, 10), 500_050, "EUR", paid=500_050, paid_on=date(2028, 2, 2))
    # A year earlier.
    invoice(a, "A0", date(2027, 2, 15), date(2027, 3, 1), 40_000_000, paid=40_000_000, paid_on=date(2027, 2, 28))
    invoice(g, "G0", date(2027, 2, 10), date(2027, 2, 20), 30_000_000, paid=30_000_000, paid_on=date(2027, 2, 20))
    invoice(b, "B0", date(2027, 2, 20), date(2027, 3, 20), 800_000, "EUR", paid=800_000, paid_on=date(2027, 3, 1))
    # Active in November, not since: lost.
    invoice(e, "E0", date(2027, 11, 5), date(2027, 11, 20), 3_000_000, paid=3_000_000, paid_on=date(2027, 11, 20))

    for period, amount, currency in (
        (date(2028, 1, 1), 80_000_000, "RUB"),
        (date(2028, 2, 1), 100_000_000, "RUB"),
        (date(2028, 2, 1), 2_000_000, "EUR"),
        (date(2028, 3, 1), 999_000_000, "RUB"),
    ):
        session.add(SalesTarget(period=period, amount_minor=amount, currency=currency))

    def deal(
        client_id: int,
        title: str,
        kind: str,
        stage: str,
        amount: int,
        currency: str = "RUB",
        *,
        probability: int | None = None,
        close: date | None = None,
        closed: date | None = None,
        changed: datetime | None = None,
    ) -> None:
        session.add(
            Deal(
                client_id=client_id,
                title=title,
                kind=kind,
                stage=stage,
                amount_minor=amount,
                currency=currency,
                probability=probability,
                expected_close=close,
                closed_on=closed,
                stage_changed_at=changed or utc(2028, 1, 1),
            )
        )

    deal(a, "Допродажа", "upsell", "won", 20_000_000, closed=date(2027, 6, 1))
    deal(a, "Продление", "renewal", "won", 4_000_000, closed=date(2028, 2, 13))
    deal(g, "Новый склад", "new", "won", 15_000_000, closed=date(2028, 2, 7))
    # Open: 25 days in proposal (limit 14): stalled.
    deal(
        a,
        "Большой заказ",
        "new",
        "proposal",
        100_000_000,
        probability=30,
        close=date(2028, 3, 15),
        changed=utc(2028, 1, 20, 9),
    )
    deal(
        g,
        "Сервис",
        "cross_sell",
        "negotiation",
        33_333_333,
        probability=50,
        close=date(2028, 3, 31),
        changed=utc(2028, 2, 10, 9),
    )
    # 21:30 UTC on 15.01 is 00:30 on 16.01 in Moscow: 29 days in lead (limit 30), not stalled (in UTC it would be 30).
    deal(b, "Pilot", "new", "lead", 500_000, "EUR", changed=utc(2028, 1, 15, 21, 30))

    def touch(kind: str, done: datetime | None, direction: str = "outbound", **extra: object) -> Interaction:
        item = Interaction(
            client_id=a,
            kind=kind,
            direction=direction,
            status="done" if done else "planned",
            done_at=done,
            planned_at=None if done else utc(2028, 2, 20, 7),
            **extra,
        )
        session.add(item)
        return item

    touch("call", utc(2028, 1, 31, 21, 0), "inbound")  # 00:00 on 01.02 in Moscow: February
    touch("call", utc(2028, 2, 10, 8))
    touch("call", utc(2028, 1, 31, 20, 59), "inbound")  # 23:59 on 31.01 in Moscow: January
    touch("call", utc(2028, 2, 12, 8))
    touch("call", None)  # planned, not done
    v1 = touch("visit", utc(2028, 2, 2, 7))
    v2 = touch("meeting", utc(2028, 2, 5, 7))
    touch("visit", utc(2028, 2, 8, 7))  # no report
    touch("visit", utc(2028, 2, 29, 21, 30))  # 00:30 on 01.03 in Moscow: March
    touch("email", utc(2028, 2, 3, 6), "inbound", replied_at=utc(2028, 2, 3, 14))  # answered at 17:00
    # Came 21:00 Moscow, answered 00:30 the next day (the same day in UTC): not the same day.
    touch("message", utc(2028, 2, 4, 18), "inbound", replied_at=utc(2028, 2, 4, 21, 30))
    touch("email", utc(2028, 2, 6, 6), "inbound", needs_reply=True)  # still waiting
    touch("email", utc(2028, 2, 7, 6), "inbound")  # needed no reply
    session.flush()
    session.add(MeetingReport(interaction_id=v1.id, client_id=a, created_at=utc(2028, 2, 3, 6)))  # after 23 h
    session.add(MeetingReport(interaction_id=v2.id, client_id=a, created_at=utc(2028, 2, 6, 8)))  # after 25 h

    def task(
        title: str, assignee: str | None, due: date, status: str = "open", completed: datetime | None = None
    ) -> None:
        session.add(
            Task(title=title, client_id=a, assignee=assignee, due_on=due, status=status, completed_at=completed)
        )

    task("t1", "Петров", date(2028, 2, 10), "done", utc(2028, 2, 10, 20))  # 23:00 on the due day: on time
    task("t2", "Петров", date(2028, 2, 10), "done", utc(2028, 2, 10, 21, 30))  # 00:30 the day after: late
    task("t3", "Сидоров", date(2028, 2, 20))  # open
    task("t4", None, date(2028, 2, 10), "done", utc(2028, 2, 9))  # my own: not delegated
    task("t5", "Петров", date(2028, 2, 15), "cancelled")
    task("t6", "Сидоров", date(2028, 2, 1), "done", utc(2028, 1, 30))
    session.flush()
    return ids


@pytest.fixture
def data(session) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return build(session)


def kpis(session, month: str = "2028-02", **options: str):  # type: ignore[no-untyped-def]
    from amtui.services.portfolio import compute_kpis, parse_period

    period = parse_period(today=TODAY, **(options or {"month": month}))
    return compute_kpis(session=session, period=period, now=NOW, zone=ZONE)


def test_views_match_the_models() -> None:
    from sqlmodel import SQLModel

    import amtui.models  # noqa: F401
    from amtui.services.core_views import COLUMNS_READ  # the views portfolio.py reads through too

    for view in COLUMNS_READ:
        model = SQLModel.metadata.tables[view.name]
        for col in view.columns:
            assert col.name in model.columns, f"{view.name}.{col.name}"
            assert model.columns[col.name].type._type_affinity is col.type._type_affinity, f"{view.name}.{col.name}"


def test_money_per_currency_never_summed(session, data) -> None:  # type: ignore[no-untyped-def]
    result = kpis(session)
    assert [c.currency for c in result.currencies] == ["EUR", "RUB"]
    rub, eur = result.currency("RUB"), result.currency("EUR")
    assert rub is not None and eur is not None
    # Invoiced in February: A1 500 000 + A2 250 000 + G1 100 000 RUB; B1 10 000 EUR.
    assert (rub.invoiced_minor, rub.invoice_count) == (85_000_000, 3)
    assert (eur.invoiced_minor, eur.invoice_count) == (1_000_000, 1)
    assert rub.average_invoice_minor == 28_333_333  # 850 000 / 3 = 283 333,333...
    assert eur.average_invoice_minor == 1_000_000
    # Paid in February: A1's partial 200 000 and G1 100 000 RUB; B2 5 000,50 EUR (a January invoice).
    assert rub.paid_minor == 30_000_000 and eur.paid_minor == 500_050
    # Owed now: A1's remaining 300 000 (overdue since 11.02) + A2 250 000; B1 10 000 EUR, due 29.02.
    assert (rub.receivables_minor, rub.overdue_minor) == (55_000_000, 30_000_000)
    assert (eur.receivables_minor, eur.overdue_minor) == (1_000_000, 0)
    assert result.converted is None  # no rates: no total across currencies


def test_plan_against_actual_and_pace_in_a_leap_february(session, data) -> None:  # type: ignore[no-untyped-def]
    result = kpis(session)
    rub, eur = result.currency("RUB"), result.currency("EUR")
    assert rub is not None and eur is not None
    assert result.running and result.period.days == 29
    assert (rub.target_minor, rub.reached_pct) == (100_000_000, Decimal("85.0"))
    assert (eur.target_minor, eur.reached_pct) == (2_000_000, Decimal("50.0"))
    # 14 of 29 days gone: 850 000 x 29 / 14 = 1 760 714 of 1 000 000 -> 176.1 %; EUR 10 000 x 29 / 14 of 20 000.
    assert rub.pace_pct == Decimal("176.1") and eur.pace_pct == Decimal("103.6")
    quarter = kpis(session, quarter="2028-Q1")
    q_rub = quarter.currency("RUB")
    assert q_rub is not None
    assert q_rub.target_minor == 80_000_000 + 100_000_000 + 999_000_000  # its three months' targets
    assert q_rub.invoiced_minor == 85_000_000


def test_a_past_period_as_at_its_end(session, data) -> None:  # type: ignore[no-untyped-def]
    january = kpis(session, month="2028-01")
    assert not january.running
    eur = january.currency("EUR")
    assert eur is not None
    # B2 was issued 31.01 and paid 02.02: at January's end it was owed, not yet overdue (due 10.02).
    assert (eur.invoiced_minor, eur.receivables_minor, eur.overdue_minor, eur.paid_minor) == (500_050, 500_050, 0, 0)
    assert eur.pace_pct is None
    assert january.currency("RUB") is not None and january.currency("RUB").target_minor == 80_000_000  # type: ignore[union-attr]


def test_owed_at_a_past_cut_summed_in_sql_matches_invoice_by_invoice(session, data) -> None:  # type: ignore[no-untyped-def]
    """owed_at sums per currency and due day in SQL; the same figures, invoice by invoice, for every cut that
    matters (each issue, due and payment day and the day after): a partly paid invoice counts what was left
    at the cut, an invoice paid off on or after the cut counts whole, one issued on the cut not at all."""
    from collections import Counter
    from datetime import timedelta

    from sqlalchemy import text

    from amtui.services.portfolio import owed_at

    invoices = (
        session.connection()
        .execute(text("SELECT currency, due_on, amount_minor, paid_minor, paid_on, issued_on FROM invoice"))
        .all()
    )
    days = {date.fromisoformat(day) for row in invoices for day in row[1:2] + row[4:] if day}
    cuts = sorted(days | {day + timedelta(days=1) for day in days})
    assert len(cuts) > 20
    checked = 0
    for cut in (cut for cut in cuts if cut <= TODAY):
        expected: Counter[tuple[str, date]] = Counter()
        for currency, due, amount, paid, paid_on, issued in invoices:
            if date.fromisoformat(issued) >= cut:
                continue
            if paid_on is not None and date.fromisoformat(paid_on) >= cut:
                expected[(currency, date.fromisoformat(due))] += amount  # paid (the last of it) on or after the cut
            elif paid < amount:
                expected[(currency, date.fromisoformat(due))] += amount - paid
        found: Counter[tuple[str, date]] = Counter()
        for currency, due, owed in owed_at(session, cut, TODAY):
            found[(currency, due)] += owed
        assert found == expected, cut
        checked += bool(expected)
    assert checked > 10
    # On 2028-02-10 A1 (500 000, 200 000 paid on the 10th) was owed whole; from the 11th, 300 000.
    on_10 = dict(((c, d), o) for c, d, o in owed_at(session, date(2028, 2, 10), TODAY))
    on_11 = dict(((c, d), o) for c, d, o in owed_at(session, date(2028, 2, 11), TODAY))
    assert on_10[("RUB", date(2028, 2, 11))] == 50_000_000 and on_11[("RUB", date(2028, 2, 11))] == 30_000_000


def test_clients_growth_and_upsell(session, data) -> None:  # type: ignore[no-untyped-def]
    result = kpis(session)
    # Active: an invoice in the 90 days to today (17.11.2027-14.02.2028): Альфа, Гамма, Beta. At the month's
    # start (03.11.2027-31.01.2028): Beta (B2), Эпсилон (E0, 05.11).
    assert (result.active_clients, result.active_before) == (3, 2)
    assert result.new_clients == ("ООО «Альфа»", "ООО «Гамма»")
    assert result.lost_clients == ("ООО «Эпсилон»",)
    # February runs: its first 14 days against 01.02-14.02.2027 (G0 on 10.02; A0 on 15.02 and B0 on 20.02 come
    # later), ranked within each currency.
    spans = result.growth_spans
    assert spans is not None
    assert [(span.start, span.end) for span in spans] == [
        (date(2028, 2, 1), date(2028, 2, 15)),
        (date(2027, 2, 1), date(2027, 2, 15)),
    ]
    assert [(g.client_name, g.currency, g.change_minor, g.before_minor) for g in result.growth_up] == [
        ("Beta Ltd", "EUR", 1_000_000, 0),
        ("ООО «Альфа»", "RUB", 75_000_000, 0),
    ]
    assert [(g.client_name, g.change_minor, g.change_pct) for g in result.growth_down] == [
        ("ООО «Гамма»", -20_000_000, Decimal("-66.7")),  # 100 000 against 300 000
    ]
    # Once February is over: the whole month against the whole of February 2027.
    from amtui.services.portfolio import compute_kpis, parse_period

    march_2 = datetime(2028, 3, 2, 9, 0, tzinfo=UTC)
    whole = compute_kpis(
        session=session, period=parse_period(today=date(2028, 3, 2), month="2028-02"), now=march_2, zone=ZONE
    )
    assert not whole.running
    assert [(g.client_name, g.currency, g.change_minor) for g in whole.growth_up] == [
        ("Beta Ltd", "EUR", 200_000),  # 10 000 against 8 000 EUR
        ("ООО «Альфа»", "RUB", 35_000_000),  # 750 000 against 400 000
    ]
    assert [(g.client_name, g.change_minor) for g in whole.growth_down] == [("ООО «Гамма»", -20_000_000)]
    rub, eur = result.currency("RUB"), result.currency("EUR")
    assert rub is not None and eur is not None
    # Альфа won an upsell on 01.06.2027 (within 12 months): its 750 000 of the 850 000 invoiced.
    assert (rub.upsell_invoiced_minor, rub.upsell_share_pct) == (75_000_000, Decimal("88.2"))
    assert (eur.upsell_invoiced_minor, eur.upsell_share_pct) == (0, Decimal("0.0"))
    assert dict(rub.won_by_kind) == {"new": 15_000_000, "renewal": 4_000_000}
    assert dict(eur.won_by_kind) == {}


def test_growth_tops_break_ties_by_name_as_ranking_every_client_would(session) -> None:  # type: ignore[no-untyped-def]
    """The tops read the names of the clients that can make them only; ties at the cut are still decided by
    the name, exactly as ranking every client (the reference here) does."""
    from amtui.models import Client, Invoice
    from amtui.services.portfolio import compute_kpis, parse_period

    # (name, invoiced in February 2028, in February 2027): changes +50, +30 (three ties), +10, -30 (two), -5.
    plan = [
        ("Ян", 80, 30), ("Борис", 30, 0), ("Анна", 40, 10), ("Вера", 31, 1), ("Глеб", 10, 0),
        ("Олег", 0, 30), ("Ефим", 10, 40), ("Дина", 1, 6),
    ]  # fmt: skip
    for number, (name, now_, before) in enumerate(plan):
        client = Client(name=name, name_folded=name.lower(), tier="B", currency="RUB")
        session.add(client)
        session.flush()
        for when, amount in ((date(2028, 2, 3), now_), (date(2027, 2, 3), before)):
            if amount:
                session.add(
                    Invoice(
                        client_id=client.id,
                        number=f"G-{number}-{when.year}",
                        issued_on=when,
                        due_on=when,
                        amount_minor=amount * 100,
                        currency="RUB",
                    )
                )
    session.flush()
    march = datetime(2028, 3, 2, 9, 0, tzinfo=UTC)
    period = parse_period(today=date(2028, 3, 2), month="2028-02")
    changes = [(name, (now_ - before) * 100) for name, now_, before in plan]
    for top in (1, 2, 3, 5):
        result = compute_kpis(session=session, period=period, now=march, zone=ZONE, top=top)
        up = sorted(((-change, name) for name, change in changes if change > 0))[:top]
        down = sorted(((change, name) for name, change in changes if change < 0))[:top]
        assert [(g.client_name, g.change_minor) for g in result.growth_up] == [(n, -c) for c, n in up], top
        assert [(g.client_name, g.change_minor) for g in result.growth_down] == [(n, c) for c, n in down], top
    # Top 2 up: Ян (+50), then the first by name of the three at +30 (Анна, Борис, Вера).
    top2 = compute_kpis(session=session, period=period, now=march, zone=ZONE, top=2)
    assert [g.client_name for g in top2.growth_up] == ["Ян", "Анна"]


def test_how_the_manager_works_with_midnight_boundaries(session, data) -> None:  # type: ignore[no-untyped-def]
    from amtui.services.portfolio import ANSWERED_SAME_DAY, DELEGATED_ON_TIME, INBOUND_CALLS, REPORTED_IN_24H

    result = kpis(session)
    # Calls done in February (Moscow): the inbound one at 00:00 on 01.02 and two outbound; not 23:59 on 31.01.
    assert (result.ratio(INBOUND_CALLS).count, result.ratio(INBOUND_CALLS).total) == (1, 3)
    assert result.ratio(INBOUND_CALLS).pct == Decimal("33.3")
    # Visits/meetings: reported after 23 h, after 25 h, never; the one at 00:30 on 01.03 is March's.
    assert (result.ratio(REPORTED_IN_24H).count, result.ratio(REPORTED_IN_24H).total) == (1, 3)
    # Delegated tasks due in February up to today: t1 (23:00 on the day), t6 on time; t2 (00:30 the day after)
    # late; t3, open and due 20.02, is not late yet: not counted while February runs.
    assert (result.ratio(DELEGATED_ON_TIME).count, result.ratio(DELEGATED_ON_TIME).total) == (2, 3)
    assert result.ratio(DELEGATED_ON_TIME).pct == Decimal("66.7")
    # Messages needing a reply: answered 09:00->17:00 the same day; 21:00->00:30 the next; still waiting.
    assert (result.ratio(ANSWERED_SAME_DAY).count, result.ratio(ANSWERED_SAME_DAY).total) == (1, 3)
    march = kpis(session, month="2028-03")
    assert march.ratio(REPORTED_IN_24H).total == 1
    # A message that came this morning and is not answered yet is not late yet while the day runs.
    from amtui.models import Interaction
    from amtui.services.portfolio import compute_kpis, parse_period

    session.add(
        Interaction(
            client_id=data["alpha"],
            kind="email",
            direction="inbound",
            status="done",
            done_at=utc(2028, 2, 14, 6),
            needs_reply=True,
        )
    )
    session.flush()
    assert kpis(session).ratio(ANSWERED_SAME_DAY).total == 3
    # Seen after February: t3 was never done, so it is late; so is the message of the 14th.

    after = compute_kpis(
        session=session,
        period=parse_period(today=date(2028, 3, 2), month="2028-02"),
        now=datetime(2028, 3, 2, 9, 0, tzinfo=UTC),
        zone=ZONE,
    )
    assert (after.ratio(DELEGATED_ON_TIME).count, after.ratio(DELEGATED_ON_TIME).total) == (2, 4)
    assert (after.ratio(ANSWERED_SAME_DAY).count, after.ratio(ANSWERED_SAME_DAY).total) == (1, 4)


def test_the_work_ratios_find_the_periods_rows_by_index(engine, session, data) -> None:  # type: ignore[no-untyped-def]
    """Without planner statistics, the messages and delegated tasks of the period are found by a range of
    their index (status equal to each status left), never by reading every inbound message or task."""
    from typing import Any

    from sqlalchemy import event

    statements: list[tuple[str, Any]] = []

    def capture(connection, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        kpis(session)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    connection = session.connection()

    def plan(marker: str) -> str:
        statement, parameters = next((s, p) for s, p in statements if marker in s)
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        return " | ".join(row[-1] for row in rows)

    messages = plan("interaction.replied_at IS NOT NULL")
    assert "ix_interaction_kind_direction_done (kind=? AND direction=? AND status=? AND done_at>?" in messages
    tasks = plan("task.assignee IS NOT NULL")
    assert "ix_task_status_due (status=? AND due_on>?" in tasks


def test_the_summary_reads_its_largest_groups_from_indexes_alone(engine, session, data) -> None:  # type: ignore[no-untyped-def]
    """The summary's calls, visits and meetings per client are counted from (status, kind, done_at, client_id)
    and the previous period's receivables from the invoice indexes (migration 0016), never by looking each row
    up in the table; the counts and the other activity sections stay what the hand-built data holds."""
    from typing import Any

    from sqlalchemy import event

    from amtui.services.portfolio import parse_period
    from amtui.services.summary import build_summary

    statements: list[tuple[str, Any]] = []

    def capture(connection, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        summary = build_summary(session=session, kind="month", period=parse_period(today=TODAY), now=NOW, zone=ZONE)
    finally:
        event.remove(engine, "before_cursor_execute", capture)

    def plan(*markers: str) -> str:
        statement, parameters = next((s, p) for s, p in statements if all(marker in s for marker in markers))
        rows = session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        return " | ".join(row[-1] for row in rows)

    by_client = plan("GROUP BY interaction.client_id")
    assert (
        "COVERING INDEX ix_interaction_status_kind_done (status=? AND kind=? AND done_at>? AND done_at<?)" in by_client
    )
    # The previous period's receivables at its end: the unpaid invoices, and those paid off since, each read
    # from its index alone (no lookup per invoice for its issue or payment day).
    unpaid_then = plan("invoice.paid_minor < invoice.amount_minor", "invoice.issued_on <")
    assert "COVERING INDEX ix_invoice_unpaid_due" in unpaid_then
    paid_off_since = plan("invoice.paid_minor >= invoice.amount_minor", "invoice.issued_on <")
    assert "COVERING INDEX ix_invoice_paid_on (paid_on>?)" in paid_off_since
    sections = {section.title: section.rows for section in summary.sections}
    assert sections["Calls and visits by client"] == (("ООО «Альфа»", 3, 2, 1),)
    assert sections["Meetings without a report"] == (("ООО «Альфа»", "visit", date(2028, 2, 8), ""),)
    deals = [(name, title, what, when) for name, title, what, _amount, when in sections["Deals won, lost and moved"]]
    assert deals == [
        ("ООО «Гамма»", "Новый склад", "won", date(2028, 2, 7)),
        ("ООО «Гамма»", "Сервис", "moved to negotiation", date(2028, 2, 10)),  # its stage changed that day, Moscow
        ("ООО «Альфа»", "Продление", "won", date(2028, 2, 13)),
    ]


def test_pipeline_and_stalled_deals(session, data) -> None:  # type: ignore[no-untyped-def]
    result = kpis(session)
    assert [(p.currency, p.month, p.deals, p.amount_minor, p.weighted_minor) for p in result.pipeline] == [
        ("EUR", None, 1, 500_000, 0),  # no probability, no date
        # 1 000 000 x 30 % + 333 333,33 x 50 % = 300 000 + 166 666,665 -> 466 666,67 (half up per deal)
        ("RUB", date(2028, 3, 1), 2, 133_333_333, 46_666_667),
    ]
    assert [(s.title, s.stage, s.since, s.days, s.limit) for s in result.stalled] == [
        ("Большой заказ", "proposal", date(2028, 1, 20), 25, 14)
    ]


def test_converted_total_only_with_rates_and_marked(session, data) -> None:  # type: ignore[no-untyped-def]
    from amtui.services.portfolio import parse_rate, set_rate

    set_rate(
        session=session, currency="eur", rate_e6=parse_rate("90"), valid_from=date(2027, 1, 1), home_currency="RUB"
    )
    set_rate(
        session=session, currency="EUR", rate_e6=parse_rate("98,50"), valid_from=date(2028, 2, 1), home_currency="RUB"
    )
    result = kpis(session)
    total = result.converted
    assert total is not None and total.currency == "RUB"
    assert dict(total.rates) == {"EUR": (Decimal("98.5"), date(2028, 2, 1))}
    # 850 000 RUB + 10 000 EUR x 98,50 = 1 835 000 RUB; paid 300 000 + 5 000,50 x 98,50 = 792 549,25.
    assert total.invoiced_minor == 183_500_000
    assert total.paid_minor == 79_254_925
    assert (total.receivables_minor, total.overdue_minor) == (153_500_000, 30_000_000)
    assert total.target_minor == 100_000_000 + 197_000_000
    # The rate in force at January's end was the older one.
    january = kpis(session, month="2028-01").converted
    assert january is not None and dict(january.rates) == {"EUR": (Decimal("90"), date(2027, 1, 1))}
    assert january.invoiced_minor == 45_004_500  # 5 000,50 EUR x 90


def test_abc_within_each_currency_without_rates(session, data) -> None:  # type: ignore[no-untyped-def]
    from amtui.services.portfolio import abc_tiers

    result = abc_tiers(session=session, today=TODAY)
    assert (result.since, result.until) == (date(2027, 2, 15), date(2028, 2, 15))
    by_name = {row.client_name: row for row in result.rows}
    # RUB, 15.02.2027-14.02.2028: Альфа 1 150 000 (A0, A1, A2), Гамма 100 000 (G0 is older), Эпсилон 30 000.
    alpha, gamma, eps = by_name["ООО «Альфа»"], by_name["ООО «Гамма»"], by_name["ООО «Эпсилон»"]
    assert (alpha.revenue_minor, alpha.suggested, alpha.share_pct) == (115_000_000, "A", Decimal("89.8"))
    assert (gamma.revenue_minor, gamma.suggested) == (10_000_000, "B")  # starts at 89.8 %
    assert (eps.revenue_minor, eps.suggested) == (3_000_000, "C")  # starts at 97.7 %
    beta = by_name["Beta Ltd"]
    assert (beta.currency, beta.revenue_minor, beta.suggested, beta.share_pct) == (
        "EUR",
        2_300_050,
        "A",
        Decimal("100.0"),
    )
    assert beta.note == "only 1 client(s) with revenue in EUR: too few to rank"  # kept, whatever its stored tier
    delta = by_name["ООО «Дельта»"]
    assert (delta.suggested, delta.differs) == ("B", False) and "prospect" in delta.note
    assert [row.client_name for row in result.changes] == ["ООО «Альфа»", "ООО «Гамма»", "ООО «Эпсилон»"]


def test_abc_converted_and_applied(session, data) -> None:  # type: ignore[no-untyped-def]
    from sqlmodel import select

    from amtui.models import Client
    from amtui.services.portfolio import abc_tiers, apply_tiers, set_rate

    set_rate(session=session, currency="EUR", rate_e6=98_500_000, valid_from=date(2028, 2, 1), home_currency="RUB")
    result = abc_tiers(session=session, today=TODAY)
    rows = {row.client_name: row for row in result.rows}
    # Beta's 23 000,50 EUR x 98,50 = 2 265 549,25 RUB of 3 545 549,25 in all.
    assert (rows["Beta Ltd"].currency, rows["Beta Ltd"].revenue_minor) == ("RUB", 226_554_925)
    assert [(r.client_name, r.suggested, r.share_pct) for r in result.rows if r.revenue_minor] == [
        ("Beta Ltd", "A", Decimal("63.9")),
        ("ООО «Альфа»", "A", Decimal("32.4")),  # starts at 63.9 %
        ("ООО «Гамма»", "C", Decimal("2.8")),  # starts at 96.3 %
        ("ООО «Эпсилон»", "C", Decimal("0.8")),
    ]
    assert apply_tiers(session=session, changes=result.changes, now=NOW) == 3
    session.expire_all()
    assert {c.name: c.tier for c in session.exec(select(Client))} == {
        "ООО «Альфа»": "A",
        "Beta Ltd": "A",
        "ООО «Гамма»": "C",
        "ООО «Дельта»": "B",
        "ООО «Эпсилон»": "C",
    }
    assert abc_tiers(session=session, today=TODAY).changes == ()


def test_credit_exposure(session, data) -> None:  # type: ignore[no-untyped-def]
    from amtui.services.portfolio import credit_check, credit_exposure

    found = {row.client_name: row for row in credit_exposure(session=session)}
    alpha = found["ООО «Альфа»"]
    # Owed 550 000 + the renewal won 13.02 after the last invoice (12.02) 40 000; the upsell was invoiced since.
    assert (alpha.receivables_minor, alpha.won_not_invoiced_minor, alpha.exposure_minor) == (
        55_000_000,
        4_000_000,
        59_000_000,
    )
    assert (alpha.headroom_minor, alpha.used_pct, alpha.status()) == (1_000_000, Decimal("98.3"), "warning")
    assert (alpha.payment_terms_days, alpha.discount_bp) == (10, 250)
    gamma = found["ООО «Гамма»"]
    assert (gamma.receivables_minor, gamma.won_not_invoiced_minor, gamma.status()) == (0, 15_000_000, "ok")
    beta = found["Beta Ltd"]
    assert (beta.exposure_minor, beta.headroom_minor, beta.status()) == (1_000_000, -100_000, "over")
    assert set(found) == {"ООО «Альфа»", "ООО «Гамма»", "Beta Ltd"}  # the others have no limit
    warning = credit_check(session=session, client_id=data["gamma"], extra_minor=5_000_001, currency="RUB")
    assert warning is not None and "over by 0,01 RUB" in warning
    assert credit_check(session=session, client_id=data["gamma"], extra_minor=1_000_000, currency="RUB") is None


def test_periods_parse_and_refuse() -> None:
    from amtui.services.errors import ValidationError
    from amtui.services.portfolio import parse_period, parse_rate

    assert parse_period(today=TODAY).label == "2028-02"
    q = parse_period(today=TODAY, quarter="2028-Q4")
    assert (q.start, q.end, q.label) == (date(2028, 10, 1), date(2029, 1, 1), "2028-Q4")
    y = parse_period(today=TODAY, year="2028")
    assert (y.days, y.previous().start, y.year_earlier().label) == (366, date(2027, 1, 1), "2027")
    for bad in ({"month": "2028-13"}, {"quarter": "2028-Q5"}, {"year": "28"}, {"month": "2028-01", "year": "2028"}):
        with pytest.raises(ValidationError):
            parse_period(today=TODAY, **bad)
    assert parse_rate("98,50") == 98_500_000 and parse_rate("0.000001") == 1
    for bad_rate in ("0", "-1", "98,1234567", "abc"):
        with pytest.raises(ValidationError):
            parse_rate(bad_rate)


# --- the commands -------------------------------------------------------------------------------------------------


@pytest.fixture
def cli_data(engine, cli, monkeypatch):  # type: ignore[no-untyped-def]
    from amtui.db import session_scope

    with session_scope(engine) as session:
        build(session)
    monkeypatch.setenv("AMTUI_NOW", NOW.isoformat())
    return cli


def test_kpi_command_json_and_text(cli_data) -> None:  # type: ignore[no-untyped-def]
    cli = cli_data
    data = json.loads(cli("kpi", "--month", "2028-02", "--json").output)
    rub = next(c for c in data["currencies"] if c["currency"] == "RUB")
    assert rub["invoiced_minor"] == 85_000_000 and rub["reached_pct"] == "85.0" and rub["pace_pct"] == "176.1"
    assert data["converted"] is None
    text = cli("kpi", "--month", "2028-02")
    assert text.exit_code == 0, text.output
    lines = text.output.splitlines()
    assert "Invoiced             850 000 RUB" in text.output or any("850 000 RUB" in line for line in lines)
    # No line adds two currencies.
    assert not any("RUB" in line and "EUR" in line for line in lines)
    assert "at this pace: 176.1% by the period's end" in text.output
    bad = cli("kpi", "--month", "2028-13")
    assert bad.exit_code == 1 and "--month: '2028-13' is not a month" in bad.output


def test_rate_target_and_converted_kpi(cli_data) -> None:  # type: ignore[no-untyped-def]
    cli = cli_data
    assert cli("rate", "set", "EUR", "98,50", "--on", "01.02.2028").output.strip() == (
        "Rate from 01.02.2028: 1 EUR = 98,5 RUB"
    )
    assert "EUR" in cli("rate", "list").output
    assert cli("rate", "set", "EUR", "abc").exit_code == 1
    out = cli("target", "set", "2028-02", "1 500 000", "--currency", "RUB").output.strip()
    assert out == "Target for 02.2028: 1 500 000 RUB"
    assert cli("target", "set", "2028-02", "30 000", "--currency", "EUR").exit_code == 0
    data = json.loads(cli("kpi", "--json").output)
    targets = {c["currency"]: c["target_minor"] for c in data["currencies"]}
    assert targets == {"EUR": 3_000_000, "RUB": 150_000_000}  # set per currency, one replacing the other
    assert data["converted"]["invoiced_minor"] == 183_500_000
    text = cli("kpi").output
    assert "converted to RUB at 1 EUR = 98,5 RUB (rate of 01.02.2028)" in text


def test_abc_command_lists_and_applies(cli_data) -> None:  # type: ignore[no-untyped-def]
    cli = cli_data
    listed = cli("abc")
    assert listed.exit_code == 0, listed.output
    assert "ООО «Альфа»" in listed.output and "B -> A" in listed.output
    assert "Beta Ltd" not in listed.output  # unchanged
    applied = cli("abc", "--apply")
    assert "Applied 3 tier changes." in applied.output
    assert "No tier changes suggested." in cli("abc").output


def test_summary_month_formats(cli_data, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli = cli_data
    text = cli("summary", "month", "--date", "14.02.2028")
    assert text.exit_code == 0, text.output
    assert "Summary for 2028-02" in text.output and "Previous period (2028-01)" in text.output
    assert "Receivables aging" in text.output
    data = json.loads(cli("summary", "month", "--format", "json").output)
    assert data["period"]["label"] == "2028-02"
    out = tmp_path / "s.xlsx"
    assert cli("summary", "month", "--format", "xlsx", "--output", str(out)).exit_code == 0
    from openpyxl import load_workbook

    book = load_workbook(out)
    assert "KPIs" in book.sheetnames
    html = cli("summary", "week", "--date", "10.02.2028", "--format", "html").output
    assert html.startswith("<!DOCTYPE html>") and "<h1>Summary for 07.02.2028-13.02.2028</h1>" in html
    assert "<td>ООО «Альфа»</td>" in html  # its calls and visits of the week


def test_summary_refuses_an_unknown_format_or_period_clearly(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """An unknown format: one line naming the formats, exit 1, nothing written; an unknown period: Typer's usage
    error naming the periods (not "Value error, ..." as pydantic words it)."""
    out = tmp_path / "s.pdf"
    bad = cli("summary", "month", "--format", "pdf", "--output", str(out))
    assert (bad.exit_code, bad.output) == (
        1,
        "amtui: error: --format: 'pdf' is not a summary format; choose one of: text, markdown, html, xlsx, json\n",
    )
    assert not out.exists()
    assert "--format text|markdown|html|xlsx|json" in cli("summary", "--help").output
    typed = cli("summary", "month", "--format", "JSON")  # the case the user typed does not matter
    assert typed.exit_code == 0 and json.loads(typed.output)["kind"] == "month"
    period = cli("summary", "year")
    assert period.exit_code == 2
    assert "Error: Invalid value for 'kind': 'year' is not one of 'week', 'month'." in period.output
    assert "Value error" not in period.output


def test_summary_on_the_first_day_reports_the_period_just_ended(cli_data, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Cron on the 1st (or a Monday) sends the month (week) that has just ended, not one a day old."""
    from amtui.services.portfolio import summary_period

    first = summary_period("month", today=date(2028, 3, 1))
    assert (first.start, first.end) == (date(2028, 2, 1), date(2028, 3, 1))
    assert summary_period("month", today=date(2028, 3, 2)).start == date(2028, 3, 1)
    monday = summary_period("week", today=date(2028, 2, 14))
    assert (monday.start, monday.end) == (date(2028, 2, 7), date(2028, 2, 14))
    assert summary_period("week", today=date(2028, 2, 15)).start == date(2028, 2, 14)
    assert summary_period("month", day=date(2028, 3, 1), today=date(2028, 3, 1)).start == date(2028, 3, 1)
    monkeypatch.setenv("AMTUI_NOW", datetime(2028, 3, 1, 4, 0, tzinfo=UTC).isoformat())
    data = json.loads(cli_data("summary", "month", "--format", "json").output)
    assert data["period"]["label"] == "2028-02"
    explicit = json.loads(cli_data("summary", "month", "--date", "01.03.2028", "--format", "json").output)
    assert explicit["period"]["label"] == "2028-03"


def test_alerts_for_credit_stalled_deals_and_abc(session, data) -> None:  # type: ignore[no-untyped-def]
    from amtui.services.alerts import compute_alerts
    from amtui.services.digest import build_digest, render_text

    alerts = compute_alerts(session=session, now=NOW, zone=ZONE, kinds=["credit", "stalled", "abc"])
    by_id = {a.id: a for a in alerts}
    assert set(by_id) == {
        f"credit:{data['alpha']}",
        f"credit:{data['beta']}",
        "stalled:4",
        f"abc:{data['alpha']}",
        f"abc:{data['gamma']}",
        f"abc:{data['epsilon']}",
    }  # Гамма's 75 % of its limit is no alert; the prospect Дельта keeps its tier
    over = by_id[f"credit:{data['beta']}"]
    assert over.severity == "high"
    assert over.text == "Beta Ltd owes and has won 10 000 EUR, over its credit limit of 9 000 EUR by 1 000 EUR"
    near = by_id[f"credit:{data['alpha']}"]
    assert near.severity == "normal"
    assert near.text == (
        "ООО «Альфа» is at 98.3% of its credit limit: 590 000 RUB of 600 000 RUB (headroom 10 000 RUB)"
    )
    stalled = by_id["stalled:4"]
    assert (
        stalled.text
        == "Deal «Большой заказ» with ООО «Альфа» has been in proposal for 25 days since 20.01.2028 (limit 14)"
    )
    assert (stalled.date, stalled.days) == (date(2028, 2, 3), -11)
    assert by_id[f"abc:{data['alpha']}"].text == "ООО «Альфа» now makes 89.8% of revenue: suggested tier A, stored B"
    text = render_text(build_digest(alerts, day=TODAY, generated_at=NOW, zone=ZONE))
    assert "Credit limits" in text and "Stalled deals" in text and "ABC tier suggestions" in text


def test_migration_keeps_targets_and_dates_deals(db_path: Path) -> None:
    from sqlalchemy import text

    from amtui.db import make_engine, open_engine, upgrade

    url = f"sqlite:///{db_path}"
    old = make_engine(url)
    upgrade(old, "0004")
    with old.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO sales_target (id, period, amount_minor, currency)"
                " VALUES (1, '2026-11-01', 500000000, 'RUB')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO client (id, name, name_folded, tier, status, currency, created_at, updated_at)"
                " VALUES (1, 'A', 'a', 'A', 'active', 'RUB',"
                " '2025-01-01 00:00:00.000000', '2025-01-01 00:00:00.000000')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO deal (id, client_id, title, kind, stage, currency, created_at, updated_at)"
                " VALUES (1, 1, 'd', 'new', 'lead', 'RUB', '2025-01-01 00:00:00.000000', '2025-03-01 10:00:00.000000')"
            )
        )
    old.dispose()
    engine = open_engine(url)
    with engine.begin() as connection:
        assert connection.execute(text("SELECT period, amount_minor, currency FROM sales_target")).all() == [
            ("2026-11-01", 500000000, "RUB")
        ]
        # A second currency for the same month is now allowed.
        connection.execute(
            text("INSERT INTO sales_target (period, amount_minor, currency) VALUES ('2026-11-01', 1, 'EUR')")
        )
        assert connection.execute(text("SELECT stage_changed_at FROM deal")).scalar() == "2025-03-01 10:00:00.000000"
    engine.dispose()


def test_invoice_and_won_deal_warn_at_the_credit_limit_and_the_card_shows_it(cli_data) -> None:  # type: ignore[no-untyped-def]
    cli = cli_data
    card = cli("client", "show", "гамма").output
    # Гамма: limit 200 000; exposure: the deal won on 07.02, not invoiced since.
    assert "Credit limit:  200 000 RUB; exposure 150 000 RUB, headroom 50 000 RUB" in card
    assert "Discount:      2.50 %" in cli("client", "show", "альфа").output
    quiet = cli("invoice", "add", "гамма", "G2", "10 000", "--issued", "01.02.2028")
    assert quiet.exit_code == 0 and "warning" not in quiet.output  # 160 000 of 200 000: 80 %
    near = cli("invoice", "add", "гамма", "G3", "20 000", "--issued", "01.02.2028")
    assert "amtui: warning: ООО «Гамма»: exposure is now 180 000 RUB, 90.0% of the credit limit of 200 000 RUB" in (
        near.output
    )
    # Invoicing the won deal (on or after the day it was won) moves it into receivables: no rise, no warning.
    invoiced = cli("invoice", "add", "гамма", "G4", "150 000", "--issued", "10.02.2028")
    assert invoiced.exit_code == 0 and "warning" not in invoiced.output
    assert "exposure 180 000 RUB, headroom 20 000 RUB" in cli("client", "show", "гамма").output
    reopened = cli("deal", "add", "гамма", "Ещё склад", "--amount", "50 000", "--json")
    deal_id = json.loads(reopened.output)["id"]
    won = cli("deal", "stage", str(deal_id), "won")
    assert "over the credit limit of 200 000 RUB by 30 000 RUB" in won.output
    assert "credit:" in cli("alerts", "--kind", "credit").output


def test_portfolio_view_monthly_chart_data(session, data) -> None:  # type: ignore[no-untyped-def]
    from amtui.services.portfolio import monthly_invoiced, portfolio_view

    monthly = {m.currency: m for m in monthly_invoiced(session=session, last_month=TODAY, months=13)}
    rub = monthly["RUB"]
    assert (rub.months[0], rub.months[-1], len(rub.months)) == (date(2027, 2, 1), date(2028, 2, 1), 13)
    # February 2027: A0 400 000 + G0 300 000; November: E0 30 000; February 2028: 850 000.
    assert (rub.amounts[0], rub.amounts[9], rub.amounts[-1]) == (70_000_000, 3_000_000, 85_000_000)
    assert sum(rub.amounts) == 70_000_000 + 3_000_000 + 85_000_000
    assert monthly["EUR"].amounts[-2:] == (500_050, 1_000_000)
    view = portfolio_view(session=session, now=NOW, zone=ZONE)
    assert [c.client_name for c in view.credit] == ["Beta Ltd", "ООО «Альфа»"]  # over first, then 98.3 %
    assert len(view.abc.changes) == 3 and view.kpis.period.label == "2028-02"


def test_portfolio_screen_shows_per_currency_and_accepts_tiers(engine, db_url) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    from amtui.db import session_scope

    with session_scope(engine) as session:
        build(session)

    from amtui.app import AmtuiApp
    from amtui.screens.portfolio import PortfolioScreen
    from amtui.widgets.fast_table import FastTable
    from tests.test_tui import settle

    async def run() -> list[str]:
        app = AmtuiApp(db_url=db_url, now=NOW, zone=ZONE)
        async with app.run_test(size=(100, 32)) as pilot:
            await settle(pilot)
            await pilot.press("6")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, PortfolioScreen) and screen.view is not None
            plan = str(screen.query_one("#portfolio-plan").render())
            assert "RUB" in plan and "85.0% of 1 000 000 RUB; at this pace 176.1%" in plan
            assert "50.0% of 20 000 EUR" in plan
            chart = str(screen.query_one("#portfolio-chart").render())
            assert "Invoiced per month, RUB  (c: EUR)" in chart and "02.28" in chart and "03.27" in chart
            # The value axis, in thousands: February's 850 000 RUB under the top tick, 1 000.
            assert "thousand RUB" in chart and "1\u00a0000┌" in chart and "800┤" in chart
            await pilot.press("c")
            await settle(pilot)
            chart = str(screen.query_one("#portfolio-chart").render())
            assert "Invoiced per month, EUR" in chart and "thousand EUR" in chart
            assert "01.28" in chart and "02.28" in chart  # 100 columns: every month has its label
            await pilot.resize_terminal(80, 32)
            await settle(pilot)
            chart = str(screen.query_one("#portfolio-chart").render())
            # 80 columns: every other month, evenly, counted back from the latest (plotext alone dropped some).
            assert "02.28" in chart and "12.27" in chart and "01.28" not in chart and "11.27" not in chart
            credit = str(screen.query_one("#portfolio-credit").render())
            assert "Beta Ltd" in credit and "headroom        -1 000 EUR" in credit and "111.1%" in credit
            assert "Большой заказ" in str(screen.query_one("#portfolio-stalled").render())
            table = screen.query_one("#portfolio-abc", FastTable)
            assert [row.client_name for row in screen.changes] == ["ООО «Альфа»", "ООО «Гамма»", "ООО «Эпсилон»"]
            table.focus()
            table.move_cursor(row=0)
            await pilot.press("a")
            await settle(pilot)
            left = [row.client_name for row in screen.changes]
            await pilot.press("A")
            await settle(pilot)
            assert screen.changes == []
            return left

    assert asyncio.run(run()) == ["ООО «Гамма»", "ООО «Эпсилон»"]
    from sqlalchemy import text

    with engine.connect() as connection:
        tiers = dict(connection.execute(text("SELECT name, tier FROM client")).all())
    assert tiers["ООО «Альфа»"] == "A" and tiers["ООО «Гамма»"] == "B" and tiers["ООО «Эпсилон»"] == "C"


def test_portfolio_screen_shows_plan_and_chart_before_the_costlier_reads(engine, db_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The first view comes from the cheap read (money per currency, 12 months invoiced); ABC, credit and
    stalled deals follow from a second read, which is held back here until the first view is checked."""
    import asyncio
    import threading

    from amtui.db import session_scope
    from amtui.services.workspace import Workspace

    with session_scope(engine) as session:
        build(session)
    release = threading.Event()
    rest = Workspace.portfolio_rest

    def held(self, money):  # type: ignore[no-untyped-def]
        assert release.wait(30)
        return rest(self, money)

    monkeypatch.setattr(Workspace, "portfolio_rest", held)

    from amtui.app import AmtuiApp
    from amtui.screens.portfolio import PortfolioScreen
    from tests.test_tui import settle

    async def run() -> None:
        app = AmtuiApp(db_url=db_url, now=NOW, zone=ZONE)
        async with app.run_test(size=(100, 32)) as pilot:
            await settle(pilot)
            app.switch_mode("portfolio")
            screen = app.screen
            assert isinstance(screen, PortfolioScreen)
            for _ in range(500):
                await pilot.pause(0.01)
                if screen.money is not None:
                    break
            await pilot.pause(0.05)
            assert screen.money is not None and screen.view is None
            assert "85.0% of 1 000 000 RUB" in str(screen.query_one("#portfolio-plan").render())
            assert "Invoiced per month, RUB" in str(screen.query_one("#portfolio-chart").render())
            assert "Loading…" in str(screen.query_one("#portfolio-abc-title").render())
            assert "Beta Ltd" not in str(screen.query_one("#portfolio-credit").render())
            release.set()
            await settle(pilot)
            assert screen.view is not None
            assert "Beta Ltd" in str(screen.query_one("#portfolio-credit").render())
            assert "3 suggestions" in str(screen.query_one("#portfolio-abc-title").render())

    try:
        asyncio.run(run())
    finally:
        release.set()


def test_todays_sales_line_is_per_currency(engine, db_url) -> None:  # type: ignore[no-untyped-def]
    from amtui.db import session_scope
    from amtui.services.workspace import Workspace

    with session_scope(engine) as session:
        build(session)
    first = Workspace(engine=engine, now=lambda: NOW, zone=ZONE).today_first()
    # RUB (the home currency) in the bar: 850 000 of 1 000 000, never with the euros added in.
    assert (first.currency, first.sales_minor, first.target_minor) == ("RUB", 85_000_000, 100_000_000)
    assert first.other_sales == (("EUR", 1_000_000, 2_000_000),)
    assert first.sales_by_month[-2:] == (0, 85_000_000)  # January had no RUB invoices (B2 was in EUR)


def test_summary_by_mail_and_quiet_when_empty(cli, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("AMTUI_NOW", NOW.isoformat())
    # An empty database: nothing to say, nothing printed, written or sent.
    quiet = cli("summary", "month", "--quiet-if-empty", "--output", str(tmp_path / "s.txt"))
    assert quiet.exit_code == 0 and quiet.output == "" and not (tmp_path / "s.txt").exists()
    # Mail that cannot be delivered: exit 3, like the digest.
    monkeypatch.setenv("AMTUI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("AMTUI_SMTP_PORT", "1")
    failed = cli("summary", "week", "--mail-to", "boss@example.com")
    assert failed.exit_code == 3


def test_summary_arrives_by_mail(cli_data, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from aiosmtpd.controller import Controller

    from tests.test_mail import Inbox, _free_port

    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("AMTUI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("AMTUI_SMTP_PORT", str(port))
    try:
        sent = cli_data("summary", "month", "--mail-to", "boss@example.com")
    finally:
        controller.stop()
    assert sent.exit_code == 0 and sent.output == ""
    [(recipients, message)] = inbox.messages
    assert recipients == ["boss@example.com"] and message["Subject"] == "amtui: monthly summary 2028-02"
    text = message.get_body(preferencelist=("plain",))
    assert text is not None and "Receivables aging (as of 14.02.2028)" in text.get_content()


def test_portfolio_columns_cut_long_names_with_an_ellipsis() -> None:
    from rich.cells import cell_len

    from amtui.screens.portfolio import fit

    assert fit("АО «Северсталь-Логистика»", 24) == "АО «Северсталь-Логистик…"
    assert fit("Beta Ltd", 12) == "Beta Ltd    "
    wide = fit("株式会社テスト商事", 9)  # two cells per character: never half a character
    assert cell_len(wide) == 9 and wide.endswith("…")


def test_month_labels_every_other_month_when_they_cannot_all_fit() -> None:
    from amtui.screens.portfolio import month_ticks

    months = [f"{m:02d}.26" for m in range(1, 13)]
    assert month_ticks(months, 72) == (list(range(1, 13)), months)  # 12 labels of 5 and a space each
    positions, labels = month_ticks(months, 71)
    assert positions == [2, 4, 6, 8, 10, 12] and labels == ["02.26", "04.26", "06.26", "08.26", "10.26", "12.26"]
    assert month_ticks(months[:11], 40)[1][-1] == "11.26" and month_ticks([], 10) == ([], [])
