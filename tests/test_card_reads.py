"""The client card's reads (issue 15 part 3): written once in plain SQL (services/reads.py), the same
read objects through an ORM session, a plain sqlite3 connection and PostgreSQL, the same values and
types the ORM loads; ``amtui client show`` reads without importing SQLAlchemy."""

from __future__ import annotations

import contextlib
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from amtui.services import reads
from amtui.services.cards import client_card
from amtui.services.schemas import (
    ClientCard,
    ComplaintRead,
    ContactRead,
    ContractRead,
    DealRead,
    InteractionRead,
    InvoiceRead,
    NoteRead,
    TaskRead,
    read_of,
)
from amtui.services.store import store_of
from tests.conftest import FROZEN_NOW, ZONE, fresh_database
from tests.connections import orm_session, plain_connection
from tests.test_startup import _amtui, _in_process, _loaded, _probe
from tests.test_startup import env as env  # a fixture

TODAY = FROZEN_NOW.astimezone(ZONE).date()
RANK = {"high": 0, "normal": 1, "low": 2}


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory, migrated_template: Path) -> str:
    """The demo (people, birthdays, contracts, invoices in several currencies, complaints, deals, notes)."""
    from amtui import config
    from amtui.db import open_engine
    from amtui.services.demo import build_demo

    path = tmp_path_factory.mktemp("cards") / "demo.db"
    fresh_database(migrated_template, path)
    with pytest.MonkeyPatch.context() as patch:  # built in the tests' zone (conftest.isolated_env)
        home = tmp_path_factory.mktemp("home")
        patch.setenv("AMTUI_TZ", "Europe/Moscow")
        patch.setenv("AMTUI_CONFIG", str(home / "config.toml"))
        for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            patch.setenv(name, str(home / name))
        for name in ("AMTUI_NOW", "AMTUI_REGION", "AMTUI_HOLIDAYS"):
            patch.delenv(name, raising=False)
        config._config_timezone.cache_clear()
        engine = open_engine(f"sqlite:///{path}")
        build_demo(engine, now=FROZEN_NOW)
        engine.dispose()
    config._config_timezone.cache_clear()
    return f"sqlite:///{path}"


def _cards(where: Any, ids: list[int]) -> list[ClientCard]:
    return [client_card(session=where, client_id=client_id, today=TODAY, zone=ZONE) for client_id in ids]


def _client_ids(session: Any) -> list[int]:
    from sqlmodel import col, select

    from amtui.models import Client

    return list(session.scalars(select(col(Client.id)).order_by(col(Client.id))))


def test_the_card_is_the_same_through_the_session_and_the_plain_connection(demo_url: str) -> None:
    with orm_session(demo_url) as session:
        ids = _client_ids(session)
        through_session = _cards(session, ids)
    with plain_connection(demo_url) as connection:
        plain = _cards(connection, ids)
    assert len(ids) > 40
    assert through_session == plain
    # The demo covers what the card shows: the comparison is not of empty lists.
    assert sum(len(card.contacts) for card in plain) > 80
    assert any(person.birthday_md and person.phones and person.emails for card in plain for person in card.contacts)
    assert {invoice.currency for card in plain for invoice in card.invoices} >= {"RUB", "EUR"}
    assert all(card.contracts for card in plain[:3]) and any(card.complaints for card in plain)
    assert any(card.deals for card in plain) and any(card.notes for card in plain)
    assert any(card.planned for card in plain) and any(card.open_tasks for card in plain)
    assert any(card.exposure_minor for card in plain) and any(i.contact_names for c in plain for i in c.interactions)
    assert any(i.has_report for c in plain for i in c.interactions)


def _orm_reference(session: Any, client_id: int) -> dict[str, list[Any]]:
    """What the ORM loads for the client, copied into the read objects field by field (the models'
    own column types: aware datetimes, dates, booleans), each list in the card's order."""
    from sqlmodel import col, select

    from amtui.models import Client, Contact, Contract, Deal, Interaction, Invoice, Note, Task
    from amtui.models.complaint import Complaint

    name = session.get(Client, client_id).name

    def rows(model: Any) -> list[Any]:
        return list(session.scalars(select(model).where(col(model.client_id) == client_id)))

    return {
        "invoices": sorted(
            (read_of(InvoiceRead, row, client_name=name) for row in rows(Invoice)), key=lambda r: (r.due_on, r.id)
        ),
        "contracts": sorted(
            (read_of(ContractRead, row, client_name=name) for row in rows(Contract)),
            key=lambda r: (r.end_on is None, r.end_on or date.min, r.id),
        ),
        "deals": [read_of(DealRead, row, client_name=name) for row in rows(Deal)],
        "notes": [read_of(NoteRead, row) for row in rows(Note)],
        "tasks": [read_of(TaskRead, row, client_name=name) for row in rows(Task) if row.status == "open"],
        "complaints": [
            read_of(ComplaintRead, row, client_name=name, contact_name=None, contract_number=None, invoice_number=None)
            for row in rows(Complaint)
        ],
        "interactions": [
            read_of(InteractionRead, row, client_name=name, contact_ids=(), contact_names=(), has_report=False)
            for row in rows(Interaction)
        ],
        "contacts": [read_of(ContactRead, row, client_name=name, phones=(), emails=()) for row in rows(Contact)],
    }


