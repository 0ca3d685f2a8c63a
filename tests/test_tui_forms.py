"""Pilot flows of the card's forms: people, client facts, money, the timeline, a locked database.

Each flow drives the real app on a real SQLite file and checks what is stored afterwards.
"""

from __future__ import annotations

import asyncio
import functools
import sqlite3
from collections.abc import Callable, Coroutine, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Select

from amtui.app import AmtuiApp
from amtui.db import session_scope
from amtui.models import Client, Contact, ContactMethod, Contract, Deal, Invoice, MeetingReport
from tests.conftest import FROZEN_NOW, ZONE
from tests.pilot import enter_text, settle

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

TODAY = date(2026, 11, 25)


@pytest.fixture
def seeded(engine: Any) -> Iterator[dict[str, int]]:
    """One client with one person, an overdue invoice of 100 000 RUB, a visit and a call in the past."""
    from amtui.services import clients, contacts, interactions, records

    with session_scope(engine) as session:
        client = clients.create_client(session=session, name="ООО «Ромашка»", tier="A", city="Москва")
        person = contacts.create_contact(
            session=session,
            client_id=client.id,
            full_name="Мария Соколова",
            phones=["+7 495 111-22-33"],
            emails=["m.sokolova@romashka.ru"],
        )
        invoice = records.create_invoice(
            session=session,
            client_id=client.id,
            number="СЧ-001",
            issued_on=TODAY - timedelta(days=40),
            due_on=TODAY - timedelta(days=10),
            amount_minor=10_000_000,
        )
        visit = interactions.log_interaction(
            session=session, client_id=client.id, kind="visit", at=FROZEN_NOW - timedelta(days=3), subject="Визит"
        )
        call = interactions.log_interaction(
            session=session,
            client_id=client.id,
            kind="call",
            at=FROZEN_NOW - timedelta(days=1),
            subject="Звонок о поставке",
            outcome="Ждут КП",
        )
        ids = {"client": client.id, "person": person.id, "invoice": invoice.id, "visit": visit.id, "call": call.id}
    yield ids


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot test on a fresh event loop (no async pytest plugin needed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


async def open_card(pilot: Pilot[Any], client_id: int) -> Any:
    from amtui.screens.client_card import ClientCardScreen

    await settle(pilot)
    pilot.app.open_client(client_id)  # type: ignore[attr-defined]
    await settle(pilot)
    assert isinstance(pilot.app.screen, ClientCardScreen)
    return pilot.app.screen


async def type_into(pilot: Pilot[Any], form: Any, field_id: str, text: str, *, by_key: bool = False) -> None:
    """Focus a form field, clear it and enter ``text`` as the terminal delivers a paste (the Input inserts
    it at the cursor like typed text; the field validates the result), or key by key where the test
    watches the validation as typed (``by_key``: the screen is drawn again after every key, ~10x the CPU)."""
    widget = form.query_one(f"#{field_id}").query_one(Input)
    widget.focus()
    await pilot.pause()
    widget.value = ""
    await enter_text(pilot, text, by_key=by_key)
    await pilot.pause()


def field_error(form: Any, field_id: str) -> str:
    return str(form.query_one(f"#{field_id}").query_one(".field--error").render())


def value_of(form: Any, field_id: str) -> str:
    return str(form.query_one(f"#{field_id}").query_one(Input).value)


def count(engine: Any, column: Any) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count(column))) or 0)


def methods_of(engine: Any, contact_id: int) -> list[tuple[str, str]]:
    with session_scope(engine) as session:
        rows = session.execute(
            select(ContactMethod.kind, ContactMethod.value)
            .where(ContactMethod.contact_id == contact_id)
            .order_by(ContactMethod.position)
        ).all()
    return [(str(kind), str(value)) for kind, value in rows]


def make_app(db_url: str) -> AmtuiApp:
    return AmtuiApp(db_url=db_url, now=FROZEN_NOW, zone=ZONE)


# People


