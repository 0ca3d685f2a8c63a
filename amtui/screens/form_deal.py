"""Add a deal or an upsell chance: what, kind, stage, amount, probability, expected close."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Horizontal

from amtui.screens.form_base import FormScreen, amount, form_css, labelled_select, whole_number
from amtui.widgets.fields import Field

if TYPE_CHECKING:
    from amtui.ui_services import Backend

KINDS = [("Upsell", "upsell"), ("Cross-sell", "cross_sell"), ("New business", "new"), ("Renewal", "renewal")]
STAGES = [
    ("Lead", "lead"),
    ("Qualified", "qualified"),
    ("Proposal", "proposal"),
    ("Negotiation", "negotiation"),
    ("Won", "won"),
    ("Lost", "lost"),
]


class DealForm(FormScreen):
    CSS_PATH = form_css(__file__)
    TITLE_TEXT = "Add a deal or upsell chance"

    def __init__(self, *, client_id: int, currency: str = "RUB") -> None:
        super().__init__()
        self.client_id = client_id
        self.currency = currency

    def fields(self) -> ComposeResult:
        yield Field("What", required=True, placeholder="second production line, 2027 volumes…", id="f-title")
        with Horizontal(classes="form--row"):
            yield labelled_select("Kind", KINDS, "upsell", select_id="f-kind")
            yield labelled_select("Stage", STAGES, "lead", select_id="f-stage")
        with Horizontal(classes="form--row"):
            yield Field(f"Amount, {self.currency}", check=amount, id="f-amount")
            yield Field("Probability, %", check=whole_number(0, 100, " %"), id="f-probability")
        yield self.date_field("Expected close", field_id="f-expected_close")

    def on_mount(self) -> None:
        self.field("f-title").input.focus()

    def job(self) -> Any:
        values: dict[str, Any] = {
            "title": self.field("f-title").parsed,
            "kind": self.choice("f-kind"),
            "stage": self.choice("f-stage"),
            "amount_minor": self.field("f-amount").parsed,
            "probability": self.field("f-probability").parsed,
            "expected_close": self.field("f-expected_close").parsed,
            "currency": self.currency,
        }
        client_id = self.client_id

        def add(backend: Backend) -> str:
            from amtui.services.records import create_deal

            deal = backend.run(lambda session: create_deal(session=session, client_id=client_id, **values))
            return f"Deal added: {deal.title}"

        return add
