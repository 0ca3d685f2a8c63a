"""The after-call form: one place to record a call, visit or meeting that took place.

Client, the person spoken to (one of the client's people), inbound or outbound, subject,
outcome, "needs a reply", and the next step (a task with a date, or a follow-up call/visit
planned). A call or visit planned today for the same client is offered to be closed instead of
left planned (it would turn into a "missed" alert). A visit or meeting goes on to its report.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Checkbox, Input, Select, Static

from amtui.i18n import N_, _
from amtui.screens.base import DbDone
from amtui.screens.form_base import FormScreen, form_css, labelled_select, translated, typed_word
from amtui.screens.form_interaction import KINDS, ClientField
from amtui.vocabulary import REPORTED_KINDS, InteractionKind, label
from amtui.widgets.fields import Field

if TYPE_CHECKING:
    from amtui.services.schemas import ContactRead, InteractionRead
    from amtui.services.workspace import AfterCall, Workspace

DIRECTIONS = [(N_("Outbound: I called"), "outbound"), (N_("Inbound: they called"), "inbound")]
NEXT_STEPS = [(N_("Nothing planned"), ""), (N_("A task"), "task"), (N_("A call"), "call"), (N_("A visit"), "visit")]
NEW = "new"


class ClientChosen(Message):
    def __init__(self, client_id: int) -> None:
        super().__init__()
        self.client_id = client_id


class PickClient(ClientField):
    """The client field; tells the form when the text names exactly one client."""

    def on_input_changed(self, event: Input.Changed) -> None:
        super().on_input_changed(event)
        if self.parsed is not None:
            self.post_message(ClientChosen(self.parsed))


class AfterCallForm(FormScreen):
    """Log what took place, close what was planned, plan what comes next."""

    CSS_PATH = form_css(__file__)

    def __init__(self, *, kind: str = "call", client_id: int | None = None, close_id: int | None = None) -> None:
        super().__init__()
        self.kind = kind
        self.client_id = client_id
        self.close_id = close_id
        self.context_for: int | None = None
        self.people: tuple[ContactRead, ...] = ()
        self.planned: tuple[InteractionRead, ...] = ()

    def form_title(self) -> str:
        if self.kind == "visit":
            return _("After the visit: log it")
        return _("After the call: log a {kind}").format(kind=label(InteractionKind, self.kind))

    def fields(self) -> ComposeResult:
        if self.client_id is None:
            yield Static(_("Loading clients…"), id="f-client-holder")
        yield labelled_select(_("Planned today"), [(N_("Log as a new one"), NEW)], NEW, select_id="f-close")
        with Horizontal(classes="form--row"):
            yield Select(translated(KINDS), value=self.kind, allow_blank=False, id="f-kind")
            yield Select(translated(DIRECTIONS), value="outbound", allow_blank=False, id="f-direction")
        yield self.date_field(_("When"), typed_word("now"), field_id="f-when", with_time=True, required=True)
        yield labelled_select(_("Contact"), [], None, select_id="f-contact", allow_blank=True)
        yield Field(_("Subject"), id="f-subject")
        yield Field(_("Outcome"), id="f-outcome")
        yield Checkbox(_("Needs a reply from me"), id="f-needs-reply")
        yield labelled_select(_("Next step"), NEXT_STEPS, "", select_id="f-next-kind")
        with Horizontal(classes="form--row"):
            yield self.date_field(_("Next date"), field_id="f-next-date", with_time=True, default_time=time(10, 0))
            yield Field(_("Next task / subject"), id="f-next-task")

    def draft_key(self) -> tuple[str, int] | None:
        return "after-call", self.client_id or 0

    def on_mount(self) -> None:
        self.query_one("#f-close").parent.display = False  # type: ignore[union-attr]
        if self.client_id is None:
            self.db("names", lambda ws: ws.client_names())
        else:
            self.client_chosen(self.client_id)
            self.field("f-outcome").input.focus()
            self.offer_draft()

    @on(ClientChosen)
    def picked(self, message: ClientChosen) -> None:
        message.stop()
        self.client_chosen(message.client_id)

    def client_chosen(self, client_id: int) -> None:
        if client_id == self.context_for:
            return
        self.context_for = client_id
        also = self.close_id
        self.load("context", lambda ws: (client_id, ws.after_call_context(client_id, also=also)))

    @on(DbDone)
    def loaded(self, message: DbDone) -> None:
        if message.request == "names":
            self.names_loaded(message.result)
        elif message.request == "context":
            client_id, (people, planned) = message.result
            if client_id == self.context_for:
                self.context_loaded(people, planned)

    def names_loaded(self, names: list[tuple[int, str]]) -> None:
        holder = self.query_one("#f-client-holder")
        field = PickClient(names, id="f-client")
        self.query_one(".form").mount(field, before=holder)
        holder.remove()
        self.call_after_refresh(lambda: field.input.focus())
        self.call_after_refresh(self.offer_draft)

    def context_loaded(self, people: tuple[ContactRead, ...], planned: tuple[InteractionRead, ...]) -> None:
        self.people, self.planned = people, planned
        contact = self.query_one("#f-contact", Select)
        contact.set_options([(Text(person.full_name), person.id) for person in people])  # user text: no markup
        zone = self.workspace.zone
        options = [(_("Log as a new one"), NEW)] + [
            (
                _("Close the {kind} planned {time}").format(
                    kind=label(InteractionKind, item.kind), time=f"{item.planned_at.astimezone(zone):%H:%M}"
                ),
                str(item.id),
            )
            for item in planned
            if item.planned_at is not None
        ]
        close = self.query_one("#f-close", Select)
        close.set_options(options)
        ids = [str(item.id) for item in planned]
        if self.close_id is not None and str(self.close_id) in ids:
            close.value = str(self.close_id)
        elif ids:  # offered: closing it is the default, "Log as a new one" keeps it planned
            close.value = ids[0]
        else:
            close.value = NEW
        close.parent.display = bool(planned)  # type: ignore[union-attr]
        chosen = next((item for item in planned if str(item.id) == close.value), None)
        if chosen is not None:
            self.query_one("#f-kind", Select).value = chosen.kind
            when = self.field("f-when")
            planned_at = chosen.planned_at
            if (
                planned_at is not None
                and planned_at <= self.workspace.now()
                and when.value.strip() == typed_word("now")
            ):
                when.value = when.initial = planned_at.astimezone(zone).strftime("%d.%m.%Y %H:%M")  # as planned
            if chosen.contact_ids and chosen.contact_ids[0] in {p.id for p in people}:
                contact.value = chosen.contact_ids[0]
        self.apply_choices()  # a restored draft's person, now that the client's people are known

    def job(self) -> Any:
        from amtui.services.errors import ValidationError

        if self.client_id is not None:
            client_id: int = self.client_id
        else:
            client_id = self.field("f-client").parsed
        kind = self.choice("f-kind")
        direction = self.choice("f-direction")
        at: datetime = self.field("f-when").parsed
        contact = self.choice("f-contact")
        contact_ids = [int(contact)] if contact else []
        subject = self.field("f-subject").parsed
        outcome = self.field("f-outcome").parsed
        needs_reply = self.query_one("#f-needs-reply", Checkbox).value
        close = self.choice("f-close")
        close_id = int(close) if close and close != NEW and self.context_for == client_id else None
        next_kind = self.choice("f-next-kind") or None
        next_at = self.field("f-next-date").parsed
        next_text = self.field("f-next-task").parsed
        if next_kind and next_at is None:
            raise ValidationError(_("the next step needs a date"), field="next-date")

        def save(ws: Workspace) -> AfterCall:
            return ws.after_call(
                client_id,
                kind=kind,
                at=at,
                direction=direction,
                contact_ids=contact_ids,
                subject=subject,
                outcome=outcome,
                needs_reply=needs_reply,
                close_id=close_id,
                next_kind=next_kind,
                next_text=next_text,
                next_at=next_at,
            )

        return save

    def finished(self, result: Any) -> None:
        after: AfterCall = result
        item = after.interaction
        app = self.amtui
        self.forget_draft()
        if after.closed:
            app.remember_undo(
                _("{kind} with {client} done").format(kind=label(InteractionKind, item.kind), client=item.client_name),
                lambda ws: ws.reopen(item.id),
            )
        self.dismiss(after.text)
        if item.kind in REPORTED_KINDS:  # a visit or meeting goes on to its report
            app.open_report(item.id)
