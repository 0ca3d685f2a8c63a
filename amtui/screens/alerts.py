"""Alerts: every open alert grouped by kind; snooze, dismiss, open the client."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Header, Static

from amtui.i18n import N_, _
from amtui.screens.base import DbDone, DbMixin, QuickResume, ReloadsWhenStale
from amtui.vocabulary import ALERT_KINDS
from amtui.widgets.fast_table import Cell, Column, FastTable
from amtui.widgets.footer import StableFooter

if TYPE_CHECKING:
    from amtui.services.alerts import Alert

KIND_TITLES = {kind.value: info.label for kind, info in ALERT_KINDS.items()}
# The short labels of the alert kinds (amtui.vocabulary), marked here for the catalogs.
KIND_LABELS = (
    N_("Missed"),
    N_("Unanswered"),
    N_("Overdue tasks"),
    N_("Check-ins due"),
    N_("Reports missing"),
    N_("Receivables"),
    N_("Credit limit"),
    N_("Contract notice"),
    N_("Contracts ending"),
    N_("Silent clients"),
    N_("Client called first"),
    N_("Deals past close"),
    N_("Stalled deals"),
    N_("ABC tier"),
    N_("Today"),
    N_("Tasks due today"),
    N_("Birthdays"),
)
# The sentence column takes the width left (cut with "…"); the line under the table shows it whole.
COLUMNS = (Column("kind", N_("Kind"), 16), Column("date", N_("Date"), 8), Column("text", N_("Alert"), 100, narrow=20))
SEVERITY_STYLE = {"critical": "bold red", "high": "red", "normal": "", "info": "dim"}


class AlertsScreen(QuickResume, ReloadsWhenStale, DbMixin, Screen):
    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("z", "snooze", N_("Snooze"), id="alerts.snooze"),
        Binding("d", "dismiss_alert", N_("Dismiss"), id="alerts.dismiss-alert"),
        Binding("a", "answered", N_("Answered"), id="alerts.answered"),
        Binding("enter", "open", N_("Open client"), id="alerts.open"),
        Binding("r", "reload", N_("Refresh"), id="alerts.reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.alerts: list[Alert] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Loading…"), id="alerts-title")
        # Thousands of alerts on a big portfolio: the table draws only the visible ones.
        yield FastTable(COLUMNS, zebra_stripes=False, id="alerts-table")
        yield Static("", id="alerts-detail")
        yield StableFooter()

    def on_mount(self) -> None:
        self.sub_title = _("Alerts")

    def reload(self) -> None:
        self.load("alerts", lambda ws: ws.alerts())

    @on(DbDone)
    def done(self, message: DbDone) -> None:
        if message.request == "alerts":
            self.show(message.result)
        else:  # a snooze, a dismissal, an answer: the list changed
            self.notify(message.note)
            self.reload()

    def show(self, alerts: list[Alert]) -> None:
        order = {kind: index for index, kind in enumerate(KIND_TITLES)}
        # Grouped by kind (engine order), the engine's urgency order kept inside each group.
        self.alerts = sorted(alerts, key=lambda a: order.get(a.kind, len(order)))
        counts: dict[str, int] = {}
        for alert in self.alerts:
            counts[alert.kind] = counts.get(alert.kind, 0) + 1
        summary = ", ".join(f"{_(KIND_TITLES.get(k, k))} {n}" for k, n in counts.items())
        self.query_one("#alerts-title", Static).update(
            Text(_("{n} open: {summary}").format(n=len(self.alerts), summary=summary), style="bold")
        )
        table = self.query_one("#alerts-table", FastTable)
        cursor, cursor_key = table.cursor_row, table.cursor_key
        # The kind is written on the first line of its group only.
        lines = [
            (alert, index == 0 or alert.kind != self.alerts[index - 1].kind) for index, alert in enumerate(self.alerts)
        ]
        table.set_rows(lines, _alert_row)
        table.restore_cursor(cursor_key, cursor)

    def selected(self) -> Alert | None:
        key = self.query_one("#alerts-table", FastTable).cursor_key
        return next((a for a in self.alerts if a.id == key), None) if key else None

    def action_snooze(self) -> None:
        from amtui.screens.forms import DateForm

        alert = self.selected()
        if alert is None:
            return

        def snooze(until: date | None) -> None:
            if until is not None:
                self.db(
                    "snooze",
                    lambda ws: ws.snooze_alert(alert.id, until),
                    note=_("Snoozed until {date}").format(date=f"{until:%d.%m}"),
                )
                self.amtui.remember_undo(_("snooze"), lambda ws: ws.restore_alert(alert.id))

        self.app.push_screen(DateForm(_("Snooze until"), label=_("Show again on"), value="+7d"), snooze)

    def action_dismiss_alert(self) -> None:
        # Not action_dismiss: Textual dismisses screens through that name.
        alert = self.selected()
        if alert is not None:
            self.db("dismiss", lambda ws: ws.dismiss_alert(alert.id), note=_("Dismissed"))
            self.amtui.remember_undo(_("dismiss"), lambda ws: ws.restore_alert(alert.id))

    def action_answered(self) -> None:
        """On an unanswered message: the user replied (logged now as an outbound touch of the same kind)."""
        alert = self.selected()
        if alert is None or alert.kind != "unanswered" or alert.interaction_id is None:
            self.notify(_("a marks an unanswered message as answered: choose one first"), severity="warning")
            return
        interaction_id = alert.interaction_id
        self.db("answer", lambda ws: ws.answer_message(interaction_id), note=_("Reply logged; answered"))

    def action_open(self) -> None:
        alert = self.selected()
        if alert is not None and alert.client_id is not None:
            self.amtui.open_client(alert.client_id)

    @on(FastTable.RowSelected)
    def row_selected(self, event: FastTable.RowSelected) -> None:
        self.action_open()

    @on(FastTable.RowHighlighted)
    def row_highlighted(self, event: FastTable.RowHighlighted) -> None:
        """The whole sentence of the alert under the cursor, wrapped: a narrow table cuts it."""
        if isinstance(event, FastTable.RowSelected):
            return
        alert = self.selected()
        self.query_one("#alerts-detail", Static).update(Text(alert.text) if alert else "")


def _alert_row(line: tuple[Alert, bool]) -> tuple[str, list[Cell]]:
    alert, first_of_kind = line
    kind = _(KIND_TITLES.get(alert.kind, alert.kind)) if first_of_kind else ""
    return alert.id, [
        Text(kind, style="bold"),
        Text(alert.date.strftime("%d.%m")),
        Text(alert.text, style=SEVERITY_STYLE.get(alert.severity, "")),
    ]
