"""The reads rewritten for ten times the data give exactly the figures of the queries they replace.

Issue 15: the portfolio's receivables, overdue money and open deals were correlated sub-selects per
client, Today's sales trend six single-month sums. The new reads are one grouped query each; these
tests build a hand-made portfolio (partial payments, fully paid and unpaid invoices, several
currencies, due dates on both sides of today, open and closed deals, clients with nothing) and compare
the new figures with the old queries, kept here as plain SQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import text
from sqlmodel import Session, select

from amtui.models import Client, Deal, Interaction, Invoice
from amtui.services import clients, records

TODAY = date(2026, 11, 25)

# The query list_clients ran before issue 15 (correlated sub-selects per client).
OLD_LIST_CLIENTS = """
SELECT c.id,
  (SELECT coalesce(sum(i.amount_minor - i.paid_minor), 0) FROM invoice i
    WHERE i.client_id = c.id AND i.paid_minor < i.amount_minor) AS receivables,
  (SELECT coalesce(sum(i.amount_minor - i.paid_minor), 0) FROM invoice i
    WHERE i.client_id = c.id AND i.paid_minor < i.amount_minor AND i.due_on < :today) AS overdue,
  (SELECT count(d.id) FROM deal d
    WHERE d.client_id = c.id AND d.stage IN ('lead', 'qualified', 'proposal', 'negotiation')) AS open_deals
