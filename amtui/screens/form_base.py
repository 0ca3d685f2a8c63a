"""What every modal form shares: Save/Cancel, validation as you type, input kept when a save fails.

Each form lives in its own ``form_<name>.py`` with a ``.tcss`` beside it; this
module's stylesheet lays out the frame they all share.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, Static

from amtui.i18n import N_, _, pgettext
from amtui.screens.base import DbDone, DbFailed, DbMixin, describe_error
from amtui.widgets.fields import DateField, Field

BASE_CSS = Path(__file__).with_suffix(".tcss")


def form_css(module_file: str) -> list[str | PurePath]:
    """A form's stylesheets: the shared frame, then the form's own ``.tcss`` beside its module."""
    return [BASE_CSS, Path(module_file).with_suffix(".tcss")]


class FormScreen(DbMixin, ModalScreen[Any]):
    """A titled form with Save/Cancel; subclasses compose fields and implement ``job``."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [BASE_CSS]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save"), priority=True, id="form.save"),
        Binding("escape", "cancel", N_("Cancel"), id="form.cancel"),
    ]
    TITLE_TEXT = N_("Form")
    saving = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="form"):
            yield Label(self.form_title(), classes="form--title", markup=False)
            yield from self.fields()
            yield Static("", classes="form--error", markup=False)
            with Horizontal(classes="form--buttons"):
                yield Button(_("Save (ctrl+s)"), variant="primary", id="form-save")
                yield Button(_("Cancel (esc)"), id="form-cancel")

    def form_title(self) -> str:
        return _(self.TITLE_TEXT)

    def fields(self) -> ComposeResult:
        yield from ()

    def field(self, field_id: str) -> Field:
        return self.query_one(f"#{field_id}", Field)

    def choice(self, select_id: str) -> str:
        """The value of a ``Select`` as text ("" when blank)."""
        value = self.query_one(f"#{select_id}", Select).value
        return "" if value is Select.NULL else str(value)

    @on(Button.Pressed, "#form-save")
    def save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#form-cancel")
    def cancel_pressed(self) -> None:
        self.action_cancel()

    def on_input_submitted(self) -> None:
        self.action_save()

    def action_cancel(self) -> None:
        """Esc: close at once when nothing was typed, else ask (save / discard / stay)."""
        if not self.changed():
            self.dismiss(None)
            return
        from amtui.screens.form_leave import DISCARD, SAVE, LeaveUnsaved

        def answered(answer: str | None) -> None:
            if answer == SAVE:
                self.action_save()
            elif answer == DISCARD:
                self.dismiss(None)

        self.app.push_screen(LeaveUnsaved(self.form_title()), answered)

    def changed(self) -> bool:
        """Has the user typed anything the form did not start with?"""
        return any(field.value != field.initial for field in self.query(Field))

    def show_error(self, message: str | None) -> None:
        self.query_one(".form--error", Static).update(message or "")

    def action_save(self) -> None:
        fields = list(self.query(Field))
        if not all([field.validate() for field in fields]):  # a list: every field shows its reason
            self.show_error(_("Please correct the marked fields."))
            return
        try:
            job = self.job()
        except Exception as exc:  # a cross-field check failed before any write
            self.show_error(describe_error(exc))
            return
        self.show_error(_("Saving…"))
        if self.saving:  # a second ctrl+s while the first save runs
            return
        self.saving = True
        self.db("save", job)

    def job(self) -> Any:
        raise NotImplementedError

    @on(DbDone)
    def saved(self, message: DbDone) -> None:
        if message.request == "save":
            self.saving = False
            self.finished(message.result)

    def finished(self, result: Any) -> None:
        """The save went through: close with what to tell the user."""
        self.dismiss(result)

    @on(DbFailed)
    def failed(self, event: DbFailed) -> None:
        """Show the reason next to its field when the service names one; keep every input."""
        event.prevent_default()  # not the plain notice of DbMixin
        event.stop()
        self.saving = False
        exc = event.error
        message = describe_error(exc)
        name = getattr(exc, "field", None)
        for field in self.query(Field):
            if name and (field.id == f"f-{name}" or field.label.casefold() == str(name).casefold()):
                field.show_error(getattr(exc, "reason", message))
        self.show_error(message)
        if not name:  # not the user's input (a locked database, say): a notice too, the form stays
            self.notify(message, severity="error", timeout=8)

    def date_field(
        self, label: str, value: str = "", *, field_id: str, with_time: bool = False, **kw: Any
    ) -> DateField:
        ws = self.workspace
        return DateField(label, value, now=ws.now, zone=ws.zone, with_time=with_time, id=field_id, **kw)


def typed_word(word: str) -> str:
    """A date word as the user would type it in the interface language (the parser reads all three)."""
    words = {
        "now": pgettext("typed date", "now"),
        "today": pgettext("typed date", "today"),
        "tomorrow": pgettext("typed date", "tomorrow"),
    }
    return words[word]


def language_options() -> list[tuple[str, str]]:
    """The languages a document can go out in, each named in its own language."""
    from amtui.i18n import LANGUAGE_NAMES

    return [(name, code) for code, name in LANGUAGE_NAMES.items()]


def translated(options: Sequence[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Choices marked with ``N_`` where they are defined, shown in the interface language."""
    return [(_(label) if label else label, value) for label, value in options]


def labelled_select(
    label: str,
    options: Sequence[tuple[str, str]],
    value: Any,
    *,
    select_id: str,
    allow_blank: bool = False,
    prompt: str = "—",
) -> Vertical:
    """A ``Select`` with its label above, like the text fields; ``None`` selects the blank."""
    chosen = Select.NULL if value is None else value
    return Vertical(
        Label(label, classes="field--label"),
        Select(translated(options), value=chosen, allow_blank=allow_blank, prompt=prompt, id=select_id),
        classes="form--choice",
    )


# Checkers for Field(check=...): return the parsed value or raise with a readable reason.


def minutes(text: str) -> int:
    from amtui.services.dates import parse_duration

    return parse_duration(text)


def days(text: str) -> int:
    if not text.strip().isdigit():
        raise ValueError(_("a whole number of days"))
    value = int(text)
    if not 1 <= value <= 3650:
        raise ValueError(_("between 1 and 3650 days"))
    return value


def whole_number(low: int, high: int, unit: str = "") -> Any:
    def check(text: str) -> int:
        cleaned = text.strip().rstrip("%").strip()
        if not cleaned.lstrip("-").isdigit() or not low <= int(cleaned) <= high:
            raise ValueError(_("a whole number from {low} to {high}{unit}").format(low=low, high=high, unit=unit))
        return int(cleaned)

    return check


def money_text(minor: int | None) -> str:
    """Minor units as the amount fields take them back: ``412 500,50`` (no currency)."""
    from amtui.services.text import format_money

    return format_money(minor).rsplit(" ", 1)[0] if minor is not None else ""


def amount(text: str) -> int:
    """Money in minor units from ``412 500,50`` and the like."""
    from amtui.services.text import parse_money

    value = parse_money(text)
    if value <= 0:
        raise ValueError(_("the amount must be positive"))
    return value


def split_list(text: str) -> list[str]:
    """Several values typed comma-separated, semicolon-separated or one per line."""
    return [part.strip() for part in re.split(r"[,;\n]", text) if part.strip()]
