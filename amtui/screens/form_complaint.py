"""Add or edit a complaint, claim, return, dispute or shortage report; resolve, reject or reopen it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Horizontal

from amtui.i18n import _
from amtui.screens.form_base import FormScreen, amount, form_css, labelled_select, money_text
from amtui.services.dates import format_date
from amtui.vocabulary import ComplaintKind, ComplaintStatus, choices
from amtui.widgets.fields import Field

if TYPE_CHECKING:
    from amtui.services.schemas import ComplaintRead
    from amtui.services.workspace import Workspace


def kinds() -> list[tuple[str, str]]:
    """(label in the interface language, value) of each kind: the vocabulary's words."""
    return choices(ComplaintKind)


def statuses() -> list[tuple[str, str]]:
    return choices(ComplaintStatus)


class ComplaintForm(FormScreen):
    """``complaint=None`` records a new complaint of the client; otherwise edits it. Setting the status to
    Resolved or Rejected settles it with the resolution text; Open or In progress reopens a settled one."""

    CSS_PATH = form_css(__file__)

    def __init__(self, *, client_id: int, currency: str = "RUB", complaint: ComplaintRead | None = None) -> None:
        super().__init__()
        self.client_id = client_id
        self.complaint = complaint
        self.currency = complaint.currency if complaint else currency

    def form_title(self) -> str:
        if self.complaint is not None:
            return _("Complaint {id}: {title}").format(id=self.complaint.id, title=self.complaint.title)
        return _("Record a complaint, claim or return")

    def fields(self) -> ComposeResult:
        c = self.complaint
        yield Field(_("What is it about"), c.title if c else "", required=True, id="f-title")
        with Horizontal(classes="form--row"):
            yield labelled_select(_("Kind"), kinds(), c.kind if c else "complaint", select_id="f-kind")
            if c is not None:
                yield labelled_select(_("Status"), statuses(), c.status, select_id="f-status")
        with Horizontal(classes="form--row"):
            yield Field(
                _("Amount in dispute, {currency}").format(currency=self.currency),
                money_text(c.amount_minor) if c else "",
                check=amount,
                id="f-amount",
            )
            yield self.date_field(_("Resolution promised by"), format_date(c.due_on) if c else "", field_id="f-due")
        with Horizontal(classes="form--row"):
            yield Field(
                _("Handled by"), (c.owner or "") if c else "", placeholder=_("me, or a colleague"), id="f-owner"
            )
            yield Field(_("Who complained"), (c.contact_name or "") if c else "", id="f-contact")
        yield Field(_("What happened"), (c.description or "") if c else "", id="f-description")
        if c is not None:
            yield Field(
                _("Resolution (needed to resolve or reject)"),
                c.resolution or "",
                placeholder=_("what was agreed or why it is refused"),
                id="f-resolution",
            )

    def on_mount(self) -> None:
        self.field("f-due" if self.complaint else "f-title").input.focus()

    def job(self) -> Any:
        values: dict[str, Any] = {
            "title": self.field("f-title").parsed,
            "kind": self.choice("f-kind"),
            "amount_minor": self.field("f-amount").parsed,
            "due_on": self.field("f-due").parsed,
            "owner": self.field("f-owner").value,
            "description": self.field("f-description").value,
        }
        contact = self.field("f-contact").value.strip()
        client_id, currency = self.client_id, self.currency
        if self.complaint is not None:
            complaint = self.complaint
            status = self.choice("f-status")
            note = self.field("f-resolution").value
            if contact != (complaint.contact_name or ""):
                values["contact"] = contact
            if status in ("resolved", "rejected") and status != complaint.status:
                if not note.strip():
                    raise ValueError(_("Write the resolution to resolve or reject it"))
            elif note != (complaint.resolution or ""):
                values["resolution"] = note

            def save(ws: Workspace) -> str:
                saved = ws.save_complaint(complaint.id, status=status, note=note, **values)
                return _("Complaint saved: {title} ({status})").format(title=saved.title, status=saved.status)

            return save

        def add(ws: Workspace) -> str:
            made = ws.add_complaint(client_id, currency=currency, contact=contact or None, **values)
            return _("Complaint recorded: {title}").format(title=made.title)

        return add