FROM client c ORDER BY c.id
"""


def _portfolio(session, now) -> list[int]:  # type: ignore[no-untyped-def]
    """Six clients with every kind of invoice and deal; returns their ids."""
    ids = []
    for index, (name, currency) in enumerate(
        [("ООО «Ромашка»", "RUB"), ("Acme GmbH", "EUR"), ("Straße AG", "EUR"), ("Пусто", "RUB"), ("Globex", "USD")]
    ):
        client = Client(name=name, name_folded=name.casefold(), tier="ABC"[index % 3], currency=currency)
        session.add(client)
        session.flush()
        ids.append(client.id)
    romashka, acme, strasse, _empty, globex = ids
    invoices = [
        # (client, number, issued, due, amount, paid, currency)
        (romashka, "R-1", TODAY - timedelta(days=60), TODAY - timedelta(days=30), 100_000_00, 40_000_00, "RUB"),
        (romashka, "R-2", TODAY - timedelta(days=10), TODAY + timedelta(days=20), 55_500_55, 0, "RUB"),
        (romashka, "R-3", TODAY - timedelta(days=90), TODAY - timedelta(days=60), 10_000_00, 10_000_00, "RUB"),
        (romashka, "R-4", TODAY - timedelta(days=5), TODAY, 7_00, 6_99, "RUB"),  # due today: not overdue
        (romashka, "R-5", TODAY - timedelta(days=40), TODAY - timedelta(days=1), 3_000_00, 0, "EUR"),
        (acme, "A-1", TODAY - timedelta(days=200), TODAY - timedelta(days=170), 2_000_00, 1_999_99, "EUR"),
        (acme, "A-2", TODAY - timedelta(days=3), TODAY + timedelta(days=27), 12_345_67, 0, "EUR"),
        (strasse, "S-1", TODAY - timedelta(days=20), TODAY + timedelta(days=10), 5_000_00, 5_000_00, "EUR"),
        (globex, "G-1", TODAY - timedelta(days=400), TODAY - timedelta(days=370), 9_999_999_99, 1_00, "USD"),
        (globex, "G-2", TODAY - timedelta(days=35), TODAY - timedelta(days=5), 1_00, 0, "RUB"),
    ]
    for client_id, number, issued, due, amount, paid, currency in invoices:
        session.add(
            Invoice(
                client_id=client_id,
                number=number,
                issued_on=issued,
                due_on=due,
                amount_minor=amount,
                paid_minor=paid,
                currency=currency,
                paid_on=issued if paid == amount else None,
            )
        )
    for client_id, stage in [
        (romashka, "lead"),
        (romashka, "proposal"),
        (romashka, "won"),
        (acme, "lost"),
        (strasse, "negotiation"),
        (globex, "qualified"),
        (globex, "qualified"),
        (globex, "qualified"),
    ]:
        session.add(Deal(client_id=client_id, title=f"{stage} {client_id}", stage=stage, amount_minor=1_00))
    session.add(Interaction(client_id=acme, kind="call", status="done", done_at=now - timedelta(days=2)))
    session.flush()
    return ids


def test_list_clients_figures_equal_the_correlated_sub_selects(session, now, zone) -> None:  # type: ignore[no-untyped-def]
    ids = _portfolio(session, now)
    old = {
        row.id: (row.receivables, row.overdue, row.open_deals)
        for row in session.execute(text(OLD_LIST_CLIENTS), {"today": TODAY.isoformat()})
    }
    new = {
        row.id: (row.receivables_minor, row.overdue_minor, row.open_deals)
        for row in clients.list_clients(session=session, today=TODAY, zone=zone)
    }
    assert new == old
    romashka, acme, strasse, empty, globex = ids
    # Spelled out, so a query that is wrong in both ways still fails: amounts owed across currencies
    # are the portfolio table's figure (as before), partial payments count what is left.
    assert new[romashka] == (60_000_00 + 55_500_55 + 1 + 3_000_00, 60_000_00 + 3_000_00, 2)
    assert new[acme] == (1 + 12_345_67, 1, 0)
    assert new[strasse] == (0, 0, 1)
    assert new[empty] == (0, 0, 0)
    assert new[globex] == (9_999_998_99 + 1_00, 9_999_998_99 + 1_00, 3)


def test_list_clients_filters_keep_their_figures(session, now, zone) -> None:  # type: ignore[no-untyped-def]
    _portfolio(session, now)
    whole = {row.id: row for row in clients.list_clients(session=session, today=TODAY, zone=zone)}
    for kwargs in ({"tier": "a"}, {"query": "straße"}, {"query": "ромашка"}, {"status": "active"}):
        part = clients.list_clients(session=session, today=TODAY, zone=zone, **kwargs)
        assert part, kwargs
        assert all(row == whole[row.id] for row in part), kwargs
    assert [row.name for row in clients.list_clients(session=session, today=TODAY, zone=zone, query="STRASSE")] == [
        "Straße AG"
    ]


def test_sales_by_month_equals_the_single_month_sums(session, now) -> None:  # type: ignore[no-untyped-def]
    _portfolio(session, now)
    # Month edges: the last day of October and the first of November belong to different months.
    client_id = session.execute(text("SELECT min(id) FROM client")).scalar()
    for issued, amount, currency in [
        (date(2026, 10, 31), 1_11, "RUB"),
        (date(2026, 11, 1), 2_22, "RUB"),
        (date(2026, 6, 1), 3_33, "USD"),
        (date(2025, 11, 30), 4_44, "RUB"),  # before the window
        (date(2026, 12, 1), 5_55, "RUB"),  # after it
    ]:
        session.add(
            Invoice(
                client_id=client_id,
                number=f"E-{issued}",
                issued_on=issued,
                due_on=issued,
                amount_minor=amount,
                currency=currency,
            )
        )
    session.flush()
    months = [date(2026, month, 1) for month in range(6, 12)]
    grouped = records.sales_by_month(session=session, first=months[0], last=date(2026, 11, 25))
    for month in months:
        assert grouped.get(month, {}) == records.sales_by_currency(session=session, period=month), month
        for currency in ("RUB", "EUR", "USD"):
            expected = records.sales_in_month(session=session, period=month, currency=currency)
            assert grouped.get(month, {}).get(currency, 0) == expected, (month, currency)
    assert set(grouped) <= set(months)
    assert grouped[date(2026, 11, 1)]["RUB"] == 55_500_55 + 7_00 + 2_22
    assert grouped[date(2026, 11, 1)]["EUR"] == 12_345_67 + 5_000_00
    assert grouped[date(2026, 10, 1)] == {"RUB": 1_00 + 1_11, "EUR": 3_000_00}


def test_today_view_in_one_pass_equals_the_two_halves(engine) -> None:  # type: ignore[no-untyped-def]
    """today_view skips the quick half's own agenda pass (the rest recomputes every section from all
    alerts): the result must be what the TUI's two steps (today_first, then today_rest) give."""
    from amtui.config import Settings
    from amtui.services.demo import build_demo
    from amtui.services.workspace import Workspace
    from tests.conftest import FROZEN_NOW, ZONE

    build_demo(engine, size="small", now=FROZEN_NOW)
    workspace = Workspace(engine=engine, now=lambda: FROZEN_NOW, zone=ZONE, settings=Settings())
    whole = workspace.today_view()
    halves = workspace.today_rest(workspace.today_first())
    assert whole == halves
    assert whole.complete and whole.agenda and whole.late and whole.receivables
    assert whole.sales_by_month[-1] == whole.sales_minor > 0


