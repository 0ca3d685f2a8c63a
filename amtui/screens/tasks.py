"""Tasks: mine and delegated, overdue first; complete, reschedule, confirm a check-in."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from amtui.screens.base import DbMixin, local, short_date

if TYPE_CHECKING:
    from amtui.services.schemas import TaskRead

VIEWS = ("all", "mine", "delegated")


class TasksScreen(DbMixin, Screen):
    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "complete", "Done", key_display="space"),
        Binding("m", "move", "Reschedule"),
        Binding("k", "check_in", "Check-in OK"),
        Binding("a", "add", "Add"),
        Binding("f", "view", "Mine/delegated"),
        Binding("enter", "open", "Open client", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.tasks: list[TaskRead] = []
        self.view = "all"
        self.today = date.today()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="tasks-title")
        table: DataTable[Any] = DataTable(id="tasks-table", cursor_type="row", zebra_stripes=True)
        for label, key, width in (
            ("Due", "due", 8),
            ("Task", "title", 30),
            ("Client", "client", 18),
            ("Who", "who", 10),
            ("Check-in", "check", 11),
            ("Pri", "priority", 6),
        ):
            table.add_column(label, key=key, width=width)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Tasks"

    def on_screen_resume(self) -> None:
        if self.is_stale():
            self.reload()

    def reload(self) -> None:
        self.load(lambda backend: (backend.task_list(), backend.today()), self.show, group="tasks")

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
            Text(f"{len(tasks)} open tasks ({self.view}), {overdue} overdue", style="bold")
        )
        table = self.query_one("#tasks-table", DataTable)
        cursor = table.cursor_row
        table.clear()
        zone = self.backend.zone
        for task in tasks:
            late = task.due_on is not None and task.due_on < today
            check = ""
            if task.delegated and task.check_in_at is not None:
                pending = task.checked_in_at is None and task.check_in_at.astimezone(zone).date() <= today
                check = Text(local(task.check_in_at, zone, "%d.%m %H:%M"), style="bold yellow" if pending else "")
                if task.checked_in_at is not None:
                    check = Text("✓ " + local(task.checked_in_at, zone, "%d.%m"), style="green")
            table.add_row(
                Text(short_date(task.due_on, "%d.%m.%y"), style="bold red" if late else ""),
                task.title,
                task.client_name or "",
                task.assignee or "me",
                check,
                task.priority,
                key=str(task.id),
            )
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))

    def selected(self) -> TaskRead | None:
        table = self.query_one("#tasks-table", DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return next((t for t in self.tasks if str(t.id) == row_key.value), None)

    def _after(self, verb: str) -> Any:
        def after(task: TaskRead) -> None:
            self.notify(f"{verb}: {task.title}")
            self.reload()

        return after

    def action_complete(self) -> None:
        task = self.selected()
        if task is not None:
            self.db(lambda backend: backend.complete_task(task.id), self._after("Done"))

    def action_check_in(self) -> None:
        task = self.selected()
        if task is None:
            return
        if not task.delegated:
            self.notify("Check-ins are for delegated tasks", severity="warning")
            return
        self.db(lambda backend: backend.confirm_check_in(task.id), self._after("Check-in confirmed"))

    def action_move(self) -> None:
        from amtui.screens.forms import DateForm

        task = self.selected()
        if task is None:
            return

        def moved(day: date | None) -> None:
            if day is not None:
                self.db(lambda backend: backend.reschedule_task(task.id, day), self._after("Rescheduled"))

        self.app.push_screen(
            DateForm(f"Reschedule: {task.title}", label="Due", value=short_date(task.due_on, "%d.%m.%Y")), moved
        )

    def action_add(self) -> None:
        self.amtui.action_new_task()

    def action_view(self) -> None:
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        self.reload()

    def action_open(self) -> None:
        task = self.selected()
        if task is not None and task.client_id is not None:
            self.amtui.open_client(task.client_id)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()
