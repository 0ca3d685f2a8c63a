"""A question with a few answers, each on a key: "this one or the following?", "was the client told?"."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from amtui.i18n import _


class Question(ModalScreen[str | None]):
    """Dismissed with the chosen answer's value (None: Esc, nothing done). ``answers``: (key, label, value)."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "answer_none", "Back", key_display="Esc", id="question.back"),
    ]

    def __init__(self, question: str, answers: Sequence[tuple[str, str, str]], detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.answers = tuple(answers)

    def compose(self) -> ComposeResult:
        with Vertical(classes="question"):
            yield Label(self.question, classes="question--text", markup=False)
            if self.detail:
                yield Label(self.detail, classes="question--detail", markup=False)
            with Horizontal(classes="question--buttons"):
                for key, label, value in self.answers:
                    yield Button(f"{label} ({key})", id=f"answer-{value}")

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def on_key(self, event: events.Key) -> None:
        key = event.character or event.key
        for answer_key, _label, value in self.answers:
            if key == answer_key:
                event.stop()
                self.dismiss(value)
                return

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("answer-"))

    def action_answer_none(self) -> None:
        self.dismiss(None)


def this_or_following() -> Question:
    return Question(
        _("A repeating one: change this one only, or this and the following?"),
        [("t", _("This one"), "this"), ("f", _("This and following"), "following")],
    )


def client_told(promise: str) -> Question:
    return Question(
        _("The client was promised this. Was the client told of the new date?"),
        [("y", _("Told"), "told"), ("n", _("Not yet: add a task"), "not-told")],
        detail=promise,
    )
