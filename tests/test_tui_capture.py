"""The after-call form (issue 10, points 1 and 2): what it stores, from the TUI and the workspace;
undo in the TUI and ``planned reopen`` in the CLI; a touch is never recorded in the future."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from textual.widgets import Checkbox, Input, Select

from amtui.db import session_scope
from amtui.models import Interaction, InteractionContact, Task
from tests.conftest import FROZEN_NOW, ZONE
from tests.pilot import open_clients
from tests.test_tui import make_app, settle, stored, sync, type_into

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

# FROZEN_NOW is Wednesday 25.11.2026 09:00 in Moscow.
CALL_AT = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)  # 16:00 Moscow, later today


@pytest.fixture
def seeded(engine: Any) -> Iterator[dict[str, int]]:
    """«Ромашка» with two people and a call planned today at 16:00; «Лютик» with nothing planned."""
    from amtui.services import clients, contacts, interactions

    with session_scope(engine) as session:
        romashka = clients.create_client(session=session, name="ООО «Ромашка»", tier="A", city="Москва")
        other = clients.create_client(session=session, name="ЗАО «Лютик»", tier="B", city="Тула")
        boss = contacts.create_contact(session=session, client_id=romashka.id, full_name="Андрей Громов")
        helper = contacts.create_contact(session=session, client_id=romashka.id, full_name="Мария Соколова")
        call = interactions.plan_interaction(
            session=session, client_id=romashka.id, kind="call", at=CALL_AT, subject="Цены"
        )
        ids = {"romashka": romashka.id, "other": other.id, "boss": boss.id, "helper": helper.id, "call": call.id}
    yield ids


def count(engine: Any, model: Any) -> int:
    return int(stored(engine, select(func.count()).select_from(model))[0][0])


@sync
async def test_after_call_from_today_closes_the_planned_call_and_plans_the_next_step(
    engine: Any, db_url: str, seeded: dict[str, int]
) -> None:
    from amtui.screens.form_after_call import AfterCallForm
    from amtui.screens.today import TodayScreen

    before = count(engine, Interaction)
    app = make_app(db_url)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        await pilot.press("l")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AfterCallForm)
        await type_into(pilot, form.query_one("#f-client").query_one(Input), "ромашка")
        await settle(pilot)
        close = form.query_one("#f-close", Select)
        assert close.value == str(seeded["call"])  # the 16:00 call is offered to be closed
        assert close.parent is not None and close.parent.display
        form.query_one("#f-contact", Select).value = seeded["helper"]
        form.query_one("#f-direction", Select).value = "inbound"
        form.query_one("#f-needs-reply", Checkbox).value = True
        await type_into(pilot, form.query_one("#f-outcome").query_one(Input), "Ждут КП до пятницы")
        form.query_one("#f-next-kind", Select).value = "task"
        await type_into(pilot, form.query_one("#f-next-date").query_one(Input), "пт")
        await type_into(pilot, form.query_one("#f-next-task").query_one(Input), "Отправить КП")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert count(engine, Interaction) == before  # closed, not a second row beside a "missed" one
        call = stored(engine, select(Interaction).where(Interaction.id == seeded["call"]))[0][0]
        assert call.status == "done" and call.direction == "inbound" and call.needs_reply
        assert call.outcome == "Ждут КП до пятницы" and call.subject == "Цены"
        assert call.done_at.replace(tzinfo=UTC) == FROZEN_NOW  # now, not the planned 16:00 still ahead
        people = stored(
            engine, select(InteractionContact.contact_id).where(InteractionContact.interaction_id == call.id)
        )
        assert [row[0] for row in people] == [seeded["helper"]]
        tasks = [row[0] for row in stored(engine, select(Task))]
        assert [(t.title, t.due_on, t.client_id) for t in tasks] == [
            ("Отправить КП", date(2026, 11, 27), seeded["romashka"])
        ]

        await pilot.press("ctrl+z")  # undo: the call is planned again
        await settle(pilot)
        call = stored(engine, select(Interaction).where(Interaction.id == seeded["call"]))[0][0]
        assert call.status == "planned" and call.done_at is None


@sync
async def test_after_call_from_the_card_logs_a_new_one_when_asked_and_plans_a_visit(
    engine: Any, db_url: str, seeded: dict[str, int]
) -> None:
    from amtui.screens.client_card import ClientCardScreen
    from amtui.screens.form_after_call import AfterCallForm

    app = make_app(db_url)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.open_client(seeded["romashka"])
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AfterCallForm)
        form.query_one("#f-close", Select).value = "new"  # keep the 16:00 call planned
        form.query_one("#f-contact", Select).value = seeded["boss"]
        form.query_one("#f-next-kind", Select).value = "visit"
        await type_into(pilot, form.query_one("#f-next-date").query_one(Input), "01.12.2026 11:00")
        await type_into(pilot, form.query_one("#f-next-task").query_one(Input), "Показать образцы")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientCardScreen)
    rows = [row[0] for row in stored(engine, select(Interaction).order_by(Interaction.id))]
    by_status = sorted((r.kind, r.status) for r in rows)
    assert by_status == [("call", "done"), ("call", "planned"), ("visit", "planned")]
    visit = next(r for r in rows if r.kind == "visit")
    assert visit.planned_at.replace(tzinfo=UTC) == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    assert visit.subject == "Показать образцы"
    logged = next(r for r in rows if r.status == "done")
    assert logged.direction == "outbound" and not logged.needs_reply
    people = stored(engine, select(InteractionContact.contact_id).where(InteractionContact.interaction_id == logged.id))
    assert [row[0] for row in people] == [seeded["boss"]]


@sync
async def test_planner_cancel_is_undone_with_ctrl_z(engine: Any, db_url: str, seeded: dict[str, int]) -> None:
    from amtui.screens.planner import PlannerScreen
    from amtui.widgets.fast_table import FastTable

    app = make_app(db_url)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        planner = app.screen
        assert isinstance(planner, PlannerScreen)
        planner.query_one("#planner-table", FastTable).focus()
        selected = planner.selected()
        assert selected is not None and selected.id == seeded["call"]
        await pilot.press("x")
        await settle(pilot)
        assert stored(engine, select(Interaction.status).where(Interaction.id == seeded["call"]))[0][0] == "cancelled"
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert stored(engine, select(Interaction.status).where(Interaction.id == seeded["call"]))[0][0] == "planned"


def test_a_touch_is_never_recorded_in_the_future(engine: Any, seeded: dict[str, int]) -> None:
    from amtui.services.errors import ValidationError
    from amtui.services.workspace import Workspace

    ws = Workspace(engine=engine, now=lambda: FROZEN_NOW, zone=ZONE)
    with pytest.raises(ValidationError, match="not in the future"):
        ws.after_call(seeded["romashka"], kind="call", at=FROZEN_NOW + timedelta(hours=2))
    with pytest.raises(ValidationError, match="not in the future"):
        ws.done(seeded["call"], at=FROZEN_NOW + timedelta(days=7))
    done = ws.done(seeded["call"])  # planned 16:00, still ahead: recorded now
    assert done.done_at == FROZEN_NOW
    again = ws.reopen(done.id)
    assert again.status == "planned" and again.done_at is None and again.planned_at == CALL_AT


def test_cli_planned_reopen_undoes_done_and_cancel(cli) -> None:  # type: ignore[no-untyped-def]
    cli("client", "add", "Ромашка")
    cli("plan", "call", "ромашка", "--at", "08.12.2026 10:00")
    cli("planned", "done", "1")
    shown = cli("client", "show", "ромашка", "--json")
    # A call planned next week, marked done today: touched today, never at its planned time.
    assert '"done_at": "2026-11-25T06:00:00+00:00"' in shown.output
    assert '"done_at": "2026-12-08' not in shown.output
    future = cli("planned", "done", "1", "--at", "09.12.2026 10:00")
    assert future.exit_code == 1 and "not in the future" in future.output
    reopened = cli("planned", "reopen", "1")
    assert reopened.exit_code == 0 and reopened.output.strip() == "Reopened call 1 with Ромашка: planned again"
    assert "08.12.2026 10:00" in cli("planned", "list", "--days", "30").output
    cli("planned", "cancel", "1")
    assert cli("planned", "reopen", "1").exit_code == 0
    again = cli("planned", "reopen", "1")
    assert again.exit_code == 1 and "already planned" in again.output and "Traceback" not in again.output


# Point 4: no lost input.


@sync
async def test_esc_on_an_untouched_new_client_form_closes_it(db_url: str, seeded: dict[str, int]) -> None:
    """A new client's name starts empty (its stored value is None): nothing typed is nothing to lose."""
    from amtui.screens.clients import ClientsScreen
    from amtui.screens.form_client import ClientForm

    app = make_app(db_url)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await open_clients(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ClientForm)
        assert not form.changed()
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ClientsScreen)


