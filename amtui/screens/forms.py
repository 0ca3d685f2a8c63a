"""Modal forms: plan/log an interaction, add a task or a note, edit a client, pick a date.

Every form validates as the user types, keeps what was typed when a save fails
(bad input or a locked database), and dismisses with a one-line summary.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Label, Select, Static

from amtui.screens.base import DbMixin, describe_error
from amtui.widgets.fields import DateField, Field

if TYPE_CHECKING:
    from amtui.ui_services import Backend

KINDS = [("Call", "call"), ("Visit", "visit"), ("Meeting", "meeting"), ("E-mail", "email"), ("Message", "message")]


class FormScreen(DbMixin, ModalScreen[Any]):
    """A titled form with Save/Cancel; subclasses compose fields and implement ``job``."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]
    TITLE_TEXT = "Form"

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="form"):
            yield Label(self.form_title(), classes="form--title")
            yield from self.fields()
            yield Static("", classes="form--error")
            with Horizontal(classes="form--buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="form-save")
                yield Button("Cancel (esc)", id="form-cancel")

    def form_title(self) -> str:
        return self.TITLE_TEXT

    def fields(self) -> ComposeResult:
        yield from ()

    def field(self, field_id: str) -> Field:
        return self.query_one(f"#{field_id}", Field)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "form-save":
            self.action_save()
        elif event.button.id == "form-cancel":
            self.action_cancel()

    def on_input_submitted(self) -> None:
        self.action_save()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def show_error(self, message: str | None) -> None:
        self.query_one(".form--error", Static).update(message or "")

    def action_save(self) -> None:
        fields = list(self.query(Field))
        if not all([field.validate() for field in fields]):  # a list: every field shows its reason
            self.show_error("Please correct the marked fields.")
            return
        try:
            job = self.job()
        except Exception as exc:  # a cross-field check failed before any write
            self.show_error(describe_error(exc))
            return
        self.show_error("Saving…")
        self.db(job, self.saved, self.failed, group="form-save", exclusive=True)

    def job(self) -> Any:
        raise NotImplementedError

    def saved(self, summary: Any) -> None:
        self.dismiss(summary)

    def failed(self, exc: Exception) -> None:
        """Show the reason next to its field when the service names one; keep every input."""
        message = describe_error(exc)
        name = getattr(exc, "field", None)
        for field in self.query(Field):
            if name and (field.id == f"f-{name}" or field.label.casefold() == str(name).casefold()):
                field.show_error(getattr(exc, "reason", message))
        self.show_error(message)

    def date_field(
        self, label: str, value: str = "", *, field_id: str, with_time: bool = False, **kw: Any
    ) -> DateField:
        backend = self.backend
        return DateField(label, value, now=backend.now, zone=backend.zone, with_time=with_time, id=field_id, **kw)


class ClientField(Field):
    """A client chosen by name, with completion; any case, any script."""

    def __init__(self, names: list[tuple[int, str]], value: str = "", *, id: str | None = None) -> None:
        self.names = names
        super().__init__("Client", value, placeholder="start typing a name", check=self._resolve, required=True, id=id)

    def _resolve(self, text: str) -> int:
        from amtui.services.text import fold

        key = fold(text)
        exact = [cid for cid, name in self.names if fold(name) == key]
        if len(exact) == 1:
            return exact[0]
        partial = [(cid, name) for cid, name in self.names if key in fold(name)]
        if len(partial) == 1:
            return partial[0][0]
        if not partial:
            raise ValueError(f"no client matches {text!r}")
        shown = ", ".join(name for _, name in partial[:4])
        raise ValueError(f"{len(partial)} clients match: {shown}…")

    def on_mount(self) -> None:
        self.input.suggester = SuggestFromList([name for _, name in self.names], case_sensitive=False)
        super().on_mount()


class InteractionForm(FormScreen):
    """Plan a call/visit/meeting, or log one that took place."""

    def __init__(self, *, kind: str = "call", log: bool = False, client_id: int | None = None) -> None:
        super().__init__()
        self.kind = kind
        self.logging = log
        self.client_id = client_id
        self.names: list[tuple[int, str]] = []

    def form_title(self) -> str:
        return ("Log " if self.logging else "Plan ") + {"call": "a call", "visit": "a visit"}.get(self.kind, self.kind)

    def fields(self) -> ComposeResult:
        if self.client_id is None:
            yield Static("Loading clients…", id="f-client-holder")
        yield Select(KINDS, value=self.kind, allow_blank=False, id="f-kind")
        default_when = "now" if self.logging else "tomorrow 10:00"
        yield self.date_field("When", default_when, field_id="f-when", with_time=True, required=True)
        if not self.logging:
            yield Field("Duration (minutes)", "60" if self.kind != "call" else "15", check=_minutes, id="f-duration")
        yield Field("Subject", id="f-subject")
        if self.logging:
            yield Field("Outcome", id="f-outcome")
        else:
            yield Field("Place / city", id="f-place")

    def on_mount(self) -> None:
        if self.client_id is None:
            self.db(lambda backend: backend.client_names(), self.names_loaded)
        else:
            self.field("f-when").input.focus()

    def names_loaded(self, names: list[tuple[int, str]]) -> None:
        self.names = names
        holder = self.query_one("#f-client-holder")
        field = ClientField(names, id="f-client")
        self.query_one(".form").mount(field, before=holder)
        holder.remove()
        self.call_after_refresh(lambda: field.input.focus())

    def job(self) -> Any:
        client_id = self.client_id if self.client_id is not None else self.field("f-client").parsed
        kind = str(self.query_one("#f-kind", Select).value)
        at: datetime = self.field("f-when").parsed
        subject = self.field("f-subject").parsed
        if self.logging:
            outcome = self.field("f-outcome").parsed

            def log(backend: Backend) -> str:
                item = backend.log(client_id=client_id, kind=kind, at=at, subject=subject, outcome=outcome)
                return f"Logged {item.kind} with {item.client_name}"

            return log
        duration = self.field("f-duration").parsed
        place = self.field("f-place").parsed

        def plan(backend: Backend) -> str:
            item = backend.plan(
                client_id=client_id, kind=kind, at=at, duration_min=duration, subject=subject, place=place
            )
            when = item.planned_at.astimezone(backend.zone).strftime("%a %d.%m %H:%M") if item.planned_at else ""
            return f"Planned {item.kind} with {item.client_name}, {when}"

        return plan


def _minutes(text: str) -> int:
    from amtui.services.dates import parse_duration

    return parse_duration(text)


class TaskForm(FormScreen):
    TITLE_TEXT = "New task"

    def __init__(self, *, client_id: int | None = None) -> None:
        super().__init__()
        self.client_id = client_id

    def fields(self) -> ComposeResult:
        yield Field("Title", required=True, id="f-title")
        yield self.date_field("Due", "+7d", field_id="f-due")
        yield Field("Assignee (empty = me)", placeholder="a colleague's name to delegate", id="f-assignee")
        yield Select(
            [("High", "high"), ("Normal", "normal"), ("Low", "low")], value="normal", allow_blank=False, id="f-priority"
        )

    def on_mount(self) -> None:
        self.field("f-title").input.focus()

    def job(self) -> Any:
        values = {
            "title": self.field("f-title").parsed,
            "due_on": self.field("f-due").parsed,
            "assignee": self.field("f-assignee").parsed,
            "priority": str(self.query_one("#f-priority", Select).value),
            "client_id": self.client_id,
        }

        def add(backend: Backend) -> str:
            task = backend.add_task(**values)
            who = f" for {task.assignee}" if task.assignee else ""
            return f"Task added{who}: {task.title}"

        return add


class NoteForm(FormScreen):
    TITLE_TEXT = "Add a note"
    TAGS: ClassVar[list[tuple[str, str]]] = [
        ("General", "general"),
        ("Competitor", "competitor"),
        ("Need", "need"),
        ("Personal", "personal"),
    ]

    def __init__(self, *, client_id: int) -> None:
        super().__init__()
        self.client_id = client_id

    def fields(self) -> ComposeResult:
        yield Field("Note", required=True, id="f-text")
        yield Select(self.TAGS, value="general", allow_blank=False, id="f-tag")

    def on_mount(self) -> None:
        self.field("f-text").input.focus()

    def job(self) -> Any:
        text = self.field("f-text").parsed
        tag = str(self.query_one("#f-tag", Select).value)
        client_id = self.client_id

        def add(backend: Backend) -> str:
            backend.add_note(client_id, text, tag)
            return "Note added"

        return add


class ClientForm(FormScreen):
    TITLE_TEXT = "Edit client"

    def __init__(self, *, client: Any) -> None:
        super().__init__()
        self.client = client

    def fields(self) -> ComposeResult:
        c = self.client
        yield Field("Name", c.name, required=True, id="f-name")
        yield Select([("Tier A", "A"), ("Tier B", "B"), ("Tier C", "C")], value=c.tier, allow_blank=False, id="f-tier")
        statuses = [(s.title(), s) for s in ("prospect", "active", "dormant", "lost")]
        yield Select(statuses, value=c.status, allow_blank=False, id="f-status")
        yield Field("Segment", c.segment or "", id="f-segment")
        yield Field("City", c.city or "", id="f-city")
        cadence = "" if c.cadence_is_default else str(c.cadence_days)
        yield Field("Contact every N days (empty = tier default)", cadence, check=_days, id="f-cadence_days")

    def on_mount(self) -> None:
        self.field("f-name").input.focus()

    def job(self) -> Any:
        changes = {
            "name": self.field("f-name").parsed,
            "tier": str(self.query_one("#f-tier", Select).value),
            "status": str(self.query_one("#f-status", Select).value),
            "segment": self.field("f-segment").parsed,
            "city": self.field("f-city").parsed,
            "cadence_days": self.field("f-cadence_days").parsed,
        }
        client_id = self.client.id

        def save(backend: Backend) -> str:
            client = backend.update_client(client_id, **changes)
            return f"Saved {client.name}"

        return save


def _days(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 3650:
        raise ValueError("between 1 and 3650 days")
    return value


class DateForm(FormScreen):
    """Ask for one date (or date and time); dismisses with the parsed value. No database work."""

    def __init__(self, title: str, *, label: str = "Date", value: str = "", with_time: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.label = label
        self.value = value
        self.with_time = with_time

    def form_title(self) -> str:
        return self.title_text

    def fields(self) -> ComposeResult:
        yield self.date_field(self.label, self.value, field_id="f-date", with_time=self.with_time, required=True)

    def on_mount(self) -> None:
        self.field("f-date").input.focus()

    def action_save(self) -> None:
        field = self.field("f-date")
        if field.validate():
            self.dismiss(field.parsed)
        else:
            self.show_error("Please correct the date.")
