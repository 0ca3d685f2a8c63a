"""Add or edit a deal or an upsell chance: what, kind, stage, amount, probability, expected close."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Horizontal

from amtui.i18n import _
from amtui.screens.form_base import (
    FormScreen,
    amount,
    form_css,
    labelled_select,
    money_text,
    whole_number,
)
from amtui.services.dates import format_date
from amtui.vocabulary import DealKind, DealStage, choices, label
from amtui.widgets.fields import Field

if TYPE_CHECKING:
    from amtui.services.schemas import DealRead
    from amtui.services.workspace import Workspace

# The choices, in this order, with the vocabulary's words (amtui.vocabulary.LABELS).
KINDS = (DealKind.UPSELL, DealKind.CROSS_SELL, DealKind.NEW, DealKind.RENEWAL)


class DealForm(FormScreen):
    """``deal=None`` adds a deal to the client; otherwise edits it (move the close date, change the stage)."""

    CSS_PATH = form_css(__file__)

    def __init__(self, *, client_id: int, currency: str = "RUB", deal: DealRead | None = None) -> None:
        super().__init__()
        self.client_id = client_id
        self.deal = deal
        self.currency = deal.currency if deal else currency

    def form_title(self) -> str:
        return _("Edit deal: {title}").format(title=self.deal.title) if self.deal else _("Add a deal or upsell chance")

    def fields(self) -> ComposeResult:
        d = self.deal
        yield Field(
            _("What"),
            d.title if d else "",
            required=True,
            placeholder=_("second production line, 2027 volumes…"),
            id="f-title",
        )
        with Horizontal(classes="form--row"):
            yield labelled_select(_("Kind"), choices(DealKind, KINDS), d.kind if d else "upsell", select_id="f-kind")
            yield labelled_select(_("Stage"), choices(DealStage), d.stage if d else "lead", select_id="f-stage")
        with Horizontal(classes="form--row"):
            yield Field(
                _("Amount, {currency}").format(currency=self.currency),
                money_text(d.amount_minor) if d else "",
                check=amount,
                id="f-amount",
            )
            yield Field(
                _("Probability, %"),
                str(d.probability) if d and d.probability is not None else "",
                check=whole_number(0, 100, " %"),
                id="f-probability",
            )
        yield self.date_field(
            _("Expected close"), format_date(d.expected_close) if d else "", field_id="f-expected_close"
        )

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
                return _("Deal saved: {title} ({stage})").format(title=saved.title, stage=label(DealStage, saved.stage))

            return save

        def add(ws: Workspace) -> str:
            deal = ws.add_deal(client_id, currency=currency, **values)
            return _("Deal added: {title}").format(title=deal.title)

        return add
