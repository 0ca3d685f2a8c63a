"""The client card: facts, people, timeline, contracts, money, deals, notes, and quick actions.

People, the planned list, the timeline, the money and the deals tables are selectable:
Enter edits a person, opens a visit's meeting report (or shows any other entry), edits or
renews a contract, records a payment on an invoice, edits a deal; Del deletes the person,
contract or deal under the cursor after asking. Every write goes through a modal form
that keeps its input on failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Header, Label, OptionList, Static
from textual.widgets.data_table import RowDoesNotExist
from textual.widgets.option_list import Option, OptionDoesNotExist

from amtui.i18n import N_, _
from amtui.screens.base import DbDone, DbMixin, QuickResume, ReloadsWhenStale, local, money, short_date
from amtui.services.locale_format import discount, percent
from amtui.vocabulary import (
    REPORTED_KINDS,
    Channel,
    ClientStatus,
    ComplaintKind,
    ComplaintStatus,
    ContactRole,
    DealKind,
    DealStage,
    InteractionKind,
    InteractionStatus,
    NoteTag,
    complaint_cadence,
    label,
)
from amtui.widgets.footer import StableFooter
from amtui.widgets.settled_table import SettledTable

if TYPE_CHECKING:
    from datetime import date

    from amtui.services.schemas import (
        ComplaintRead,
        ContactRead,
        ContractRead,
        DealRead,
        InteractionRead,
        InvoiceRead,
    )
    from amtui.services.undo import Removed
    from amtui.services.workspace import CardView


class ClientCardScreen(QuickResume, ReloadsWhenStale, DbMixin, Screen):
    CSS_PATH = Path(__file__).with_suffix(".tcss")
    # Short descriptions: a dozen keys share the compact footer (all of them are on the ? screen).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", N_("Back"), show=False, id="card.back"),
        Binding("c", "log_call", N_("Log call"), id="card.log-call"),
        Binding("p", "plan('call')", N_("Plan"), id="card.plan-call"),
        Binding("v", "plan('visit')", N_("Visit"), id="card.plan-visit"),
        Binding("r", "report", N_("Report"), show=False, id="card.report"),
        Binding("t", "task", N_("Task"), id="card.task"),
        # Not in the footer at 80 columns (the section headings name them, ? lists them all).
        Binding("n", "note", N_("Note"), show=False, id="card.note"),
        Binding("a", "add_contact", N_("Person"), show=False, id="card.add-contact"),
        Binding("i", "invoice", N_("Invoice"), show=False, id="card.invoice"),
        Binding("m", "payment", N_("Payment"), show=False, id="card.payment"),
        Binding("k", "contract", N_("Contract"), show=False, id="card.contract"),
        Binding("d", "deal", N_("Deal"), id="card.deal"),
        Binding("w", "complaint", N_("Complaint"), show=False, id="card.complaint"),
        Binding("e", "edit", N_("Edit"), id="card.edit"),
        Binding("delete,x", "delete_selected", N_("Delete"), key_display="Del", id="card.delete-selected"),
        Binding("right_square_bracket", "section(1)", N_("Section"), key_display="]", id="card.next-section"),
        Binding(
            "left_square_bracket",
            "section(-1)",
            N_("Previous section"),
            key_display="[",
            show=False,
            id="card.previous-section",
        ),
        # Priority: the focused list would otherwise take the page keys and the card would not move.
        Binding("pagedown", "page(1)", N_("Scroll down a page"), show=False, priority=True, id="card.page-down"),
        Binding("pageup", "page(-1)", N_("Scroll up a page"), show=False, priority=True, id="card.page-up"),
    ]
    # The sections [ and ] (and Tab) move between, in order.
    SECTIONS = ("#card-people", "#card-planned", "#card-timeline", "#card-money", "#card-deals", "#card-complaints")

    def __init__(self, client_id: int) -> None:
        super().__init__()
        self.client_id = client_id
        self.data: CardView | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="card-body"):
            yield Static(_("Loading…"), id="card-facts")
            yield Static("", id="card-warnings")
            yield Label(
                _("People  (Enter edits, a adds, Del deletes; [ ] jump between sections, PgDn/PgUp scroll)"),
                classes="card--heading",
                id="card-people-heading",
            )
            yield OptionList(id="card-people")
            yield Label(_("Planned"), classes="card--heading", id="card-planned-heading")
            yield SettledTable(id="card-planned", cursor_type="row", zebra_stripes=False)
            yield Label(
                _("Timeline  (Enter opens the report or the details)"),
                classes="card--heading",
                id="card-timeline-heading",
            )
            yield SettledTable(id="card-timeline", cursor_type="row")
            yield Label(
                _(
                    "Contracts and invoices  (k adds a contract, i an invoice; Enter edits or renews a contract,"
                    " on an invoice it records a payment)"
                ),
                classes="card--heading",
                id="card-money-heading",
            )
            yield SettledTable(id="card-money", cursor_type="row")
            yield Label(_("Deals and tasks  (Enter edits a deal)"), classes="card--heading", id="card-deals-heading")
            yield SettledTable(id="card-deals", cursor_type="row")
            yield Label(
                _("Complaints and claims  (w records one; Enter edits, resolves or reopens it)"),
                classes="card--heading",
                id="card-complaints-heading",
            )
            yield SettledTable(id="card-complaints", cursor_type="row")
            yield Static("", id="card-notes", classes="card-section")
        # The palette hint makes room for the card's keys at 80 columns (ctrl+p still works, ? says so).
        footer = StableFooter(compact=True)
        footer.show_command_palette = False
        yield footer

    def on_mount(self) -> None:
        # The body scrolls to follow the focused list; focus itself starts on the people.
        self.query_one("#card-body").can_focus = False
        self.query_one("#card-people").focus()
        self.query_one("#card-planned", DataTable).add_columns(_("When"), _("Kind"), _("Subject"), _("Place"))
        self.query_one("#card-timeline", DataTable).add_columns(
            _("When"), _("Kind"), _("Status"), _("Report"), _("Subject / outcome")
        )
        self.query_one("#card-money", DataTable).add_columns(
            _("Document"), _("Owed / days left"), _("Amount"), _("Dates")
        )
        self.query_one("#card-deals", DataTable).add_columns(_("What"), _("Stage / due"), _("Amount"), _("Who"))
        self.query_one("#card-complaints", DataTable).add_columns(
            _("Complaint"), _("Status / promised"), _("Amount"), _("Handled by")
        )

    # Moving around the card: [ and ] jump between sections, PageDown/PageUp scroll it.

    def _sections(self) -> list[Widget]:
        return [widget for widget in (self.query_one(section) for section in self.SECTIONS) if widget.display]

    def action_section(self, step: int) -> None:
        sections = self._sections()
        focused = self.focused
        index = sections.index(focused) if focused in sections else (-1 if step > 0 else len(sections))
        target = sections[max(0, min(index + step, len(sections) - 1))]
        target.focus(scroll_visible=False)
        heading = self.query_one(f"#{target.id}-heading")
        self.query_one("#card-body", VerticalScroll).scroll_to_widget(heading, top=True, animate=False)

    def action_page(self, step: int) -> None:
        body = self.query_one("#card-body", VerticalScroll)
        if step > 0:
            body.scroll_page_down(animate=False)
        else:
            body.scroll_page_up(animate=False)
        self.call_after_refresh(self._focus_in_view)

    def _focus_in_view(self) -> None:
        """The keys act on what is shown: focus the first section whose top is in view."""
        body = self.query_one("#card-body", VerticalScroll)
        top, bottom = body.scroll_y, body.scroll_y + body.scrollable_content_region.height
        for section in self._sections():
            if section is self.focused and top <= section.virtual_region.y < bottom:
                return
        for section in self._sections():
            if top <= section.virtual_region.y < bottom:
                section.focus(scroll_visible=False)
                return

    def reload(self) -> None:
        client_id = self.client_id
        self.load("card", lambda ws: ws.card(client_id))

    @on(DbDone)
    def done(self, message: DbDone) -> None:
        if message.request == "card":
            self.show(message.result)
        elif message.request == "delete":  # the workspace says what, and keeps what ctrl+z puts back
            removed: Removed = message.result
            self.amtui.remember_undo(f"delete of {removed.what}", lambda ws: ws.restore(removed))
            self.notify(_("{deleted} (ctrl+z brings it back)").format(deleted=removed.text))
            self.reload()
        else:
            self.notify(message.result)
            self.reload()

    # Showing the card

    def show(self, data: CardView) -> None:
        self.data = data
        card, zone, today = data.card, self.workspace.zone, data.today
        client = card.client
        self.sub_title = client.name
        self.query_one("#card-facts", Static).update(self.facts_text(data))
        warnings = self.query_one("#card-warnings", Static)
        warnings.update(Text("\n".join(f"⚠ {w}" for w in card.warnings), style="bold yellow"))
        warnings.display = bool(card.warnings)
        self.show_people(card.contacts)

        planned = self.query_one("#card-planned", DataTable)
        with _keeping_cursor(planned):
            for item in card.planned:
                when = (
                    local(item.planned_at, zone, "%a %d.%m %H:%M") if _english() else _local_day(item.planned_at, zone)
                )
                planned.add_row(
                    when, label(InteractionKind, item.kind), item.subject or "", item.place or "", key=str(item.id)
                )
        planned.display = bool(card.planned)
        self.query_one("#card-planned-heading").display = bool(card.planned)

        timeline = self.query_one("#card-timeline", DataTable)
        reported = {report.interaction_id: report for report in data.reports}
        with _keeping_cursor(timeline):
            for item in card.interactions:
                text = " — ".join(part for part in (item.subject, item.outcome) if part)
                report = ""
                if item.kind in REPORTED_KINDS and item.status == "done":
                    sent = reported.get(item.id)
                    report = (_("sent") if sent and sent.sent_at else _("written")) if item.has_report else _("missing")
                when = local(item.when, zone, "%d.%m.%y %H:%M")
                timeline.add_row(
                    when,
                    label(InteractionKind, item.kind),
                    label(InteractionStatus, item.status),
                    report,
                    text,
                    key=str(item.id),
                )
            if not card.interactions:
                timeline.add_row("", "", "", "", Text(_("Nothing yet: c logs a call"), style="dim"), key="none")

        money_table = self.query_one("#card-money", DataTable)
        with _keeping_cursor(money_table):
            for contract in card.contracts:
                left = (contract.end_on - today).days if contract.end_on else None
                left_text = Text(_("{n} d left").format(n=left) if left is not None else _("open-ended"))
                if left is not None and left < 60:
                    left_text.stylize("bold yellow" if left >= 0 else "red")
                title = contract.title or ""
                document = _("Contract {number} {title}").format(number=contract.number, title=title).strip()
                money_table.add_row(
                    # Short enough that the exact amount still fits at 80 columns (the title is on Enter).
                    Text(document if len(document) <= 26 else document[:25] + "…"),
                    left_text,
                    money(contract.value_minor, contract.currency),
                    f"{short_date(contract.start_on)}–{short_date(contract.end_on)}",
                    key=f"contract:{contract.id}",
                )
            for invoice in card.invoices:
                if invoice.owed_minor <= 0:
                    continue
                age = (today - invoice.due_on).days
                owed = Text(money(invoice.owed_minor, invoice.currency))
                if invoice.paid_minor:
                    owed.append(" " + _("(part paid)"), style="dim")
                if age > 0:
                    owed.append(" " + _("{n} d overdue").format(n=age), style="bold red")
                money_table.add_row(
                    _("Invoice {number}").format(number=invoice.number),
                    owed,
                    money(invoice.amount_minor, invoice.currency),
                    _("{issued} due {due}").format(
                        issued=short_date(invoice.issued_on), due=short_date(invoice.due_on)
                    ),
                    key=f"invoice:{invoice.id}",
                )
            if money_table.row_count == 0:
                money_table.add_row(
                    Text(_("No contracts or unpaid invoices: i adds an invoice"), style="dim"), "", "", ""
                )

        deals = self.query_one("#card-deals", DataTable)
        with _keeping_cursor(deals):
            for deal in card.deals:
                deals.add_row(
                    f"{deal.title} ({label(DealKind, deal.kind)})",
                    label(DealStage, deal.stage),
                    money(deal.amount_minor, deal.currency),
                    percent(deal.probability),
                    key=f"deal:{deal.id}",
                )
            for task in card.open_tasks:
                late = task.due_on is not None and task.due_on < today
                deals.add_row(
                    _("Task: {title}").format(title=task.title),
                    Text(short_date(task.due_on), style="bold red" if late else ""),
                    "",
                    task.assignee or _("me"),
                    key=f"task:{task.id}",
                )
            if deals.row_count == 0:
                deals.add_row(Text(_("No deals or open tasks: d adds a deal, t a task"), style="dim"), "", "", "")

        self.show_complaints(card.complaints, today)

        notes = Text(_("Notes") + "\n", style="bold")
        for note in card.notes:
            notes.append(f"{note.created_at.astimezone(zone):%d.%m.%y} [{label(NoteTag, note.tag)}] ", style="dim")
            notes.append(note.text + "\n")
        if client.needs:
            notes.append(_("Needs: {text}").format(text=client.needs) + "\n")
        if client.competitors:
            notes.append(_("Competitors: {text}").format(text=client.competitors) + "\n")
        self.query_one("#card-notes", Static).update(notes)

    def show_complaints(self, complaints: tuple[ComplaintRead, ...], today: date) -> None:
        """Open complaints first (late ones in red), then the settled ones with how they were settled."""
        table = self.query_one("#card-complaints", DataTable)
        with _keeping_cursor(table):
            for complaint in complaints:
                kind = label(ComplaintKind, complaint.kind)
                status = label(ComplaintStatus, complaint.status)
                what = Text(f"{complaint.title} ({kind})")
                if complaint.is_open:
                    state = Text(status)
                    if complaint.due_on is not None:
                        late = complaint.due_on < today
                        state.append(f" · {short_date(complaint.due_on)}", style="bold red" if late else "")
                else:
                    what.stylize("dim")
                    state = Text(f"{status} {short_date(complaint.resolved_on)}", style="dim")
                    if complaint.resolution:
                        what.append(f" — {complaint.resolution}", style="dim italic")
                table.add_row(
                    what,
                    state,
                    money(complaint.amount_minor, complaint.currency) if complaint.amount_minor else "",
                    complaint.owner or _("me"),
                    key=f"complaint:{complaint.id}",
                )
        table.display = bool(complaints)
        self.query_one("#card-complaints-heading").display = bool(complaints)

    def facts_text(self, data: CardView) -> Text:
        card, zone, today = data.card, self.workspace.zone, data.today
        client = card.client
        facts = Text()
        facts.append(client.name, style="bold")
        facts.append(
            "   " + _("tier {tier} · {status}").format(tier=client.tier, status=label(ClientStatus, client.status))
        )
        if client.segment:
            facts.append(f" · {client.segment}")
        if client.city:
            facts.append(f" · {client.city}")
        facts.append("\n")
        last = local(card.last_touch_at, zone, "%d.%m.%Y") or _("never")
        due = card.next_contact_due
        facts.append(_("Last touch {last}; next due {due}").format(last=last, due=short_date(due, "%d.%m.%Y")))
        if due and due < today:
            facts.append(" " + _("({n} d late)").format(n=(today - due).days), style="bold red")
        if any(complaint.is_open for complaint in card.complaints):
            halved = _("; every {days} d while a complaint is open (usually {usual})\n").format(
                days=complaint_cadence(client.cadence_days), usual=client.cadence_days
            )
            facts.append(halved, style="bold yellow")
        else:
            facts.append(_("; every {n} d").format(n=client.cadence_days) + "\n")
        owed = Text(_("Receivables {amount}").format(amount=money(card.receivables_minor, client.currency)))
        if card.overdue_minor:
            owed.append(
                _(", overdue {amount}").format(amount=money(card.overdue_minor, client.currency)), style="bold red"
            )
        if card.exposure_minor is not None and client.credit_limit_minor is not None:
            headroom = client.credit_limit_minor - card.exposure_minor
            owed.append(_("; exposure {amount}, headroom ").format(amount=money(card.exposure_minor, client.currency)))
            owed.append(money(headroom, client.currency), style="bold red" if headroom < 0 else "")
        facts.append(owed)
        extras = [
            part
            for part in (
                client.legal_name if client.legal_name != client.name else None,
                _("INN {number}").format(number=client.tax_id) if client.tax_id else None,
                client.address,
                client.phone,
                client.email,
                client.website,
                _("terms {n} d").format(n=client.payment_terms_days) if client.payment_terms_days else None,
                _("discount {percent}").format(percent=discount(client.discount_bp)) if client.discount_bp else None,
                _("limit {amount}").format(amount=money(client.credit_limit_minor, client.currency))
                if client.credit_limit_minor
                else None,
            )
            if part
        ]
        if extras:
            facts.append("\n" + " · ".join(extras), style="dim")
        return facts

    def show_people(self, people: tuple[ContactRead, ...]) -> None:
        listing = self.query_one("#card-people", OptionList)
        kept = listing.highlighted_option.id if listing.highlighted_option else None
        listing.clear_options()
        listing.add_options([Option(_person_text(person), id=str(person.id)) for person in people])
        if not people:
            listing.add_option(Option(Text(_("No contacts: a adds one"), style="dim"), id="none"))
        listing.highlighted = 0
        if kept is not None:
            with suppress(OptionDoesNotExist):  # the person is gone: the first stays highlighted
                listing.highlighted = listing.get_option_index(kept)

    # Selections

    @on(OptionList.OptionSelected)
    def option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_list.id == "card-people":
            person = self.person(event.option.id)
            if person is None:
                self.action_add_contact()
            else:
                self.edit_contact(person)

    @on(DataTable.RowSelected)
    def row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value or ""
        table_id = event.data_table.id
        if table_id in ("card-timeline", "card-planned"):
            item = self.interaction(key)
            if item is not None:
                self.open_interaction(item)
        elif table_id == "card-money" and key.startswith("invoice:"):
            self.action_payment()
        elif table_id == "card-money" and key.startswith("contract:"):
            self.edit_contract(int(key.split(":", 1)[1]))
        elif table_id == "card-deals" and key.startswith("deal:"):
            self.edit_deal(int(key.split(":", 1)[1]))
        elif table_id == "card-complaints" and key.startswith("complaint:"):
            self.edit_complaint(int(key.split(":", 1)[1]))

    def edit_complaint(self, complaint_id: int) -> None:
        from amtui.screens.form_complaint import ComplaintForm

        found = next((c for c in self.data.card.complaints if c.id == complaint_id), None) if self.data else None
        if found is not None:
            self.app.push_screen(ComplaintForm(client_id=self.client_id, complaint=found), self.amtui.after_write)

    def action_complaint(self) -> None:
        from amtui.screens.form_complaint import ComplaintForm

        if self.data is not None:
            form = ComplaintForm(client_id=self.client_id, currency=self.data.card.client.currency)
            self.app.push_screen(form, self.amtui.after_write)

    def edit_contract(self, contract_id: int) -> None:
        from amtui.screens.form_contract import ContractForm

        contract = self.contract(contract_id)
        if contract is not None:
            form = ContractForm(client_id=self.client_id, contract=contract)
            self.app.push_screen(form, self.amtui.after_write)

    def edit_deal(self, deal_id: int) -> None:
        from amtui.screens.form_deal import DealForm

        deal = self.deal(deal_id)
        if deal is not None:
            self.app.push_screen(DealForm(client_id=self.client_id, deal=deal), self.amtui.after_write)

    def contract(self, contract_id: int) -> ContractRead | None:
        if self.data is None:
            return None
        return next((c for c in self.data.card.contracts if c.id == contract_id), None)

    def deal(self, deal_id: int) -> DealRead | None:
        if self.data is None:
            return None
        return next((d for d in self.data.card.deals if d.id == deal_id), None)

    def person(self, option_id: str | None) -> ContactRead | None:
        if self.data is None or not option_id or not option_id.isdigit():
            return None
        return next((p for p in self.data.card.contacts if p.id == int(option_id)), None)

    def interaction(self, key: str) -> InteractionRead | None:
        if self.data is None or not key.isdigit():
            return None
        items = self.data.card.interactions + self.data.card.planned
        return next((item for item in items if item.id == int(key)), None)

    def selected_invoice(self) -> InvoiceRead | None:
        """The invoice under the money table's cursor, or the only unpaid one."""
        if self.data is None:
            return None
        unpaid = [invoice for invoice in self.data.card.invoices if invoice.owed_minor > 0]
        table = self.query_one("#card-money", DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
            if key.startswith("invoice:"):
                chosen = int(key.split(":", 1)[1])
                return next((invoice for invoice in unpaid if invoice.id == chosen), None)
        return unpaid[0] if len(unpaid) == 1 else None

    def open_interaction(self, item: InteractionRead) -> None:
        """A visit or meeting opens its report (write or view); anything else shows its details."""
        if item.kind in REPORTED_KINDS and item.status in ("done", "planned"):
            self.amtui.open_report(item.id)
        else:
            from amtui.screens.form_details import InteractionDetails

            self.app.push_screen(InteractionDetails(item, zone=self.workspace.zone))

    # Quick actions

    def action_log_call(self) -> None:
        self.amtui.action_new("call", log=True, client_id=self.client_id)

    def action_plan(self, kind: str) -> None:
        self.amtui.action_new(kind, client_id=self.client_id)

    def action_task(self) -> None:
        self.amtui.action_new_task(client_id=self.client_id)

    def action_note(self) -> None:
        from amtui.screens.form_note import NoteForm

        self.app.push_screen(NoteForm(client_id=self.client_id), self.amtui.after_write)

    def action_edit(self) -> None:
        from amtui.screens.form_client import ClientForm

        if self.data is not None:
            self.app.push_screen(ClientForm(client=self.data.card.client), self.amtui.after_write)

    def action_add_contact(self) -> None:
        from amtui.screens.form_contact import ContactForm

        self.app.push_screen(ContactForm(client_id=self.client_id), self.amtui.after_write)

    def edit_contact(self, person: ContactRead) -> None:
        from amtui.screens.form_contact import ContactForm

        self.app.push_screen(ContactForm(client_id=self.client_id, contact=person), self.amtui.after_write)

    def action_invoice(self) -> None:
        from amtui.screens.form_invoice import InvoiceForm

        if self.data is not None:
            client = self.data.card.client
            form = InvoiceForm(
                client_id=self.client_id, currency=client.currency, payment_terms_days=client.payment_terms_days
            )
            self.app.push_screen(form, self.amtui.after_write)

    def action_payment(self) -> None:
        from amtui.screens.form_payment import PaymentForm

        invoice = self.selected_invoice()
        if invoice is None:
            self.notify(
                _("Choose an unpaid invoice in the money table first (Tab to it, arrows, m)"), severity="warning"
            )
            return
        self.app.push_screen(PaymentForm(invoice=invoice), self.amtui.after_write)

    def action_contract(self) -> None:
        from amtui.screens.form_contract import ContractForm

        if self.data is not None:
            form = ContractForm(client_id=self.client_id, currency=self.data.card.client.currency)
            self.app.push_screen(form, self.amtui.after_write)

    def action_deal(self) -> None:
        from amtui.screens.form_deal import DealForm

        if self.data is not None:
            form = DealForm(client_id=self.client_id, currency=self.data.card.client.currency)
            self.app.push_screen(form, self.amtui.after_write)

    def action_delete_selected(self) -> None:
        """Delete the person, contract or deal under the cursor of the focused list, after asking."""
        from amtui.screens.form_confirm import ConfirmDelete

        target = self.selected_for_delete()
        if target is None:
            self.notify(
                _("Choose a person, a contract or a deal first (Tab to it, arrows, then Del)"), severity="warning"
            )
            return
        kind, record_id, what, consequence = target

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.db("delete", lambda ws: ws.delete_record(kind, record_id))

        self.app.push_screen(ConfirmDelete(what, consequence), answered)

    def selected_for_delete(self) -> tuple[str, int, str, str] | None:
        """(kind, id, what, what else happens) of the record under the focused list's cursor."""
        focused = self.focused
        if self.data is None or focused is None:
            return None
        client_name = self.data.card.client.name
        if isinstance(focused, OptionList) and focused.id == "card-people":
            index = focused.highlighted
            person = self.person(focused.get_option_at_index(index).id) if index is not None else None
            if person is None:
                return None
            consequence = _("Their phones, e-mails and meeting attendance go too.")
            return (
                "contact",
                person.id,
                _("{person} at {client}").format(person=person.full_name, client=client_name),
                consequence,
            )
        if not isinstance(focused, DataTable) or not focused.row_count:
            return None
        kind, _sep, number = (focused.coordinate_to_cell_key(focused.cursor_coordinate).row_key.value or "").partition(
            ":"
        )
        contract = self.contract(int(number)) if kind == "contract" and focused.id == "card-money" else None
        if contract is not None:
            consequence = _("Its invoices stay. To close a contract that ran out, Enter and set its status instead.")
            return (
                "contract",
                contract.id,
                _("contract {number} with {client}").format(number=contract.number, client=client_name),
                consequence,
            )
        deal = self.deal(int(number)) if kind == "deal" and focused.id == "card-deals" else None
        if deal is not None:
            consequence = _("A deal that fell through is better marked Lost (Enter).")
            return (
                "deal",
                deal.id,
                _("deal «{title}» with {client}").format(title=deal.title, client=client_name),
                consequence,
            )
        return None

    def action_report(self) -> None:
        """Write the report of the latest visit/meeting that has none (or reopen the latest one)."""
        if self.data is None:
            return
        meetings = [i for i in self.data.card.interactions if i.kind in REPORTED_KINDS and i.status == "done"]
        missing = [i for i in meetings if not i.has_report]
        candidates = missing or meetings
        if not candidates:
            self.notify(_("No visit or meeting took place yet: plan one with v"), severity="warning")
            return
        self.amtui.open_report(candidates[0].id)


def _person_text(person: ContactRead) -> Text:
    text = Text()
    text.append("★ " if person.is_decision_maker else "  ", style="bold yellow")
    text.append(person.full_name, style="bold" if person.is_decision_maker else "")
    role = label(ContactRole, person.role)
    details = ", ".join(part for part in (person.title, role) if part)
    if details:
        text.append(f" — {details}")
    reach = [p.value for p in person.phones] + [e.value for e in person.emails]
    if person.birthday_md:
        month, day = person.birthday_md.split("-")
        year = f".{person.birthday_year}" if person.birthday_year else ""
        reach.append(_("birthday {date}").format(date=f"{day}.{month}{year}"))
    if person.preferred_channel:
        reach.append(_("prefers {channel}").format(channel=label(Channel, person.preferred_channel)))
    if reach:
        text.append("\n    " + " · ".join(reach), style="dim")
    if person.personal_notes:
        text.append(f"\n    {person.personal_notes}", style="italic")
    return text


def _english() -> bool:
    from amtui.i18n import current_language

    return current_language() == "en"


def _local_day(value: datetime | None, zone: tzinfo) -> str:
    """``вт 08.12 10:00``: the weekday in the interface language."""
    if value is None:
        return ""
    from amtui.services.locale_format import format_weekday

    moment = value.astimezone(zone)
    return f"{format_weekday(moment.date())} {moment:%d.%m %H:%M}"


@contextmanager
def _keeping_cursor(table: DataTable) -> Iterator[None]:
    """Refill a DataTable and put its cursor back on the same row (by key) afterwards."""
    key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value if table.row_count else None
    table.clear()
    yield
    if key is not None:
        with suppress(KeyError, RowDoesNotExist):  # the row is gone (paid in full, say): cursor at the top
            table.move_cursor(row=table.get_row_index(key))