def _totals_from_the_table(rows) -> tuple[tuple[str, int, int], ...]:  # type: ignore[no-untyped-def]
    """Today's receivables as they were made before: summed from every row of the Clients table."""
    totals: dict[str, list[int]] = {}
    for client in rows:
        if client.receivables_minor:
            entry = totals.setdefault(client.currency, [0, 0])
            entry[0] += client.receivables_minor
            entry[1] += client.overdue_minor
    return tuple(sorted(((c, o, d) for c, (o, d) in totals.items()), key=lambda item: -item[1]))


def test_todays_receivables_per_currency_equal_the_clients_tables_sums(session, now, zone) -> None:  # type: ignore[no-untyped-def]
    """Today no longer reads the whole Clients table for its money line: one grouped read must give the
    same (currency, owed, overdue) triples, each client's debt in the client's currency, largest first."""
    _portfolio(session, now)
    table = clients.list_clients(session=session, today=TODAY, zone=zone)
    grouped = clients.receivables_by_currency(session=session, today=TODAY)
    assert grouped == _totals_from_the_table(table)
    # Spelled out: Ромашка's EUR invoice is in its RUB line (the table's rule), Globex's RUB one in USD.
    assert grouped == (
        ("USD", 9_999_998_99 + 1_00, 9_999_998_99 + 1_00),
        ("RUB", 60_000_00 + 55_500_55 + 1 + 3_000_00, 60_000_00 + 3_000_00),
        ("EUR", 1 + 12_345_67, 1),
    )
    assert clients.count_clients(session=session) == len(table) == 5
    # A day later R-4 (due today) is overdue too.
    later = clients.receivables_by_currency(session=session, today=TODAY + timedelta(days=1))
    assert later == _totals_from_the_table(
        clients.list_clients(session=session, today=TODAY + timedelta(days=1), zone=zone)
    )
    assert dict((c, d) for c, _o, d in later)["RUB"] == 60_000_00 + 3_000_00 + 1


def test_list_clients_order_without_the_databases_sort(session, zone) -> None:  # type: ignore[no-untyped-def]
    """The table is sorted in Python on the name without its legal form; equal keys fall back on the
    stored folded name, then the id (what ORDER BY name_folded gave)."""
    names = ["ООО «Ромашка»", "Ромашка", "АО «Берёза»", "ромашка", "Acme", "ООО Acme", "Zeta", "ИП Ромашка"]
    for name in names:
        session.add(Client(name=name, name_folded=name.casefold()))
    session.flush()
    rows = clients.list_clients(session=session, today=TODAY, zone=zone)
    expected = session.execute(text("SELECT id, name_folded FROM client ORDER BY name_folded, id")).all()
    from amtui.services.text import folded_name_key

    in_old_order = sorted(expected, key=lambda row: folded_name_key(row[1]))  # stable: the SQL order breaks ties
    assert [row.id for row in rows] == [row[0] for row in in_old_order]
    assert [row.name for row in rows][:2] == ["Acme", "ООО Acme"]
    assert [row.name for row in rows][2] == "Zeta"  # Latin before Cyrillic, as the code points go


def test_today_totals_equal_the_portfolio_on_the_demo(engine) -> None:  # type: ignore[no-untyped-def]
    from amtui.config import Settings
    from amtui.services.demo import build_demo
    from amtui.services.workspace import Workspace
    from tests.conftest import FROZEN_NOW, ZONE

    build_demo(engine, size="small", now=FROZEN_NOW)
    workspace = Workspace(engine=engine, now=lambda: FROZEN_NOW, zone=ZONE, settings=Settings())
    view = workspace.today_view()
    table = workspace.client_list()
    assert view.receivables == _totals_from_the_table(table)
    assert view.clients == len(table) > 0
    assert len(view.receivables) >= 2  # the demo owes in more than one currency


