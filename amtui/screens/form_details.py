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

from amtui.i18n import N_, _
from amtui.screens.base import local
from amtui.vocabulary import Direction, InteractionKind, InteractionStatus, label

if TYPE_CHECKING:
    from datetime import tzinfo

    from amtui.services.schemas import InteractionRead


class InteractionDetails(ModalScreen[None]):
    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Close"), id="details.close"),
        Binding("enter", "close", N_("Close"), show=False, id="details.close"),
    ]

    def __init__(self, item: InteractionRead, *, zone: tzinfo) -> None:
        super().__init__()
        self.item = item
        self.zone = zone

    def compose(self) -> ComposeResult:
        item = self.item
        with VerticalScroll(classes="details"):
            yield Label(
                _("{kind} with {client}").format(
                    kind=label(InteractionKind, item.kind).capitalize(), client=item.client_name
                ),
                classes="details--title",
                markup=False,
            )
            rows = [
                (_("Status"), label(InteractionStatus, item.status)),
                (_("Direction"), label(Direction, item.direction)),
                (_("Planned"), local(item.planned_at, self.zone, "%a %d.%m.%Y %H:%M")),
                (_("Done"), local(item.done_at, self.zone, "%a %d.%m.%Y %H:%M")),
                (_("Duration"), _("{n} min").format(n=item.duration_min) if item.duration_min else ""),
                (_("Place"), ", ".join(part for part in (item.place, item.city) if part)),
                (_("With"), ", ".join(item.contact_names)),
                (_("Subject"), item.subject or ""),
                (_("Outcome"), item.outcome or ""),
                (_("Needs a reply"), _("yes") if item.needs_reply else ""),
            ]
            lines = Text()
            for name, value in rows:
                if value:
                    lines.append(f"{name:<14}", style="dim")
                    lines.append(f"{value}\n")
            yield Static(lines, id="details-lines")
            yield Label(_("Esc to close"), classes="details--hint")

    def action_close(self) -> None:
        self.dismiss(None)
