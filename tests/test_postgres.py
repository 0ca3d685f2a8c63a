"""The same services on PostgreSQL: nothing may depend on SQLite-only SQL.

A throw-away server (the ``pgserver`` wheel, a real PostgreSQL build; fixture ``pg_url`` in
conftest.py) gives each test an empty database: no system package is needed.
"""

from __future__ import annotations

from datetime import date, timedelta

from amtui.db import current_revision, open_engine, session_scope
from amtui.migrations import SCHEMA_HEAD


def test_schema_and_services_on_postgresql(pg_url: str, now, zone) -> None:  # type: ignore[no-untyped-def]
    from amtui.services import cards, clients, contacts, interactions, records, reports, search, tasks

    engine = open_engine(pg_url)
    assert current_revision(engine) == SCHEMA_HEAD
    today = now.astimezone(zone).date()
    with session_scope(engine) as session:
        client = clients.create_client(session=session, name="ООО «Ромашка»", tier="A", city="Казань")
        clients.create_client(session=session, name="Müller Straße GmbH")
        person = contacts.create_contact(
            session=session, client_id=client.id, full_name="Иванов Иван", phones=["+7 916 123-45-67"],
            birthday_md=(today + timedelta(days=2)).strftime("%m-%d"), role="decision_maker",
        )  # fmt: skip
        interactions.log_interaction(
            session=session, client_id=client.id, kind="call", at=now - timedelta(days=20), contact_ids=[person.id]
        )
        visit = interactions.plan_interaction(session=session, client_id=client.id, kind="visit", at=now)
        reports.save_report(
            session=session, interaction_id=visit.id, now=now, zone=zone,
            next_steps=[reports.NextStepInput("КП", owner="Петров", due_on=today + timedelta(days=9))],
        )  # fmt: skip
        records.create_invoice(
            session=session, client_id=client.id, number="С-1", issued_on=date(2026, 9, 1), amount_minor=41250050,
            due_on=date(2026, 9, 30),
        )  # fmt: skip
        records.create_deal(session=session, client_id=client.id, title="Допродажа", expected_close=date(2026, 11, 1))
    with session_scope(engine) as session:
        [row, _] = sorted(
            clients.list_clients(session=session, today=today, zone=zone), key=lambda r: r.name, reverse=True
        )
        assert row.name == "ООО «Ромашка»" and row.receivables_minor == 41250050 and row.open_deals == 1
        assert row.last_touch_at == now  # the visit, done by writing its report
        # The Clients screen's first rows, read alone: the same rows, the same figures.
        first = clients.first_clients(session=session, today=today, zone=zone, limit=5)
        assert sorted(first, key=lambda r: r.id) == sorted(
            clients.list_clients(session=session, today=today, zone=zone, ordered=False), key=lambda r: r.id
        )
        assert [hit.label for hit in search.search(session=session, text="STRASSE")] == ["Müller Straße GmbH"]
        assert [hit.label for hit in search.search(session=session, text="иванов")] == ["Иванов Иван"]
        [task] = tasks.list_tasks(session=session)
        assert task.assignee == "Петров" and task.check_in_at is not None
        card = cards.client_card(session=session, client_id=client.id, today=today, zone=zone)
        assert card.overdue_minor == 41250050 and card.warnings == (
            "Only one contact: the relationship hangs on one person",
        )
    with session_scope(engine) as session:
        from amtui.services.alerts import compute_alerts

        alerts = compute_alerts(session=session, now=now, zone=zone)
        kinds = {alert.kind for alert in alerts}
        assert {"receivable", "birthday", "deal"} <= kinds
        [invoice_alert] = [alert for alert in alerts if alert.kind == "receivable"]
        assert invoice_alert.amount_minor == 41250050 and invoice_alert.bucket == "31-60"
    engine.dispose()


