"""Planner: the week (Mon-Sun, with times) of calls, visits and meetings."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Header, Static

from amtui.i18n import N_, _
from amtui.screens.base import DbDone, DbMixin, QuickResume, ReloadsWhenStale, local, weekday
from amtui.vocabulary import REPORTED_KINDS, InteractionKind, InteractionStatus, label
from amtui.widgets.fast_table import Cell, Column, FastTable
from amtui.widgets.footer import StableFooter

if TYPE_CHECKING:
    from amtui.services.schemas import InteractionRead

STATUS_STYLE = {"done": "green", "cancelled": "dim strike", "missed": "red", "planned": ""}
COLUMNS = (
    Column("day", N_("Day"), 9),
    Column("time", N_("Time"), 11),
    Column("kind", N_("Kind"), 7),
    Column("client", N_("Client"), 24, narrow=16),
    Column("place", N_("Place"), 14, narrow=8, drop=1),
    Column("status", N_("Status"), 9),
    Column("report", N_("Report"), 7),
)


class PlannerScreen(QuickResume, ReloadsWhenStale, DbMixin, Screen):
    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left_square_bracket", "week(-1)", N_("Prev"), key_display="[", id="planner.previous-week"),
        Binding("right_square_bracket", "week(1)", N_("Next"), key_display="]", id="planner.next-week"),
        Binding("w", "this_week", N_("This week"), show=False, id="planner.this-week"),
        Binding("a", "add", N_("Add"), id="planner.add"),
        Binding("m", "move", N_("Move"), id="planner.move"),
        Binding("x", "cancel", N_("Cancel"), id="planner.cancel"),
        Binding("d", "done", N_("Done…"), id="planner.done"),
        Binding("l", "log", N_("Log call"), show=False, id="planner.log-call"),
        Binding("g", "group", N_("City"), id="planner.group"),
        Binding("enter", "open", N_("Open client"), show=False, id="planner.open"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.monday: date | None = None
        self.items: list[InteractionRead] = []
        self.by_city = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="planner-title")
        yield FastTable(COLUMNS, id="planner-table")
        yield StableFooter()

    def on_mount(self) -> None:
        self.sub_title = _("Planner")
        today = self.workspace.today()
        self.monday = today - timedelta(days=today.weekday())

    def reload(self) -> None:
        monday = self.monday
        assert monday is not None
        self.load("week", lambda ws: ws.week(monday))

    @on(DbDone)
    def done(self, message: DbDone) -> None:
        if message.request == "week":
            self.show(message.result)
            return
        item: InteractionRead = message.result
        self.notify(
            _("{done}: {kind} with {client}").format(
                done=message.note, kind=label(InteractionKind, item.kind), client=item.client_name
            )
        )
        self.reload()
        if message.request == "done" and item.kind in REPORTED_KINDS:  # a visit or meeting goes on to its report
            self.amtui.open_report(item.id)

    def show(self, items: list[InteractionRead]) -> None:
        self.items = items
        zone = self.workspace.zone
        assert self.monday is not None
        sunday = self.monday + timedelta(days=6)
        planned = sum(1 for i in items if i.status == "planned")
        grouping = " · " + _("grouped by city") if self.by_city else ""
        self.query_one("#planner-title", Static).update(
            Text(
                _("Week {start}–{end} · {planned} planned, {total} in all").format(
                    start=f"{self.monday:%d.%m}", end=f"{sunday:%d.%m.%Y}", planned=planned, total=len(items)
                )
                + grouping,
                style="bold",
            )
        )
        table = self.query_one("#planner-table", FastTable)
        cursor, cursor_key = table.cursor_row, table.cursor_key
        ordered = sorted(items, key=self._city_key) if self.by_city else items
        # The day (or city) is written on the first line of its group only.
        lines: list[tuple[InteractionRead, str]] = []
        previous_group: str | None = None
        for item in ordered:
            start = item.planned_at.astimezone(zone) if item.planned_at else None
            group = self._group(item) if self.by_city else (f"{weekday(start)} {start:%d.%m}" if start else "")
            lines.append((item, group if group != previous_group else ""))
            previous_group = group
        table.set_rows(lines, self._row)
        table.restore_cursor(cursor_key, cursor)  # the same line, even when lines came or went above it

    def _row(self, line: tuple[InteractionRead, str]) -> tuple[str, list[Cell]]:
        item, day_text = line
        start = item.planned_at.astimezone(self.workspace.zone) if item.planned_at else None
        end = start + timedelta(minutes=item.duration_min) if start and item.duration_min else None
        times = f"{start:%H:%M}" + (f"–{end:%H:%M}" if end else "") if start else ""
        if self.by_city and start:
            times = f"{weekday(start)} {start:%H:%M}"
        report = Text("")
        if item.kind in REPORTED_KINDS and item.status == "done":
            report = Text("✓") if item.has_report else Text(_("missing"), style="red")
        return str(item.id), [
            Text(day_text, style="bold"),
            Text(times),
            Text(label(InteractionKind, item.kind)),
            Text(item.client_name),
            Text(item.city or item.place or ""),
            Text(label(InteractionStatus, item.status), style=STATUS_STYLE.get(item.status, "")),
            report,
        ]

    def _group(self, item: InteractionRead) -> str:
        if item.kind not in REPORTED_KINDS:
            return _("(calls)")
        return item.city or item.place or _("(no city)")

    def _city_key(self, item: InteractionRead) -> tuple[int, str, datetime]:
        calls_last = 1 if item.kind not in REPORTED_KINDS else 0
        return (calls_last, self._group(item).casefold(), item.planned_at or datetime.min)

    def selected(self) -> InteractionRead | None:
        key = self.query_one("#planner-table", FastTable).cursor_key
        return next((i for i in self.items if str(i.id) == key), None) if key else None

    def action_week(self, step: int) -> None:
        assert self.monday is not None
        self.monday += timedelta(days=7 * step)
        self.reload()

    def action_this_week(self) -> None:
        today = self.workspace.today()
        self.monday = today - timedelta(days=today.weekday())
        self.reload()

    def action_group(self) -> None:
        self.by_city = not self.by_city
        self.show(self.items)

    def action_add(self) -> None:
        self.amtui.action_new("visit")

    def action_open(self) -> None:
        item = self.selected()
        if item is not None:
            self.amtui.open_client(item.client_id)

    @on(FastTable.RowSelected)
    def row_selected(self, event: FastTable.RowSelected) -> None:
        self.action_open()

    def action_move(self) -> None:
        """Move: a repeating one asks "this one or the following?", a visit or meeting "was the client told?"
        (rule 19: not told adds a "tell the client" task due today)."""
        from amtui.screens.form_question import client_told, this_or_following
        from amtui.screens.forms import DateForm
        from amtui.services.promises import interaction_promise

        item = self.selected()
        if item is None:
            return
        current = local(item.planned_at, self.workspace.zone, "%d.%m.%Y %H:%M")

        def move(when: datetime, following: bool, told: bool | None) -> None:
            note = _("Moved") if told is not False else _("Moved; a 'tell the client' task is due today")
            self.db("move", lambda ws: ws.move_planned(item.id, when, following=following, told=told).item, note=note)

        def with_scope(scope: str | None) -> None:
            if scope is None:
                return

            def moved(when: datetime | None) -> None:
                if when is None:
                    return
                promise = interaction_promise(item.kind, item.subject, item.planned_at, when, self.workspace.zone)
                if promise is None:
                    move(when, scope == "following", None)
                    return
                self.app.push_screen(
                    client_told(promise),
                    lambda answer: move(when, scope == "following", answer == "told") if answer else None,
                )

            title = _("Move {kind}: {client}").format(kind=label(InteractionKind, item.kind), client=item.client_name)
            self.app.push_screen(DateForm(title, value=current, with_time=True), moved)

        if item.series_id is not None:
            self.app.push_screen(this_or_following(), with_scope)
        else:
            with_scope("this")

    def action_cancel(self) -> None:
        """Cancel; a repeating one asks "this one (the series goes on) or the following (it ends)?"."""
        from amtui.screens.form_question import this_or_following

        item = self.selected()
        if item is None:
            return

        def cancel(scope: str | None) -> None:
            if scope is None:
                return
            following = scope == "following"
            self.db("cancel", lambda ws: ws.cancel(item.id, following=following), note=_("Cancelled"))
            self.amtui.remember_undo(
                _("cancel of {kind} with {client}").format(
                    kind=label(InteractionKind, item.kind), client=item.client_name
                ),
                lambda ws: ws.reopen(item.id),
            )

        if item.series_id is not None and item.status == "planned":
            self.app.push_screen(this_or_following(), cancel)
        else:
            cancel("this")

    def action_log(self) -> None:
        """The after-call form for the selected row's client (it offers to close what is planned today)."""
        item = self.selected()
        self.amtui.log_after_call("call", item.client_id if item is not None else None)

    def action_done(self) -> None:
        """Done asks for the outcome (the after-call form closes the planned item); a visit or
        meeting then goes on to its report."""
        item = self.selected()
        if item is None:
            return
        if item.status not in ("planned", "missed"):
            self.notify(
                _("This {kind} is {status} already (ctrl+z undoes the last change)").format(
                    kind=label(InteractionKind, item.kind), status=label(InteractionStatus, item.status)
                )
            )
            return
        self.amtui.log_after_call(item.kind, item.client_id, close_id=item.id)
