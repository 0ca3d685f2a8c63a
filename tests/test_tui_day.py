"""Issue 10, the rest: undo of a delete, exact money, the Tasks form's client, Today's trend label and
receivables at 80 columns, an empty database's hint, footers at 80 columns, Ctrl+Y copying without saving."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from rich.cells import cell_len
from sqlalchemy import func, select
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets._footer import FooterKey

from amtui.db import session_scope
from amtui.models import Client, Contact, ContactMethod, Contract, Deal, InteractionContact, Invoice, Task
from amtui.services.text import format_money
from tests.conftest import FROZEN_NOW, ZONE
from tests.test_tui import make_app, settle, stored, sync, type_into

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

TODAY = date(2026, 11, 25)
OWED_RUB = 250_840_075  # 2 508 400,75 RUB
OWED_GBP = 247_390_050  # 2 473 900,50 GBP


@pytest.fixture
def seeded(engine: Any) -> Iterator[dict[str, int]]:
    """«Ромашка»: a person with a phone and an e-mail who attended a call, a contract with an unpaid
    invoice of 2 508 400,75 RUB, a deal. «Northwind»: an unpaid invoice in GBP."""
    from amtui.services import clients, contacts, interactions, records

    with session_scope(engine) as session:
        romashka = clients.create_client(session=session, name="ООО «Ромашка»", tier="A", city="Москва")
        northwind = clients.create_client(
            session=session, name="Northwind Traders Ltd", tier="C", city="London", currency="GBP"
        )
        person = contacts.create_contact(
            session=session, client_id=romashka.id, full_name="Громов Андрей Николаевич",
            phones=["+7 495 957-47-21"], emails=["a.gromov@romashka.ru"],
        )  # fmt: skip
        call = interactions.log_interaction(
            session=session, client_id=romashka.id, kind="call", at=FROZEN_NOW - timedelta(days=1),
            contact_ids=[person.id], subject="Цены",
        )  # fmt: skip
        contract = records.create_contract(
            session=session, client_id=romashka.id, number="Д-17", start_on=TODAY - timedelta(days=30),
            end_on=TODAY + timedelta(days=300),
        )  # fmt: skip
        invoice = records.create_invoice(
            session=session, client_id=romashka.id, number="СЧ-1", issued_on=TODAY - timedelta(days=10),
            amount_minor=OWED_RUB, due_on=TODAY + timedelta(days=20), contract_id=contract.id,
        )  # fmt: skip
        records.create_invoice(
            session=session, client_id=northwind.id, number="NW-1", issued_on=TODAY - timedelta(days=40),
            amount_minor=OWED_GBP, due_on=TODAY - timedelta(days=10), currency="GBP",
        )  # fmt: skip
        deal = records.create_deal(session=session, client_id=romashka.id, title="Фасовка", stage="proposal")
        ids = {
            "romashka": romashka.id, "northwind": northwind.id, "person": person.id, "call": call.id,
            "contract": contract.id, "invoice": invoice.id, "deal": deal.id,
        }  # fmt: skip
    yield ids


def count(engine: Any, column: Any) -> int:
    return int(stored(engine, select(func.count(column)))[0][0])


# 1. Undo of a delete


@sync
async def test_a_deleted_person_comes_back_with_ctrl_z_with_phones_emails_and_attendance(
    engine: Any, db_url: str, seeded: dict[str, int]
) -> None:
    from amtui.screens.client_card import ClientCardScreen
    from amtui.screens.form_confirm import ConfirmDelete

    def person_rows() -> tuple[Any, ...]:
        with session_scope(engine) as session:
            contact = session.get(Contact, seeded["person"])
            methods = session.execute(
                select(ContactMethod.kind, ContactMethod.value).where(ContactMethod.contact_id == seeded["person"])
            ).all()
            attended = session.execute(
                select(InteractionContact.interaction_id).where(InteractionContact.contact_id == seeded["person"])
            ).all()
            return (
                contact.full_name if contact else None,
                sorted(tuple(m) for m in methods),
                [a[0] for a in attended],
            )

    before = person_rows()
    assert before[0] == "Громов Андрей Николаевич" and len(before[1]) == 2 and before[2] == [seeded["call"]]
    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        app.open_client(seeded["romashka"])
        await settle(pilot)
        card = app.screen
        assert isinstance(card, ClientCardScreen)
        people = card.query_one("#card-people", OptionList)
        people.focus()
        people.highlighted = next(
            i for i in range(people.option_count) if people.get_option_at_index(i).id == str(seeded["person"])
        )
        await pilot.pause()
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDelete)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is card
        assert person_rows() == (None, [], [])  # gone with what hung on it
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert person_rows() == before  # back: the same id, phones, e-mails, attendance
        await settle(pilot)
        assert str(seeded["person"]) in [
            people.get_option_at_index(i).id for i in range(people.option_count)
        ]  # the card shows the person again


def test_a_deleted_contract_and_deal_are_restored_by_the_workspace(
    engine: Any, db_url: str, seeded: dict[str, int]
) -> None:
    from amtui.services.workspace import Workspace

    ws = Workspace(db_url, now=lambda: FROZEN_NOW, zone=ZONE)
    try:
        removed = ws.delete_record("contract", seeded["contract"])
        assert removed.text == "Deleted contract Д-17"
        with session_scope(engine) as session:
            assert session.get(Contract, seeded["contract"]) is None
            invoice = session.get(Invoice, seeded["invoice"])
            assert invoice is not None and invoice.contract_id is None  # the invoice stays, unlinked
        assert ws.restore(removed) == "Restored contract Д-17"
        with session_scope(engine) as session:
            contract = session.get(Contract, seeded["contract"])
            invoice = session.get(Invoice, seeded["invoice"])
            assert contract is not None and contract.number == "Д-17" and contract.end_on == TODAY + timedelta(300)
            assert invoice is not None and invoice.contract_id == seeded["contract"]  # linked back

        gone = ws.delete_record("deal", seeded["deal"])
        assert count(engine, Deal.id) == 0
        ws.restore(gone)
        with session_scope(engine) as session:
            deal = session.get(Deal, seeded["deal"])
            assert deal is not None and (deal.title, deal.stage) == ("Фасовка", "proposal")
        with pytest.raises(Exception, match="cannot come back"):
            ws.restore(gone)  # twice: refused, nothing doubled
        assert count(engine, Deal.id) == 1
    finally:
        ws.close()


# 3. Money exact: the CLI's figure everywhere


@sync
async def test_the_tui_shows_money_exactly_as_the_cli(engine: Any, db_url: str, seeded: dict[str, int], cli) -> None:  # type: ignore[no-untyped-def]
    from amtui.screens.client_card import ClientCardScreen
    from amtui.screens.clients import ClientsScreen
    from amtui.screens.today import TodayScreen

    with session_scope(engine) as session:
        invoice = session.get(Invoice, seeded["invoice"])
        assert invoice is not None and invoice.amount_minor == OWED_RUB
    exact = format_money(OWED_RUB, "RUB")
    assert exact == "2 508 400,75 RUB"
    shown_by_cli = cli("client", "list").output
    assert "2 508 400,75" in shown_by_cli

    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        today = app.screen
        assert isinstance(today, TodayScreen)
        receivables = str(today.query_one("#today-receivables", Static).render())
        assert exact in receivables and "2 473 900,50 GBP" in receivables
        await pilot.press("2")
        await settle(pilot)
        clients = app.screen
        assert isinstance(clients, ClientsScreen)
        row = next(c for c in clients.shown if c.id == seeded["romashka"])
        assert str(clients.make_row(row)[1][6]) == exact
        app.open_client(seeded["romashka"])
        await settle(pilot)
        card = app.screen
        assert isinstance(card, ClientCardScreen)
        money_table = card.query_one("#card-money")
        cells = [str(cell) for cell in money_table.get_row(f"invoice:{seeded['invoice']}")]  # type: ignore[attr-defined]
        assert exact in cells
        assert f"Receivables {exact}" in str(card.query_one("#card-facts", Static).render())


# 4. The Tasks screen's add form has a client


@sync
async def test_a_task_added_from_the_tasks_screen_has_its_client_or_none(
    engine: Any, db_url: str, seeded: dict[str, int]
) -> None:
    from amtui.screens.forms import TaskForm
    from amtui.screens.tasks import TasksScreen

    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        assert isinstance(app.screen, TasksScreen)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TaskForm)
        await type_into(pilot, form.query_one("#f-title").query_one(Input), "Отправить КП")
        await type_into(pilot, form.query_one("#f-client").query_one(Input), "ромаш")  # completes, any case
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TasksScreen)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TaskForm)
        await type_into(pilot, form.query_one("#f-client").query_one(Input), "лютик")  # no such client
        await type_into(pilot, form.query_one("#f-title").query_one(Input), "Отчёт за месяц")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # refused with the reason under the field, input kept
        assert "no client matches" in str(form.query_one("#f-client .field--error", Static).render())
        await type_into(pilot, form.query_one("#f-client").query_one(Input), "")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TasksScreen)
    tasks = stored(engine, select(Task.title, Task.client_id).order_by(Task.id))
    assert [tuple(t) for t in tasks] == [("Отправить КП", seeded["romashka"]), ("Отчёт за месяц", None)]


# 5 and 7. Today at 80 columns: the trend says what it is, receivables are whole, the footer keeps "? Help"


def footer_keys(screen: Any) -> list[FooterKey]:
    return list(screen.query(FooterKey))


@sync
async def test_today_at_80_columns_labels_the_trend_and_keeps_receivables_and_help_whole(
    db_url: str, seeded: dict[str, int]
) -> None:
    from amtui.screens.today import TodayScreen

    app = make_app(db_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        today = app.screen
        assert isinstance(today, TodayScreen)
        label = str(today.query_one("#today-trend-label", Static).render())
        assert label.startswith("Sales by month, RUB, 06.2026–11.2026")
        receivables = today.query_one("#today-receivables", Static)
        text = str(receivables.render())
        assert "2 473 900,50 GBP" in text and "2 508 400,75 RUB" in text
        # Every character has a cell: the widget wraps instead of cutting.
        assert receivables.size.width * receivables.size.height >= cell_len(text)
        for key in ("1", "2", "3", "4", "5", "6"):
            await pilot.press(key)
            await settle(pilot)
            keys = footer_keys(app.screen)
            shown = {(k.key_display, k.description) for k in keys}
            assert ("?", "Help") in shown, (key, shown)
            right = max(k.region.right for k in keys)
            assert right <= 80, (key, shown)
            for k in keys:  # each key whole: as wide as its text
                assert k.region.width >= cell_len(k.key_display) + cell_len(k.description), (key, k.description)
        await pilot.press("1")
        await settle(pilot)
        shown = [k.description for k in footer_keys(app.screen)]
        assert shown[:3] == ["Log", "Call", "Visit"]  # the most important first


# 6. An empty database says how to start


@sync
async def test_an_empty_database_says_how_to_add_or_import_clients(engine: Any, db_url: str, cli) -> None:  # type: ignore[no-untyped-def]
    from amtui.screens.clients import ClientsScreen
    from amtui.screens.today import TodayScreen

    assert count(engine, Client.id) == 0
    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        today = app.screen
        assert isinstance(today, TodayScreen)
        options = today.query_one("#today-list", OptionList)
        lines = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert "No clients yet" in lines
        assert any("amtui import clients FILE" in line for line in lines)
        assert any("amtui demo" in line for line in lines)
        await pilot.press("2")
        await settle(pilot)
        clients = app.screen
        assert isinstance(clients, ClientsScreen)
        hint = clients.query_one("#clients-empty", Static)
        assert hint.display and "amtui import clients FILE" in str(hint.render())
    assert "amtui import clients FILE" in cli("today").output


@sync
async def test_the_empty_hint_goes_once_there_is_a_client(db_url: str, seeded: dict[str, int]) -> None:
    from amtui.screens.clients import ClientsScreen
    from amtui.screens.today import TodayScreen

    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        today = app.screen
        assert isinstance(today, TodayScreen)
        options = today.query_one("#today-list", OptionList)
        lines = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert "No clients yet" not in lines
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, ClientsScreen)
        assert not app.screen.query_one("#clients-empty", Static).display


# 8. Ctrl+Y copies; it saves only what changed


@sync
async def test_ctrl_y_copies_a_saved_report_without_saving_it_again(
    engine: Any, db_url: str, seeded: dict[str, int]
) -> None:
    from amtui.models import MeetingReport
    from amtui.screens.report import ReportScreen
    from amtui.services import interactions
    from amtui.services.workspace import Workspace

    with session_scope(engine) as session:
        visit = interactions.log_interaction(
            session=session, client_id=seeded["romashka"], kind="visit", at=FROZEN_NOW - timedelta(hours=3)
        )
    ws = Workspace(db_url, now=lambda: FROZEN_NOW - timedelta(hours=1), zone=ZONE)
    ws.save_report(visit.id, steps=[], agenda="Цены", agreements="Скидка 5%")
    ws.close()
    first = stored(engine, select(MeetingReport.updated_at, MeetingReport.agenda))
    app = make_app(db_url)
    saves: list[int] = []
    original = app.workspace.save_report

    def counting(*args: Any, **kwargs: Any) -> Any:
        saves.append(1)
        return original(*args, **kwargs)

    app.workspace.save_report = counting  # type: ignore[method-assign]
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.open_report(visit.id)
        await settle(pilot)
        report = app.screen
        assert isinstance(report, ReportScreen)
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert saves == []  # copied, not saved again
        assert "Скидка 5%" in app.clipboard
        assert stored(engine, select(MeetingReport.updated_at, MeetingReport.agenda)) == first
        report.query_one("#report-agenda", TextArea).text = "Цены на 2027"
        await pilot.press("ctrl+y")  # changed: saved first, then copied
        await settle(pilot)
        assert saves == [1]
        assert "Цены на 2027" in app.clipboard
    assert [row[0] for row in stored(engine, select(MeetingReport.agenda))] == ["Цены на 2027"]


# 2. Form drafts survive a crash: the after-call form and the log/plan form


@sync
async def test_an_after_call_draft_survives_a_closed_terminal_and_is_saved_as_typed(
    engine: Any, db_url: str, seeded: dict[str, int]
) -> None:
    from textual.widgets import Checkbox, Select

    from amtui.models import Interaction
    from amtui.screens.form_after_call import AfterCallForm
    from amtui.screens.form_leave import RestoreDraft
    from amtui.screens.today import TodayScreen
    from amtui.services.workspace import Workspace

    before = count(engine, Interaction.id)
    ws = Workspace(db_url, now=lambda: FROZEN_NOW, zone=ZONE)
    app = make_app(db_url)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AfterCallForm)
        await type_into(pilot, form.query_one("#f-client").query_one(Input), "ромашка")
        await settle(pilot)
        form.query_one("#f-contact", Select).value = seeded["person"]
        form.query_one("#f-direction", Select).value = "inbound"
        form.query_one("#f-needs-reply", Checkbox).value = True
        await type_into(pilot, form.query_one("#f-outcome").query_one(Input), "Ждут КП, срочно")
        form.autosave()  # what the 2-second timer does
        await settle(pilot)
        draft = ws.draft("after-call", 0)
        assert draft is not None and draft["fields"]["f-outcome"] == "Ждут КП, срочно"
    # The terminal was closed: nothing stored, the draft kept.
    assert count(engine, Interaction.id) == before

    app = make_app(db_url)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, RestoreDraft)
        await pilot.press("r")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AfterCallForm)
        assert form.query_one("#f-outcome").query_one(Input).value == "Ждут КП, срочно"
        assert form.query_one("#f-contact", Select).value == seeded["person"]  # once the people loaded
        assert form.query_one("#f-direction", Select).value == "inbound"
        assert form.query_one("#f-needs-reply", Checkbox).value is True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
    rows = stored(
        engine,
        select(Interaction.outcome, Interaction.direction, Interaction.needs_reply, Interaction.client_id).where(
            Interaction.outcome.is_not(None)  # type: ignore[union-attr]
        ),
    )
    assert [tuple(r) for r in rows] == [("Ждут КП, срочно", "inbound", True, seeded["romashka"])]
    people = stored(engine, select(InteractionContact.contact_id).order_by(InteractionContact.interaction_id.desc()))
    assert people[0][0] == seeded["person"]
    assert ws.draft("after-call", 0) is None  # saved: the draft is gone
    ws.close()


@sync
async def test_a_plan_form_draft_is_offered_again_and_discarding_drops_it(
    engine: Any, db_url: str, seeded: dict[str, int]
) -> None:
    from amtui.models import Interaction
    from amtui.screens.form_interaction import InteractionForm
    from amtui.screens.form_leave import RestoreDraft
    from amtui.services.workspace import Workspace

    ws = Workspace(db_url, now=lambda: FROZEN_NOW, zone=ZONE)
    app = make_app(db_url)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.action_new("visit", client_id=seeded["romashka"])
        await settle(pilot)
        form = app.screen
        assert isinstance(form, InteractionForm)
        await type_into(pilot, form.query_one("#f-subject").query_one(Input), "Показать образцы")
        await type_into(pilot, form.query_one("#f-when").query_one(Input), "01.12.2026 11:00")
        form.autosave()
        await settle(pilot)
    assert ws.draft("plan-visit", seeded["romashka"]) is not None

    app = make_app(db_url)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.action_new("visit", client_id=seeded["romashka"])
        await settle(pilot)
        assert isinstance(app.screen, RestoreDraft)
        await pilot.press("r")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, InteractionForm)
        assert form.query_one("#f-subject").query_one(Input).value == "Показать образцы"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, InteractionForm)
    planned = stored(engine, select(Interaction.subject, Interaction.status).where(Interaction.kind == "visit"))
    assert [tuple(r) for r in planned] == [("Показать образцы", "planned")]
    assert ws.draft("plan-visit", seeded["romashka"]) is None

    # A draft declined is gone for good.
    ws.save_draft("plan-visit", seeded["romashka"], {"fields": {"f-subject": "Старое"}, "choices": {}, "checks": {}})
    app = make_app(db_url)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.action_new("visit", client_id=seeded["romashka"])
        await settle(pilot)
        assert isinstance(app.screen, RestoreDraft)
        await pilot.press("d")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, InteractionForm)
        assert form.query_one("#f-subject").query_one(Input).value == ""
    assert ws.draft("plan-visit", seeded["romashka"]) is None
    ws.close()