def test_money_is_64_bit_on_postgresql_demo_and_large_alerts(pg_url: str, now, zone) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL's ``integer`` is 32-bit: 21 474 836,48 and more failed (issue 11), the demo too."""
    from sqlalchemy import inspect

    from amtui.services import clients, records
    from amtui.services.alerts import compute_alerts
    from amtui.services.demo import build_demo

    engine = open_engine(pg_url)
    with engine.connect() as connection:
        columns = {column["name"]: column["type"] for column in inspect(connection).get_columns("invoice")}
    assert columns["amount_minor"].__class__.__name__ == "BIGINT"
    with engine.connect() as connection:
        complaint = {column["name"]: column["type"] for column in inspect(connection).get_columns("complaint")}
    assert complaint["amount_minor"].__class__.__name__ == "BIGINT"
    summary = build_demo(engine, size="small", now=now)
    assert summary.counts["client"] > 0
    huge = 12_345_678_901_234  # 123 456 789 012,34
    today = now.astimezone(zone).date()
    with session_scope(engine) as session:
        client = clients.create_client(session=session, name="Гигант", credit_limit_minor=huge)
        records.create_invoice(
            session=session, client_id=client.id, number="G-1", issued_on=today - timedelta(days=90),
            amount_minor=huge, due_on=today - timedelta(days=60),
        )  # fmt: skip
    with session_scope(engine) as session:
        alerts = compute_alerts(session=session, now=now, zone=zone)
        [receivable] = [a for a in alerts if a.kind == "receivable" and a.client_id == client.id]
        assert receivable is not None
        # The demo's complaints: every complaint rule and the halved cadence run on PostgreSQL too.
        assert {"complaint", "complaint_check_in", "complaint_follow_up", "silence"} <= {a.kind for a in alerts}
        [row] = [r for r in clients.list_clients(session=session, today=today, zone=zone) if r.name == "Гигант"]
        assert row.receivables_minor == huge


