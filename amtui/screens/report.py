"""The meeting report: attendees, agenda, agreements, next steps that become tasks; copy, export, mark sent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Header, Label, SelectionList, Static, TextArea

from amtui.i18n import N_, _, ngettext
from amtui.screens.base import DbDone, DbFailed, DbMixin, describe_error, local
from amtui.vocabulary import report_title
from amtui.widgets.fields import DateField, Field
from amtui.widgets.footer import StableFooter
from amtui.widgets.keys_in_order import OrderedTextArea

if TYPE_CHECKING:
    from amtui.services.schemas import ContactRead, InteractionRead, ReportRead
    from amtui.services.workspace import InteractionView, Workspace

MIN_STEP_ROWS = 3
DRAFT_EVERY_S = 2.0  # how often what is typed is written to the draft file


class StepRow(Horizontal):
    """One next step: what, who (empty = me), by when."""

    DEFAULT_CSS = """
    StepRow { height: auto; }
    StepRow > .step--text { width: 3fr; }
    StepRow > .step--owner { width: 1fr; }
    StepRow > .step--due { width: 1fr; }
    """

    def __init__(self, index: int, text: str, owner: str, due: str, workspace: Workspace) -> None:
        super().__init__(id=f"step-{index}")
        self.index = index
        self.values = (text, owner, due)
        self.workspace = workspace

    def compose(self) -> ComposeResult:
        text, owner, due = self.values
        yield Field(_("Next step {n}").format(n=self.index + 1), text, classes="step--text")
        yield Field(_("Owner"), owner, placeholder=_("me"), classes="step--owner")
        yield DateField(_("Due"), due, now=self.workspace.now, zone=self.workspace.zone, classes="step--due")

    def read(self) -> tuple[str, str | None, date | None] | None:
        text_field, owner_field, due_field = self.query(Field)
        if not text_field.value.strip():
            if owner_field.value.strip() or due_field.value.strip():
                text_field.show_error(_("what is the step?"))
                raise ValueError(_("next step {n} has an owner or date but no text").format(n=self.index + 1))
            return None
        return text_field.value.strip(), owner_field.parsed, due_field.parsed


class ReportScreen(DbMixin, Screen):
    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        # Most important first: on a narrow terminal the footer leaves out the last ones (? lists all).
        Binding("ctrl+s", "save", N_("Save"), priority=True, id="report.save"),
        Binding("escape", "leave", N_("Back"), id="report.back"),
        Binding("ctrl+n", "add_step", N_("Add step"), priority=True, id="report.add-step"),
        Binding("ctrl+y", "copy", N_("Copy text"), priority=True, id="report.copy"),
        Binding("ctrl+t", "mark_sent", N_("Mark sent"), priority=True, id="report.mark-sent"),
        Binding("ctrl+e", "export", N_("Save .md"), priority=True, id="report.export"),
    ]

    def __init__(self, interaction_id: int) -> None:
        super().__init__()
        self.interaction_id = interaction_id
        self.interaction: InteractionRead | None = None
        self.people: list[ContactRead] = []
        self.report: ReportRead | None = None
        self.step_count = 0
        self.after_save: Callable[[ReportRead], None] | None = None
        # What the report held when loaded or last saved, and what the draft file last got.
        self.pristine: dict[str, Any] | None = None
        self.drafted: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="report-body"):
            yield Static(_("Loading…"), id="report-title")
            yield Label(_("Attendees (space to tick)"), classes="report--label")
            yield SelectionList[int](id="report-attendees")
            yield Field(_("Other attendees"), id="report-others")
            yield Label(_("Agenda"), classes="report--label")
            yield OrderedTextArea(id="report-agenda")
            yield Label(_("Agreements"), classes="report--label")
            yield OrderedTextArea(id="report-agreements")
            yield Static("", id="report-steps-anchor")
            yield Static("", id="report-status", markup=False)
        yield StableFooter()

    def on_mount(self) -> None:
        self.sub_title = _("Meeting report")  # until the interaction is read: then a visit's or a meeting's
        interaction_id = self.interaction_id
        self.db("interaction", lambda ws: (ws.interaction(interaction_id), ws.draft("report", interaction_id)))
        self.set_interval(DRAFT_EVERY_S, self.autosave)

    @on(DbDone)
    def done(self, message: DbDone) -> None:
        if message.request == "interaction":
            view, draft = message.result
            self.loaded(view)
            self.offer_draft(draft)
        elif message.request == "save":
            self.saved(message.result)
        elif message.request == "sent":
            self.report = message.result
            self.set_status()
            self.notify(_("Report marked as sent"))

    @on(DbFailed)
    def failed(self, event: DbFailed) -> None:
        if event.request == "save":  # the notice follows (DbMixin); the form keeps every input
            self.after_save = None
            self.set_status(_("Not saved: {reason}").format(reason=describe_error(event.error)))

    def loaded(self, result: InteractionView) -> None:
        item, people, report = result.interaction, list(result.people), result.report
        self.interaction, self.people, self.report = item, people, report
        zone = self.workspace.zone
        where = f", {item.place or item.city}" if (item.place or item.city) else ""
        self.sub_title = report_title(item.kind)
        title = _("Visit report: {client}") if item.kind == "visit" else _("Meeting report: {client}")
        self.query_one("#report-title", Static).update(
            "[b]"
            + title.format(client=escape(item.client_name))
            + f"[/b], {local(item.when, zone, '%d.%m.%Y %H:%M')}{escape(where)}"
        )
        chosen = set(report.attendee_ids if report else item.contact_ids)
        attendees = self.query_one("#report-attendees", SelectionList)
        for person in people:
            role = " ★" if person.is_decision_maker else ""
            attendees.add_option((Text(f"{person.full_name}{role}"), person.id, person.id in chosen))
        steps: list[tuple[str, str, str]] = []
        if report is not None:
            self.query_one("#report-others", Field).value = report.other_attendees or ""
            self.query_one("#report-agenda", TextArea).text = report.agenda or ""
            self.query_one("#report-agreements", TextArea).text = report.agreements or ""
            steps = [
                (s.text, s.owner or "", s.due_on.strftime("%d.%m.%Y") if s.due_on else "") for s in report.next_steps
            ]
        for text, owner, due in steps:
            self.add_step_row(text, owner, due)
        while self.step_count < max(MIN_STEP_ROWS, len(steps) + 1):
            self.add_step_row()
        self.set_status()
        self.query_one("#report-agenda", TextArea).focus()
        self.pristine = self.drafted = self.snapshot()

    def add_step_row(self, text: str = "", owner: str = "", due: str = "") -> StepRow:
        row = StepRow(self.step_count, text, owner, due, self.workspace)
        self.step_count += 1
        self.query_one("#report-body").mount(row, before="#report-steps-anchor")
        return row

    def action_add_step(self) -> None:
        row = self.add_step_row()
        self.call_after_refresh(lambda: row.query(Field).first().input.focus())

    def set_status(self, extra: str = "") -> None:
        if self.report is None:
            state = _("Report not saved yet.")
        elif self.report.sent_at:
            state = _("Report saved; sent {when}.").format(
                when=local(self.report.sent_at, self.workspace.zone, "%d.%m.%Y %H:%M")
            )
        else:
            state = _("Report saved; not sent.")
        self.query_one("#report-status", Static).update(f"{state} {extra}".strip())

    def collect(self) -> dict[str, Any]:
        """The form's content; raises ValueError (shown, nothing lost) when a field is wrong."""
        fields_ok = all([field.validate() for field in self.query(Field)])
        steps = []
        for row in self.query(StepRow):
            step = row.read()
            if step is not None:
                steps.append(step)
        if not fields_ok:
            raise ValueError(_("please correct the marked fields"))
        return {
            "attendee_ids": list(self.query_one("#report-attendees", SelectionList).selected),
            "other_attendees": self.query_one("#report-others", Field).value,
            "agenda": self.query_one("#report-agenda", TextArea).text,
            "agreements": self.query_one("#report-agreements", TextArea).text,
            "steps": steps,
        }

    def action_save(self, then: Callable[[ReportRead], None] | None = None) -> None:
        if self.interaction is None:
            return
        try:
            values = self.collect()
        except ValueError as exc:
            self.set_status(_("Not saved: {reason}").format(reason=exc) + ".")
            return
        interaction_id = self.interaction_id
        self.set_status(_("Saving…"))

        # What to do once saved (copy, export, mark sent): kept on the screen, not sent with the work.
        self.after_save = then
        self.db("save", lambda ws: ws.save_report(interaction_id, **values))

    def saved(self, report: ReportRead) -> None:
        self.pristine = self.drafted = self.snapshot()
        self.workspace.drop_draft("report", self.interaction_id)  # one small file
        before = {s.task_id for s in self.report.next_steps} if self.report else set()
        self.report = report
        new_tasks = sum(1 for s in report.next_steps if s.task_id and s.task_id not in before)
        message = ngettext(
            "Report saved; {n} new task from next steps", "Report saved; {n} new tasks from next steps", new_tasks
        ).format(n=new_tasks)
        self.set_status(message + ".")
        self.notify(message)
        then, self.after_save = self.after_save, None
        if then is not None:
            then(report)

    def rendered(self, report: ReportRead, *, markdown: bool) -> str:
        from amtui.services.reports import render_report

        return render_report(report, zone=self.workspace.zone, markdown=markdown)

    def saved_then(self, then: Callable[[ReportRead], None]) -> None:
        """Run ``then`` on the saved report: saving first only when something changed since."""
        if self.report is not None and not self.changed():
            then(self.report)
        else:
            self.action_save(then)

    def action_copy(self) -> None:
        def copy(report: ReportRead) -> None:
            self.app.copy_to_clipboard(self.rendered(report, markdown=False))
            self.set_status(_("Copied to the clipboard as plain text."))

        self.saved_then(copy)

    def action_export(self) -> None:
        def export(report: ReportRead) -> None:
            from amtui.config import user_data_dir

            folder = user_data_dir() / "reports"
            held = report.held_at.astimezone(self.workspace.zone) if report.held_at else None
            stem = f"{held:%Y-%m-%d}-" if held else ""
            safe_client = "".join(ch if ch.isalnum() else "-" for ch in report.client_name).strip("-")
            path = folder / f"{stem}{safe_client}-{report.id}.md"
            try:
                folder.mkdir(parents=True, exist_ok=True)
                path.write_text(self.rendered(report, markdown=True), encoding="utf-8")
            except OSError as exc:
                self.set_status(_("Cannot write {path}: {reason}").format(path=path, reason=exc.strerror))
                return
            self.set_status(_("Saved as {path}").format(path=path))
            self.notify(_("Saved as {path}").format(path=path))

        self.saved_then(export)

    def action_mark_sent(self) -> None:
        def mark(report: ReportRead) -> None:
            report_id = report.id
            self.db("sent", lambda ws: ws.mark_report_sent(report_id))

        self.saved_then(mark)

    # Unsaved changes: a draft on disk, and a question before leaving

    def snapshot(self) -> dict[str, Any]:
        """What is typed, as plain text (no validation): what a draft keeps."""
        steps = []
        for row in self.query(StepRow):
            values = [field.value for field in row.query(Field)]
            if any(value.strip() for value in values):
                steps.append(values)
        return {
            "attendee_ids": sorted(self.query_one("#report-attendees", SelectionList).selected),
            "other_attendees": self.query_one("#report-others", Field).value,
            "agenda": self.query_one("#report-agenda", TextArea).text,
            "agreements": self.query_one("#report-agreements", TextArea).text,
            "steps": steps,
        }

    def changed(self) -> bool:
        return self.pristine is not None and self.snapshot() != self.pristine

    def autosave(self) -> None:
        """Keep the draft file up to date with what is typed (dropped once the report is saved)."""
        if self.pristine is None:
            return
        current = self.snapshot()
        if current == self.drafted:
            return
        self.drafted = current
        interaction_id = self.interaction_id
        if current == self.pristine:
            self.db("draft", lambda ws: ws.drop_draft("report", interaction_id))
        else:
            self.db("draft", lambda ws: ws.save_draft("report", interaction_id, current))

    def offer_draft(self, draft: dict[str, Any] | None) -> None:
        if not draft:
            return
        kept = {key: draft.get(key) for key in ("attendee_ids", "other_attendees", "agenda", "agreements", "steps")}
        if kept == self.pristine:
            return
        from amtui.screens.form_leave import RestoreDraft

        when = str(draft.get("saved_at", ""))[:16].replace("T", " ")
        interaction_id = self.interaction_id

        def answered(restore: bool | None) -> None:
            if restore:
                self.restore(kept)
            else:
                self.db("draft", lambda ws: ws.drop_draft("report", interaction_id))

        self.app.push_screen(RestoreDraft(when), answered)

    def restore(self, draft: dict[str, Any]) -> None:
        attendees = self.query_one("#report-attendees", SelectionList)
        attendees.deselect_all()
        for contact_id in draft.get("attendee_ids") or []:
            if isinstance(contact_id, int):
                attendees.select(contact_id)
        self.query_one("#report-others", Field).value = str(draft.get("other_attendees") or "")
        self.query_one("#report-agenda", TextArea).text = str(draft.get("agenda") or "")
        self.query_one("#report-agreements", TextArea).text = str(draft.get("agreements") or "")
        steps = [step for step in draft.get("steps") or [] if isinstance(step, list) and len(step) == 3]
        rows = list(self.query(StepRow))
        for row in rows:
            for field in row.query(Field):
                field.value = ""
        for index, step in enumerate(steps):
            if index < len(rows):
                for field, value in zip(rows[index].query(Field), step, strict=True):
                    field.value = str(value)
            else:
                self.add_step_row(*(str(value) for value in step))
        self.set_status(_("Draft restored: not saved yet."))

    def action_leave(self) -> None:
        """Esc: back at once when nothing changed, else save / discard / stay."""
        if not self.changed():
            self.app.pop_screen()
            return
        from amtui.screens.form_leave import DISCARD, SAVE, LeaveUnsaved

        interaction_id = self.interaction_id

        def answered(answer: str | None) -> None:
            if answer == SAVE:

                def back(_report: ReportRead) -> None:
                    self.app.pop_screen()

                self.action_save(back)
            elif answer == DISCARD:
                self.workspace.drop_draft("report", interaction_id)  # one small file
                self.pristine = None
                self.app.pop_screen()

        self.app.push_screen(LeaveUnsaved(_("the report")), answered)
