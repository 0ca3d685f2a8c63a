"""Pilot flows of the TUI, each checking what the database holds afterwards."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from amtui.app import AmtuiApp
from amtui.db import session_scope
from amtui.widgets.fast_table import FastTable
from tests.conftest import FROZEN_NOW, ZONE
from tests.pilot import enter_text, open_clients, settle

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


@pytest.fixture
def seeded(engine: Any) -> Iterator[dict[str, int]]:
    """A small portfolio: a tier-A client with two people, a silent client, a German one."""
    from amtui.services import clients, contacts, interactions

    with session_scope(engine) as session:
        romashka = clients.create_client(session=session, name="ООО «Ромашка»", tier="A", city="Москва")
        silent = clients.create_client(session=session, name="АО «Северсталь»", tier="A", city="Череповец")
        muller = clients.create_client(session=session, name="Müller Straße GmbH", tier="B", city="Berlin")
        boss = contacts.create_contact(
            session=session, client_id=romashka.id, full_name="Иван Петров", role="decision_maker"
        )
        helper = contacts.create_contact(session=session, client_id=romashka.id, full_name="Мария Соколова")
        # Touched recently: only the silent client is overdue for contact.
        for client_id in (romashka.id, muller.id):
            interactions.log_interaction(
                session=session, client_id=client_id, kind="call", at=FROZEN_NOW - timedelta(days=2)
            )
        interactions.log_interaction(
            session=session, client_id=silent.id, kind="call", at=FROZEN_NOW - timedelta(days=60)
        )
        ids = {"romashka": romashka.id, "silent": silent.id, "muller": muller.id, "boss": boss.id, "helper": helper.id}
    yield ids


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot test on a fresh event loop (no async pytest plugin needed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


def make_app(db_url: str) -> AmtuiApp:
    return AmtuiApp(db_url=db_url, now=FROZEN_NOW, zone=ZONE)


async def type_into(pilot: Pilot[Any], widget: Input, text: str, *, by_key: bool = False) -> None:
    """Focus, clear and enter ``text``: pasted, or key by key (``by_key``); see ``tests.pilot.enter_text``."""
    widget.focus()
    await pilot.pause()
    widget.value = ""
    await enter_text(pilot, text, by_key=by_key)


def stored(engine: Any, statement: Any) -> list[Any]:
    with session_scope(engine) as session:
        return list(session.execute(statement).all())


@sync
async def test_plan_a_visit_from_the_planner(engine: Any, db_url: str, seeded: dict[str, int]) -> None:
    from sqlalchemy import select

    from amtui.models import Interaction
    from amtui.screens.forms import InteractionForm
    from amtui.screens.planner import PlannerScreen

    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, PlannerScreen)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, InteractionForm)
        client_input = form.query_one("#f-client").query_one(Input)
        await type_into(pilot, client_input, "ромашка")
        await type_into(pilot, form.query_one("#f-when").query_one(Input), "27.11 14:00")
        await type_into(pilot, form.query_one("#f-subject").query_one(Input), "Дегустация")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PlannerScreen)
        table = app.screen.query_one("#planner-table", FastTable)
        assert any("ООО «Ромашка»" in map(str, table.get_row_at(i)) for i in range(table.row_count))
    rows = stored(engine, select(Interaction).where(Interaction.client_id == seeded["romashka"]))
    planned = [row[0] for row in rows if row[0].status == "planned"]
    assert len(planned) == 1
    visit = planned[0]
    assert visit.kind == "visit"
    assert visit.subject == "Дегустация"
    # 14:00 in Moscow is 11:00 UTC.
    assert visit.planned_at.replace(tzinfo=UTC) == datetime(2026, 11, 27, 11, 0, tzinfo=UTC)


@sync
async def test_mark_visit_done_and_write_report_whose_steps_become_tasks(
    engine: Any, db_url: str, seeded: dict[str, int]
) -> None:
    from sqlalchemy import select

    from amtui.models import Interaction, MeetingReport, Task
    from amtui.screens.planner import PlannerScreen
    from amtui.screens.report import ReportScreen, StepRow
    from amtui.services.interactions import plan_interaction

    with session_scope(engine) as session:
        visit = plan_interaction(
            session=session,
            client_id=seeded["romashka"],
            kind="visit",
            at=datetime(2026, 11, 24, 8, 0, tzinfo=UTC),
            contact_ids=[seeded["boss"]],
            subject="Переговоры",
        )
    app = make_app(db_url)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        planner = app.screen
        assert isinstance(planner, PlannerScreen)
        planner.query_one("#planner-table", FastTable).focus()
        assert planner.selected() is not None and planner.selected().id == visit.id  # type: ignore[union-attr]
        await pilot.press("d")  # done asks for the outcome: the after-call form, closing this visit
        await settle(pilot)
        from amtui.screens.form_after_call import AfterCallForm

        assert isinstance(app.screen, AfterCallForm)
        await pilot.press("ctrl+s")
        await settle(pilot)
        report = app.screen
        assert isinstance(report, ReportScreen)
        report.query_one("#report-agenda").text = "Цены на 2027 год"  # type: ignore[attr-defined]
        report.query_one("#report-agreements").text = "Скидка 5% при предоплате"  # type: ignore[attr-defined]
        rows = list(report.query(StepRow))
        first = rows[0].query("Input")
        await type_into(pilot, first[0], "Отправить КП")
        await type_into(pilot, first[2], "27.11.2026")
        second = rows[1].query("Input")
        await type_into(pilot, second[0], "Проверить отгрузку")
        await type_into(pilot, second[1], "Петров")
        await type_into(pilot, second[2], "пт")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "saved" in str(report.query_one("#report-status").render()).lower()
    done = stored(engine, select(Interaction.status).where(Interaction.id == visit.id))
    assert done[0][0] == "done"
    reports = stored(engine, select(MeetingReport).where(MeetingReport.interaction_id == visit.id))
    assert reports and reports[0][0].agenda == "Цены на 2027 год"
    tasks = sorted((row[0] for row in stored(engine, select(Task))), key=lambda task: task.title)
    assert [(t.title, t.assignee, t.due_on, t.client_id) for t in tasks] == [
        ("Отправить КП", None, date(2026, 11, 27), seeded["romashka"]),
        ("Проверить отгрузку", "Петров", date(2026, 11, 27), seeded["romashka"]),
    ]


@sync
async def test_logging_a_call_from_the_card_clears_the_silence_alert(
    engine: Any, db_url: str, seeded: dict[str, int]
) -> None:
    from amtui.screens.client_card import ClientCardScreen
    from amtui.screens.form_after_call import AfterCallForm
    from amtui.services.alerts import compute_alerts

    def silence_ids() -> set[str]:
        with session_scope(engine) as session:
            found = compute_alerts(session=session, now=FROZEN_NOW, zone=ZONE)
        return {a.id for a in found if a.kind == "silence" and a.client_id == seeded["silent"]}

    assert silence_ids(), "the seeded client should be silent"
    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        app.open_client(seeded["silent"])
        await settle(pilot)
        assert isinstance(app.screen, ClientCardScreen)
        await pilot.press("c")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AfterCallForm)
        await type_into(pilot, form.query_one("#f-subject").query_one(Input), "Как дела с поставкой?")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientCardScreen)
        await pilot.press("escape", "5")
        await settle(pilot)
        alert_rows = app.screen.query_one("#alerts-table", FastTable)
        keys = {alert_rows.row_key(index) for index in range(alert_rows.row_count)}
        assert not any(key and key.startswith("silence:") and key.endswith(str(seeded["silent"])) for key in keys)
    assert silence_ids() == set()


@sync
async def test_snooze_an_alert(engine: Any, db_url: str, seeded: dict[str, int]) -> None:
    from sqlalchemy import select

    from amtui.models import AlertMark
    from amtui.screens.alerts import AlertsScreen
    from amtui.screens.forms import DateForm

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
        assert isinstance(app.screen, AlertsScreen)
        assert target.id not in {a.id for a in app.screen.alerts}
    marks = stored(engine, select(AlertMark).where(AlertMark.alert_id == target.id))
    assert marks[0][0].state == "snoozed"
    assert marks[0][0].snoozed_until == date(2026, 12, 2)


@sync
async def test_answer_an_unanswered_message_from_the_alerts(engine: Any, db_url: str, seeded: dict[str, int]) -> None:
    from sqlalchemy import select

    from amtui.models import Interaction
    from amtui.screens.alerts import AlertsScreen
    from amtui.services import interactions

    with session_scope(engine) as session:
        message = interactions.log_interaction(
            session=session, client_id=seeded["romashka"], kind="email", direction="inbound", needs_reply=True,
            at=FROZEN_NOW - timedelta(days=2), subject="Запрос КП",
        )  # fmt: skip
    app = make_app(db_url)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AlertsScreen)
        table = screen.query_one("#alerts-table", FastTable)
        table.focus()
        table.move_cursor(row=table.get_row_index(f"silence:{seeded['silent']}"))
        await pilot.press("a")  # not a message: nothing happens but a hint
        await settle(pilot)
        assert any("unanswered message" in str(n.message) for n in app._notifications)
        table.move_cursor(row=table.get_row_index(f"reply:{message.id}"))
        await pilot.press("a")
        await settle(pilot)
        assert f"reply:{message.id}" not in {a.id for a in screen.alerts}
    [(answered,)] = stored(engine, select(Interaction).where(Interaction.id == message.id))
    assert answered.replied_at is not None and not answered.needs_reply
    [(reply,)] = stored(
        engine, select(Interaction).where(Interaction.direction == "outbound", Interaction.kind == "email")
    )
    assert (reply.client_id, reply.subject, reply.status) == (seeded["romashka"], "Re: Запрос КП", "done")


@sync
async def test_drop_a_task_and_undo_it_from_the_tasks_screen(engine: Any, db_url: str, seeded: dict[str, int]) -> None:
    from sqlalchemy import select

    from amtui.models import Task
    from amtui.screens.tasks import TasksScreen
    from amtui.services import tasks

    with session_scope(engine) as session:
        kept = tasks.create_task(
            session=session, title="Отправить КП", now=FROZEN_NOW, zone=ZONE, due_on=date(2026, 11, 27)
        )
        stale = tasks.create_task(
            session=session, title="Устарело", now=FROZEN_NOW, zone=ZONE, due_on=date(2026, 11, 20)
        )

    def status(task_id: int) -> str:
        return str(stored(engine, select(Task.status).where(Task.id == task_id))[0][0])

    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TasksScreen)
        table = screen.query_one("#tasks-table", FastTable)
        table.focus()
        table.move_cursor(row=table.get_row_index(str(stale.id)))
        await pilot.press("x")
        await settle(pilot)
        assert [t.id for t in screen.tasks] == [kept.id]
        assert status(stale.id) == "cancelled"
        await pilot.press("u")
        await settle(pilot)
        assert {t.id for t in screen.tasks} == {kept.id, stale.id}
    assert (status(stale.id), status(kept.id)) == ("open", "open")


@sync
async def test_search_finds_cyrillic_names_typed_in_lower_case(db_url: str, seeded: dict[str, int]) -> None:

    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen, table = await open_clients(pilot)
        assert table.row_count == 3
        await pilot.press("slash", *"северсталь")
        await pilot.pause()
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["АО «Северсталь»"]
        await type_into(pilot, screen.query_one("#clients-search", Input), "STRASSE")
        await pilot.pause()
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["Müller Straße GmbH"]
        await pilot.press("escape", "enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ClientCardScreen"


@sync
async def test_a_bad_date_is_rejected_and_the_form_keeps_its_input(
    engine: Any, db_url: str, seeded: dict[str, int]
) -> None:
    from sqlalchemy import func, select

    from amtui.models import Interaction
    from amtui.screens.forms import InteractionForm

    def count() -> int:
        return int(stored(engine, select(func.count(Interaction.id)))[0][0])

    before = count()
    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        app.open_client(seeded["romashka"])
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, InteractionForm)
        await type_into(pilot, form.query_one("#f-subject").query_one(Input), "Обсудить договор")
        when = form.query_one("#f-when")
        await type_into(pilot, when.query_one(Input), "32.13")
        await pilot.pause()
        assert when.has_class("-invalid")
        assert "32.13" in str(when.query_one(".field--error").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert count() == before
        assert form.query_one("#f-subject").query_one(Input).value == "Обсудить договор"
        await type_into(pilot, when.query_one(Input), "завтра 11:00")
        await pilot.pause()
        assert not when.has_class("-invalid")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not form
    assert count() == before + 1
    rows = stored(engine, select(Interaction).where(Interaction.subject == "Обсудить договор"))
    assert rows[0][0].planned_at.replace(tzinfo=UTC) == datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


@sync
async def test_command_palette_opens_a_client_by_name(db_url: str, seeded: dict[str, int]) -> None:
    from amtui.screens.client_card import ClientCardScreen

    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"müller")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ClientCardScreen)
        assert app.screen.client_id == seeded["muller"]


@sync
async def test_clients_table_keys_sorting_and_paging_over_many_clients(engine: Any, db_url: str) -> None:
    """The Clients table draws only what is visible but all rows are reachable and sortable."""
    from amtui.services import clients

    with session_scope(engine) as session:
        for number in range(150):
            clients.create_client(session=session, name=f"Клиент {number:03d} [опт]", tier="ABC"[number % 3])
    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen, table = await open_clients(pilot)
        assert table.row_count == 150
        # A "[" in a name is text, not markup.
        assert str(table.get_row_at(0)[0]) == "Клиент 000 [опт]"
        await pilot.press("end")
        assert table.cursor_row == 149
        assert screen.selected_client_id() == int(table.row_key(149) or 0)
        assert table.scroll_y > 100  # scrolled to keep the cursor visible
        await pilot.press("home", "down", "down")
        assert str(table.get_row_at(table.cursor_row)[0]) == "Клиент 002 [опт]"
        # Clicking the Tier header sorts by tier; clicking again reverses.
        await pilot.click(table, offset=(30, 0))
        await pilot.pause()
        assert screen.sort_column == "tier"
        tiers = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert tiers == sorted(tiers)
        await pilot.click(table, offset=(30, 0))
        await pilot.pause()
        assert [str(table.get_row_at(i)[1]) for i in range(table.row_count)] == sorted(tiers, reverse=True)
        await pilot.press("slash", *"клиент 14")
        await pilot.pause()
        # Every word must occur: 014, 114 and 140-149.
        names = sorted(str(table.get_row_at(i)[0]) for i in range(table.row_count))
        expected = sorted(f"Клиент {n:03d} [опт]" for n in range(150) if "14" in f"{n:03d}")
        assert names == expected and len(names) == 12
        await pilot.press("escape")
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ClientCardScreen"


@sync
async def test_switching_back_keeps_the_screen_but_follows_a_theme_change(db_url: str, seeded: dict[str, int]) -> None:
    """Screens are kept between switches (no reload, no re-styling) yet a theme change reaches them."""
    from amtui.widgets.footer import StableFooter

    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        clients_screen, table = await open_clients(pilot)
        footer = clients_screen.query_one(StableFooter)
        keys_before = list(footer.children)
        assert any("Sort" in str(key.render()) for key in keys_before)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert app.screen is clients_screen
        # Same bindings: the footer kept its key widgets instead of rebuilding them.
        assert list(footer.children) == keys_before
        dark_background = table.rich_style.bgcolor
        await pilot.press("1")
        await settle(pilot)
        app.theme = "textual-light"
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert table.rich_style.bgcolor != dark_background
        # Focus moves into the search box: the footer shows that widget's keys now.
        await pilot.press("slash")
        await settle(pilot)
        assert list(footer.children) != keys_before


@sync
async def test_today_shows_loading_then_caps_long_sections(engine: Any, db_url: str) -> None:
    """Today first shows "Loading…" in the slow sections, then at most a screenful per section."""
    from textual.widgets import OptionList

    from amtui.screens.today import MAX_OVERDUE_CLIENTS, TodayScreen
    from amtui.services import clients, interactions

    with session_scope(engine) as session:
        for number in range(MAX_OVERDUE_CLIENTS + 5):
            client = clients.create_client(session=session, name=f"Молчун {number:02d}", tier="A")
            interactions.log_interaction(
                session=session, client_id=client.id, kind="call", at=FROZEN_NOW - timedelta(days=90)
            )
    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        # The screen's own first read done first: a quick read could otherwise land before the first step
        # shown below and leave it on screen (a race the faster alert engine made likely on a busy machine).
        await settle(pilot)
        first = app.workspace.today_first()
        assert not first.complete
        screen.show(first)  # what the first step shows
        option_list = screen.query_one("#today-list", OptionList)
        prompts = [str(option_list.get_option_at_index(i).prompt) for i in range(option_list.option_count)]
        assert prompts.count("  Loading…") == 3
        screen.reload()  # the read from the first step on, as on a first show: the rest arrives
        await settle(pilot)
        assert screen.data is not None and screen.data.complete
        prompts = [str(option_list.get_option_at_index(i).prompt) for i in range(option_list.option_count)]
        assert "  Loading…" not in prompts
        assert f"Clients overdue for contact ({MAX_OVERDUE_CLIENTS + 5})" in prompts
        assert sum(1 for p in prompts if "Молчун" in p) == MAX_OVERDUE_CLIENTS
        assert "  … and 5 more (see Alerts)" in prompts