@sync
async def test_esc_on_a_typed_form_asks_save_discard_or_stay(engine: Any, db_url: str, seeded: dict[str, int]) -> None:
    from amtui.screens.client_card import ClientCardScreen
    from amtui.screens.form_after_call import AfterCallForm
    from amtui.screens.form_leave import LeaveUnsaved

    before = count(engine, Interaction)
    app = make_app(db_url)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.open_client(seeded["other"])
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AfterCallForm)
        await pilot.press("escape")  # nothing typed: closes at once
        await settle(pilot)
        assert isinstance(app.screen, ClientCardScreen)
        await pilot.press("c")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AfterCallForm)
        await type_into(pilot, form.query_one("#f-outcome").query_one(Input), "Перезвонить в понедельник")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LeaveUnsaved)
        await pilot.press("escape")  # stay: the input is still there
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#f-outcome").query_one(Input).value == "Перезвонить в понедельник"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("d")  # discard
        await settle(pilot)
        assert isinstance(app.screen, ClientCardScreen)
        assert count(engine, Interaction) == before
        await pilot.press("c")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AfterCallForm)
        await type_into(pilot, form.query_one("#f-outcome").query_one(Input), "Договорились")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("s")  # save
        await settle(pilot)
        assert isinstance(app.screen, ClientCardScreen)
    outcomes = stored(engine, select(Interaction.outcome).where(Interaction.client_id == seeded["other"]))
    assert [row[0] for row in outcomes] == ["Договорились"]


