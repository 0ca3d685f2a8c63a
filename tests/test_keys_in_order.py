"""Keys that reach the app together act in the order they were typed (amtui/widgets/keys_in_order.py): in
a form field, the Clients search box and a report's text area. A plain Textual Input given the same keys
gets them out of order (the reason for these widgets: if Textual ever fixes it, this test says so)."""

from __future__ import annotations

from typing import Any

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input, TextArea

from amtui.db import session_scope
from amtui.widgets.fields import Field
from amtui.widgets.keys_in_order import OrderedInput, OrderedTextArea
from tests.pilot import open_clients, settle
from tests.test_tui import make_app, sync

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

# Typed: "q", a backspace, "wa", the cursor one left, "b": "wba" (one read from the terminal, as a paste,
# tmux or a slow SSH link delivers them).
BURST = [("q", "q"), ("backspace", "\x7f"), ("w", "w"), ("a", "a"), ("left", None), ("b", "b")]


def _type_at_once(app: App[Any], keys: list[tuple[str, str | None]]) -> None:
    for key, character in keys:
        app.post_message(events.Key(key, character))


class _Widgets(App[None]):
    def compose(self) -> ComposeResult:
        yield Input(id="plain")
        yield Field("Name", id="field")
        yield OrderedTextArea(id="area")


@sync
async def test_a_burst_of_keys_acts_in_the_order_typed_in_fields_and_text_areas() -> None:
    app = _Widgets()
    async with app.run_test() as pilot:
        plain = app.query_one("#plain", Input)
        plain.focus()
        _type_at_once(app, BURST)
        await settle(pilot)
        assert plain.value != "wba"  # Textual's own Input: the backspace and the arrow come last

        field = app.query_one("#field", Field)
        assert isinstance(field.input, OrderedInput)
        field.input.focus()
        _type_at_once(app, BURST)
        await settle(pilot)
        assert field.value == "wba"

        area = app.query_one("#area", TextArea)
        area.focus()
        _type_at_once(app, [*BURST, ("enter", "\r"), ("x", "x"), ("backspace", "\x7f"), ("y", "y")])
        await settle(pilot)
        assert area.text == "wb\nya"  # the newline, "x" and its backspace, "y" where the cursor stood: before "a"


@sync
async def test_the_clients_search_filters_what_a_burst_of_keys_spells(engine: Any, db_url: str) -> None:
    from amtui.services import clients
    from amtui.widgets.search_input import SearchInput

    with session_scope(engine) as session:
        for name in ("Ромашка", "Роса", "Вега", "Восток"):
            clients.create_client(session=session, name=name, tier="B")
    app = make_app(db_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen, table = await open_clients(pilot)
        search = screen.query_one("#clients-search", SearchInput)
        search.focus()
        # "ро", a backspace, "во": Восток and nothing else (out of order it read "рво" and found nobody).
        _type_at_once(
            app, [("р", "р"), ("о", "о"), ("backspace", "\x7f"), ("backspace", "\x7f"), ("в", "в"), ("о", "о")]
        )
        await settle(pilot)
        assert search.value == "во"
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["Восток"]
