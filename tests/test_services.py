"""Services on a real SQLite file: create, change, find; read objects come back."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import UTC, date, datetime, timedelta

import pytest

from amtui.db import session_scope
from amtui.services import cards, clients, contacts, interactions, records, reports, tasks
from amtui.services.errors import AmbiguousError, NotFoundError, ValidationError
from amtui.services.reports import NextStepInput
from amtui.services.text import format_money, parse_money


def test_client_defaults_and_read_object(session) -> None:  # type: ignore[no-untyped-def]
    created = clients.create_client(session=session, name="  ООО «Ромашка» ", tier="a", city="Москва")
    assert created.name == "ООО «Ромашка»"
    assert created.tier == "A" and created.cadence_days == 14 and created.cadence_is_default
    assert created.status == "active"
    with pytest.raises(FrozenInstanceError):
        created.name = "x"  # type: ignore[misc]
    custom = clients.create_client(session=session, name="Северсталь", tier="C", cadence_days=45)
    assert custom.cadence_days == 45 and not custom.cadence_is_default


def test_client_validation(session) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="tier"):
        clients.create_client(session=session, name="X", tier="Z")
    with pytest.raises(ValidationError, match="status"):
        clients.create_client(session=session, name="X", status="sleeping")
    with pytest.raises(ValidationError, match="name"):
        clients.create_client(session=session, name="   ")
    with pytest.raises(ValidationError, match="INN check digit"):
        clients.create_client(session=session, name="X", tax_id="7707083894")
    assert clients.create_client(session=session, name="X", tax_id="7707083893").tax_id == "7707083893"


def test_update_client_keeps_search_key_in_step(session) -> None:  # type: ignore[no-untyped-def]
    client = clients.create_client(session=session, name="Ромашка")
    clients.update_client(session=session, client_id=client.id, name="Лютик", tier="A", cadence_days=7)
    found = clients.resolve_client(session=session, ref="лютик")
    assert found.id == client.id and found.tier == "A" and found.cadence_days == 7
    with pytest.raises(NotFoundError):
        clients.resolve_client(session=session, ref="ромашка")


def test_resolve_by_id_part_and_ambiguity(session) -> None:  # type: ignore[no-untyped-def]
    a = clients.create_client(session=session, name="ООО «Ромашка»", city="Москва")
    b = clients.create_client(session=session, name="Ромашка-Трейд", city="Казань")
    clients.create_client(session=session, name="Ромашка")
    assert clients.resolve_client(session=session, ref=str(a.id)).id == a.id
    assert clients.resolve_client(session=session, ref="трейд").id == b.id
    # An exact (folded) name wins over the partial matches.
    assert clients.resolve_client(session=session, ref="РОМАШКА").name == "Ромашка"
    with pytest.raises(AmbiguousError) as caught:
        clients.resolve_client(session=session, ref="ромаш")
    assert len(caught.value.candidates) == 3
    assert any("Казань" in line for line in caught.value.candidates)


def test_contacts_with_several_phones_and_emails(session) -> None:  # type: ignore[no-untyped-def]
    client = clients.create_client(session=session, name="Ромашка")
    person = contacts.create_contact(
        session=session,
        client_id=client.id,
        full_name="Иванов Иван Петрович",
        phones=["+7 916 123-45-67", "8 (495) 111-22-33"],
        emails=["ivanov@romashka.ru", "i.ivanov@gmail.com"],
        role="ЛПР",
        birthday_md="03-12",
    )
    # Stored as E.164, read back in the international format (phonenumbers): 8 (495) is +7 495.
    assert [p.value for p in person.phones] == ["+7 916 123-45-67", "+7 495 111-22-33"]
    from sqlalchemy import text

    stored = session.execute(text("SELECT value FROM contact_method WHERE kind = 'phone' ORDER BY position"))
    assert [row[0] for row in stored] == ["+79161234567", "+74951112233"]
    assert len(person.emails) == 2 and person.is_decision_maker
    assert person.client_name == "Ромашка"
    updated = contacts.update_contact(
        session=session, contact_id=person.id, add_phones=["+7 (495) 111-22-33", "+7 999 000-00-00"]
    )
    # The second number is the same as one we have (8 495 ... is +7 495 ...): not added twice.
    assert len(updated.phones) == 3
    with pytest.raises(ValidationError, match="e-mail"):
        contacts.create_contact(session=session, client_id=client.id, full_name="X", emails=["not-an-email"])
    with pytest.raises(ValidationError, match="role"):
        contacts.create_contact(session=session, client_id=client.id, full_name="X", role="boss")


def test_interactions_plan_move_cancel_done(session, now) -> None:  # type: ignore[no-untyped-def]
    client = clients.create_client(session=session, name="Ромашка", city="Казань")
    person = contacts.create_contact(session=session, client_id=client.id, full_name="Петров")
    visit = interactions.plan_interaction(
        session=session, client_id=client.id, kind="visit", at=now + timedelta(days=1), contact_ids=[person.id]
    )
    assert visit.status == "planned" and visit.city == "Казань" and visit.contact_names == ("Петров",)
    moved = interactions.reschedule(session=session, interaction_id=visit.id, at=now + timedelta(days=2))
    assert moved.planned_at == now + timedelta(days=2)
    done = interactions.mark_done(session=session, interaction_id=visit.id, at=now + timedelta(days=2))
    assert done.status == "done" and not done.has_report
    with pytest.raises(ValidationError, match="cannot be cancelled"):
        interactions.cancel(session=session, interaction_id=visit.id)
    call = interactions.plan_interaction(session=session, client_id=client.id, kind="call", at=now)
    assert interactions.cancel(session=session, interaction_id=call.id).status == "cancelled"
    week = interactions.list_in_range(session=session, start=now - timedelta(days=1), end=now + timedelta(days=7))
    assert [item.id for item in week] == [call.id, visit.id]
    with pytest.raises(ValidationError, match="time zone"):
        interactions.log_interaction(session=session, client_id=client.id, kind="call", at=datetime(2026, 1, 1))
    other = clients.create_client(session=session, name="Другой")
    stranger = contacts.create_contact(session=session, client_id=other.id, full_name="Чужой")
    with pytest.raises(ValidationError, match="not a contact of this client"):
        interactions.log_interaction(
            session=session, client_id=client.id, kind="call", at=now, contact_ids=[stranger.id]
        )


def test_last_touch_counts_done_interactions_only(session, now, zone) -> None:  # type: ignore[no-untyped-def]
    client = clients.create_client(session=session, name="Ромашка", tier="A")
    interactions.plan_interaction(session=session, client_id=client.id, kind="call", at=now + timedelta(days=1))
    assert clients.last_touch(session=session, client_id=client.id) is None
    touched = now - timedelta(days=3)
    interactions.log_interaction(session=session, client_id=client.id, kind="call", at=touched, direction="inbound")
    assert clients.last_touch(session=session, client_id=client.id) == touched
    [row] = clients.list_clients(session=session, today=now.astimezone(zone).date(), zone=zone)
    assert row.last_touch_at == touched
    assert row.next_contact_due == touched.astimezone(zone).date() + timedelta(days=14)


def test_delegated_task_check_in_at_a_third_of_the_time(session, now, zone) -> None:  # type: ignore[no-untyped-def]
    due = now.astimezone(zone).date() + timedelta(days=20)
    task = tasks.create_task(session=session, title="Подготовить КП", now=now, zone=zone, due_on=due, assignee="Петров")
    assert task.delegated and task.check_in_at is not None
    share = (task.check_in_at - now) / (datetime.combine(due, datetime.min.time(), tzinfo=zone) - now)
    assert 0.3 <= share <= 0.42
    assert task.check_in_at.astimezone(zone).hour == 10  # in working hours
    own = tasks.create_task(session=session, title="Позвонить", now=now, zone=zone, due_on=due, assignee="me")
    assert own.assignee is None and own.check_in_at is None
    checked = tasks.confirm_check_in(session=session, task_id=task.id, now=now, note="идёт по плану")
    assert checked.checked_in_at == now and "идёт по плану" in (checked.notes or "")
    with pytest.raises(ValidationError, match="delegated"):
        tasks.confirm_check_in(session=session, task_id=own.id, now=now)
    moved = tasks.reschedule_task(session=session, task_id=task.id, due_on=due + timedelta(days=10), now=now, zone=zone)
    assert moved.checked_in_at is None and moved.check_in_at and moved.check_in_at > task.check_in_at
    done = tasks.complete_task(session=session, task_id=own.id, now=now)
    assert done.status == "done"
    assert [t.id for t in tasks.list_tasks(session=session)] == [task.id]


def test_report_next_steps_become_tasks(session, now, zone) -> None:  # type: ignore[no-untyped-def]
    client = clients.create_client(session=session, name="Ромашка")
    person = contacts.create_contact(session=session, client_id=client.id, full_name="Иванов")
    visit = interactions.plan_interaction(session=session, client_id=client.id, kind="visit", at=now)
    due = date(2026, 12, 10)
    report = reports.save_report(
        session=session,
        interaction_id=visit.id,
        now=now,
        zone=zone,
        attendee_ids=[person.id],
        agenda="Поставки 2027",
        agreements="Скидка 5 % при предоплате",
        next_steps=[
            NextStepInput("Отправить КП", owner=None, due_on=due),
            NextStepInput("Согласовать логистику", owner="Петров (логистика)", due_on=due),
            NextStepInput("Подумать о кросс-продаже"),  # no date: stays a step, not a task
        ],
    )
    assert report.attendee_names == ("Иванов",)
    open_tasks = tasks.list_tasks(session=session, client_id=client.id)
    assert {t.title for t in open_tasks} == {"Отправить КП", "Согласовать логистику"}
    delegated = next(t for t in open_tasks if t.assignee)
    assert delegated.report_id == report.id and delegated.check_in_at is not None
    assert interactions.get_interaction(session=session, interaction_id=visit.id).status == "done"
    # Saving again with one step removed does not duplicate tasks and cancels the dropped one.
    reports.save_report(
        session=session,
        interaction_id=visit.id,
        now=now,
        zone=zone,
        next_steps=[NextStepInput("Отправить КП", due_on=due)],
    )
    assert [t.title for t in tasks.list_tasks(session=session, client_id=client.id)] == ["Отправить КП"]
    text = reports.render_report(reports.get_report(session=session, report_id=report.id), zone=zone, markdown=True)
    assert text.startswith("# Visit report: Ромашка") and "- Отправить КП (10.12.2026)" in text
    sent = reports.mark_sent(session=session, report_id=report.id, now=now)
    assert sent.sent_at == now
    call = interactions.log_interaction(session=session, client_id=client.id, kind="call", at=now)
    with pytest.raises(ValidationError, match="visits and meetings"):
        reports.save_report(session=session, interaction_id=call.id, now=now, zone=zone)


def test_invoices_payments_and_card(session, now, zone) -> None:  # type: ignore[no-untyped-def]
    today = now.astimezone(zone).date()
    client = clients.create_client(session=session, name="Ромашка", payment_terms_days=30)
    invoice = records.create_invoice(
        session=session, client_id=client.id, number="С-101", issued_on=today - timedelta(days=40),
        amount_minor=parse_money("412 500,50"),
    )  # fmt: skip
    assert invoice.due_on == today - timedelta(days=10) and invoice.owed_minor == 41250050
    paid = records.record_payment(session=session, invoice_id=invoice.id, amount_minor=12500050, paid_on=today)
    assert paid.owed_minor == 28750000
    with pytest.raises(ValidationError, match="more than what is owed"):
        records.record_payment(session=session, invoice_id=invoice.id, amount_minor=28750001, paid_on=today)
    records.create_contract(
        session=session, client_id=client.id, number="Д-7", start_on=today - timedelta(days=300),
        end_on=today + timedelta(days=65), auto_renew=True, notice_days=30,
    )  # fmt: skip
    records.create_deal(session=session, client_id=client.id, title="Допродажа", kind="upsell", amount_minor=100000)
    records.add_note(session=session, client_id=client.id, text="Конкурент: Лютик", tag="competitor", now=now)
    card = cards.client_card(session=session, client_id=client.id, today=today, zone=zone)
    assert card.receivables_minor == 28750000 and card.overdue_minor == 28750000
    assert card.contracts[0].auto_renew and card.deals[0].kind == "upsell"
    assert card.notes[0].tag == "competitor"
    assert "No contacts: who do we talk to?" in card.warnings
    [row] = clients.list_clients(session=session, today=today, zone=zone)
    assert row.receivables_minor == 28750000 and row.open_deals == 1


def test_card_warns_about_missing_decision_maker(session, now, zone) -> None:  # type: ignore[no-untyped-def]
    client = clients.create_client(session=session, name="Ромашка")
    contacts.create_contact(session=session, client_id=client.id, full_name="Секретарь", role="gatekeeper")
    card = cards.client_card(session=session, client_id=client.id, today=now.date(), zone=zone)
    assert card.warnings == ("No decision maker recorded", "Only one contact: the relationship hangs on one person")


def test_sales_against_target(session) -> None:  # type: ignore[no-untyped-def]
    client = clients.create_client(session=session, name="Ромашка")
    records.set_target(session=session, period=date(2026, 11, 17), amount_minor=100_000_00)
    records.create_invoice(
        session=session, client_id=client.id, number="1", issued_on=date(2026, 11, 3), amount_minor=40_000_00
    )
    records.create_invoice(
        session=session, client_id=client.id, number="2", issued_on=date(2026, 10, 31), amount_minor=99_00
    )
    assert records.list_targets(session=session)[0].period == date(2026, 11, 1)
    assert records.sales_in_month(session=session, period=date(2026, 11, 1)) == 40_000_00


@pytest.mark.parametrize(
    ("text", "minor"),
    [
        ("412 500,50", 41250050),
        ("412500.5", 41250050),
        ("1,234.56", 123456),
        ("1.234,56", 123456),
        ("412 500 ₽", 41250000),
        ("412\u00a0500,50 руб", 41250050),
        ("1,234", 123400),
        ("-15,5", -1550),
        ("0", 0),
    ],
)
def test_money_is_exact(text: str, minor: int) -> None:
    assert parse_money(text) == minor


@pytest.mark.parametrize("text", ["", "abc", "1,2,3.4.5", "12,3456", "1e5", "--5"])
def test_bad_money(text: str) -> None:
    with pytest.raises(ValidationError, match="amount"):
        parse_money(text)


def test_money_format() -> None:
    assert format_money(41250050, "RUB") == "412 500,50 RUB"
    assert format_money(41250000, "RUB") == "412 500 RUB"
    assert format_money(-150, "EUR", symbol=True) == "-1,50 €"


def test_one_session_per_unit_of_work_rolls_back_on_error(engine) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError), session_scope(engine) as session:
        clients.create_client(session=session, name="Первый")
        clients.create_client(session=session, name="Второй", tier="Z")
    with session_scope(engine) as session:
        assert clients.list_clients(session=session, today=date(2026, 1, 1), zone=UTC) == []


def test_edit_and_delete_contracts_deals_and_people(session) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    today = date(2026, 11, 25)
    client = clients.create_client(session=session, name="Ромашка")
    contract = records.create_contract(
        session=session, client_id=client.id, number="Д-7", start_on=date(2026, 1, 1), end_on=date(2026, 12, 31)
    )
    invoice = records.create_invoice(
        session=session, client_id=client.id, number="С-1", issued_on=today, due_on=today, amount_minor=100
    )
    session.execute(text("UPDATE invoice SET contract_id = :c WHERE id = :i"), {"c": contract.id, "i": invoice.id})
    # A refused edit changes nothing, not even the fields given before the bad one.
    with pytest.raises(ValidationError, match="before it starts"):
        records.update_contract(session=session, contract_id=contract.id, number="Д-8", end_on=date(2025, 12, 31))
    assert records.get_contract(session=session, contract_id=contract.id).number == "Д-7"
    with pytest.raises(ValidationError, match="cannot be negative"):
        records.update_contract(session=session, contract_id=contract.id, notice_days=-1)
    renewed = records.update_contract(session=session, contract_id=contract.id, end_on=date(2027, 12, 31))
    assert (renewed.end_on, renewed.status) == (date(2027, 12, 31), "active")

    deal = records.create_deal(session=session, client_id=client.id, title="Фасовка", stage="proposal")
    won = records.update_deal(session=session, deal_id=deal.id, today=today, stage="won")
    assert won.closed_on == today
    reopened = records.update_deal(session=session, deal_id=deal.id, today=today, stage="negotiation")
    assert reopened.closed_on is None
    with pytest.raises(ValidationError, match="needs a title"):
        records.update_deal(session=session, deal_id=deal.id, today=today, title="  ")

    assert records.delete_contract(session=session, contract_id=contract.id).number == "Д-7"
    [kept] = records.list_invoices(session=session, client_id=client.id)
    assert kept.id == invoice.id  # the invoice stays, no longer linked to the contract
    assert session.execute(text("SELECT contract_id FROM invoice")).scalar() is None
    assert records.delete_deal(session=session, deal_id=deal.id).title == "Фасовка"
    assert records.list_deals(session=session, client_id=client.id) == []
    with pytest.raises(NotFoundError):
        records.delete_deal(session=session, deal_id=deal.id)

    person = contacts.create_contact(
        session=session, client_id=client.id, full_name="Иванов Иван", phones=["+7 495 111-22-33"]
    )
    assert contacts.delete_contact(session=session, contact_id=person.id).full_name == "Иванов Иван"
    assert contacts.list_contacts(session=session, client_id=client.id) == []
    assert session.execute(text("SELECT count(*) FROM contact_method")).scalar() == 0  # the phone went with them