def test_an_import_waits_for_another_writer_on_postgresql(pg_url: str, now, zone, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Imports take their ids inside a transaction that holds the tables against other writers."""
    import threading

    from amtui.db import begin_write
    from amtui.formats.importer import ImportOptions, import_file

    engine = open_engine(pg_url)
    path = tmp_path / "clients.csv"
    path.write_text("name\n" + "".join(f"Клиент {n}\n" for n in range(50)), encoding="utf-8")
    waited = threading.Event()
    done: list[int] = []

    def second_import() -> None:
        with session_scope(engine) as session:
            begin_write(session, on_wait=waited.set)
            options = ImportOptions(now=now, zone=zone)
            done.append(import_file(session=session, kind="clients", path=path, options=options).created)

    from amtui.services import clients

    with session_scope(engine) as session:
        begin_write(session)
        clients.create_client(session=session, name="Первый")
        thread = threading.Thread(target=second_import)
        thread.start()
        assert waited.wait(30), "the second writer did not wait"
        assert not done
    thread.join(60)
    assert done == [50]
    with session_scope(engine) as session:
        clients.create_client(session=session, name="После")  # the id sequence moved past the import's ids
        assert len(clients.list_clients(session=session, today=now.date(), zone=zone)) == 52


def test_portfolio_numbers_on_postgresql(pg_url: str) -> None:
    """The hand-built dataset of tests/test_portfolio.py gives the same figures on PostgreSQL."""
    from decimal import Decimal

    from amtui.services.alerts import compute_alerts
    from amtui.services.portfolio import abc_tiers, compute_kpis, credit_exposure, parse_period, set_rate
    from amtui.services.summary import build_summary
    from tests.test_portfolio import NOW, TODAY, ZONE, build

    engine = open_engine(pg_url)
    with session_scope(engine) as session:
        ids = build(session)
        set_rate(session=session, currency="EUR", rate_e6=98_500_000, valid_from=date(2028, 2, 1), home_currency="RUB")
    with engine.connect() as connection:
        kpis = compute_kpis(session=connection, period=parse_period(today=TODAY), now=NOW, zone=ZONE)
        rub = kpis.currency("RUB")
        assert rub is not None and (rub.invoiced_minor, rub.receivables_minor, rub.overdue_minor) == (
            85_000_000, 55_000_000, 30_000_000
        )  # fmt: skip
        assert rub.pace_pct == Decimal("176.1") and kpis.converted is not None
        assert kpis.converted.invoiced_minor == 183_500_000
        assert [(r.name, r.count, r.total) for r in kpis.work] == [
            ("inbound calls", 1, 3),
            ("visits and meetings reported within 24 h", 1, 3),
            ("delegated tasks closed by their due date", 2, 3),  # t3 is due later in the month
            ("messages answered the same day", 1, 3),
        ]
        assert [s.title for s in kpis.stalled] == ["Большой заказ"]
        assert len(abc_tiers(session=connection, today=TODAY).changes) == 3
        assert {c.client_name: c.status() for c in credit_exposure(session=connection)}["Beta Ltd"] == "over"
        alerts = compute_alerts(session=connection, now=NOW, zone=ZONE, kinds=["credit", "stalled", "abc"])
        assert f"credit:{ids['beta']}" in {a.id for a in alerts}
        summary = build_summary(session=connection, kind="month", period=kpis.period, now=NOW, zone=ZONE)
        assert summary.previous.currency("EUR") is not None
        # The activity sections as on SQLite (tests/test_portfolio.py): counted per client, days in Moscow.
        sections = {section.title: section.rows for section in summary.sections}
        assert sections["Calls and visits by client"] == (("ООО «Альфа»", 3, 2, 1),)
        assert sections["Meetings without a report"] == (("ООО «Альфа»", "visit", date(2028, 2, 8), ""),)
        assert [(row[1], row[2], row[4]) for row in sections["Deals won, lost and moved"]] == [
            ("Новый склад", "won", date(2028, 2, 7)),
            ("Сервис", "moved to negotiation", date(2028, 2, 10)),
            ("Продление", "won", date(2028, 2, 13)),
        ]
        assert [(g.client_name, g.currency, g.change_minor) for g in kpis.growth_up] == [
            ("Beta Ltd", "EUR", 1_000_000),
            ("ООО «Альфа»", "RUB", 75_000_000),
        ]
    engine.dispose()


def test_todays_backlog_counted_on_postgresql(pg_url: str, now, zone) -> None:  # type: ignore[no-untyped-def]
    """Today's backlog counted in the database (the kinds' selects grouped, min() of the other columns, the
    marked ones built by id) runs on PostgreSQL and equals what every alert adds up to, a dismissal subtracted."""
    from amtui.config import Settings
    from amtui.services.alerts import TALLIED_IN_SQL, Tally, alerts_and_tallies, compute_alerts
    from amtui.services.demo import build_demo
    from amtui.services.workspace import TALLIED_KINDS, Workspace

    engine = open_engine(pg_url)
    build_demo(engine, size="small", now=now)
    ws = Workspace(engine=engine, now=lambda: now, zone=zone, settings=Settings())
    shown = ws.alerts()
    for kind in TALLIED_IN_SQL:
        ws.dismiss_alert(next(a for a in shown if a.kind == kind).id)
    with engine.connect() as connection:
        every = compute_alerts(session=connection, now=now, zone=zone)
        rest, tallies = alerts_and_tallies(session=connection, now=now, zone=zone, tally=TALLIED_KINDS)
    assert rest == [a for a in every if a.kind not in TALLIED_KINDS]
    for kind in TALLIED_KINDS:
        items = [a for a in every if a.kind == kind]
        assert tallies.get(kind) == (Tally.of(kind, items) if items else None), kind
    assert set(tallies) >= TALLIED_IN_SQL
    view = ws.today_view()
    assert view.alert_count == len(ws.alerts()) == len(shown) - len(TALLIED_IN_SQL)
    engine.dispose()


def test_the_digest_summed_up_on_postgresql(pg_url: str, now, zone) -> None:  # type: ignore[no-untyped-def]
    """The digest's summed-up kinds (rows grouped in Python, the first alerts built, money per client) on
    PostgreSQL's typed values: the same digest as every alert, a dismissal and a snooze taken out."""
    from datetime import timedelta

    from amtui.config import Settings
    from amtui.services.alerts import DIGEST_SUMMARIZED, alerts_and_summaries, compute_alerts
    from amtui.services.demo import build_demo
    from amtui.services.digest import build_digest, render_text
    from amtui.services.workspace import Workspace

    engine = open_engine(pg_url)
    build_demo(engine, size="small", now=now)
    ws = Workspace(engine=engine, now=lambda: now, zone=zone, settings=Settings())
    shown = ws.alerts()
    for kind in ("receivable", "birthday", "deal"):
        found = [a for a in shown if a.kind == kind]
        ws.dismiss_alert(found[0].id)
        ws.snooze_alert(found[-1].id, now.astimezone(zone).date() + timedelta(days=3))
    day = now.astimezone(zone).date()
    with engine.connect() as connection:
        every = compute_alerts(session=connection, now=now, zone=zone)
        alerts, summaries = alerts_and_summaries(session=connection, now=now, zone=zone, limit=2)
    assert alerts == [a for a in every if a.kind not in DIGEST_SUMMARIZED]
    full = build_digest(every, day=day, generated_at=now, zone=zone)
    counted = build_digest(alerts, day=day, generated_at=now, zone=zone, summaries=summaries)
    assert render_text(counted, limit=2) == render_text(full, limit=2)
    assert [g.clients for g in counted.groups] == [g.clients[:2] for g in full.groups]  # the first two clients
    assert [g.client_total or len(g.clients) for g in counted.groups] == [len(g.clients) for g in full.groups]
    assert ws.digest(limit=2).groups == counted.groups
    engine.dispose()
