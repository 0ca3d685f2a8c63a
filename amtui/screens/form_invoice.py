"""Add an invoice to a client: number, issue and due dates, amount (due date from payment terms if empty)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Horizontal

from amtui.i18n import N_, _
from amtui.screens.form_base import FormScreen, amount, form_css, typed_word
from amtui.widgets.fields import Field

if TYPE_CHECKING:
    from amtui.services.workspace import Workspace


class InvoiceForm(FormScreen):
    CSS_PATH = form_css(__file__)
    TITLE_TEXT = N_("Add an invoice")

    def __init__(self, *, client_id: int, currency: str = "RUB", payment_terms_days: int | None = None) -> None:
        super().__init__()
        self.client_id = client_id
        self.currency = currency
        self.terms = payment_terms_days

    def fields(self) -> ComposeResult:
        yield Field(_("Invoice number"), required=True, placeholder="СЧ-2026-0412", id="f-number")
        with Horizontal(classes="form--row"):
            yield self.date_field(_("Issued"), typed_word("today"), field_id="f-issued", required=True)
            terms = _("{n} d").format(n=self.terms or 0)
            yield self.date_field(_("Due (empty = terms, {terms})").format(terms=terms), field_id="f-due")
        with Horizontal(classes="form--row"):
            yield Field(
                _("Amount, {currency}").format(currency=self.currency),
                required=True,
                placeholder="412 500,50",
                check=amount,
                id="f-amount",
            )
            yield Field(
                _("Already paid, {currency}").format(currency=self.currency), placeholder="0", check=amount, id="f-paid"
            )

    def on_mount(self) -> None:
        self.field("f-number").input.focus()

    def job(self) -> Any:
        values: dict[str, Any] = {
            "number": self.field("f-number").parsed,
            "issued_on": self.field("f-issued").parsed,
            "due_on": self.field("f-due").parsed,
            "amount_minor": self.field("f-amount").parsed,
            "paid_minor": self.field("f-paid").parsed or 0,
        }
        if values["paid_minor"] > values["amount_minor"]:
            self.field("f-paid").show_error(_("more than the invoice amount"))
            raise ValueError(_("Paid is more than the invoice amount."))
        if values["paid_minor"]:
            values["paid_on"] = values["issued_on"]
        client_id = self.client_id

        def add(ws: Workspace) -> str:
            from amtui.services.text import format_money

            invoice = ws.add_invoice(client_id, **values)
            return _("Invoice {number} added: {amount}").format(
                number=invoice.number, amount=format_money(invoice.amount_minor, invoice.currency)
            )

        return add