def _abc_portfolio(session) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Revenue on the Pareto limits: RUB 40/40/15/4/1 (shares before: 0, 40, 80, 95, 99 %), a USD group
    of two (too few to rank), an EUR client also in RUB, prospects with and without revenue, a lost client."""
    spec = [
        # (name, tier stored, status, [(amount, currency, days ago)])
        ("Альфа", "C", "active", [(30_00, "RUB", 10), (10_00, "RUB", 300)]),
        ("Бета", "A", "active", [(40_00, "RUB", 20), (99_00, "RUB", 400)]),  # 400 days ago: outside
        ("Гамма", "A", "active", [(15_00, "RUB", 30)]),
        ("Дельта", "B", "active", [(4_00, "RUB", 40), (7_00, "USD", 5)]),
        ("Эпсилон", "C", "active", [(1_00, "RUB", 50)]),
        ("Zeta", "B", "active", [(9_00, "USD", 5)]),
        ("Eta", "C", "prospect", []),
        ("Theta", "A", "prospect", []),
        ("Iota", "A", "active", []),
        ("Kappa", "A", "lost", []),
    ]
    ids = {}
    for name, tier, status, invoices in spec:
        client = Client(name=name, name_folded=name.casefold(), tier=tier, status=status)
        session.add(client)
        session.flush()
        ids[name] = client.id
        for number, (amount, currency, ago) in enumerate(invoices):
            issued = TODAY - timedelta(days=ago)
            session.add(
                Invoice(
                    client_id=client.id,
                    number=f"{name}-{number}",
                    issued_on=issued,
                    due_on=issued + timedelta(days=30),
                    amount_minor=amount,
                    currency=currency,
                )
            )
    session.flush()
    return ids


def test_abc_tiers_on_the_limits(session) -> None:  # type: ignore[no-untyped-def]
    """The Pareto in integers (running x 100 against limit x total) gives the tiers the Decimal shares gave:
    exactly on a limit is the next tier."""
    from amtui.services.portfolio import abc_tiers, set_rate

    _abc_portfolio(session)
    full = abc_tiers(session=session, today=TODAY)
    suggested = {row.client_name: row.suggested for row in full.rows}
    # Exactly on a limit is the next tier: Гамма starts at 80 %, Дельта at 95 %.
    assert suggested == {
        "Альфа": "A", "Бета": "A", "Гамма": "B", "Дельта": "C", "Эпсилон": "C",
        "Zeta": "B", "Eta": "C", "Theta": "A", "Iota": "C",
    }  # fmt: skip
    assert [row.client_name for row in full.changes] == ["Iota", "Альфа", "Гамма", "Дельта"]
    assert [
        row.suggested for row in abc_tiers(session=session, today=TODAY, thresholds=(40, 80)).rows if row.revenue_minor
    ][:3] == [
        "A",
        "B",  # Бета: as much as Альфа, ranked after it (by id), starts at 40 %
        "C",  # Гамма at 80 %
    ]
    set_rate(session=session, currency="USD", rate_e6=100_000_000, valid_from=TODAY, home_currency="RUB")
    whole = abc_tiers(session=session, today=TODAY)
    # Converted: Zeta 900 RUB of 1 700 first (A), Дельта 704 from 52.9 % (A), Альфа from 94.4 % (B), Бета C.
    assert [(row.client_name, row.suggested) for row in whole.rows if row.revenue_minor][:4] == [
        ("Zeta", "A"),
        ("Дельта", "A"),
        ("Альфа", "B"),
        ("Бета", "C"),
    ]


def test_abc_changes_only_are_the_full_results_changes(session) -> None:  # type: ignore[no-untyped-def]
    """The alert engine asks abc_tiers for the changes only (no row per unchanged client): the same rows
    as the full result's changes, for several thresholds, with and without a rate."""
    from amtui.services.portfolio import abc_tiers, set_rate

    _abc_portfolio(session)
    for rate in (False, True):
        if rate:
            set_rate(session=session, currency="USD", rate_e6=100_000_000, valid_from=TODAY, home_currency="RUB")
        for thresholds in ((80, 95), (40, 80), (41, 99), (1, 100), (50, 55)):
            whole = abc_tiers(session=session, today=TODAY, thresholds=thresholds)
            only = abc_tiers(session=session, today=TODAY, thresholds=thresholds, changes_only=True)
            assert only.rows == whole.changes, thresholds
            assert only.changes == whole.changes
            assert whole.changes, thresholds


def _reference_rows(session, today, zone) -> dict[int, tuple[object, ...]]:  # type: ignore[no-untyped-def]
    """Every figure of the Clients table, the straightforward way: per client, its stored fields, the
    old correlated sub-selects, the last touch by its own query, the cadence and due day by the helpers."""
    figures = {
        row.id: (row.receivables, row.overdue, row.open_deals)
        for row in session.execute(text(OLD_LIST_CLIENTS), {"today": today.isoformat()})
    }
    expected = {}
    for client in session.exec(select(Client)).all():
        cadence = clients.effective_cadence(client.tier, client.cadence_days)
        last = clients.last_touch(session=session, client_id=client.id)
        expected[client.id] = (
            client.name,
            client.tier,
            client.status,
            client.segment,
            client.city,
            cadence,
            last,
            clients.next_contact_due(last, cadence, zone=zone, today=today),
            *figures[client.id],
            client.currency,
            client.name_folded,
        )
    return expected