@sync
async def test_a_report_draft_survives_a_crash_and_esc_asks(engine: Any, db_url: str, seeded: dict[str, int]) -> None:
    from textual.widgets import TextArea

    from amtui.models import MeetingReport
    from amtui.screens.form_leave import LeaveUnsaved, RestoreDraft
    from amtui.screens.report import ReportScreen
    from amtui.services import interactions
    from amtui.services.workspace import Workspace

    with session_scope(engine) as session:
        visit = interactions.log_interaction(
            session=session, client_id=seeded["romashka"], kind="visit", at=FROZEN_NOW - timedelta(hours=2)
        )
    ws = Workspace(db_url, now=lambda: FROZEN_NOW, zone=ZONE)
    app = make_app(db_url)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.open_report(visit.id)
        await settle(pilot)
        report = app.screen
        assert isinstance(report, ReportScreen)
        report.query_one("#report-agenda", TextArea).text = "Цены на 2027 год, «скидки»"
        report.autosave()  # what the 2-second timer does
        await settle(pilot)
        draft = ws.draft("report", visit.id)
        assert draft is not None and draft["agenda"] == "Цены на 2027 год, «скидки»"
    # The terminal was closed without saving: nothing stored, the draft kept.
    assert count(engine, MeetingReport) == 0

    app = make_app(db_url)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.open_report(visit.id)
        await settle(pilot)
        assert isinstance(app.screen, RestoreDraft)
        await pilot.press("r")
        await settle(pilot)
        report = app.screen
        assert isinstance(report, ReportScreen)
        assert report.query_one("#report-agenda", TextArea).text == "Цены на 2027 год, «скидки»"
        await pilot.press("escape")  # unsaved: asks
        await settle(pilot)
        assert isinstance(app.screen, LeaveUnsaved)
        await pilot.press("s")
        await settle(pilot)
        assert not isinstance(app.screen, (ReportScreen, LeaveUnsaved))
    agendas = stored(engine, select(MeetingReport.agenda).where(MeetingReport.interaction_id == visit.id))
    assert [row[0] for row in agendas] == ["Цены на 2027 год, «скидки»"]
    assert ws.draft("report", visit.id) is None  # saved: the draft is gone
    ws.close()


@sync
async def test_a_snooze_is_undone_with_ctrl_z(engine: Any, db_url: str, seeded: dict[str, int]) -> None:
    from amtui.models import AlertMark
    from amtui.screens.alerts import AlertsScreen
    from amtui.screens.forms import DateForm
    from amtui.widgets.fast_table import FastTable

    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AlertsScreen)
        target = next(a for a in screen.alerts if a.kind == "silence")
        table = screen.query_one("#alerts-table", FastTable)
        table.focus()
        table.move_cursor(row=table.get_row_index(target.id))
        await pilot.press("z")
        await settle(pilot)
        assert isinstance(app.screen, DateForm)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [row[0].state for row in stored(engine, select(AlertMark).where(AlertMark.alert_id == target.id))] == [
            "snoozed"
        ]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert stored(engine, select(AlertMark).where(AlertMark.alert_id == target.id)) == []
        assert target.id in {a.id for a in app.screen.alerts}  # shown again


@sync
async def test_planner_l_opens_the_after_call_form_for_the_selected_client(
    engine: Any, db_url: str, seeded: dict[str, int]
) -> None:
    from amtui.screens.form_after_call import AfterCallForm
    from amtui.screens.planner import PlannerScreen
    from amtui.widgets.fast_table import FastTable

    app = make_app(db_url)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        planner = app.screen
        assert isinstance(planner, PlannerScreen)
        planner.query_one("#planner-table", FastTable).focus()
        await pilot.press("l")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AfterCallForm) and form.client_id == seeded["romashka"]
        assert form.query_one("#f-close", Select).value == str(seeded["call"])
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert stored(engine, select(Interaction.status).where(Interaction.id == seeded["call"]))[0][0] == "done"
