"""Issue 13 in the TUI: the plan and task forms' Repeat field, "this one or the following?" and
"was the client told?" (rule 19), each checked against what the database holds afterwards."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from textual.widgets import Input

from amtui.db import session_scope
from amtui.widgets.fast_table import FastTable
from tests.conftest import FROZEN_NOW, ZONE
from tests.test_tui import make_app, seeded, settle, stored, sync, type_into

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")
__all__ = ["seeded"]  # the fixture, shared


@sync
async def test_plan_a_biweekly_call_three_times_from_the_planner(
    engine: Any, db_url: str, seeded: dict[str, int]
) -> None:
    from amtui.models import Interaction
    from amtui.screens.forms import InteractionForm
    from amtui.screens.planner import PlannerScreen

    app = make_app(db_url)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, InteractionForm)
        await type_into(pilot, form.query_one("#f-client").query_one(Input), "ромашка")
        await type_into(pilot, form.query_one("#f-when").query_one(Input), "30.11 10:00")
        repeat = form.query_one("#f-repeat").query_one(Input)
        await type_into(pilot, repeat, "fortnightly")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form, "a repeat it cannot read keeps the form open"
        await type_into(pilot, repeat, "2w x3")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PlannerScreen)
    rows = [row[0] for row in stored(engine, select(Interaction).where(Interaction.status == "planned"))]
    assert [(r.repeat, r.series_id, r.occurrence) for r in rows] == [("FREQ=WEEKLY;INTERVAL=2;COUNT=3", rows[0].id, 1)]


@sync
async def test_moving_a_promise_asks_whether_the_client_was_told(
    engine: Any, db_url: str, seeded: dict[str, int]
) -> None:
    from amtui.models import Task
    from amtui.screens.form_question import Question
    from amtui.screens.forms import DateForm
    from amtui.screens.tasks import TasksScreen
    from amtui.services import interactions, reports

    with session_scope(engine) as session:
        visit = interactions.log_interaction(
            session=session, client_id=seeded["romashka"], kind="visit", at=FROZEN_NOW - timedelta(days=1)
        )
        reports.save_report(
            session=session,
            interaction_id=visit.id,
            now=FROZEN_NOW,
            zone=ZONE,
            next_steps=[reports.NextStepInput(text="Прислать КП", owner=None, due_on=date(2026, 11, 27))],
        )
    promise = stored(engine, select(Task.id))[0][0]

    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TasksScreen)
        table = screen.query_one("#tasks-table", FastTable)
        table.focus()
        table.move_cursor(row=table.get_row_index(str(promise)))
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, DateForm)
        await type_into(pilot, app.screen.query_one("#f-date").query_one(Input), "04.12.2026")
        await pilot.press("ctrl+s")
        await settle(pilot)
        question = app.screen
        assert isinstance(question, Question) and "Прислать КП: 27.11.2026 -> 04.12.2026" in question.detail
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, TasksScreen)
    tasks = {row[0].id: row[0] for row in stored(engine, select(Task))}
    assert tasks[promise].due_on == date(2026, 12, 4)
    tell = [task for task in tasks.values() if task.id != promise]
    assert [(t.title, t.due_on) for t in tell] == [
        ("Tell the client: Прислать КП moves from 27.11.2026 to 04.12.2026", date(2026, 11, 25))
    ]
    assert tell[0].notes.startswith("Dear Иван Петров,\n\nПрислать КП: the date moves from 27.11.2026 to 04.12.2026.")


@sync
async def test_moving_a_repeating_task_asks_this_one_or_the_following(
    engine: Any, db_url: str, seeded: dict[str, int]
) -> None:
    from amtui.models import Task
    from amtui.screens.form_question import Question
    from amtui.screens.forms import DateForm
    from amtui.services.workspace import Workspace

    workspace = Workspace(engine=engine, now=lambda: FROZEN_NOW, zone=ZONE)
    task = workspace.add_task(title="Отчёт", due_on=date(2026, 11, 30), every="week")

    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        table = app.screen.query_one("#tasks-table", FastTable)
        table.focus()
        table.move_cursor(row=table.get_row_index(str(task.id)))
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, Question)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, DateForm)
        await type_into(pilot, app.screen.query_one("#f-date").query_one(Input), "02.12.2026")
        await pilot.press("ctrl+s")
        await settle(pilot)
    moved = stored(engine, select(Task).where(Task.id == task.id))[0][0]
    # This and following: Wednesdays from now on.
    assert (moved.due_on, moved.repeat, moved.repeat_from) == (date(2026, 12, 2), "FREQ=WEEKLY", date(2026, 12, 2))
    workspace.complete_task(task.id)
    after = [row[0] for row in stored(engine, select(Task).order_by(Task.id))]
    assert [t.due_on for t in after] == [date(2026, 12, 2), date(2026, 12, 9)]
