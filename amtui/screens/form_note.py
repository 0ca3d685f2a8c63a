"""Add a note to a client: general, a competitor seen, a need heard, something personal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.widgets import Select

from amtui.i18n import N_, _
from amtui.screens.form_base import FormScreen, form_css, translated
from amtui.widgets.fields import Field

if TYPE_CHECKING:
    from amtui.services.workspace import Workspace


class NoteForm(FormScreen):
    CSS_PATH = form_css(__file__)
    TITLE_TEXT = N_("Add a note")
    TAGS: ClassVar[list[tuple[str, str]]] = [
        (N_("General"), "general"),
        (N_("Competitor"), "competitor"),
        (N_("Need"), "need"),
        (N_("Personal"), "personal"),
    ]

    def __init__(self, *, client_id: int) -> None:
        super().__init__()
        self.client_id = client_id

    def fields(self) -> ComposeResult:
        yield Field(_("Note"), required=True, id="f-text")
        yield Select(translated(self.TAGS), value="general", allow_blank=False, id="f-tag")

    def on_mount(self) -> None:
        self.field("f-text").input.focus()

    def job(self) -> Any:
        text = self.field("f-text").parsed
        tag = self.choice("f-tag")
        client_id = self.client_id

        def add(ws: Workspace) -> str:
            ws.add_note(client_id, text, tag)
            return _("Note added")

        return add
