"""Record a (partial) payment on an invoice: amount (what is owed by default) and the day it came."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult

from amtui.i18n import _
from amtui.screens.form_base import FormScreen, amount, form_css, money_text, typed_word
from amtui.widgets.fields import Field

if TYPE_CHECKING:
    from amtui.services.schemas import InvoiceRead
    from amtui.services.workspace import Workspace


class PaymentForm(FormScreen):
    CSS_PATH = form_css(__file__)

    def __init__(self, *, invoice: InvoiceRead) -> None:
        super().__init__()
        self.invoice = invoice

    def form_title(self) -> str:
        inv = self.invoice
        owed, total = money_text(inv.owed_minor), money_text(inv.amount_minor)
        return _("Payment on invoice {number}: owed {owed} of {total} {currency}").format(
            number=inv.number, owed=owed, total=total, currency=inv.currency
        )

    def fields(self) -> ComposeResult:
        inv = self.invoice
        yield Field(
            _("Amount paid, {currency}").format(currency=inv.currency),
            money_text(inv.owed_minor),
            required=True,
            check=self.payment,
            id="f-amount",
        )
        yield self.date_field(_("Paid on"), typed_word("today"), field_id="f-paid_on", required=True)

    def payment(self, text: str) -> int:
        value = amount(text)
        if value > self.invoice.owed_minor:
            raise ValueError(_("more than what is owed ({amount})").format(amount=money_text(self.invoice.owed_minor)))
        return value

    def on_mount(self) -> None:
        field = self.field("f-amount")
        field.input.focus()
        field.input.select_all()

    def job(self) -> Any:
        amount_minor: int = self.field("f-amount").parsed
        paid_on = self.field("f-paid_on").parsed
        invoice_id = self.invoice.id

        def pay(ws: Workspace) -> str:
            from amtui.services.text import format_money

            invoice = ws.record_payment(invoice_id, amount_minor=amount_minor, paid_on=paid_on)
            left = format_money(invoice.owed_minor, invoice.currency)
            return _("Payment recorded on {number}; ").format(number=invoice.number) + (
                _("still owed {amount}").format(amount=left) if invoice.owed_minor else _("paid in full")
            )

        return pay
