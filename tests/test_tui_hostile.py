"""Issue 11 in the TUI: user text is never markup, never a raw control character; a crash exits
non-zero with a short message and leaves its traceback in a log file."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from amtui.db import session_scope
from amtui.widgets.fast_table import FastTable
from tests.conftest import FROZEN_NOW, ZONE
from tests.test_tui import make_app, settle, sync

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

BAD_CLIENT = "Bad [/] Name Co"
BAD_TASK = "Fix [/] bracket"
LITERAL_TASK = "[urgent] fix"


@pytest.fixture
def marked(engine: Any) -> dict[str, int]:
    """A client and tasks whose text looks like Rich/Textual markup, and a planned call with it."""
    from amtui.services import clients, interactions, tasks

    with session_scope(engine) as session:
        client = clients.create_client(session=session, name=BAD_CLIENT, tier="A")
        bad = tasks.create_task(
            session=session, title=BAD_TASK, now=FROZEN_NOW, zone=ZONE, due_on=date(2026, 11, 27), client_id=client.id
        )
        literal = tasks.create_task(
            session=session, title=LITERAL_TASK, now=FROZEN_NOW, zone=ZONE, due_on=date(2026, 11, 28)
        )
        call = interactions.plan_interaction(
            session=session,
            client_id=client.id,
            kind="call",
            at=FROZEN_NOW + timedelta(hours=3),
            subject="[b]bold?[/b] [/]",
        )
    return {"client": client.id, "bad": bad.id, "literal": literal.id, "call": call.id}


def _toasts(app: Any) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


@sync
async def test_markup_in_names_does_not_crash_the_card_tasks_or_planner(
    db_url: str, marked: dict[str, int], engine: Any
) -> None:
    from amtui.screens.client_card import ClientCardScreen
    from amtui.screens.form_after_call import AfterCallForm
    from amtui.screens.planner import PlannerScreen
    from amtui.screens.tasks import TasksScreen

    app = make_app(db_url)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        # The client card: the task and the planned call with "[/]" in their text.
        app.open_client(marked["client"])
        await settle(pilot)
        assert isinstance(app.screen, ClientCardScreen)
        assert BAD_CLIENT in app.screen.sub_title
        svg = app.export_screenshot()
        assert "Fix [/] bracket" in svg.replace("&#160;", " ")
        await pilot.press("escape")
        await settle(pilot)
        # Tasks: space completes the task; the toast names it literally.
        await pilot.press("4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TasksScreen)
        table = screen.query_one("#tasks-table", FastTable)
        titles = [str(table.get_row_at(index)[1]) for index in range(table.row_count)]
        assert LITERAL_TASK in titles  # not " fix": "[urgent]" is text, not a style
        table.focus()
        table.move_cursor(row=table.get_row_index(str(marked["bad"])))
        await pilot.press("space")
        await settle(pilot)
        assert any(BAD_TASK in toast for toast in _toasts(app)), _toasts(app)
        # Planner: d marks the call with "Bad [/] Name Co" done.
        await pilot.press("3")
        await settle(pilot)
        planner = app.screen
        assert isinstance(planner, PlannerScreen)
        planned = planner.query_one(FastTable)
        planned.focus()
        planned.move_cursor(row=planned.get_row_index(str(marked["call"])))
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, AfterCallForm)  # done asks for the outcome first
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is planner
        assert any(BAD_CLIENT in toast for toast in _toasts(app)), _toasts(app)
        # The command palette lists the client by its literal name.
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"bad")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ClientCardScreen)
    assert app.return_code in (None, 0)
    with sqlite3.connect(engine.url.database) as connection:
        assert connection.execute(f"SELECT status FROM task WHERE id = {marked['bad']}").fetchone() == ("done",)
        assert connection.execute(f"SELECT status FROM interaction WHERE id = {marked['call']}").fetchone() == ("done",)


@sync
async def test_control_characters_are_shown_as_replacement_characters(
    db_url: str, db_path: Path, marked: dict[str, int]
) -> None:
    with sqlite3.connect(db_path) as connection:
        connection.execute(
            "UPDATE client SET name = ?, city = ? WHERE id = ?",
            ("Evil\x1b]0;PWNED\x07\x1b[2J\x1b[31mRED Corp\u202e", "Ci\x9bty", marked["client"]),
        )
        connection.execute("UPDATE task SET title = ? WHERE id = ?", ("Ta\x1b[2Jsk", marked["literal"]))
    app = make_app(db_url)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        shots = [app.export_screenshot()]
        for key in ("2", "3", "4", "5"):
            await pilot.press(key)
            await settle(pilot)
            shots.append(app.export_screenshot())
        app.open_client(marked["client"])
        await settle(pilot)
        shots.append(app.export_screenshot())
        app.notify("Evil\x1b]0;x\x07")
        await settle(pilot)
        shots.append(app.export_screenshot())
    for shot in shots:
        assert "\x1b" not in shot and "\x07" not in shot and "\x9b" not in shot and "\u202e" not in shot
    assert any("Evil\ufffd]0;PWNED" in shot for shot in shots)


def test_a_crash_exits_non_zero_with_a_short_message_and_a_log(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Through ``run_app`` as ``amtui`` runs the TUI (headless here, keys from an auto-pilot)."""
    from amtui import app as app_module

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    app = make_app(db_url)

    def boom() -> None:
        raise RuntimeError("forced for the test")

    monkeypatch.setattr(app, "action_help", boom)

    async def keys(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    with pytest.raises(SystemExit) as exited:
        app_module.run_app(app, headless=True, size=(100, 32), auto_pilot=keys)
    assert exited.value.code == 1
    assert app.return_code == 1
    logs = list((tmp_path / "state" / "amtui").glob("crash-*.log"))
    assert len(logs) == 1 and logs[0].stat().st_mode & 0o777 == 0o600
    text = logs[0].read_text(encoding="utf-8")
    assert "Traceback" in text and "RuntimeError: forced for the test" in text and "in boom" in text
    err = capsys.readouterr().err
    assert err.count("\n") <= 2 and "RuntimeError" in err and str(logs[0]) in err
    assert "Traceback" not in err  # the details are in the log, not on the terminal


def test_a_clean_exit_stays_zero(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from amtui import app as app_module

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    app = make_app(db_url)

    async def leave(pilot: Any) -> None:
        await settle(pilot)
        app.exit()

    app_module.run_app(app, headless=True, size=(100, 32), auto_pilot=leave)  # no SystemExit
    assert app.return_code == 0
    assert not (tmp_path / "state" / "amtui").exists() or not list((tmp_path / "state" / "amtui").glob("crash-*"))
    assert capsys.readouterr().err == ""


@sync
async def test_the_line_filter_drops_control_characters_any_widget_shows(db_url: str) -> None:
    """The last layer: text that reaches a widget unsanitised still never reaches the terminal raw."""
    from textual.widgets import Static

    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await app.screen.mount(Static("Raw\x1b]0;PWNED\x07 \x9b2J\u202eText", markup=False, id="raw"))
        await settle(pilot)
        shot = app.export_screenshot()
    assert "\x1b" not in shot and "\x07" not in shot and "\x9b" not in shot and "\u202e" not in shot
    assert "Raw]0;PWNED 2JText" in shot.replace("&#160;", " ")


@sync
async def test_a_pasted_control_character_is_refused_by_the_form(engine: Any, db_url: str) -> None:
    from sqlalchemy import select
    from textual.widgets import Input

    from amtui.models import Client
    from amtui.screens.clients import ClientsScreen
    from amtui.screens.forms import ClientForm

    app = make_app(db_url)
    async with app.run_test(size=(110, 36), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ClientForm)
        name = form.query_one("#f-name").query_one(Input)
        name.value = "Evil\x1b]0;PWNED\x07 [/] Co"  # what a paste can bring
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # refused, the input kept
        shown = str(form.query_one(".form--error").render()) + " ".join(str(n.message) for n in app._notifications)
        assert "U+001B" in shown and "name" in shown
        name.value = "[urgent] Co"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientsScreen)
    with session_scope(engine) as session:
        assert list(session.scalars(select(Client.name)).all()) == ["[urgent] Co"]


@sync
async def test_the_meeting_report_of_a_markup_named_client_opens(
    db_url: str, engine: Any, marked: dict[str, int]
) -> None:
    from amtui.screens.report import ReportScreen
    from amtui.services import contacts, interactions

    with session_scope(engine) as session:
        person = contacts.create_contact(session=session, client_id=marked["client"], full_name="[red]Anna[/] [/]")
        visit = interactions.log_interaction(
            session=session,
            client_id=marked["client"],
            kind="visit",
            at=FROZEN_NOW - timedelta(hours=2),
            place="Room [/]",
            contact_ids=[person.id],
        )
    app = make_app(db_url)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        app.open_report(visit.id)
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen)
        title = str(app.screen.query_one("#report-title").render())
        assert "Visit report: Bad [/] Name Co" in title and "Room [/]" in title
        svg = app.export_screenshot().replace("&#160;", " ")
        assert "[red]Anna[/] [/]" in svg
    assert app.return_code in (None, 0)
