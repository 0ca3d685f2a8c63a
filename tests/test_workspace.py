"""The workspace: one unit of work per call, plain read objects back, the day's rules once."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from amtui.config import Settings
from amtui.services.workspace import Workspace
from tests.conftest import FROZEN_NOW, ZONE


@pytest.fixture
def ws(engine: Any) -> Workspace:
    return Workspace(engine=engine, now=lambda: FROZEN_NOW, zone=ZONE, settings=Settings())


def test_a_workspace_needs_a_database() -> None:
    with pytest.raises(ValueError, match="db_url or an engine"):
        Workspace()


def test_done_is_never_recorded_in_the_future(ws: Workspace) -> None:
    client = ws.create_client(name="ООО «Ромашка»", tier="A")
    earlier = ws.plan(client_id=client.id, kind="call", at=FROZEN_NOW - timedelta(hours=2))
    later = ws.plan(client_id=client.id, kind="visit", at=FROZEN_NOW + timedelta(days=2))
    # Planned time passed: done then. Still ahead: done now (not in two days).
    assert ws.done(earlier.id).done_at == FROZEN_NOW - timedelta(hours=2)
    assert ws.done(later.id).done_at == FROZEN_NOW
    given = FROZEN_NOW - timedelta(minutes=5)
    third = ws.plan(client_id=client.id, kind="call", at=FROZEN_NOW + timedelta(hours=1))
    assert ws.done(third.id, at=given, outcome="Договорились").done_at == given


def test_clients_and_people_named_by_reference(ws: Workspace) -> None:
    client = ws.create_client(name="Müller Straße GmbH", tier="B")
    person = ws.save_contact(None, client_id=client.id, full_name="Klaus Müller", phones=["+49 30 1234567"])
    logged = ws.log("straße", contacts=["klaus"], kind="call", at=FROZEN_NOW - timedelta(hours=1))
    assert logged.client_id == client.id
    assert logged.contact_ids == (person.id,)
    task = ws.add_task(client="müller", title="Angebot schicken", due_on=date(2026, 11, 27))
    assert task.client_id == client.id
    assert [t.id for t in ws.task_list(client="MÜLLER")] == [task.id]


def test_save_contact_replaces_phones_and_emails(ws: Workspace) -> None:
    client = ws.create_client(name="АО «Северсталь»", tier="A")
    person = ws.save_contact(
        None,
        client_id=client.id,
        full_name="Иван Петров",
        phones=["+7 916 000-00-00", "+7 495 111-11-11"],
        emails=["ivan@example.ru"],
    )
    assert len(person.phones) == 2
    edited = ws.save_contact(person.id, client_id=client.id, full_name="Иван Петров", phones=["+7 495 111-11-11"])
    assert [p.value for p in edited.phones] == ["+7 495 111-11-11"]
    assert edited.emails == ()


def test_today_view_is_plain_data_and_follows_the_settings(engine: Any) -> None:
    from amtui.services.demo import build_demo

    build_demo(engine, size="small", now=FROZEN_NOW)
    narrow = Workspace(engine=engine, now=lambda: FROZEN_NOW, zone=ZONE, settings=Settings(birthday_days=1))
    wide = Workspace(engine=engine, now=lambda: FROZEN_NOW, zone=ZONE, settings=Settings(birthday_days=20))
    view = wide.today_view()
    assert dataclasses.is_dataclass(view) and view.complete
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.today = date(2000, 1, 1)  # type: ignore[misc]
    for section in (view.agenda, view.late, view.coming, view.overdue_clients):
        assert isinstance(section, tuple)
        for alert in section:
            assert type(alert).__module__ == "amtui.services.alerts"  # the engine's immutable Alert, no ORM row
    assert {a.kind for a in view.overdue_clients} == {"silence"}
    assert all(a.kind in ("agenda", "task_today", "birthday") for a in view.agenda)
    assert max(a.days for a in view.coming) > 7
    assert all(a.days <= 1 for a in narrow.today_view().coming)
    # Quick part first: the agenda is complete before the slow part arrives.
    first = wide.today_first()
    assert not first.complete and first.agenda == view.agenda


def test_cadence_per_tier_from_the_settings(engine: Any) -> None:
    ws = Workspace(engine=engine, now=lambda: FROZEN_NOW, zone=ZONE, settings=Settings())
    client = ws.create_client(name="ООО «Полимер-Центр»", tier="A")
    ws.log(client_id=client.id, kind="call", at=FROZEN_NOW - timedelta(days=10))
    assert [a.id for a in ws.alerts(kinds=["silence"])] == []  # tier A: every 14 days
    strict = Workspace(engine=engine, now=lambda: FROZEN_NOW, zone=ZONE, settings=Settings(cadence_days={"A": 7}))
    assert [a.id for a in strict.alerts(kinds=["silence"])] == [f"silence:{client.id}"]


def test_writes_bump_the_version_reads_do_not(ws: Workspace) -> None:
    before = ws.version
    ws.alerts()
    ws.client_list()
    assert ws.version == before
    ws.create_client(name="Новый клиент")
    assert ws.version == before + 1


def test_the_clock_is_the_workspaces(engine: Any) -> None:
    moments = iter([FROZEN_NOW, FROZEN_NOW + timedelta(days=1)])
    ws = Workspace(engine=engine, now=lambda: next(moments), zone=ZONE, settings=Settings())
    assert ws.today() == date(2026, 11, 25)
    assert ws.today() == date(2026, 11, 26)
    assert isinstance(FROZEN_NOW, datetime)
