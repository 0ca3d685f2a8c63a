"""Plan a call/visit/meeting, or log one that took place."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.suggester import SuggestFromList
from textual.widgets import Label, Select, Static

from amtui.i18n import N_, _
from amtui.screens.base import DbDone
from amtui.screens.form_base import FormScreen, form_css, minutes, translated, typed_word
from amtui.vocabulary import InteractionKind, label
from amtui.widgets.fields import DateField, Field

if TYPE_CHECKING:
    from amtui.services.workspace import Workspace


def repeat_field(form: FormScreen) -> Field:
    """The plan and task forms' "Repeat" field: empty is once; '2w', 'month x6', 'week until 31.03.2027'."""
    from amtui.i18n import _
    from amtui.services.recurrence import REPEAT_FORMS

    def check(text: str) -> tuple[str, int | None, Any]:
        from amtui.services.recurrence import parse_repeat

        return parse_repeat(text, today=form.workspace.today())

    return Field(_("Repeat (empty: once)"), placeholder=_(REPEAT_FORMS), check=check, id="f-repeat")


def repeat_note(rule: str | None) -> str:
    if not rule:
        return ""
    from amtui.services.recurrence import describe

    return f", {describe(rule)}"


KINDS = [
    (N_("Call"), "call"),
    (N_("Visit"), "visit"),
    (N_("Meeting"), "meeting"),
    (N_("E-mail"), "email"),
    (N_("Message"), "message"),
]


class ClientField(Field):
    """A client chosen by name, with completion; any case, any script."""

    def __init__(
        self, names: list[tuple[int, str]], value: str = "", *, required: bool = True, id: str | None = None
    ) -> None:
        self.names = names
        super().__init__(
            "Client", value, placeholder=_("start typing a name"), check=self._resolve, required=required, id=id
        )

    def set_names(self, names: list[tuple[int, str]]) -> None:
        """The clients to choose from, once read (the field can be typed into before)."""
        self.names = names
        self.input.suggester = SuggestFromList([name for _id, name in names], case_sensitive=False)
        if self.value.strip():
            self.validate(quiet_when_empty=True)

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
            from amtui.services.fuzzy import did_you_mean

            raise ValueError(
                _("no client matches {text}").format(text=repr(text))
                + did_you_mean(text, [name for _, name in self.names])
            )
        shown = ", ".join(name for _, name in partial[:4])
        raise ValueError(_("{n} clients match: {names}…").format(n=len(partial), names=shown))

    def on_mount(self) -> None:
        self.input.suggester = SuggestFromList([name for _, name in self.names], case_sensitive=False)
        super().on_mount()

    def show_error(self, message: str | None) -> None:
        super().show_error(message)
        # Echo which client the text names, so "ромаш" is never a surprise.
        name = next((n for cid, n in self.names if cid == self.parsed), None) if message is None else None
        self.query_one(".field--label", Label).update(f"{self.label}  → {name}" if name else self.label)


class InteractionForm(FormScreen):
    """Plan a call/visit/meeting, or log one that took place."""

    CSS_PATH = form_css(__file__)

    def __init__(self, *, kind: str = "call", log: bool = False, client_id: int | None = None) -> None:
        super().__init__()
        self.kind = kind
        self.logging = log
        self.client_id = client_id
        self.names: list[tuple[int, str]] = []
        self.past_accepted: datetime | None = None  # a past time the user chose to plan anyway

    def form_title(self) -> str:
        kind = label(InteractionKind, self.kind)
        return (_("Log a {kind}") if self.logging else _("Plan a {kind}")).format(kind=kind)

    def fields(self) -> ComposeResult:
        if self.client_id is None:
            yield Static("Loading clients…", id="f-client-holder")
        yield Select(translated(KINDS), value=self.kind, allow_blank=False, id="f-kind")
        default_when = typed_word("now") if self.logging else typed_word("tomorrow") + " 10:00"
        # A logged call happened: "пт 15:00" is last Friday. A planned one is to come: "пт" is next Friday.
        yield self.date_field(
            _("When"), default_when, field_id="f-when", with_time=True, required=True, past=self.logging
        )
        if not self.logging:
            yield Field(_("Duration (minutes)"), "60" if self.kind != "call" else "15", check=minutes, id="f-duration")
        yield Field(_("Subject"), id="f-subject")
        if self.logging:
            yield Field(_("Outcome"), id="f-outcome")
        else:
            yield Field(_("Place / city"), id="f-place")
            yield repeat_field(self)

    def draft_key(self) -> tuple[str, int] | None:
        return f"{'log' if self.logging else 'plan'}-{self.kind}", self.client_id or 0

    def on_mount(self) -> None:
        if self.client_id is None:
            self.db("names", lambda ws: ws.client_names())
        else:
            self.field("f-when").input.focus()
            self.offer_draft()

    @on(DbDone)
    def names_loaded(self, message: DbDone) -> None:
        if message.request != "names":
            return
        names: list[tuple[int, str]] = message.result
        self.names = names
        holder = self.query_one("#f-client-holder")
        field = ClientField(names, id="f-client")
        self.query_one(".form").mount(field, before=holder)
        holder.remove()
        self.call_after_refresh(lambda: field.input.focus())
        self.call_after_refresh(self.offer_draft)

    def job(self) -> Any:
        client_id = self.client_id if self.client_id is not None else self.field("f-client").parsed
        kind = self.choice("f-kind")
        at: datetime = self.field("f-when").parsed
        subject = self.field("f-subject").parsed
        if self.logging:
            outcome = self.field("f-outcome").parsed

            def log(ws: Workspace) -> str:
                item = ws.log(client_id=client_id, kind=kind, at=at, subject=subject, outcome=outcome)
                return _("Logged {kind} with {client}").format(
                    kind=label(InteractionKind, item.kind), client=item.client_name
                )

            return log
        if (
            self.query_one("#f-when", DateField).in_the_past and self.past_accepted != at
        ):  # ask once: the next ctrl+s plans it
            self.past_accepted = at
            shown = at.astimezone(self.workspace.zone).strftime("%a %d.%m.%Y %H:%M")
            raise ValueError(
                _(
                    "{when} is in the past. Ctrl+S again to plan it anyway; to record what happened, Esc and log it."
                ).format(when=shown)
            )
        duration = self.field("f-duration").parsed
        place = self.field("f-place").parsed
        every, count, until = self.field("f-repeat").parsed or (None, None, None)

        def plan(ws: Workspace) -> str:
            item = ws.plan(
                client_id=client_id,
                kind=kind,
                at=at,
                duration_min=duration,
                subject=subject,
                place=place,
                every=every,
                count=count,
                until=until,
            )
            when = item.planned_at.astimezone(ws.zone).strftime("%a %d.%m %H:%M") if item.planned_at else ""
            return _("Planned {kind} with {client}, {when}").format(
                kind=label(InteractionKind, item.kind), client=item.client_name, when=when
            ) + repeat_note(item.repeat)

        return plan