def _in_order(items: Any, key: Any) -> bool:
    keys = [key(item) for item in items]
    return keys == sorted(keys)


def _core(read: Any) -> Any:
    """A read object without what is joined in (people, methods, linked names): the row's own values."""
    from dataclasses import replace

    if isinstance(read, InteractionRead):
        return replace(read, contact_ids=(), contact_names=(), has_report=False)
    if isinstance(read, ContactRead):
        return replace(read, phones=(), emails=())
    if isinstance(read, ComplaintRead):
        return replace(read, contact_name=None, contract_number=None, invoice_number=None)
    return read


def test_the_plain_reads_give_what_the_orm_loads(demo_url: str) -> None:
    """Every value of every row the card shows, with its type, is what the models load; the lists are
    in the card's order."""
    with orm_session(demo_url) as session, plain_connection(demo_url) as connection:
        from amtui.models import Client
        from amtui.services.clients import to_read

        for client_id in _client_ids(session):
            expected = _orm_reference(session, client_id)
            card = client_card(session=connection, client_id=client_id, today=TODAY, zone=ZONE)
            assert card.client == to_read(session.get(Client, client_id))
            assert list(card.invoices) == expected["invoices"]
            assert sorted(card.contracts, key=lambda r: r.id) == sorted(expected["contracts"], key=lambda r: r.id)
            assert _in_order(card.contracts, lambda r: (r.end_on is None, r.end_on or date.min))
            assert _in_order(card.deals, lambda r: (r.expected_close is None, r.expected_close or date.min))
            assert _in_order(
                card.open_tasks, lambda r: (r.due_on is None, r.due_on or date.min, RANK[r.priority], r.id)
            )
            assert _in_order(card.interactions, lambda r: (r.done_at is None, -(r.done_at or FROZEN_NOW).timestamp()))
            assert _in_order(card.contacts, lambda r: r.role != "decision_maker")
            assert sorted(card.deals, key=lambda r: r.id) == sorted(expected["deals"], key=lambda r: r.id)
            assert list(card.notes) == sorted(expected["notes"], key=lambda r: r.created_at, reverse=True)
            assert sorted(card.open_tasks, key=lambda r: r.id) == sorted(expected["tasks"], key=lambda r: r.id)
            assert [_core(c) for c in sorted(card.complaints, key=lambda r: r.id)] == sorted(
                expected["complaints"], key=lambda r: r.id
            )
            shown = {i.id: _core(i) for i in (*card.interactions, *card.planned)}
            assert shown == {i.id: i for i in expected["interactions"] if i.id in shown}
            assert sorted((_core(p) for p in card.contacts), key=lambda r: r.id) == sorted(
                expected["contacts"], key=lambda r: r.id
            )
            for read in (*card.interactions, *card.planned, *card.notes):
                for moment in (getattr(read, "done_at", None), getattr(read, "created_at", None)):
                    assert moment is None or moment.utcoffset() == timedelta(0)


def test_the_lists_the_services_share_are_these_reads(demo_url: str) -> None:
    """records/tasks/complaints/contacts/interactions list through reads.py: one implementation."""
    from amtui.services import complaints, contacts, interactions, portfolio, records, tasks

    with orm_session(demo_url) as session, plain_connection(demo_url) as connection:
        store = store_of(connection)
        assert records.list_invoices(session=session, unpaid_only=True) == reads.list_invoices(store, unpaid_only=True)
        assert records.list_deals(session=session, open_only=True) == reads.list_deals(store, open_only=True)
        assert records.list_contracts(session=session) == reads.list_contracts(store)
        assert tasks.list_tasks(session=session, delegated=True) == reads.list_tasks(store, delegated=True)
        assert tasks.list_tasks(session=session, status=None, limit=7) == reads.list_tasks(store, status=None, limit=7)
        assert complaints.list_complaints(session=session, open_only=True) == reads.list_complaints(
            store, open_only=True
        )
        assert contacts.contacts_by_ids(session=session, contact_ids=[1, 3, 5]) == reads.contacts_by_ids(
            store, [1, 3, 5]
        )
        start = FROZEN_NOW - timedelta(days=7)
        week = interactions.list_in_range(session=session, start=start, end=start + timedelta(days=14))
        assert week and week == reads.list_in_range(store, start=start, end=start + timedelta(days=14))
        calls = reads.list_planned(store, start=start, end=start + timedelta(days=30), kinds=["call"])
        assert calls and {call.kind for call in calls} == {"call"}
        assert all(start <= call.planned_at < start + timedelta(days=30) for call in calls if call.planned_at)
        exposure = portfolio.credit_exposure(session=session)
        assert exposure and [tuple(vars_of(e)) for e in exposure] == reads.credit_exposure_rows(store)


def vars_of(exposure: Any) -> list[Any]:
    from dataclasses import astuple

    return list(astuple(exposure))


