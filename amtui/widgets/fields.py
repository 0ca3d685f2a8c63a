"""Form fields that validate as the user types and show the reason under the input."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from amtui.i18n import _
from amtui.widgets.keys_in_order import OrderedInput

Check = Callable[[str], Any]


def error_text(exc: Exception) -> str:
    """The user-facing reason of a validation failure (without the field prefix)."""
    return str(getattr(exc, "reason", None) or exc)


class Field(Vertical):
    """A labelled input with an error line. ``check(text)`` returns the parsed value or raises."""

    DEFAULT_CSS = """
    Field { height: auto; margin: 0 0 0 0; }
    Field > .field--label { color: $text-muted; height: 1; }
    Field > Input { height: 3; }
    Field > .field--error { color: $text-error; height: auto; display: none; }
    Field.-invalid > .field--error { display: block; }
    Field.-invalid > Input { border: tall $error; }
    """

    def __init__(
        self,
        label: str,
        value: str | None = "",
        *,
        placeholder: str = "",
        check: Check | None = None,
        required: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.label = label
        # A new record's empty fact comes as None: the field starts empty, and untouched is unchanged.
        self._initial = value or ""
        self._placeholder = placeholder
        self._check = check
        self.required = required
        self.parsed: Any = None

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="field--label", markup=False)
        yield OrderedInput(self._initial, placeholder=self._placeholder)
        yield Static("", classes="field--error", markup=False)

    @property
    def initial(self) -> str:
        """The text the field started with (what "unsaved changes" compare against)."""
        return self._initial

    @initial.setter
    def initial(self, text: str) -> None:
        self._initial = text

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def value(self) -> str:
        return self.input.value

    @value.setter
    def value(self, text: str) -> None:
        self.input.value = text

    def on_mount(self) -> None:
        if self._initial:
            self.validate(quiet_when_empty=True)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.validate(quiet_when_empty=True)

    def show_error(self, message: str | None) -> None:
        self.query_one(".field--error", Static).update(message or "")
        self.set_class(bool(message), "-invalid")

    def validate(self, *, quiet_when_empty: bool = False) -> bool:
        """Parse the text; show why it is wrong. An empty optional field is valid (None)."""
        text = self.value.strip()
        if not text:
            self.parsed = None
            if self.required and not quiet_when_empty:
                self.show_error(_("{field} is required").format(field=self.label))
                return False
            self.show_error(None)
            return not self.required or quiet_when_empty
        if self._check is None:
            self.parsed = text
            self.show_error(None)
            return True
        try:
            self.parsed = self._check(text)
        except Exception as exc:  # the checkers raise ValidationError/ValueError with a readable reason
            self.parsed = None
            self.show_error(error_text(exc))
            return False
        self.show_error(None)
        return True


class DateField(Field):
    """A date (or date and time) in any form ``services.dates`` reads: ISO, 27.11, завтра, +3d, пт 10:00."""

    def __init__(
        self,
        label: str,
        value: str = "",
        *,
        now: Callable[[], datetime],
        zone: Any,
        with_time: bool = False,
        default_time: time | None = None,
        required: bool = False,
        past: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        self._now = now
        self._zone = zone
        self.with_time = with_time
        self._default_time = default_time
        # What is being entered happened (a logged call): "пт" is last Friday, "31.01" last January.
        self.past = past
        hint = _("27.11 10:00, tomorrow 9:30, пт 15:00") if with_time else _("27.11.2026, tomorrow, +3d, пт")
        super().__init__(label, value, placeholder=hint, check=self._parse, required=required, id=id, classes=classes)

    def _parse(self, text: str) -> date | datetime:
        from amtui.services import dates

        now = self._now()
        prefer: dates.Prefer = "past" if self.past else "future"
        if self.with_time:
            return dates.parse_datetime(
                text, now=now, zone=self._zone, default_time=self._default_time, field=self.label, prefer=prefer
            )
        return dates.parse_date(text, today=now.astimezone(self._zone).date(), field=self.label, prefer=prefer)

    @property
    def in_the_past(self) -> bool:
        """A time is read and it has gone by (a form planning something asks before saving it)."""
        from amtui.services.dates import is_past

        return isinstance(self.parsed, datetime) and is_past(self.parsed, self._now())

    def show_error(self, message: str | None) -> None:
        super().show_error(message)
        if message is None and self.parsed is not None:
            # Echo how the text was read, so "пт" or "+3d" is never a surprise.
            shown = self.parsed.astimezone(self._zone) if isinstance(self.parsed, datetime) else self.parsed
            fmt = "%d.%m.%Y %H:%M" if isinstance(shown, datetime) else "%d.%m.%Y"
            gone = "  " + _("(in the past)") if self.in_the_past and not self.past else ""
            read = f"{_weekday(shown)} {shown.strftime(fmt)}"
            self.query_one(".field--label", Label).update(f"{self.label}  → {read}{gone}")
        else:
            self.query_one(".field--label", Label).update(self.label)


def _weekday(value: date) -> str:
    """``Tue`` / ``вт`` / ``mar`` (Babel only outside English)."""
    from amtui.i18n import current_language

    if current_language() == "en":
        return value.strftime("%a")
    from amtui.services.locale_format import format_weekday

    return format_weekday(value)