@sync
async def test_add_a_contact_with_two_phones_and_a_birthday_from_the_card(
    engine: Any, db_url: str, seeded: dict[str, int]
) -> None:
    from amtui.screens.forms import ContactForm

    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        card = await open_card(pilot, seeded["client"])
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContactForm)
        await type_into(pilot, form, "f-name", "Иван Петров")
        await type_into(pilot, form, "f-title", "Коммерческий директор")
        form.query_one("#f-role", Select).value = "decision_maker"
        await type_into(pilot, form, "f-phone", "+7 495 123-45-67, 8 916 000-00-01")
        await type_into(pilot, form, "f-birthday", "12.03.1980")
        await type_into(pilot, form, "f-notes", "Любит рыбалку")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is card
        people = card.query_one("#card-people", OptionList)
        assert people.option_count == 2
        assert "Иван Петров" in str(people.get_option_at_index(0).prompt)  # decision makers first
        assert "No decision maker" not in str(card.query_one("#card-warnings").render())
    with session_scope(engine) as session:
        stored = session.scalars(select(Contact).where(Contact.full_name == "Иван Петров")).one()
        contact_id = stored.id
        assert (stored.client_id, stored.title, stored.role) == (
            seeded["client"],
            "Коммерческий директор",
            "decision_maker",
        )
        assert (stored.birthday_md, stored.birthday_year, stored.personal_notes) == ("03-12", 1980, "Любит рыбалку")
    assert methods_of(engine, contact_id) == [("phone", "+74951234567"), ("phone", "+79160000001")]  # E.164


@sync
async def test_enter_on_a_person_edits_them_and_the_phone_list_is_replaced(
    engine: Any, db_url: str, seeded: dict[str, int]
) -> None:
    from amtui.screens.forms import ContactForm

    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        card = await open_card(pilot, seeded["client"])
        people = card.query_one("#card-people", OptionList)
        people.focus()
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContactForm)
        assert form.contact is not None and form.contact.id == seeded["person"]
        assert value_of(form, "f-phone") == "+7 495 111-22-33"
        assert value_of(form, "f-email") == "m.sokolova@romashka.ru"
        await type_into(pilot, form, "f-phone", "+7 916 555-44-33")
        await type_into(pilot, form, "f-email", "maria@romashka.ru; m.sokolova@romashka.ru")
        await type_into(pilot, form, "f-birthday", "29.02")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is card
    assert methods_of(engine, seeded["person"]) == [
        ("phone", "+79165554433"),
        ("email", "maria@romashka.ru"),
        ("email", "m.sokolova@romashka.ru"),
    ]
    with session_scope(engine) as session:
        person = session.get(Contact, seeded["person"])
        assert person is not None
        assert (person.birthday_md, person.birthday_year) == ("02-29", None)


# Each bad value, then its correction: field id, what is typed, the reason shown, a good value.
BAD_CONTACT_VALUES = [
    (
        "f-email",
        # A dotless domain (contact1@invalid) is a valid address form (issue 11); a trailing dot is not.
        "ivan@romashka., petrov@romashka.ru",
        "'ivan@romashka.' is not an e-mail address",
        "ivan@romashka.ru",
    ),
    ("f-phone", "+7 495 123-45-67, звоните после обеда", "is not a phone number", "+7 495 123-45-67"),
    ("f-birthday", "31.02", "'31.02' is not a real date", "28.02"),
    ("f-birthday", "весной", "cannot read 'весной' as a birthday", "12 марта"),
]


@sync
async def test_a_bad_email_phone_or_birthday_is_shown_and_nothing_is_written(
    engine: Any, db_url: str, seeded: dict[str, int]
) -> None:
    """Every case in one app session (each opens a new contact form from the card): the app start
    and the card cost as much as a case, four times over when each case was a test of its own."""
    from amtui.screens.forms import ContactForm

    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        card = await open_card(pilot, seeded["client"])
        names = ("Ольга Ким", "Олег Ким", "Анна Ким", "Борис Ким")
        for name, (field_id, bad, reason, good) in zip(names, BAD_CONTACT_VALUES, strict=True):
            before = count(engine, Contact.id)
            await pilot.press("a")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, ContactForm), field_id
            await type_into(pilot, form, "f-name", name)
            await type_into(pilot, form, field_id, bad, by_key=True)
            # Validated as typed: the reason is next to the field before any save.
            assert form.query_one(f"#{field_id}").has_class("-invalid"), bad
            assert reason in field_error(form, field_id)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is form, bad
            assert "correct the marked fields" in str(form.query_one(".form--error").render())
            assert count(engine, Contact.id) == before, bad
            assert value_of(form, "f-name") == name
            assert value_of(form, field_id) == bad
            await type_into(pilot, form, field_id, good, by_key=True)
            assert not form.query_one(f"#{field_id}").has_class("-invalid"), good
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is card, good
            assert count(engine, Contact.id) == before + 1, good


# The client's facts


