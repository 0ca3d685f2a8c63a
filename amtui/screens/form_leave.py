"""Leaving a form or a report with unsaved changes: save, discard or stay."""

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

SAVE, DISCARD, STAY = "save", "discard", "stay"


class LeaveUnsaved(ModalScreen[str]):
    """Dismissed with "save", "discard" or "stay" (Esc stays: nothing typed is lost by accident)."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "answer('save')", N_("Save"), id="leave.save"),
        Binding("d", "answer('discard')", N_("Discard"), id="leave.discard"),
        Binding("escape", "answer('stay')", N_("Stay"), key_display="Esc", id="leave.stay"),
    ]

    def __init__(self, what: str = N_("this form")) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(classes="confirm"):
            yield Label(
                _("Leave {what}? There are unsaved changes.").format(what=_(self.what)),
                classes="confirm--question",
                markup=False,
            )
            with Horizontal(classes="confirm--buttons"):
                yield Button(_("Save (s)"), variant="primary", id="leave-save")
                yield Button(_("Discard (d)"), variant="error", id="leave-discard")
                yield Button(_("Stay (Esc)"), id="leave-stay")

    def on_mount(self) -> None:
        self.query_one("#leave-stay", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "leave-stay").removeprefix("leave-"))

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)


class RestoreDraft(ModalScreen[bool]):
    """A draft was left unsaved (a crash, a closed terminal): True restores it, False throws it away."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "answer(True)", N_("Restore"), id="draft.restore"),
        Binding("d", "answer(False)", N_("Discard"), id="draft.discard"),
    ]

    def __init__(self, when: str) -> None:
        super().__init__()
        self.when = when

    def compose(self) -> ComposeResult:
        with Vertical(classes="confirm"):
            yield Label(
                _("An unsaved draft of this report was kept ({when}).").format(when=self.when),
                classes="confirm--question",
                markup=False,
            )
            with Horizontal(classes="confirm--buttons"):
                yield Button(_("Restore (r)"), variant="primary", id="draft-restore")
                yield Button(_("Discard (d)"), variant="error", id="draft-discard")

    def on_mount(self) -> None:
        self.query_one("#draft-restore", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "draft-restore")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
