"""A read-only look at one timeline entry (a call, an e-mail, a message…): Esc or Enter closes it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from amtui.screens.base import local

if TYPE_CHECKING:
    from datetime import tzinfo

    from amtui.services.schemas import InteractionRead


class InteractionDetails(ModalScreen[None]):
    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="details.close"),
        Binding("enter", "close", "Close", show=False, id="details.close"),
    ]

    def __init__(self, item: InteractionRead, *, zone: tzinfo) -> None:
        super().__init__()
        self.item = item
        self.zone = zone

    def compose(self) -> ComposeResult:
        item = self.item
        with VerticalScroll(classes="details"):
            yield Label(f"{item.kind.title()} with {item.client_name}", classes="details--title", markup=False)
            rows = [
                ("Status", item.status),
                ("Direction", item.direction),
                ("Planned", local(item.planned_at, self.zone, "%a %d.%m.%Y %H:%M")),
                ("Done", local(item.done_at, self.zone, "%a %d.%m.%Y %H:%M")),
                ("Duration", f"{item.duration_min} min" if item.duration_min else ""),
                ("Place", ", ".join(part for part in (item.place, item.city) if part)),
                ("With", ", ".join(item.contact_names)),
                ("Subject", item.subject or ""),
                ("Outcome", item.outcome or ""),
                ("Needs a reply", "yes" if item.needs_reply else ""),
            ]
            lines = Text()
            for name, value in rows:
                if value:
                    lines.append(f"{name:<14}", style="dim")
                    lines.append(f"{value}\n")
            yield Static(lines, id="details-lines")
            yield Label("Esc to close", classes="details--hint")

    def action_close(self) -> None:
        self.dismiss(None)
