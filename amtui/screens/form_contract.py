"""Add or edit a contract: number, title, term, value, auto-renewal, notice period (and, when editing, status)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Horizontal

from amtui.i18n import N_, _
from amtui.screens.form_base import (
    FormScreen,
    amount,
    form_css,
    labelled_select,
    money_text,
    typed_word,
    whole_number,
)
from amtui.services.dates import format_date
from amtui.vocabulary import ContractStatus, choices, label
from amtui.widgets.fields import Field

if TYPE_CHECKING:
    from amtui.services.schemas import ContractRead
    from amtui.services.workspace import Workspace

# The choices, in this order, with the vocabulary's words (amtui.vocabulary.LABELS).
STATUSES = (ContractStatus.ACTIVE, ContractStatus.DRAFT, ContractStatus.EXPIRED, ContractStatus.TERMINATED)


class ContractForm(FormScreen):
    """``contract=None`` adds a contract to the client; otherwise edits it (renew: a new end; close: a status)."""

    CSS_PATH = form_css(__file__)

    def __init__(self, *, client_id: int, currency: str = "RUB", contract: ContractRead | None = None) -> None:
        super().__init__()
        self.client_id = client_id
        self.contract = contract
        self.currency = contract.currency if contract else currency

    def form_title(self) -> str:
        return _("Edit contract {number}").format(number=self.contract.number) if self.contract else _("Add a contract")

    def fields(self) -> ComposeResult:
        c = self.contract
        with Horizontal(classes="form--row"):
            yield Field(
                _("Contract number"), c.number if c else "", required=True, placeholder="Д-2026/17", id="f-number"
            )
            yield Field(_("Title"), (c.title or "") if c else "", placeholder=_("supply agreement"), id="f-title")
        with Horizontal(classes="form--row"):
            yield self.date_field(
                _("Starts"), format_date(c.start_on) if c else typed_word("today"), field_id="f-start"
            )
            yield self.date_field(_("Ends (empty = open-ended)"), format_date(c.end_on) if c else "", field_id="f-end")
        with Horizontal(classes="form--row"):
            yield Field(
                _("Value, {currency}").format(currency=self.currency),
                money_text(c.value_minor) if c else "",
                check=amount,
                id="f-value",
            )
            yield Field(
                _("Notice, days"), str(c.notice_days) if c else "30", check=whole_number(0, 365), id="f-notice_days"
            )
        with Horizontal(classes="form--row"):
            renews = "yes" if c and c.auto_renew else "no"
            yield labelled_select(
                _("Renews automatically"), [(N_("No"), "no"), (N_("Yes"), "yes")], renews, select_id="f-auto_renew"
            )
            if c is not None:
                yield labelled_select(_("Status"), choices(ContractStatus, STATUSES), c.status, select_id="f-status")

    def on_mount(self) -> None:
        self.field("f-end" if self.contract else "f-number").input.focus()

    def job(self) -> Any:
        start, end = self.field("f-start").parsed, self.field("f-end").parsed
        if start and end and end < start:
            self.field("f-end").show_error(_("before the start"))
            raise ValueError(_("The contract ends before it starts."))
        values: dict[str, Any] = {
            "number": self.field("f-number").parsed,
            "title": self.field("f-title").parsed,
            "start_on": start,
            "end_on": end,
            "value_minor": self.field("f-value").parsed,
            "notice_days": self.field("f-notice_days").parsed or 0,
            "auto_renew": self.choice("f-auto_renew") == "yes",
        }
        client_id, currency = self.client_id, self.currency
        if self.contract is not None:
            contract_id = self.contract.id
            values["status"] = self.choice("f-status")

            def save(ws: Workspace) -> str:
                saved = ws.update_contract(contract_id, **values)
                ends = _("ends {date}").format(date=f"{saved.end_on:%d.%m.%Y}") if saved.end_on else _("open-ended")
                return _("Contract {number} saved: {status}, {ends}").format(
                    number=saved.number, status=label(ContractStatus, saved.status), ends=ends
                )

            return save

        def add(ws: Workspace) -> str:
            contract = ws.add_contract(client_id, currency=currency, **values)
            return _("Contract {number} added").format(number=contract.number)

        return add
