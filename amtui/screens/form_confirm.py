"""Ask before something is deleted: y deletes, n or Esc keeps it."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from amtui.i18n import N_, _


class ConfirmDelete(ModalScreen[bool]):
    """Dismissed with True when the user confirms."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", N_("Delete"), id="confirm.yes"),
        Binding("n,escape", "answer(False)", N_("Keep"), key_display="n/Esc", id="confirm.no"),
    ]

    def __init__(self, what: str, consequence: str = "") -> None:
        super().__init__()
        self.what = what
        self.consequence = consequence

    def compose(self) -> ComposeResult:
        with Vertical(classes="confirm"):
            yield Label(_("Delete {what}?").format(what=self.what), classes="confirm--question", markup=False)
            if self.consequence:
                yield Label(self.consequence, classes="confirm--consequence", markup=False)
            with Horizontal(classes="confirm--buttons"):
                yield Button(_("Delete (y)"), variant="error", id="confirm-yes")
                yield Button(_("Keep (n)"), id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()  # Enter keeps: deleting takes a deliberate y

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
