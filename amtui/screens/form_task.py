"""Add a task of my own or delegate one to a colleague."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.suggester import SuggestFromList
from textual.widgets import Select

from amtui.i18n import N_, _
from amtui.screens.base import DbDone
from amtui.screens.form_base import FormScreen, form_css, translated
from amtui.widgets.fields import Field

if TYPE_CHECKING:
    from amtui.services.workspace import Workspace


class TaskForm(FormScreen):
    CSS_PATH = form_css(__file__)
    TITLE_TEXT = N_("New task")

    def __init__(self, *, client_id: int | None = None) -> None:
        super().__init__()
        self.client_id = client_id

    def fields(self) -> ComposeResult:
        yield Field(_("Title"), required=True, id="f-title")
        yield self.date_field(_("Due"), "+7d", field_id="f-due")
        yield Field(_("Assignee (empty = me)"), placeholder=_("a colleague's name to delegate"), id="f-assignee")
        yield Select(
            translated([(N_("High"), "high"), (N_("Normal"), "normal"), (N_("Low"), "low")]),
            value="normal",
            allow_blank=False,
            id="f-priority",
        )

    def on_mount(self) -> None:
        self.field("f-title").input.focus()
        self.load("colleagues", lambda ws: [person.name for person in ws.colleagues()])

    @on(DbDone)
    def colleagues_loaded(self, message: DbDone) -> None:
        """The assignee completes colleagues' names (any case): "пет" offers "Петров (логистика)"."""
        if message.request == "colleagues":
            self.field("f-assignee").input.suggester = SuggestFromList(message.result, case_sensitive=False)

    def job(self) -> Any:
        values = {
            "title": self.field("f-title").parsed,
            "due_on": self.field("f-due").parsed,
            "assignee": self.field("f-assignee").parsed,
            "priority": self.choice("f-priority"),
            "client_id": self.client_id,
        }

        def add(ws: Workspace) -> str:
            task = ws.add_task(**values)
            if task.assignee:
                return _("Task added for {who}: {title}").format(who=task.assignee, title=task.title)
            return _("Task added: {title}").format(title=task.title)

        return add
