"""Ask for one date (or date and time): snooze until, reschedule to. No database work."""

from __future__ import annotations

from textual.app import ComposeResult

from amtui.i18n import N_, _
from amtui.screens.form_base import FormScreen, form_css


class DateForm(FormScreen):
    """Dismisses with the parsed ``date``/``datetime``, or None on Esc."""

    CSS_PATH = form_css(__file__)

    def __init__(self, title: str, *, label: str = N_("Date"), value: str = "", with_time: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.label = label
        self.value = value
        self.with_time = with_time

    def form_title(self) -> str:
        return self.title_text

    def fields(self) -> ComposeResult:
        yield self.date_field(_(self.label), self.value, field_id="f-date", with_time=self.with_time, required=True)

    def on_mount(self) -> None:
        self.field("f-date").input.focus()

    def action_save(self) -> None:
        field = self.field("f-date")
        if field.validate():
            self.dismiss(field.parsed)
        else:
            self.show_error(_("Please correct the date."))