@sync
async def test_edit_the_clients_facts_with_a_checked_inn_and_a_credit_limit(
    engine: Any, db_url: str, seeded: dict[str, int]
) -> None:
    from amtui.screens.forms import ClientForm

    app = make_app(db_url)
    async with app.run_test(size=(100, 40)) as pilot:
        card = await open_card(pilot, seeded["client"])
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ClientForm)
        # Pasted, as people do with legal names (the Pilot cannot type « and »).
        form.query_one("#f-legal_name").query_one(Input).value = "Общество с ограниченной ответственностью «Ромашка»"
        await type_into(pilot, form, "f-tax_id", "7714170756")
        assert "check digit" in field_error(form, "f-tax_id")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        await type_into(pilot, form, "f-tax_id", "7714170755")
        await type_into(pilot, form, "f-credit_limit_minor", "1 500 000,50")
        await type_into(pilot, form, "f-payment_terms_days", "45")
        await type_into(pilot, form, "f-email", "info@romashka.ru")
        await type_into(pilot, form, "f-needs", "Фасовка 0,5 кг")
        await type_into(pilot, form, "f-competitors", "Васильки")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is card
        assert "INN 7714170755" in str(card.query_one("#card-facts").render())
    with session_scope(engine) as session:
        client = session.get(Client, seeded["client"])
        assert client is not None
        assert client.legal_name == "Общество с ограниченной ответственностью «Ромашка»"
        assert (client.tax_id, client.credit_limit_minor, client.payment_terms_days) == ("7714170755", 150_000_050, 45)
        assert (client.email, client.needs, client.competitors) == ("info@romashka.ru", "Фасовка 0,5 кг", "Васильки")
        assert client.city == "Москва"  # untouched fields stay


# Money


async def select_money_row(pilot: Pilot[Any], card: Any, key: str) -> DataTable:
    table = card.query_one("#card-money", DataTable)
    table.focus()
    table.move_cursor(row=table.get_row_index(key))
    await pilot.pause()
    return table


@sync
async def test_record_a_partial_payment_and_see_what_is_owed_change(
    engine: Any, db_url: str, seeded: dict[str, int]
) -> None:
    from amtui.screens.forms import PaymentForm

    key = f"invoice:{seeded['invoice']}"
    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        card = await open_card(pilot, seeded["client"])
        assert "Receivables 100 000 RUB" in str(card.query_one("#card-facts").render())
        table = await select_money_row(pilot, card, key)
        assert "100 000 RUB" in str(table.get_row(key)[1])
        await pilot.press("m")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, PaymentForm)
        assert value_of(form, "f-amount") == "100 000"  # what is owed, ready to overwrite
        await type_into(pilot, form, "f-amount", "150 000")
        assert "more than what is owed" in field_error(form, "f-amount")
        await type_into(pilot, form, "f-amount", "40 000")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is card
        assert "Receivables 60 000 RUB" in str(card.query_one("#card-facts").render())
        owed = str(card.query_one("#card-money", DataTable).get_row(key)[1])
        assert "60 000 RUB" in owed and "part paid" in owed
        # Enter on the invoice opens the payment form too; paying the rest settles it.
        card.query_one("#card-money", DataTable).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PaymentForm)
        assert value_of(app.screen, "f-amount") == "60 000"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is card
        assert "Receivables 0 RUB" in str(card.query_one("#card-facts").render())
    with session_scope(engine) as session:
        invoice = session.get(Invoice, seeded["invoice"])
        assert invoice is not None
        assert (invoice.paid_minor, invoice.paid_on) == (10_000_000, TODAY)


@sync
async def test_add_an_invoice_a_contract_and_an_upsell_chance(engine: Any, db_url: str, seeded: dict[str, int]) -> None:
    from amtui.screens.forms import ContractForm, DealForm, InvoiceForm

    app = make_app(db_url)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        card = await open_card(pilot, seeded["client"])
        await pilot.press("i")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, InvoiceForm)
        await type_into(pilot, form, "f-number", "СЧ-002")
        await type_into(pilot, form, "f-amount", "412 500,50")
        await type_into(pilot, form, "f-due", "+14d")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is card

        await pilot.press("k")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContractForm)
        await type_into(pilot, form, "f-number", "Д-2026/17")
        await type_into(pilot, form, "f-end", "31.12.2027")
        await type_into(pilot, form, "f-value", "5 000 000")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is card

        await pilot.press("d")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DealForm)
        await type_into(pilot, form, "f-title", "Вторая линия фасовки")
        await type_into(pilot, form, "f-probability", "140")
        assert "from 0 to 100" in field_error(form, "f-probability")
        await type_into(pilot, form, "f-probability", "60")
        await type_into(pilot, form, "f-amount", "2 000 000")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is card
        money_rows = card.query_one("#card-money", DataTable)
        assert money_rows.row_count == 3  # the contract and two unpaid invoices
        contract_key = next(str(key.value) for key in money_rows.rows if str(key.value).startswith("contract:"))
        assert "d left" in str(money_rows.get_row(contract_key)[1])
        await select_money_row(pilot, card, contract_key)
        await pilot.press("enter")  # a contract opens its form, filled in, to renew or correct it
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContractForm)
        assert (value_of(form, "f-end"), value_of(form, "f-value"), value_of(form, "f-number")) == (
            "31.12.2027",
            "5 000 000",
            "Д-2026/17",
        )
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is card
    with session_scope(engine) as session:
        invoice = session.scalars(select(Invoice).where(Invoice.number == "СЧ-002")).one()
        assert (invoice.amount_minor, invoice.issued_on, invoice.due_on) == (41_250_050, TODAY, date(2026, 12, 9))
        contract = session.scalars(select(Contract).where(Contract.number == "Д-2026/17")).one()
        assert (contract.start_on, contract.end_on, contract.value_minor) == (TODAY, date(2027, 12, 31), 500_000_000)
        deal = session.scalars(select(Deal)).one()
        assert (deal.title, deal.kind, deal.stage, deal.probability, deal.amount_minor) == (
            "Вторая линия фасовки",
            "upsell",
            "lead",
            60,
            200_000_000,
        )