def _as_tuple(row) -> tuple[object, ...]:  # type: ignore[no-untyped-def]
    return (
        row.name,
        row.tier,
        row.status,
        row.segment,
        row.city,
        row.cadence_days,
        row.last_touch_at,
        row.next_contact_due,
        row.receivables_minor,
        row.overdue_minor,
        row.open_deals,
        row.currency,
        row.name_folded,
    )


def test_client_rows_equal_the_straightforward_reference(session, now, zone) -> None:  # type: ignore[no-untyped-def]
    """The hot loop (cadence, stored moment and due day resolved inline) gives what the helpers give:
    a touch late in the evening UTC (already tomorrow in Moscow), a cadence of its own, never touched."""
    ids = _portfolio(session, now)
    romashka, _acme, strasse, empty, _globex = ids
    session.add(
        Interaction(client_id=romashka, kind="call", status="done", done_at=datetime(2026, 11, 20, 22, 30, tzinfo=UTC))
    )
    session.add(Interaction(client_id=romashka, kind="visit", status="planned", planned_at=now + timedelta(days=1)))
    session.add(Interaction(client_id=strasse, kind="email", status="done", done_at=now - timedelta(days=400)))
    client = session.get(Client, empty)
    client.cadence_days, client.segment, client.city = 7, "Опт", "Казань"
    session.flush()
    rows = clients.list_clients(session=session, today=TODAY, zone=zone)
    assert {row.id: _as_tuple(row) for row in rows} == _reference_rows(session, TODAY, zone)
    by_id = {row.id: row for row in rows}
    # Spelled out: 22:30 UTC on the 20th is the 21st in Moscow; B's default cadence is 30 days.
    assert by_id[romashka].last_touch_at == datetime(2026, 11, 20, 22, 30, tzinfo=UTC)
    assert by_id[romashka].next_contact_due == date(2026, 11, 21) + timedelta(days=by_id[romashka].cadence_days)
    assert (by_id[empty].last_touch_at, by_id[empty].next_contact_due, by_id[empty].cadence_days) == (None, TODAY, 7)
    # Unordered, the same rows.
    assert sorted(clients.list_clients(session=session, today=TODAY, zone=zone, ordered=False), key=lambda r: r.id) == (
        sorted(rows, key=lambda r: r.id)
    )


def test_client_rows_and_first_rows_on_the_demo(engine, zone) -> None:  # type: ignore[no-untyped-def]
    """On the demo: every row equals the reference; the first rows read alone are the first of the
    Clients screen's order (stored folded name, then id), with the same figures."""
    from amtui.services.demo import build_demo
    from tests.conftest import FROZEN_NOW

    build_demo(engine, size="small", now=FROZEN_NOW)
    today = FROZEN_NOW.astimezone(zone).date()
    with Session(engine) as session:
        rows = clients.list_clients(session=session, today=today, zone=zone, ordered=False)
        assert {row.id: _as_tuple(row) for row in rows} == _reference_rows(session, today, zone)
        assert sum(row.last_touch_at is not None for row in rows) > len(rows) // 2
        screen_order = sorted(rows, key=lambda row: (row.name_folded, row.id))
        for limit in (1, 7, len(rows) + 5):
            first = clients.first_clients(session=session, today=today, zone=zone, limit=limit)
            assert first == screen_order[:limit]
        assert any(row.receivables_minor for row in screen_order[:40])


def test_first_rows_of_an_empty_portfolio(session, zone) -> None:  # type: ignore[no-untyped-def]
    assert clients.first_clients(session=session, today=TODAY, zone=zone, limit=50) == []


def test_the_stored_search_key_stays_out_of_the_json(session, now, zone) -> None:  # type: ignore[no-untyped-def]
    import json

    from amtui.commands.common import as_json

    _portfolio(session, now)
    rows = clients.list_clients(session=session, today=TODAY, zone=zone)
    printed = json.loads(as_json(rows))
    assert [row["name"] for row in printed] == [row.name for row in rows]
    assert "name_folded" not in printed[0] and "receivables_minor" in printed[0]
