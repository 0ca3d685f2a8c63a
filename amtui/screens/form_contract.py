"""Add a contract: number, title, term, value, auto-renewal and notice period."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Horizontal

from amtui.screens.form_base import FormScreen, amount, form_css, labelled_select, whole_number
from amtui.widgets.fields import Field

if TYPE_CHECKING:
    from amtui.ui_services import Backend


class ContractForm(FormScreen):
    CSS_PATH = form_css(__file__)
    TITLE_TEXT = "Add a contract"

    def __init__(self, *, client_id: int, currency: str = "RUB") -> None:
        super().__init__()
        self.client_id = client_id
        self.currency = currency

    def fields(self) -> ComposeResult:
        with Horizontal(classes="form--row"):
            yield Field("Contract number", required=True, placeholder="Д-2026/17", id="f-number")
            yield Field("Title", placeholder="supply agreement", id="f-title")
        with Horizontal(classes="form--row"):
            yield self.date_field("Starts", "today", field_id="f-start")
            yield self.date_field("Ends (empty = open-ended)", field_id="f-end")
        with Horizontal(classes="form--row"):
            yield Field(f"Value, {self.currency}", check=amount, id="f-value")
            yield Field("Notice, days", "30", check=whole_number(0, 365), id="f-notice_days")
        yield labelled_select("Renews automatically", [("No", "no"), ("Yes", "yes")], "no", select_id="f-auto_renew")

    def on_mount(self) -> None:
        self.field("f-number").input.focus()

    def job(self) -> Any:
        start, end = self.field("f-start").parsed, self.field("f-end").parsed
        if start and end and end < start:
            self.field("f-end").show_error("before the start")
            raise ValueError("The contract ends before it starts.")
        values: dict[str, Any] = {
            "number": self.field("f-number").parsed,
            "title": self.field("f-title").parsed,
            "start_on": start,
            "end_on": end,
            "value_minor": self.field("f-value").parsed,
            "notice_days": self.field("f-notice_days").parsed or 0,
            "auto_renew": self.choice("f-auto_renew") == "yes",
            "currency": self.currency,
        }
        client_id = self.client_id

        def add(backend: Backend) -> str:
            from amtui.services.records import create_contract

            contract = backend.run(lambda session: create_contract(session=session, client_id=client_id, **values))
            return f"Contract {contract.number} added"

        return add
