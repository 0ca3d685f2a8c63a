"""The Clients screen's first visit at any size: the first rows of its order are read alone and shown
while the whole portfolio is read; then the whole list, in the same order, the cursor on the same client."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from textual.widgets import Input, Static

from amtui.db import session_scope
from amtui.services.text import fold
from amtui.widgets.fast_table import FastTable
from tests.conftest import FROZEN_NOW, ZONE
from tests.pilot import open_clients, settle
from tests.test_tui import make_app, sync

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

FROZEN_TODAY = FROZEN_NOW.astimezone(ZONE).date()
NAMES = ["ООО «Ёлка»", "ООО «Елка»", "Acme", "acme", "АО «Берёза»", 'ООО "Берёза"', "Zeta [опт]", "Straße AG"]


def _seed(engine: Any) -> None:
    from amtui.services import clients

    with session_scope(engine) as session:
        for number, name in enumerate(NAMES * 2 + [f"Клиент {n:03d}" for n in range(40)]):
            city = ("Москва", "Санкт-Петербург", None)[number % 3]
            segment = ("Опт", None)[number % 2]
            clients.create_client(session=session, name=name, tier="ABC"[number % 3], city=city, segment=segment)


def _names(table: FastTable) -> list[str]:
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


@sync
async def test_first_rows_then_the_whole_portfolio_in_the_same_order(
    engine: Any, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import amtui.screens.clients as clients_screen_module
    from amtui.screens.clients import ClientsScreen
    from amtui.services.workspace import Workspace

    _seed(engine)
    monkeypatch.setattr(clients_screen_module, "FIRST_ROWS", 10)
    release = threading.Event()
    whole_list = Workspace.client_list

    def held_back(self: Workspace) -> Any:
        assert release.wait(30)
        return whole_list(self)

    monkeypatch.setattr(Workspace, "client_list", held_back)
    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        screen = app.screen
        assert isinstance(screen, ClientsScreen)
        table = screen.query_one("#clients-table", FastTable)
        for _ in range(200):
            if table.row_count:
                break
            await asyncio.sleep(0.02)
        with session_scope(engine) as session:
            from amtui.services import clients

            rows = clients.list_clients(session=session, today=FROZEN_TODAY, zone=ZONE, ordered=False)
        order = sorted(rows, key=lambda row: (row.name_folded, row.id))
        # The first rows only, in the final order; the status line says the rest is coming.
        assert table.row_count == 10
        assert _names(table) == [row.name for row in order[:10]]
        assert not screen.has_loaded
        assert str(screen.query_one("#clients-status-line", Static).render()) == "Loading…"
        await pilot.press("down", "down")
        chosen = table.cursor_key
        assert chosen == str(order[2].id)
        release.set()
        await settle(pilot)
        assert screen.has_loaded
        assert _names(table) == [row.name for row in order]
        # Ё is read as Е (the stored folded name): «Ёлка» beside «Елка», not after Я.
        spruce = [index for index, name in enumerate(_names(table)) if name.endswith("лка»")]
        assert len(spruce) == 4 and spruce == list(range(spruce[0], spruce[0] + 4))
        assert table.cursor_key == chosen  # the same client under the cursor
        assert str(screen.query_one("#clients-status-line", Static).render()).startswith(f"{len(order)} of ")
        # The search keys equal folding name, city and segment together (the old way).
        by_id = {row.id: row for row in order}
        expected = [fold(f"{c.name} {c.city or ''} {c.segment or ''}") for c in (by_id[c.id] for c in screen.clients)]
        assert screen.folded == expected
        # Sorting: the name order reversed, then by tier with ties in the name order.
        screen.action_reverse()
        assert _names(table) == [row.name for row in reversed(order)]
        screen.sort_column, screen.sort_reverse = "tier", False
        screen.refilter()
        assert _names(table) == [row.name for row in sorted(order, key=lambda row: row.tier)]
        search = screen.query_one("#clients-search", Input)
        search.value = "ЕЛКА москва"
        await pilot.pause()
        assert sorted(_names(table)) == sorted(
            row.name for row in order if "елка" in row.name_folded and row.city == "Москва"
        )
        assert table.row_count == 2  # «Ёлка» and «Елка» in Moscow


@sync
async def test_new_data_keeps_the_client_under_the_cursor_without_making_every_row(engine: Any, db_url: str) -> None:
    import dataclasses

    _seed(engine)
    app = make_app(db_url)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen, table = await open_clients(pilot)
        await pilot.press("end")
        chosen = table.cursor_key
        assert table.cursor_row == table.row_count - 1 == len(screen.clients) - 1
        # Another program wrote: a new list (one figure changed) comes in.
        changed = [dataclasses.replace(screen.clients[0], receivables_minor=1), *screen.clients[1:]]
        screen.loaded((changed, screen.today, list(screen.folded)))
        assert screen.clients is changed
        assert table.cursor_key == chosen and table.cursor_row == table.row_count - 1
        assert len(table._rows) < 10  # found by id: no cells made for the rows on the way


@sync
async def test_search_keys_filter_in_their_own_frame_and_redraw_what_changed(
    engine: Any, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each key filters the rows as the value changes (before the frame that echoes it), with no layout
    of the screen; typed and erased in any order, the rows are those of a fresh filter of the whole list
    (the kept answers of earlier queries, a query typed on narrowing one of them); rows drawn for an
    earlier query are not made again; the scrollbar knows the new row count."""
    import random

    from textual.screen import Screen

    _seed(engine)
    app = make_app(db_url)
    # A short table (5 rows): its scrollbar's thumb stays one cell at the top over 25 rows and more.
    async with app.run_test(size=(100, 12)) as pilot:
        await settle(pilot)
        screen, table = await open_clients(pilot)
        search = screen.query_one("#clients-search", Input)
        monkeypatch.setattr(screen, "start_search", lambda: None)  # the in-memory filter alone
        layouts: list[Screen[Any]] = []
        lay_out = Screen._refresh_layout
        monkeypatch.setattr(
            Screen, "_refresh_layout", lambda self, *a, **k: (layouts.append(self), lay_out(self, *a, **k))[1]
        )
        made: list[int] = []
        make_row = screen.make_row
        monkeypatch.setattr(screen, "make_row", lambda client: (made.append(client.id), make_row(client))[1])

        def fresh() -> list[str]:
            words = fold(search.value).split()
            return [
                c.name for c, key in zip(screen.clients, screen.folded, strict=True) if all(w in key for w in words)
            ]

        for char in "кли":  # 40+ rows each, more than the table shows: the scrollbar stays as it was
            search.insert_text_at_cursor(char)
            assert _names(table) == fresh()  # already filtered: no message, no frame in between
            await settle(pilot)
        assert not layouts
        bar = table.vertical_scrollbar
        assert bar.window_size * bar.size.height <= table.row_count  # the thumb at its smallest
        assert bar.window_virtual_size == table.row_count + 1
        made.clear()
        for _ in "кли":
            search.action_delete_left()
            await settle(pilot)
        assert search.value == "" and table.row_count == len(screen.clients)
        assert not made  # every line shown on the way back was drawn before
        assert not layouts
        steps = random.Random(15)
        for step in range(120):
            if search.value and steps.random() < 0.4:
                search.action_delete_left()
            else:
                search.insert_text_at_cursor(steps.choice("клиеё ант0"))
            assert _names(table) == fresh(), search.value
            if step % 20 == 0:
                await settle(pilot)
            if table.show_vertical_scrollbar:
                assert table.vertical_scrollbar.window_virtual_size == table.row_count + 1
