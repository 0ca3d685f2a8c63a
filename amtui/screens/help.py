"""Help: every key of every screen, read from the screens' own bindings."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from amtui.i18n import N_, _
from amtui.keys import APP_BINDINGS
from amtui.widgets.footer import describe


def _keys_table(keymap: dict[str, str] | None = None) -> Table:
    """Every binding's keys (as remapped by the user's keymap) and what it does."""
    keymap = keymap or {}
    from amtui.screens.alerts import AlertsScreen
    from amtui.screens.client_card import ClientCardScreen
    from amtui.screens.clients import ClientsScreen
    from amtui.screens.forms import FormScreen
    from amtui.screens.planner import PlannerScreen
    from amtui.screens.report import ReportScreen
    from amtui.screens.tasks import TasksScreen
    from amtui.screens.today import TodayScreen

    table = Table(box=None, padding=(0, 2), expand=True, show_header=False)
    table.add_column("Key", style="bold", no_wrap=True)
    table.add_column("Action")
    sections = [
        (N_("Everywhere"), APP_BINDINGS),
        (N_("Today"), TodayScreen.BINDINGS),
        (N_("Clients"), ClientsScreen.BINDINGS),
        (N_("Client card"), ClientCardScreen.BINDINGS),
        (N_("Planner"), PlannerScreen.BINDINGS),
        (N_("Meeting report"), ReportScreen.BINDINGS),
        (N_("Tasks"), TasksScreen.BINDINGS),
        (N_("Alerts"), AlertsScreen.BINDINGS),
        (N_("Forms"), FormScreen.BINDINGS),
    ]
    for title, bindings in sections:
        table.add_row(f"[u]{_(title)}[/u]", "")
        if title == "Everywhere":
            table.add_row(
                "ctrl+p",
                _(
                    "Command palette: find a client, person, phone, e-mail or INN (paste a number: who is calling?),"
                    " new call/visit/task, go to a screen"
                ),
            )
            table.add_row("esc", _("Back / close"))
        for binding in bindings:
            if isinstance(binding, Binding):
                remapped = keymap.get(binding.id or "")
                key = remapped.replace(",", "/") if remapped else binding.key_display or binding.key
                table.add_row(key, describe(binding.description))
        table.add_row("", "")
    return table


class HelpScreen(ModalScreen[None]):
    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", N_("Close"), id="help.close"),
        Binding("question_mark", "app.pop_screen", N_("Close"), key_display="?", id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(
                _(
                    "[b]amtui keys[/b]  (1/F1 Today · 2/F2 Clients · 3/F3 Planner · 4/F4 Tasks · 5/F5 Alerts"
                    " · 6/F6 Portfolio)"
                )
            )
            yield Static(_keys_table(getattr(self.app, "keymap", None)))