@sync
async def test_renew_a_contract_move_a_deal_then_delete_a_deal_and_a_person(
    engine: Any, db_url: str, seeded: dict[str, int]
) -> None:
    """The alerts say "renew or close it" and "move the date or close it": the card does both, and
    deletes what was entered by mistake after asking."""
    from amtui.screens.form_confirm import ConfirmDelete
    from amtui.screens.forms import ContractForm, DealForm
    from amtui.services import records
    from amtui.services.alerts import compute_alerts

    with session_scope(engine) as session:
        contract = records.create_contract(
            session=session, client_id=seeded["client"], number="Д-17", start_on=TODAY - timedelta(days=345),
            end_on=TODAY + timedelta(days=20), notice_days=10,
        )  # fmt: skip
        deal = records.create_deal(
            session=session, client_id=seeded["client"], title="Фасовка", stage="proposal",
            expected_close=TODAY - timedelta(days=5),
        )  # fmt: skip
        extra = records.create_deal(session=session, client_id=seeded["client"], title="Ошибка ввода")

    def alert_ids() -> set[str]:
        with session_scope(engine) as session:
            return {a.id for a in compute_alerts(session=session, now=FROZEN_NOW, zone=ZONE)}

    assert {f"contract:{contract.id}", f"notice:{contract.id}", f"deal:{deal.id}"} <= alert_ids()
    app = make_app(db_url)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        card = await open_card(pilot, seeded["client"])
        await select_money_row(pilot, card, f"contract:{contract.id}")
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContractForm)
        assert value_of(form, "f-end") == "15.12.2026"
        await type_into(pilot, form, "f-end", "31.12.2027")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is card

        deals = card.query_one("#card-deals", DataTable)
        deals.focus()
        deals.move_cursor(row=deals.get_row_index(f"deal:{deal.id}"))
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DealForm)
        assert (value_of(form, "f-title"), value_of(form, "f-expected_close")) == ("Фасовка", "20.11.2026")
        await type_into(pilot, form, "f-expected_close", "15.12.2026")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is card

        deals.move_cursor(row=deals.get_row_index(f"deal:{extra.id}"))
        await pilot.pause()
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDelete)
        await pilot.press("n")  # kept
        await settle(pilot)
        assert app.screen is card and count(engine, Deal.id) == 2
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is card and count(engine, Deal.id) == 1
        assert f"deal:{extra.id}" not in [str(key.value) for key in deals.rows]

        people = card.query_one("#card-people", OptionList)
        people.focus()
        people.highlighted = next(
            i for i in range(people.option_count) if people.get_option_at_index(i).id == str(seeded["person"])
        )
        await pilot.pause()
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDelete)
        assert "Мария Соколова" in app.screen.what
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is card
    assert count(engine, Contact.id) == 0
    with session_scope(engine) as session:
        renewed = session.get(Contract, contract.id)
        moved = session.get(Deal, deal.id)
        assert renewed is not None and moved is not None
        assert (renewed.end_on, renewed.status) == (date(2027, 12, 31), "active")
        assert (moved.expected_close, moved.stage) == (date(2026, 12, 15), "proposal")
    remaining = alert_ids()
    assert not {f"contract:{contract.id}", f"notice:{contract.id}", f"deal:{deal.id}"} & remaining


# Timeline


