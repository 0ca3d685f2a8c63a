"""Finding people (issue 10, point 3) and living data (point 5): the palette and the Clients search find
people, phones in any formatting, e-mails and tax ids and say what matched; typos get the nearest names;
another program's writes reach the screen in view without a key press."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from textual.widgets import Input, OptionList, Static

from amtui.db import session_scope
from amtui.models import Interaction
from amtui.services.errors import NotFoundError
from tests.conftest import FROZEN_NOW
from tests.test_tui import make_app, settle, sync, type_into

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


@pytest.fixture
def people(engine: Any) -> dict[str, int]:
    from amtui.services import clients, contacts, interactions

    with session_scope(engine) as session:
        romashka = clients.create_client(session=session, name="ООО «Ромашка»", tier="A", tax_id="7714170755")
        other = clients.create_client(session=session, name="АО «Северсталь»", tier="A")
        gromov = contacts.create_contact(
            session=session,
            client_id=romashka.id,
            full_name="Громов Андрей Николаевич",
            phones=["+7 (495) 957-47-21"],
            emails=["a.gromov@romashka.ru"],
        )
        contacts.create_contact(session=session, client_id=other.id, full_name="Петрова Анна")
        # Ромашка was called two days ago; Северсталь is overdue for contact (a line on Today).
        for client_id, days in ((romashka.id, 2), (other.id, 60)):
            interactions.log_interaction(
                session=session, client_id=client_id, kind="call", at=FROZEN_NOW - timedelta(days=days)
            )
        return {"romashka": romashka.id, "other": other.id, "gromov": gromov.id}


# The service: what matched


@pytest.mark.parametrize(
    ("query", "sentence"),
    [
        ("громов", "Громов Андрей Николаевич, ООО «Ромашка»"),
        ("957 472", "Громов Андрей Николаевич, ООО «Ромашка», +7 495 957-47-21"),
        ("8 (495) 957-47-21", "Громов Андрей Николаевич, ООО «Ромашка», +7 495 957-47-21"),
        ("a.gromov", "Громов Андрей Николаевич, ООО «Ромашка», a.gromov@romashka.ru"),
        ("7714170755", "ООО «Ромашка», INN 7714170755"),
        ("77141707", "ООО «Ромашка», INN 7714170755"),
    ],
)
def test_search_says_what_matched(engine: Any, people: dict[str, int], query: str, sentence: str) -> None:
    from amtui.services.search import search

    with session_scope(engine) as session:
        hits = search(session=session, text=query)
    assert [hit.sentence for hit in hits] == [sentence]
    assert hits[0].client_id == people["romashka"]


@pytest.mark.parametrize("typo", ["рамашка", "ромашкa", "РАМАШКА"])
def test_a_mistyped_client_gets_the_nearest_name(engine: Any, people: dict[str, int], typo: str) -> None:
    from amtui.services.clients import resolve_client

    with session_scope(engine) as session, pytest.raises(NotFoundError) as raised:
        resolve_client(session=session, ref=typo)
    assert "did you mean: ООО «Ромашка»" in str(raised.value)
    assert "Северсталь" not in str(raised.value)


def test_nothing_near_suggests_nothing(engine: Any, people: dict[str, int]) -> None:
    from amtui.services.clients import resolve_client

    with session_scope(engine) as session, pytest.raises(NotFoundError) as raised:
        resolve_client(session=session, ref="zzzzqqq")
    assert "did you mean" not in str(raised.value)


def test_cli_typos_answer_with_the_nearest_names(engine: Any, people: dict[str, int], cli: Any) -> None:
    result = cli("log", "call", "рамашка")
    assert result.exit_code == 1
    assert "did you mean: ООО «Ромашка»?" in result.output
    assert "Traceback" not in result.output

    result = cli("log", "call", "ромашкa")  # a Latin "a" at the end
    assert result.exit_code == 1
    assert "did you mean: ООО «Ромашка»?" in result.output

    result = cli("log", "call", "ромашка", "--contact", "гормов")
    assert result.exit_code == 1
    assert "did you mean: Громов Андрей Николаевич?" in result.output
    with session_scope(engine) as session:  # nothing written by the refused commands
        assert len(session.scalars(select(Interaction)).all()) == 2


# The TUI: the palette and the Clients search


@sync
async def test_a_phone_number_pasted_into_the_palette_opens_the_callers_card(
    db_url: str, people: dict[str, int]
) -> None:
    from textual.command import CommandPalette

    from amtui.screens.client_card import ClientCardScreen

    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        palette.query_one(Input).insert_text_at_cursor("+7 495 957-47-21")  # a paste
        for _ in range(20):
            await settle(pilot)
            options = palette.query_one(OptionList)
            if options.option_count:
                break
        first = str(options.get_option_at_index(0).prompt)
        assert "Громов Андрей Николаевич, ООО «Ромашка», +7 495 957-47-21" in first
        await pilot.press("enter")  # the first hit is highlighted as the answer arrives
        await settle(pilot)
        if not isinstance(app.screen, ClientCardScreen):
            await pilot.press("down", "enter")
            await settle(pilot)
        assert isinstance(app.screen, ClientCardScreen)
        with session_scope(app.workspace.engine) as session:
            from amtui.models import Contact

            assert session.get(Contact, people["gromov"]).client_id == app.screen.client_id  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("typo", "suggestion"),
    [("рамашка", "Did you mean: ООО «Ромашка»?"), ("гормов", "Did you mean: Громов Андрей Николаевич, ООО «Ромашка»?")],
)
@sync
async def test_the_palette_offers_the_nearest_name_for_a_typo(
    db_url: str, people: dict[str, int], typo: str, suggestion: str
) -> None:
    from textual.command import CommandPalette

    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        await pilot.press(*typo)
        prompts: list[str] = []
        for _ in range(20):
            await settle(pilot)
            options = palette.query_one(OptionList)
            prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
            if prompts:
                break
        assert any(prompt.startswith(suggestion) for prompt in prompts), prompts
        first = next(i for i, prompt in enumerate(prompts) if prompt.startswith(suggestion))
        palette.query_one(OptionList).highlighted = first
        await pilot.press("enter")
        await settle(pilot)
        assert getattr(app.screen, "client_id", None) == people["romashka"]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("громов", "found Громов Андрей Николаевич, ООО «Ромашка»"),
        ("957 472", "found Громов Андрей Николаевич, ООО «Ромашка», +7 495 957-47-21"),
        ("a.gromov", "found Громов Андрей Николаевич, ООО «Ромашка», a.gromov@romashka.ru"),
        ("7714170755", "found ООО «Ромашка», INN 7714170755"),
    ],
)
@sync
async def test_clients_search_finds_people_phones_emails_and_tax_ids(
    db_url: str, people: dict[str, int], query: str, found: str
) -> None:
    from amtui.screens.clients import ClientsScreen
    from amtui.widgets.fast_table import FastTable

    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ClientsScreen)
        await pilot.press("slash")
        await type_into(pilot, screen.query_one("#clients-search", Input), query)
        await settle(pilot)
        assert [client.id for client in screen.shown] == [people["romashka"]]
        assert screen.query_one(FastTable).cursor_key == str(people["romashka"])
        line = str(screen.query_one("#clients-status-line", Static).render())
        assert found in line
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert getattr(app.screen, "client_id", None) == people["romashka"]


# Living data


@sync
async def test_another_programs_write_shows_up_on_today_without_a_key(
    engine: Any, db_url: str, people: dict[str, int]
) -> None:
    from amtui.screens.today import TodayScreen
    from amtui.services.workspace import Workspace

    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        options = screen.query_one("#today-list", OptionList)
        options.focus()
        await pilot.press("down")
        assert options.highlighted is not None
        highlighted = options.get_option_at_index(options.highlighted).id
        assert highlighted is not None and "silence" in highlighted, highlighted
        assert app.workspace.watching
        # A second program (its own engine and connection) plans a call for today.
        other = Workspace(db_url, now=lambda: FROZEN_NOW, zone=app.workspace.zone)
        try:
            other.plan(people["other"], kind="call", at=FROZEN_NOW + timedelta(hours=3), subject="Звонок из CLI")
        finally:
            other.close()
        started = time.monotonic()
        texts: list[str] = []
        while time.monotonic() - started < 5:
            await asyncio.sleep(0.2)
            await pilot.pause()
            texts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
            if any("Звонок из CLI" in text for text in texts):
                break
        elapsed = time.monotonic() - started
        assert any("Звонок из CLI" in text for text in texts), texts
        assert elapsed < 3.0
        await settle(pilot)
        # The cursor stayed on the same line.
        assert options.highlighted is not None
        assert options.get_option_at_index(options.highlighted).id == highlighted
    with session_scope(engine) as session:
        subjects = [row.subject for row in session.scalars(select(Interaction))]
    assert "Звонок из CLI" in subjects


@sync
async def test_a_form_keeps_its_input_while_another_program_writes(
    engine: Any, db_url: str, people: dict[str, int]
) -> None:
    from amtui.screens.form_base import FormScreen
    from amtui.screens.today import TodayScreen
    from amtui.services.workspace import Workspace

    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        today = app.screen
        assert isinstance(today, TodayScreen)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        subject = form.query_one("#f-subject").query_one(Input)
        await type_into(pilot, subject, "Обсудить КП")
        other = Workspace(db_url, now=lambda: FROZEN_NOW, zone=app.workspace.zone)
        try:
            other.plan(people["other"], kind="visit", at=FROZEN_NOW + timedelta(hours=4), subject="Визит из CLI")
        finally:
            other.close()
        # The poll that notices the write (every second; test_another_programs_write_shows_up_on_today_
        # without_a_key proves the timer), twice, now rather than after waiting for it.
        for _ in range(2):
            app.watch_database()
            await settle(pilot)
        assert app.screen is form
        assert subject.value == "Обсудить КП"
        await pilot.press("escape")
        await settle(pilot)
        for _ in range(10):
            if not form.is_attached:
                break
            # The form asks save / discard / stay about the typed input: discard it.
            await pilot.press("d" if type(app.screen).__name__ == "LeaveUnsaved" else "escape")
            await settle(pilot)
        assert app.screen is today
        options = today.query_one("#today-list", OptionList)
        texts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("Визит из CLI" in text for text in texts), texts
    with session_scope(engine) as session:
        assert "Визит из CLI" in [row.subject for row in session.scalars(select(Interaction))]


# Small terminals and the card (point 6)


@sync
async def test_tables_drop_low_priority_columns_at_80_columns(db_url: str, people: dict[str, int]) -> None:
    from amtui.screens.clients import ClientsScreen
    from amtui.screens.tasks import TasksScreen
    from amtui.widgets.fast_table import FastTable

    app = make_app(db_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, ClientsScreen)
        table = app.screen.query_one(FastTable)
        shown = [column.key for column in table.columns]
        assert "receivables" in shown and "deals" in shown and "due" in shown
        assert "status" not in shown
        assert sum(column.width + 2 for column in table.columns) <= 78
        header = "".join(segment.text for segment in table.render_line(0))
        assert "Receivables" in header and "Deals" in header and "Status" not in header
        await pilot.press("3")
        await settle(pilot)
        planner = app.screen.query_one(FastTable)
        header = "".join(segment.text for segment in planner.render_line(0))
        assert "Status" in header and "Report" in header and "Place" not in header
        await pilot.press("4")
        await settle(pilot)
        assert isinstance(app.screen, TasksScreen)
        shown = [column.key for column in app.screen.query_one(FastTable).columns]
        assert "check" in shown and "priority" in shown
    async with make_app(db_url).run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        table = pilot.app.screen.query_one(FastTable)
        assert table.columns == table.all_columns  # wide enough: every column at its full width


@sync
async def test_card_keys_jump_between_sections_and_page_down_scrolls(
    engine: Any, db_url: str, people: dict[str, int]
) -> None:
    from textual.containers import VerticalScroll

    from amtui.screens.client_card import ClientCardScreen
    from amtui.services import interactions

    with session_scope(engine) as session:
        for day in range(30):  # a long timeline
            interactions.log_interaction(
                session=session,
                client_id=people["romashka"],
                kind="call",
                at=FROZEN_NOW - timedelta(days=3 + day),
                subject=f"Звонок {day}",
            )
    app = make_app(db_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_client(people["romashka"])
        await settle(pilot)
        card = app.screen
        assert isinstance(card, ClientCardScreen)
        body = card.query_one("#card-body", VerticalScroll)
        assert app.focused is card.query_one("#card-people")
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.focused is card.query_one("#card-timeline")
        assert body.scroll_y > 0
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.focused is card.query_one("#card-money")
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot)
        assert app.focused is card.query_one("#card-people")
        body.scroll_home(animate=False)
        await settle(pilot)
        await pilot.press("pagedown")
        await settle(pilot)
        first = body.scroll_y
        assert first > 0
        await pilot.press("pagedown")
        await settle(pilot)
        assert body.scroll_y > first or body.scroll_y == body.max_scroll_y > 0
        await pilot.press("pageup", "pageup")
        await settle(pilot)
        assert body.scroll_y == 0
        # The footer names the section key; ? lists the page keys.
        shown = {binding.description for _, binding, _, _ in card.active_bindings.values() if binding.show}
        assert {"Section", "Edit", "Deal", "Delete"} <= shown


def test_the_workspace_notices_only_other_programs_writes(db_url: str, people: dict[str, int]) -> None:
    from amtui.services.workspace import Workspace

    mine = Workspace(db_url, now=lambda: FROZEN_NOW)
    other = Workspace(db_url, now=lambda: FROZEN_NOW)
    try:
        assert mine.data_changed() is False  # the first call takes the mark
        assert mine.data_changed() is False
        version = mine.version
        mine.add_note(people["romashka"], "своя запись")
        assert mine.data_changed() is False  # its own write is not news
        other.add_note(people["romashka"], "чужая запись")
        assert mine.data_changed() is True
        assert mine.version == version + 2  # its write, then the other program's
        assert mine.data_changed() is False
    finally:
        mine.close()
        other.close()


@sync
async def test_clients_keep_the_cursor_when_another_program_adds_a_client(
    engine: Any, db_url: str, people: dict[str, int]
) -> None:
    from amtui.screens.clients import ClientsScreen
    from amtui.services.workspace import Workspace
    from amtui.widgets.fast_table import FastTable

    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ClientsScreen)
        table = screen.query_one(FastTable)
        await pilot.press("down")
        before = table.cursor_key
        assert before is not None
        other = Workspace(db_url, now=lambda: FROZEN_NOW)
        try:
            created = other.create_client(name="АА «Первый в списке»", tier="B")
        finally:
            other.close()
        for _ in range(25):
            app.watch_database()  # the timer's poll, now (see test_another_programs_write_shows_up...)
            await settle(pilot)
            if any(client.id == created.id for client in screen.shown):
                break
            await asyncio.sleep(0.2)
        assert screen.shown[0].name == "АА «Первый в списке»"
        assert table.cursor_key == before
    with session_scope(engine) as session:
        from amtui.models import Client

        assert session.get(Client, created.id) is not None


def test_the_tui_client_field_suggests_the_nearest_name() -> None:
    from amtui.screens.form_interaction import ClientField

    field = ClientField([(1, "ООО «Ромашка»"), (2, "АО «Северсталь»")])
    for typo in ("рамашка", "ромашкa"):
        with pytest.raises(ValueError, match="did you mean: ООО «Ромашка»\\?"):
            field._resolve(typo)
    assert field._resolve("ромашка") == 1


def test_postgresql_notices_other_programs_writes(pg_url: str) -> None:
    from amtui.db import open_engine
    from amtui.services.workspace import Workspace

    engine = open_engine(pg_url)
    engine.dispose()
    mine = Workspace(pg_url, now=lambda: FROZEN_NOW)
    other = Workspace(pg_url, now=lambda: FROZEN_NOW)
    try:
        created = other.create_client(name="ООО «Ромашка»")
        assert mine.data_changed() is False  # the first mark
        assert mine.data_changed() is False  # reading is not writing
        other.add_note(created.id, "чужая запись")
        assert mine.data_changed() is True
        mine.add_note(created.id, "своя запись")
        assert mine.data_changed() is False
    finally:
        mine.close()
        other.close()


def test_cli_search_says_what_matched(people: dict[str, int], cli: Any) -> None:
    import json

    result = cli("search", "957 472")
    assert result.exit_code == 0
    assert "Громов Андрей Николаевич" in result.output
    assert "matched +7 495 957-47-21" in result.output
    hits = json.loads(cli("search", "a.gromov", "--json").output)
    assert [(hit["label"], hit["matched"]) for hit in hits] == [("Громов Андрей Николаевич", "a.gromov@romashka.ru")]
