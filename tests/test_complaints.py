"""Complaints, claims, returns, disputes and shortages: stored, alerted, digested, halving the cadence.

A hand-built dataset on Wednesday 25.11.2026 09:00 Moscow (the frozen clock): a complaint due
tomorrow, one overdue, one resolved 3 days ago (the follow-up call), one untouched for 10 days (stale),
one delegated to a colleague whose check-in has come.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from amtui.services import clients, complaints, interactions, records
from amtui.services.errors import NotFoundError, ValidationError
from amtui.services.tasks import default_check_in

TODAY = date(2026, 11, 25)


def _rows(db_path: Path, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    with sqlite3.connect(db_path) as connection:
        return connection.execute(sql).fetchall()


@pytest.fixture
def filled(session, now, zone) -> dict[str, int]:  # type: ignore[no-untyped-def]
    romashka = clients.create_client(session=session, name="ООО «Ромашка»", tier="A")
    # Tier A: every 14 days. The last touch 10 days ago is in time, unless a complaint halves the cadence.
    interactions.log_interaction(session=session, client_id=romashka.id, kind="call", at=now - timedelta(days=10))
    vector = clients.create_client(session=session, name="АО «Вектор»", tier="B")
    interactions.log_interaction(session=session, client_id=vector.id, kind="call", at=now - timedelta(days=5))
    invoice = records.create_invoice(
        session=session, client_id=romashka.id, number="СЧ-77", issued_on=TODAY - timedelta(days=20),
        due_on=TODAY + timedelta(days=10), amount_minor=500_000_00,
    )  # fmt: skip
    soon = complaints.create_complaint(
        session=session, client_id=romashka.id, title="Брак в партии", now=now, zone=zone, kind="claim",
        amount_minor=125_050, due_on=TODAY + timedelta(days=1), invoice="СЧ-77",
    )  # fmt: skip
    late = complaints.create_complaint(
        session=session, client_id=romashka.id, title="Опоздала поставка", now=now - timedelta(days=8), zone=zone,
        opened_on=TODAY - timedelta(days=8), due_on=TODAY - timedelta(days=5),
    )  # fmt: skip
    resolved = complaints.create_complaint(
        session=session, client_id=vector.id, title="Недовложение", now=now - timedelta(days=6), zone=zone,
        kind="shortage", opened_on=TODAY - timedelta(days=6), due_on=TODAY - timedelta(days=2),
    )  # fmt: skip
    complaints.resolve_complaint(
        session=session, complaint_id=resolved.id, note="Допоставили 3 коробки", on=TODAY - timedelta(days=3),
        now=now - timedelta(days=3),
    )  # fmt: skip
    stale = complaints.create_complaint(
        session=session, client_id=vector.id, title="Спор о скидке", now=now - timedelta(days=10), zone=zone,
        kind="dispute", opened_on=TODAY - timedelta(days=10),
    )  # fmt: skip
    delegated = complaints.create_complaint(
        session=session, client_id=vector.id, title="Возврат паллет", now=now - timedelta(days=6), zone=zone,
        kind="return", opened_on=TODAY - timedelta(days=6), due_on=TODAY + timedelta(days=8), owner="Петров",
    )  # fmt: skip
    session.commit()
    return {
        "romashka": romashka.id, "vector": vector.id, "invoice": invoice.id, "soon": soon.id, "late": late.id,
        "resolved": resolved.id, "stale": stale.id, "delegated": delegated.id,
    }  # fmt: skip


def test_what_is_stored(filled, db_path: Path, now, zone) -> None:  # type: ignore[no-untyped-def]
    rows = _rows(
        db_path,
        "SELECT id, client_id, kind, title, amount_minor, currency, opened_on, due_on, status, invoice_id, owner,"
        " resolution, resolved_on, check_in_at FROM complaint ORDER BY id",
    )
    by_id = {row[0]: row for row in rows}
    soon = by_id[filled["soon"]]
    assert soon[1:10] == (
        filled["romashka"], "claim", "Брак в партии", 125_050, "RUB", "2026-11-25", "2026-11-26", "open",
        filled["invoice"],
    )  # fmt: skip
    resolved = by_id[filled["resolved"]]
    assert resolved[8] == "resolved" and resolved[11] == "Допоставили 3 коробки" and resolved[12] == "2026-11-22"
    assert resolved[13] is None  # settled: no check-in any more
    delegated = by_id[filled["delegated"]]
    assert delegated[10] == "Петров"
    # The tasks' check-in rule, reused: about a third of the way from when it was opened to the promised day.
    expected = default_check_in(now - timedelta(days=6), TODAY + timedelta(days=8), zone)
    assert datetime.fromisoformat(delegated[13]).replace(tzinfo=UTC) == expected
    assert expected < now
    # Own complaints have no check-in.
    assert by_id[filled["soon"]][13] is None


def test_alerts_and_digest(cli, filled) -> None:  # type: ignore[no-untyped-def]
    alerts = json.loads(cli("alerts", "--json").output)
    ids = {a["id"]: a for a in alerts}
    soon, late = ids[f"complaint:{filled['soon']}"], ids[f"complaint:{filled['late']}"]
    assert (soon["days"], soon["severity"]) == (1, "normal")
    assert (
        "Claim «Брак в партии» from ООО «Ромашка»: the resolution is promised for 26.11.2026 (tomorrow)" in soon["text"]
    )
    assert (late["days"], late["severity"]) == (-5, "high")
    assert "is late (5 days ago)" in late["text"]
    stale = ids[f"complaint:{filled['stale']}"]
    assert stale["text"] == "Dispute «Спор о скидке» from АО «Вектор» is open and untouched for 10 days"
    follow = ids[f"complaint_followup:{filled['resolved']}"]
    assert follow["date"] == "2026-11-29" and follow["client_id"] == filled["vector"]
    assert "Call АО «Вектор» to check they are satisfied" in follow["text"]
    assert f"complaint_checkin:{filled['delegated']}" in ids
    assert (
        "Check in with Петров on the return «Возврат паллет»" in ids[f"complaint_checkin:{filled['delegated']}"]["text"]
    )
    # The open complaints halve Ромашка's cadence (14 -> 7 days): 10 days of silence is now 3 days overdue.
    silence = ids[f"silence:{filled['romashka']}"]
    assert silence["days"] == -3 and "every 7 days" in silence["text"]
    assert f"silence:{filled['vector']}" not in ids  # tier B, 30 -> 15 days, 5 days ago: in time
    assert f"complaint:{filled['delegated']}" not in ids  # due in 8 days, touched 6 days ago: nothing yet

    shown = cli("client", "show", "Ромашка").output
    assert "every 7 days while a complaint is open" in shown and "next due 22.11.2026" in shown
    assert f"{filled['soon']}: Брак в партии [claim, open] 1 250,50 RUB, due 26.11.2026" in shown

    digest = cli("digest")
    assert digest.exit_code == 0, digest.output
    out = digest.output
    assert "Complaints to resolve: 3 complaints due or late" in out
    assert "Resolved complaints: call to check the client is satisfied: 1 follow-up call after a complaint" in out
    assert "Check-ins due on delegated complaints: 1 complaint check-in due" in out
    assert f"[complaint:{filled['late']}]" in out

    today = json.loads(cli("today", "--json").output)
    late_ids = [a["id"] for a in today["late"]]
    assert f"complaint:{filled['late']}" in late_ids and f"complaint_followup:{filled['resolved']}" in late_ids

    # A call after the day it was resolved ends the follow-up; resolving the others ends their alerts.
    assert cli("log", "call", "Вектор", "--note", "Всё хорошо").exit_code == 0
    after = {a["id"] for a in json.loads(cli("alerts", "--json").output)}
    assert f"complaint_followup:{filled['resolved']}" not in after
    for key in ("soon", "late"):
        assert cli("complaint", "resolve", str(filled[key]), "--note", "Заменили").exit_code == 0
    after = {a["id"] for a in json.loads(cli("alerts", "--json").output)}
    assert not {f"complaint:{filled['soon']}", f"complaint:{filled['late']}"} & after
    assert f"silence:{filled['romashka']}" not in after  # no open complaint: back to every 14 days


def test_the_card_halves_the_cadence_and_shows_the_risk(engine, filled, zone) -> None:  # type: ignore[no-untyped-def]
    from amtui.db import session_scope
    from amtui.services.cards import client_card

    with session_scope(engine) as session:
        card = client_card(session=session, client_id=filled["romashka"], today=TODAY, zone=zone)
    assert card.next_contact_due == date(2026, 11, 22)  # 15.11 + 7 (14 halved)
    assert card.warnings[0] == (
        "At risk: 2 open complaints, 1 past the promised day; 1 250,50 RUB in dispute;"
        " call twice as often until resolved"
    )
    assert [c.id for c in card.complaints] == [filled["late"], filled["soon"]]
    assert card.complaints[1].invoice_number == "СЧ-77"


def test_cli_add_list_show_edit_reject_reopen(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("client", "add", "ООО «Ромашка»", "--inn", "7707083893").exit_code == 0
    assert cli("contact", "add", "Ромашка", "Лебедева Ирина").exit_code == 0
    added = cli(
        "complaint", "add", "ромашка", "Бой стекла", "--kind", "претензия", "--amount", "1 250,50",
        "--contact", "Лебедева", "--due", "пт", "--owner", "Петров", "--json",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    made = json.loads(added.output)
    assert (made["kind"], made["amount_minor"], made["due_on"], made["owner"]) == (
        "claim",
        125_050,
        "2026-11-27",
        "Петров",
    )
    assert made["contact_name"] == "Лебедева Ирина" and made["check_in_at"] is not None
    listed = cli("complaint", "list", "--open")
    assert "Бой стекла" in listed.output and "1 250,50" in listed.output
    shown = cli("complaint", "show", str(made["id"]))
    assert "Лебедева Ирина" in shown.output and "27.11.2026" in shown.output
    edited = json.loads(
        cli(
            "complaint", "edit", str(made["id"]), "--status", "in_progress", "--due", "", "--owner", "me", "--json"
        ).output
    )
    assert (edited["status"], edited["due_on"], edited["owner"], edited["check_in_at"]) == (
        "in_progress", None, None, None,
    )  # fmt: skip
    rejected = json.loads(cli("complaint", "reject", str(made["id"]), "--note", "Не наш брак", "--json").output)
    assert (rejected["status"], rejected["resolution"], rejected["resolved_on"]) == (
        "rejected", "Не наш брак", "2026-11-25",
    )  # fmt: skip
    assert "No complaints." in cli("complaint", "list", "--open").output
    again = cli("complaint", "reject", str(made["id"]), "--note", "ещё раз")
    assert again.exit_code == 1 and "already rejected" in again.output
    reopened = json.loads(cli("complaint", "reopen", str(made["id"]), "--json").output)
    assert (reopened["status"], reopened["resolved_on"]) == ("open", None)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("complaint", "add", "Нет такого", "Брак"), "no client matches 'Нет такого'"),
        (("complaint", "add", "Ромашка", "Брак", "--amount", "12,3,4x"), "--amount"),
        (("complaint", "add", "Ромашка", "Брак", "--due", "31.02.2026"), "--due"),
        (("complaint", "add", "Ромашка", "Брак", "--kind", "ругань"), "kind"),
        (("complaint", "add", "Ромашка", "Брак", "--invoice", "СЧ-404"), "no invoice of this client"),
        (("complaint", "add", "Ромашка", "  "), "title"),
        (("complaint", "add", "Ромашка", "Брак", "--opened", "20.11.2026", "--due", "19.11.2026"), "due"),
        (("complaint", "resolve", "999", "--note", "x"), "no complaint with id 999"),
    ],
)
def test_bad_input_is_one_clear_line_and_writes_nothing(cli, db_path: Path, args, message) -> None:  # type: ignore[no-untyped-def]
    assert cli("client", "add", "ООО «Ромашка»").exit_code == 0
    result = cli(*args)
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert _rows(db_path, "SELECT count(*) FROM complaint") == [(0,)]


def test_service_refuses_before_writing(session, now, zone) -> None:  # type: ignore[no-untyped-def]
    client = clients.create_client(session=session, name="ООО «Ромашка»")
    with pytest.raises(NotFoundError):
        complaints.create_complaint(session=session, client_id=client.id + 1, title="x", now=now, zone=zone)
    made = complaints.create_complaint(session=session, client_id=client.id, title="x", now=now, zone=zone)
    with pytest.raises(ValidationError, match="resolve or reject"):
        complaints.update_complaint(session=session, complaint_id=made.id, now=now, zone=zone, status="resolved")
    with pytest.raises(ValidationError, match="note"):
        complaints.resolve_complaint(session=session, complaint_id=made.id, note=" ", on=TODAY, now=now)
    assert complaints.get_complaint(session=session, complaint_id=made.id).status == "open"


def test_stale_days_setting(cli, filled, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "config.toml"
    config.write_text("[complaints]\nstale_days = 11\n", encoding="utf-8")
    monkeypatch.setenv("AMTUI_CONFIG", str(config))
    ids = {a["id"] for a in json.loads(cli("alerts", "--kind", "complaint", "--json").output)}
    assert f"complaint:{filled['stale']}" not in ids and f"complaint:{filled['late']}" in ids
    config.write_text("[complaints]\nstale_days = 'often'\n", encoding="utf-8")
    bad = cli("alerts")
    assert bad.exit_code == 1 and "complaints.stale_days" in bad.output


def test_import_export_round_trip(cli, filled, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "complaints.csv"
    assert cli("export", "complaints", "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8-sig")
    assert ",claim,Брак в партии,,1250.50,RUB,2026-11-25,2026-11-26,," in text
    again = cli("import", "complaints", str(out))
    assert again.exit_code == 0, again.output
    assert "unchanged" in again.output
    source = tmp_path / "new.csv"
    source.write_text(
        "Клиент;Тема;Вид;Сумма;Дата;Срок\nРомашка;Опоздала машина;возврат;2 000,00;20.11.2026;24.11.2026\n",
        encoding="utf-8",
    )
    imported = cli("import", "complaints", str(source))
    assert imported.exit_code == 0, imported.output
    rows = json.loads(cli("complaint", "list", "--json").output)
    new = next(row for row in rows if row["title"] == "Опоздала машина")
    assert (new["kind"], new["amount_minor"], new["due_on"], new["status"]) == ("return", 200_000, "2026-11-24", "open")
    for fmt in ("xlsx", "json"):
        target = tmp_path / f"complaints.{fmt}"
        assert cli("export", "complaints", "-o", str(target)).exit_code == 0
        assert "unchanged" in cli("import", "complaints", str(target)).output


# --- the TUI -----------------------------------------------------------------------------------------------------


def test_tui_card_form_resolve_reopen_and_palette(engine, db_url: str, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    """w on the card records a complaint; Enter on its row edits it; Resolved + a note settles it (the
    follow-up alert appears); the palette opens a complaint by its title."""
    import asyncio

    from textual.widgets import DataTable, Input

    from amtui.app import AmtuiApp
    from amtui.db import session_scope
    from amtui.screens.client_card import ClientCardScreen
    from amtui.screens.form_complaint import ComplaintForm
    from amtui.services.alerts import compute_alerts
    from tests.conftest import FROZEN_NOW, ZONE

    with session_scope(engine) as session:
        client_id = clients.create_client(session=session, name="ООО «Ромашка»", tier="A").id

    async def type_into(pilot, form, field_id: str, text: str) -> None:  # type: ignore[no-untyped-def]
        widget = form.query_one(f"#{field_id}").query_one(Input)
        widget.focus()
        await pilot.pause()
        widget.value = text
        await pilot.pause()

    async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
        for _ in range(3):
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

    async def flow() -> None:
        app = AmtuiApp(db_url=db_url, now=FROZEN_NOW, zone=ZONE)
        async with app.run_test(size=(110, 40)) as pilot:
            await settle(pilot)
            app.open_client(client_id)
            await settle(pilot)
            card = app.screen
            assert isinstance(card, ClientCardScreen)
            assert not card.query_one("#card-complaints").display  # no complaints: no section
            await pilot.press("w")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, ComplaintForm)
            await type_into(pilot, form, "f-title", "Бой стекла")
            await type_into(pilot, form, "f-amount", "1 250,50")
            await type_into(pilot, form, "f-due", "завтра")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is card
            table = card.query_one("#card-complaints", DataTable)
            assert card.query_one("#card-complaints").display and table.row_count == 1
            assert "At risk: 1 open complaint" in str(card.query_one("#card-warnings").render())
            rows = _rows(db_path, "SELECT id, title, amount_minor, due_on, status FROM complaint")
            assert rows == [(rows[0][0], "Бой стекла", 125_050, "2026-11-26", "open")]
            complaint_id = rows[0][0]

            table.focus()
            table.move_cursor(row=0)
            await pilot.pause()
            await pilot.press("enter")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, ComplaintForm)
            form.query_one("#f-status").value = "resolved"
            await pilot.pause()
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is form  # no resolution text: refused, nothing written
            assert "resolution" in str(form.query_one(".form--error").render()).casefold()
            assert _rows(db_path, "SELECT status FROM complaint") == [("open",)]
            await type_into(pilot, form, "f-resolution", "Заменили 12 коробок")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is card
            assert _rows(db_path, "SELECT status, resolution, resolved_on FROM complaint") == [
                ("resolved", "Заменили 12 коробок", "2026-11-25")
            ]
            with session_scope(engine) as session:
                ids = {a.id for a in compute_alerts(session=session, now=FROZEN_NOW, zone=ZONE)}
            assert f"complaint_followup:{complaint_id}" in ids and f"complaint:{complaint_id}" not in ids

            # The palette finds it by title and opens its form over the card.
            await pilot.press("escape")
            await settle(pilot)
            app.open_complaint(client_id, complaint_id)
            await settle(pilot)
            form = app.screen
            assert isinstance(form, ComplaintForm) and form.complaint is not None
            assert form.complaint.status == "resolved"
            form.query_one("#f-status").value = "in_progress"
            await pilot.pause()
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert _rows(db_path, "SELECT status, resolved_on FROM complaint") == [("in_progress", None)]

    asyncio.run(flow())


def test_palette_lists_complaints(engine, db_url: str) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    from amtui.app import AmtuiApp, AmtuiCommands
    from amtui.db import session_scope
    from tests.conftest import FROZEN_NOW, ZONE

    with session_scope(engine) as session:
        client_id = clients.create_client(session=session, name="ООО «Ромашка»").id
        complaints.create_complaint(session=session, client_id=client_id, title="Бой стекла", now=FROZEN_NOW, zone=ZONE)

    async def flow() -> list[str]:
        app = AmtuiApp(db_url=db_url, now=FROZEN_NOW, zone=ZONE)
        async with app.run_test(size=(100, 32)) as pilot:
            await pilot.pause()
            provider = AmtuiCommands(app.screen)
            await provider.startup()
            return [str(hit.text or hit.match_display) async for hit in provider.search("бой стекла")]

    labels = asyncio.run(flow())
    assert "Complaint: Бой стекла, ООО «Ромашка»" in labels


def test_snooze_holds_until_the_promise_moves(cli, filled) -> None:  # type: ignore[no-untyped-def]
    alert_id = f"complaint:{filled['late']}"
    snoozed = cli("snooze", alert_id, "--until", "+3d")
    assert snoozed.exit_code == 0, snoozed.output
    assert alert_id not in {a["id"] for a in json.loads(cli("alerts", "--json").output)}
    # A new promised day is a new fact: the alert is back (due in 2 days now).
    assert cli("complaint", "edit", str(filled["late"]), "--due", "+2d").exit_code == 0
    back = {a["id"]: a for a in json.loads(cli("alerts", "--json").output)}
    assert back[alert_id]["days"] == 2
    assert cli("dismiss", f"complaint_followup:{filled['resolved']}").exit_code == 0
    assert f"complaint_followup:{filled['resolved']}" not in {
        a["id"] for a in json.loads(cli("alerts", "--json").output)
    }