def test_the_card_on_postgresql(pg_url: str, demo_url: str) -> None:
    """The demo on PostgreSQL: the same cards as on SQLite through the plain connection."""
    from amtui.db import open_engine, session_scope
    from amtui.services.demo import build_demo

    engine = open_engine(pg_url)
    try:
        build_demo(engine, now=FROZEN_NOW)
        with session_scope(engine) as session:
            ids = _client_ids(session)
            on_postgres = _cards(session, ids)
    finally:
        engine.dispose()
    with plain_connection(demo_url) as connection:
        plain = _cards(connection, ids)
    # Who took part in an interaction comes in the order SQLite stored them; PostgreSQL has no such order.
    assert [_people_sorted(card) for card in on_postgres] == [_people_sorted(card) for card in plain]


def _people_sorted(card: ClientCard) -> ClientCard:
    from dataclasses import replace

    def sorted_people(item: InteractionRead) -> InteractionRead:
        pairs = sorted(zip(item.contact_ids, item.contact_names, strict=True))
        return replace(item, contact_ids=tuple(p[0] for p in pairs), contact_names=tuple(p[1] for p in pairs))

    return replace(
        card,
        interactions=tuple(map(sorted_people, card.interactions)),
        planned=tuple(map(sorted_people, card.planned)),
    )


def test_client_show_imports_no_sqlalchemy(env: dict[str, str]) -> None:
    """``amtui client show`` as a whole process: no SQLAlchemy, SQLModel, pydantic, models or textual;
    phonenumbers only when a phone number is shown; an unknown client is one error line."""
    watched = ("pydantic", "sqlmodel", "textual", "amtui.models", "sqlalchemy", "phonenumbers")
    # What the card shows is written in this process; the card itself is read by real processes.
    assert _in_process("client", "add", "ООО «Ромашка»", "--city", "Казань", env=env).exit_code == 0
    assert _in_process("contact", "add", "1", "Иванов Иван", "--email", "i@example.com", env=env).exit_code == 0
    assert _in_process("log", "call", "1", "--note", "Договорились о поставке", env=env).exit_code == 0
    loaded, by_id = _probe(["client", "show", "1"], env, watched)
    assert loaded == [] and "Иванов Иван" in by_id.stdout
    assert _loaded(["client", "show", "ромашка", "--json"], env, watched) == []
    shown = _amtui("client", "show", "ромашка", env=env)
    assert shown.returncode == 0, shown.stderr
    assert "Иванов Иван" in shown.stdout and "Договорились о поставке" in shown.stdout and "Казань" in shown.stdout
    added = _in_process("contact", "add", "1", "Петрова Анна", "--phone", "+7 495 123-45-67", env=env)
    assert added.exit_code == 0
    loaded, with_phone = _probe(["client", "show", "1"], env, watched)
    assert loaded == ["phonenumbers"]
    assert "+7 495 123-45-67" in with_phone.stdout
    missing = _amtui("client", "show", "999", env=env)
    assert missing.returncode == 1 and missing.stderr.startswith("amtui: error: no client matches '999'")
    assert "Traceback" not in missing.stderr


def test_client_show_on_an_old_schema_upgrades_it_first(env: dict[str, str], tmp_path: Path) -> None:
    """Not at the current schema: the engine path (upgrade with a backup), then the card."""
    import sqlite3

    from amtui.db import make_engine, upgrade
    from amtui.migrations import SCHEMA_HEAD
    from tests.test_upgrade import OLD

    old = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{old}")
    upgrade(engine, OLD)
    engine.dispose()
    with contextlib.closing(sqlite3.connect(old)) as connection, connection:
        stamp = "2026-01-01 00:00:00.000000"
        connection.execute(
            "INSERT INTO client (id, name, name_folded, tier, status, currency, created_at, updated_at) "
            "VALUES (1, 'Acme', 'acme', 'A', 'active', 'RUB', ?, ?)",
            (stamp, stamp),
        )
    shown = _amtui("--db", str(old), "client", "show", "acme", env=env)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("Acme  [tier A, active]")
    with contextlib.closing(sqlite3.connect(old)) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (SCHEMA_HEAD,)
    typo = _amtui("--db", str(tmp_path / "typo.db"), "client", "show", "1", env=env)
    assert typo.returncode == 1 and "no such database" in typo.stderr
    assert not (tmp_path / "typo.db").exists()


def test_dates_and_moments_decode_as_the_orm_types_them() -> None:
    assert reads.as_utc("2026-11-25 06:00:00.000000") == datetime(2026, 11, 25, 6, tzinfo=reads.UTC)
    assert reads.as_utc("2026-11-25 06:00:00") == datetime(2026, 11, 25, 6, tzinfo=reads.UTC)
    moscow = datetime(2026, 11, 25, 9, tzinfo=ZONE)
    assert reads.as_utc(moscow) == datetime(2026, 11, 25, 6, tzinfo=reads.UTC)
    assert reads.as_utc(moscow).tzinfo is reads.UTC
    assert reads.as_date("2026-11-25") == date(2026, 11, 25) == reads.as_date(date(2026, 11, 25))
    assert reads.as_bool(1) is True and reads.as_bool(0) is False and reads.as_bool(None) is None
