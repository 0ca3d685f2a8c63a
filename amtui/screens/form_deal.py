"""Add or edit a deal or an upsell chance: what, kind, stage, amount, probability, expected close."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Horizontal

from amtui.screens.form_base import (
    FormScreen,
    amount,
    form_css,
    labelled_select,
    money_text,
    whole_number,
)
from amtui.services.dates import format_date
from amtui.widgets.fields import Field

if TYPE_CHECKING:
    from amtui.services.schemas import DealRead
    from amtui.services.workspace import Workspace

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
    """``deal=None`` adds a deal to the client; otherwise edits it (move the close date, change the stage)."""

    CSS_PATH = form_css(__file__)

    def __init__(self, *, client_id: int, currency: str = "RUB", deal: DealRead | None = None) -> None:
        super().__init__()
        self.client_id = client_id
        self.deal = deal
        self.currency = deal.currency if deal else currency

    def form_title(self) -> str:
        return f"Edit deal: {self.deal.title}" if self.deal else "Add a deal or upsell chance"

    def fields(self) -> ComposeResult:
        d = self.deal
        yield Field(
            "What",
            d.title if d else "",
            required=True,
            placeholder="second production line, 2027 volumes…",
            id="f-title",
        )
        with Horizontal(classes="form--row"):
            yield labelled_select("Kind", KINDS, d.kind if d else "upsell", select_id="f-kind")
            yield labelled_select("Stage", STAGES, d.stage if d else "lead", select_id="f-stage")
        with Horizontal(classes="form--row"):
            yield Field(
                f"Amount, {self.currency}", money_text(d.amount_minor) if d else "", check=amount, id="f-amount"
            )
            yield Field(
                "Probability, %",
                str(d.probability) if d and d.probability is not None else "",
                check=whole_number(0, 100, " %"),
                id="f-probability",
            )
        yield self.date_field("Expected close", format_date(d.expected_close) if d else "", field_id="f-expected_close")

    def on_mount(self) -> None:
        self.field("f-expected_close" if self.deal else "f-title").input.focus()

    def job(self) -> Any:
        values: dict[str, Any] = {
            "title": self.field("f-title").parsed,
            "kind": self.choice("f-kind"),
            "stage": self.choice("f-stage"),
            "amount_minor": self.field("f-amount").parsed,
            "probability": self.field("f-probability").parsed,
            "expected_close": self.field("f-expected_close").parsed,
        }
        client_id, currency = self.client_id, self.currency
        if self.deal is not None:
            deal_id = self.deal.id

            def save(ws: Workspace) -> str:
                saved = ws.update_deal(deal_id, **values)
                return f"Deal saved: {saved.title} ({saved.stage})"

            return save

        def add(ws: Workspace) -> str:
            deal = ws.add_deal(client_id, currency=currency, **values)
            return f"Deal added: {deal.title}"

        return add
