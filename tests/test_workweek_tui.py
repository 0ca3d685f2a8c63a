"""Issue 10 points 7 and 8 in the TUI: a past time asks before it is planned; the task form
completes colleagues' names. Each test checks what the database holds."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from textual.widgets import Input

from amtui.db import session_scope
from amtui.models import Interaction, Task
from tests.test_tui import make_app, seeded, settle, stored, sync, type_into

__all__ = ["seeded"]  # the fixture, shared with tests/test_tui.py


@sync
async def test_planning_in_the_past_asks_first(engine: Any, db_url: str, seeded: dict[str, int]) -> None:
    from amtui.screens.forms import InteractionForm

    app = make_app(db_url)  # frozen at Wednesday 25.11.2026 09:00 Moscow
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, InteractionForm)
        await type_into(pilot, form.query_one("#f-client").query_one(Input), "ромашка")
        await type_into(pilot, form.query_one("#f-when").query_one(Input), "today 08:00")
        await pilot.press("ctrl+s")
        await settle(pilot)
        # Asked, not saved: the form stays with its input and says why.
        assert app.screen is form
        assert "in the past" in str(form.query_one(".form--error").render())
        assert [r for r in stored(engine, select(Interaction.id).where(Interaction.status == "planned"))] == []
        await pilot.press("ctrl+s")  # plan it anyway
        await settle(pilot)
        assert app.screen is not form
    [(planned_at,)] = stored(engine, select(Interaction.planned_at).where(Interaction.status == "planned"))
    assert planned_at.replace(tzinfo=UTC) == datetime(2026, 11, 25, 5, 0, tzinfo=UTC)


@sync
async def test_a_logged_weekday_is_the_last_one(engine: Any, db_url: str, seeded: dict[str, int]) -> None:
    from amtui.screens.forms import InteractionForm

    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        form = InteractionForm(kind="call", log=True, client_id=seeded["romashka"])
        await app.push_screen(form)
        await settle(pilot)
        await type_into(pilot, form.query_one("#f-when").query_one(Input), "пт 15:00")
        await type_into(pilot, form.query_one("#f-subject").query_one(Input), "Итоги недели")
        await pilot.press("ctrl+s")
        await settle(pilot)
    rows = stored(engine, select(Interaction.done_at).where(Interaction.subject == "Итоги недели"))
    # Friday 20.11 15:00 Moscow, not the coming Friday: a log is of what happened.
    assert [row[0].replace(tzinfo=UTC) for row in rows] == [datetime(2026, 11, 20, 12, 0, tzinfo=UTC)]


@sync
async def test_task_form_completes_colleagues(engine: Any, db_url: str, seeded: dict[str, int]) -> None:
    from amtui.screens.form_task import TaskForm
    from amtui.services import tasks
    from tests.conftest import FROZEN_NOW, ZONE

    with session_scope(engine) as session:
        tasks.create_task(
            session=session, title="Отгрузка", now=FROZEN_NOW, zone=ZONE, due_on=date(2026, 12, 4),
            assignee="Петров (логистика)",
        )  # fmt: skip
    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        form = TaskForm()
        await app.push_screen(form)
        await settle(pilot)
        await type_into(pilot, form.query_one("#f-title").query_one(Input), "Счёт")
        assignee = form.query_one("#f-assignee").query_one(Input)
        await type_into(pilot, assignee, "пет")
        await settle(pilot)
        await pilot.press("right")  # accept the suggestion
        await pilot.pause()
        assert assignee.value == "Петров (логистика)"
        await pilot.press("ctrl+s")
        await settle(pilot)
    rows = stored(engine, select(Task.title, Task.assignee, Task.check_in_at).where(Task.title == "Счёт"))
    [(_title, who, check_in)] = rows
    assert who == "Петров (логистика)"
    # Due in a week (+7d, Wednesday 02.12): the check-in is on a working day at 10:00 Moscow.
    local = check_in.replace(tzinfo=UTC).astimezone(ZONE)
    assert local.weekday() < 5 and local.hour == 10
