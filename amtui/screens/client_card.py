"""The client card: facts, people, timeline, contracts, money, deals, notes, and quick actions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from amtui.screens.base import DbMixin, local, money, short_date

if TYPE_CHECKING:
    from amtui.ui_services import CardData

ROLE_LABELS = {"decision_maker": "★ decides", "influencer": "influences", "user": "uses", "gatekeeper": "gatekeeper"}


class ClientCardScreen(DbMixin, Screen):
    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("c", "log_call", "Log call"),
        Binding("p", "plan('call')", "Plan call"),
        Binding("v", "plan('visit')", "Plan visit"),
        Binding("r", "report", "Report"),
        Binding("t", "task", "Task"),
        Binding("n", "note", "Note"),
        Binding("e", "edit", "Edit"),
    ]

    def __init__(self, client_id: int) -> None:
        super().__init__()
        self.client_id = client_id
        self.data: CardData | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="card-body"):
            yield Static("Loading…", id="card-facts")
            yield Static("", id="card-warnings")
            yield Static("", id="card-people", classes="card-section")
            yield Static("", id="card-planned", classes="card-section")
            yield Static("", id="card-timeline", classes="card-section")
            yield Static("", id="card-money", classes="card-section")
            yield Static("", id="card-deals", classes="card-section")
            yield Static("", id="card-notes", classes="card-section")
        yield Footer()

    def on_screen_resume(self) -> None:
        if self.is_stale():
            self.reload()

    def reload(self) -> None:
        client_id = self.client_id
        self.load(lambda backend: backend.card(client_id), self.show, group="card")

    def show(self, data: CardData) -> None:
        self.data = data
        card, zone, today = data.card, self.backend.zone, data.today
        client = card.client
        self.sub_title = client.name
        facts = Text()
        facts.append(client.name, style="bold")
        facts.append(f"   tier {client.tier} · {client.status}")
        if client.segment:
            facts.append(f" · {client.segment}")
        if client.city:
            facts.append(f" · {client.city}")
        facts.append("\n")
        last = local(card.last_touch_at, zone, "%d.%m.%Y") or "never"
        due = card.next_contact_due
        facts.append(f"Last touch {last}; next due {short_date(due, '%d.%m.%Y')}")
        if due and due < today:
            facts.append(f" ({(today - due).days} d late)", style="bold red")
        facts.append(f"; every {client.cadence_days} d\n")
        owed = Text(f"Receivables {money(card.receivables_minor, client.currency)}")
        if card.overdue_minor:
            owed.append(f", overdue {money(card.overdue_minor, client.currency)}", style="bold red")
        facts.append(owed)
        extras = [
            part
            for part in (
                client.phone,
                client.email,
                client.website,
                f"INN {client.tax_id}" if client.tax_id else None,
                f"terms {client.payment_terms_days} d" if client.payment_terms_days else None,
                f"limit {money(client.credit_limit_minor, client.currency)}" if client.credit_limit_minor else None,
            )
            if part
        ]
        if extras:
            facts.append("\n" + " · ".join(extras), style="dim")
        self.query_one("#card-facts", Static).update(facts)
        warnings = self.query_one("#card-warnings", Static)
        warnings.update(Text("\n".join(f"⚠ {w}" for w in card.warnings), style="bold yellow"))
        warnings.display = bool(card.warnings)

        people = Text("People\n", style="bold")
        for person in card.contacts:
            people.append("★ " if person.is_decision_maker else "  ", style="bold yellow")
            people.append(person.full_name, style="bold" if person.is_decision_maker else "")
            role = ROLE_LABELS.get(person.role or "", person.role or "")
            details = ", ".join(part for part in (person.title, role) if part)
            if details:
                people.append(f" — {details}")
            reach = [p.value for p in person.phones] + [e.value for e in person.emails]
            if person.birthday_md:
                month, day = person.birthday_md.split("-")
                year = f".{person.birthday_year}" if person.birthday_year else ""
                reach.append(f"birthday {day}.{month}{year}")
            if reach:
                people.append("\n    " + " · ".join(reach), style="dim")
            if person.personal_notes:
                people.append(f"\n    {person.personal_notes}", style="italic")
            people.append("\n")
        if not card.contacts:
            people.append("No contacts\n", style="dim")
        self.query_one("#card-people", Static).update(people)

        planned = _table("Planned", ("When", "Kind", "Subject", "Place"))
        for item in card.planned:
            when = local(item.planned_at, zone, "%a %d.%m %H:%M")
            planned.add_row(when, item.kind, item.subject or "", item.place or "")
        self.query_one("#card-planned", Static).update(planned)
        self.query_one("#card-planned", Static).display = bool(card.planned)

        timeline = _table("Timeline", ("When", "Kind", "Status", "Subject / outcome", "Report"))
        reported = {report.interaction_id: report for report in data.reports}
        for item in card.interactions:
            text = " — ".join(part for part in (item.subject, item.outcome) if part)
            report = ""
            if item.kind in ("visit", "meeting") and item.status == "done":
                sent = reported.get(item.id)
                report = ("sent" if sent and sent.sent_at else "written") if item.has_report else "missing"
            timeline.add_row(local(item.when, zone, "%d.%m.%y %H:%M"), item.kind, item.status, text, report)
        self.query_one("#card-timeline", Static).update(timeline)

        money_table = _table("Contracts and invoices", ("Document", "Dates", "Amount", "Owed / days left"))
        for contract in card.contracts:
            left = (contract.end_on - today).days if contract.end_on else None
            left_text = Text(f"{left} d left" if left is not None else "open-ended")
            if left is not None and left < 60:
                left_text.stylize("bold yellow" if left >= 0 else "red")
            money_table.add_row(
                f"Contract {contract.number} {contract.title or ''}".strip(),
                f"{short_date(contract.start_on)}–{short_date(contract.end_on)}",
                money(contract.value_minor, contract.currency),
                left_text,
            )
        for invoice in card.invoices:
            if invoice.owed_minor <= 0:
                continue
            age = (today - invoice.due_on).days
            owed = Text(money(invoice.owed_minor, invoice.currency))
            if age > 0:
                owed.append(f" {age} d overdue", style="bold red")
            money_table.add_row(
                f"Invoice {invoice.number}",
                f"{short_date(invoice.issued_on)} due {short_date(invoice.due_on)}",
                money(invoice.amount_minor, invoice.currency),
                owed,
            )
        self.query_one("#card-money", Static).update(money_table)

        deals = _table("Deals and tasks", ("What", "Stage / due", "Amount", "Who"))
        for deal in card.deals:
            deals.add_row(
                f"{deal.title} ({deal.kind})",
                deal.stage,
                money(deal.amount_minor, deal.currency),
                f"{deal.probability}%" if deal.probability is not None else "",
            )
        for task in card.open_tasks:
            late = task.due_on is not None and task.due_on < today
            deals.add_row(
                f"Task: {task.title}",
                Text(short_date(task.due_on), style="bold red" if late else ""),
                "",
                task.assignee or "me",
            )
        self.query_one("#card-deals", Static).update(deals)
        notes = Text("Notes\n", style="bold")
        for note in card.notes:
            notes.append(f"{note.created_at.astimezone(zone):%d.%m.%y} [{note.tag}] ", style="dim")
            notes.append(note.text + "\n")
        if client.needs:
            notes.append(f"Needs: {client.needs}\n")
        if client.competitors:
            notes.append(f"Competitors: {client.competitors}\n")
        self.query_one("#card-notes", Static).update(notes)

    # Quick actions

    def action_log_call(self) -> None:
        self.amtui.action_new("call", log=True, client_id=self.client_id)

    def action_plan(self, kind: str) -> None:
        self.amtui.action_new(kind, client_id=self.client_id)

    def action_task(self) -> None:
        self.amtui.action_new_task(client_id=self.client_id)

    def action_note(self) -> None:
        from amtui.screens.forms import NoteForm

        self.app.push_screen(NoteForm(client_id=self.client_id), self.amtui.after_write)

    def action_edit(self) -> None:
        from amtui.screens.forms import ClientForm

        if self.data is not None:
            self.app.push_screen(ClientForm(client=self.data.card.client), self.amtui.after_write)

    def action_report(self) -> None:
        """Write the report of the latest visit/meeting that has none (or reopen the latest one)."""
        if self.data is None:
            return
        meetings = [i for i in self.data.card.interactions if i.kind in ("visit", "meeting") and i.status == "done"]
        missing = [i for i in meetings if not i.has_report]
        chosen = (missing or meetings or [None])[0]
        if chosen is None:
            self.notify("No visit or meeting took place yet: plan one with v", severity="warning")
            return
        self.amtui.open_report(chosen.id)


def _table(title: str, columns: tuple[str, ...]) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", box=None, padding=(0, 1))
    for column in columns:
        table.add_column(column, overflow="fold")
    return table