@sync
async def test_enter_on_the_timeline_opens_a_visits_report_and_a_calls_details(
    engine: Any, db_url: str, seeded: dict[str, int]
) -> None:
    from textual.widgets import TextArea

    from amtui.screens.form_details import InteractionDetails
    from amtui.screens.report import ReportScreen

    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        card = await open_card(pilot, seeded["client"])
        timeline = card.query_one("#card-timeline", DataTable)
        timeline.focus()
        timeline.move_cursor(row=timeline.get_row_index(str(seeded["call"])))
        await pilot.press("enter")
        await settle(pilot)
        details = app.screen
        assert isinstance(details, InteractionDetails)
        assert details.item.id == seeded["call"]
        shown = str(details.query_one("#details-lines").render())
        assert "Звонок о поставке" in shown and "Ждут КП" in shown
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is card

        timeline.move_cursor(row=timeline.get_row_index(str(seeded["visit"])))
        assert "missing" in str(timeline.get_row(str(seeded["visit"]))[3])
        await pilot.press("enter")
        await settle(pilot)
        report = app.screen
        assert isinstance(report, ReportScreen)
        assert report.interaction_id == seeded["visit"]
        report.query_one("#report-agenda", TextArea).text = "Новая фасовка"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is card
        assert "written" in str(card.query_one("#card-timeline", DataTable).get_row(str(seeded["visit"]))[3])
    with session_scope(engine) as session:
        stored = session.scalars(select(MeetingReport).where(MeetingReport.interaction_id == seeded["visit"])).one()
        assert stored.agenda == "Новая фасовка"


# A database locked by another program


@sync
async def test_a_save_while_another_program_locks_the_database_keeps_the_form(
    engine: Any, db_url: str, db_path: Path, seeded: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    import amtui.db
    from amtui.screens.forms import ContactForm

    # The app waits this long for the lock before giving up (5 s in use; short here to keep the test quick).
    monkeypatch.setattr(amtui.db, "SQLITE_BUSY_TIMEOUT_MS", 200)
    before = count(engine, Contact.id)
    app = make_app(db_url)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        card = await open_card(pilot, seeded["client"])
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContactForm)
        await type_into(pilot, form, "f-name", "Пётр Лебедев")
        await type_into(pilot, form, "f-phone", "+7 903 000-11-22")
        await type_into(pilot, form, "f-birthday", "01.09")

        other = sqlite3.connect(db_path, isolation_level=None, timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is form
            message = str(form.query_one(".form--error").render())
            assert "locked by another program" in message and "input is kept" in message
            assert any("locked by another program" in str(n.message) for n in app._notifications)
            assert [value_of(form, f) for f in ("f-name", "f-phone", "f-birthday")] == [
                "Пётр Лебедев",
                "+7 903 000-11-22",
                "01.09",
            ]
        finally:
            other.rollback()
            other.close()
        assert count(engine, Contact.id) == before

        await pilot.press("ctrl+s")  # the lock is gone: the same input saves
        await settle(pilot)
        assert app.screen is card
    with session_scope(engine) as session:
        person = session.scalars(select(Contact).where(Contact.full_name == "Пётр Лебедев")).one()
        assert person.birthday_md == "09-01"
        contact_id = person.id
    assert methods_of(engine, contact_id) == [("phone", "+79030001122")]


# A new client, from an empty database


@sync
async def test_add_the_first_client_from_the_clients_screen(engine: Any, db_url: str) -> None:
    from amtui.screens.clients import ClientsScreen
    from amtui.screens.forms import ClientForm

    app = make_app(db_url)
    async with app.run_test(size=(110, 36)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, ClientsScreen)
        assert "No clients yet: press a to add one" in str(app.screen.query_one("#clients-status-line").render())
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ClientForm) and form.client is None
        await type_into(pilot, form, "f-name", "Ромашка Трейд")
        await type_into(pilot, form, "f-tax_id", "7707083894")
        assert "check digit" in field_error(form, "f-tax_id")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form and count(engine, Client.id) == 0  # refused, input kept
        assert value_of(form, "f-name") == "Ромашка Трейд"
        await type_into(pilot, form, "f-tax_id", "7707083893")
        await type_into(pilot, form, "f-city", "Казань")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientsScreen)
        assert "1 of 1 clients" in str(app.screen.query_one("#clients-status-line").render())
    with session_scope(engine) as session:
        [client] = session.scalars(select(Client)).all()
        assert (client.name, client.tax_id, client.city, client.tier, client.status) == (
            "Ромашка Трейд", "7707083893", "Казань", "B", "active",
        )  # fmt: skip
        assert client.name_folded == "ромашка трейд"
