"""Tasks: mine and delegated, overdue first; complete, reschedule, confirm a check-in."""

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
from amtui.screens.base import DbDone, DbMixin, QuickResume, ReloadsWhenStale, local, short_date
from amtui.vocabulary import Priority, label
from amtui.widgets.fast_table import Cell, Column, FastTable
from amtui.widgets.footer import StableFooter

if TYPE_CHECKING:
    from amtui.services.schemas import TaskRead

VIEWS = ("all", "mine", "delegated")
VIEW_NAMES = {"all": N_("all"), "mine": N_("mine"), "delegated": N_("delegated")}
COLUMNS = (
    Column("due", N_("Due"), 8),
    Column("title", N_("Task"), 30, narrow=18),
    Column("client", N_("Client"), 18, narrow=12),
    Column("who", N_("Who"), 10),
    Column("check", N_("Check-in"), 11),
    Column("priority", N_("Pri"), 6),
)


class TasksScreen(QuickResume, ReloadsWhenStale, DbMixin, Screen):
    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "complete", N_("Done"), key_display="space", id="tasks.complete"),
        Binding("m", "move", N_("Move"), id="tasks.move"),
        Binding("k", "check_in", N_("Check-in"), id="tasks.check-in"),
        Binding("x", "drop", N_("Drop"), id="tasks.drop"),
        Binding("u", "undo_drop", N_("Undo drop"), show=False, id="tasks.undo-drop"),
        Binding("a", "add", N_("Add"), id="tasks.add"),
        Binding("f", "view", N_("Whose"), id="tasks.view"),
        Binding("enter", "open", N_("Open client"), show=False, id="tasks.open"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.tasks: list[TaskRead] = []
        self.view = "all"
        self.today = date.today()
        self.dropped: list[int] = []  # cancelled here, most recent last: u brings them back

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="tasks-title")
        yield FastTable(COLUMNS, id="tasks-table")
        yield StableFooter()

    def on_mount(self) -> None:
        self.sub_title = _("Tasks")

    def reload(self) -> None:
        self.load("tasks", lambda ws: (ws.task_list(), ws.today()))

    @on(DbDone)
    def done(self, message: DbDone) -> None:
        if message.request == "tasks":
            self.show(message.result)
            return
        task: TaskRead = message.result
        if message.request == "drop":
            self.dropped.append(task.id)
        self.notify(_("{done}: {title}").format(done=message.note, title=task.title))
        self.reload()

    def show(self, result: tuple[list[TaskRead], date]) -> None:
        tasks, self.today = result
        today = self.today
        if self.view == "mine":
            tasks = [t for t in tasks if not t.delegated]
        elif self.view == "delegated":
            tasks = [t for t in tasks if t.delegated]
        # Overdue first, then by due date (none last), as the service orders them.
        tasks.sort(key=lambda t: (not (t.due_on is not None and t.due_on < today), t.due_on is None, t.due_on or today))
        self.tasks = tasks
        overdue = sum(1 for t in tasks if t.due_on is not None and t.due_on < today)
        self.query_one("#tasks-title", Static).update(
            Text(
                _("{n} open tasks ({view}), {overdue} overdue").format(
                    n=len(tasks), view=_(VIEW_NAMES[self.view]), overdue=overdue
                ),
                style="bold",
            )
        )
        table = self.query_one("#tasks-table", FastTable)
        cursor, cursor_key = table.cursor_row, table.cursor_key
        table.set_rows(tasks, self._row)
        table.restore_cursor(cursor_key, cursor)  # the same line, even when lines came or went above it

    def _row(self, task: TaskRead) -> tuple[str, list[Cell]]:
        today, zone = self.today, self.workspace.zone
        late = task.due_on is not None and task.due_on < today
        check = Text("")
        if task.delegated and task.check_in_at is not None:
            pending = task.checked_in_at is None and task.check_in_at.astimezone(zone).date() <= today
            check = Text(local(task.check_in_at, zone, "%d.%m %H:%M"), style="bold yellow" if pending else "")
            if task.checked_in_at is not None:
                check = Text("✓ " + local(task.checked_in_at, zone, "%d.%m"), style="green")
        return str(task.id), [
            Text(short_date(task.due_on, "%d.%m.%y"), style="bold red" if late else ""),
            Text(task.title),
            Text(task.client_name or ""),
            Text(task.assignee or _("me")),
            check,
            Text(label(Priority, task.priority)),
        ]

    def selected(self) -> TaskRead | None:
        key = self.query_one("#tasks-table", FastTable).cursor_key
        return next((t for t in self.tasks if str(t.id) == key), None) if key else None

    def action_drop(self) -> None:
        """Cancel a task no longer needed (it leaves the lists and the alerts); u undoes it."""
        task = self.selected()
        if task is None:
            return
        self.db("drop", lambda ws: ws.cancel_task(task.id), note=_("Dropped (u brings it back)"))

    def action_undo_drop(self) -> None:
        if not self.dropped:
            self.notify(_("Nothing dropped here to bring back"), severity="warning")
            return
        task_id = self.dropped.pop()
        self.db("reopen", lambda ws: ws.reopen_task(task_id), note=_("Back"))

    def action_complete(self) -> None:
        task = self.selected()
        if task is not None:
            self.db("complete", lambda ws: ws.complete_task(task.id), note=_("Done"))

    def action_check_in(self) -> None:
        task = self.selected()
        if task is None:
            return
        if not task.delegated:
            self.notify(_("Check-ins are for delegated tasks"), severity="warning")
            return
        self.db("check-in", lambda ws: ws.confirm_check_in(task.id), note=_("Check-in confirmed"))

    def action_move(self) -> None:
        """Reschedule: a repeating task asks "this one or the following?", a next step promised at a meeting
        moved past its date "was the client told?" (rule 19: not told adds a "tell the client" task)."""
        from amtui.screens.form_question import client_told, this_or_following
        from amtui.screens.forms import DateForm
        from amtui.services.promises import task_promise

        task = self.selected()
        if task is None:
            return

        def move(day: date, following: bool, told: bool | None) -> None:
            note = _("Rescheduled") if told is not False else _("Rescheduled; a 'tell the client' task is due today")
            self.db("move", lambda ws: ws.move_task(task.id, day, following=following, told=told).item, note=note)

        def with_scope(scope: str | None) -> None:
            if scope is None:
                return

            def moved(day: date | None) -> None:
                if day is None:
                    return
                promise = task_promise(task.report_id, task.title, task.due_on, day)
                if promise is None:
                    move(day, scope == "following", None)
                    return
                self.app.push_screen(
                    client_told(promise),
                    lambda answer: move(day, scope == "following", answer == "told") if answer else None,
                )

            self.app.push_screen(
                DateForm(
                    _("Reschedule: {title}").format(title=task.title),
                    label=_("Due"),
                    value=short_date(task.due_on, "%d.%m.%Y"),
                ),
                moved,
            )

        if task.series_id is not None:
            self.app.push_screen(this_or_following(), with_scope)
        else:
            with_scope("this")

    def action_add(self) -> None:
        self.amtui.action_new_task()

    def action_view(self) -> None:
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        self.reload()

    def action_open(self) -> None:
        task = self.selected()
        if task is not None and task.client_id is not None:
            self.amtui.open_client(task.client_id)

    @on(FastTable.RowSelected)
    def row_selected(self, event: FastTable.RowSelected) -> None:
        self.action_open()
