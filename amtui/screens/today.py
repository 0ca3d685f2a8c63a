"""Today: the start screen. What to do today, what is late, who is waiting, how the month goes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from amtui.screens.base import DbMixin, local, money
from amtui.widgets.bar import GoalBar

if TYPE_CHECKING:
    from amtui.ui_services import TodayData

MAX_OVERDUE_CLIENTS = 15


class TodayScreen(DbMixin, Screen):
    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", show=False),
        Binding("c", "app.switch_mode('clients')", "Clients"),
        Binding("p", "app.switch_mode('planner')", "Planner"),
        Binding("t", "app.switch_mode('tasks')", "Tasks"),
        Binding("a", "app.switch_mode('alerts')", "Alerts"),
        Binding("n", "app.new('call')", "New call"),
        Binding("v", "app.new('visit')", "New visit"),
        Binding("r", "reload", "Refresh", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: TodayData | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="today-summary"):
            with Horizontal(id="today-money"):
                yield Static("Receivables: …", id="today-receivables")
                yield Sparkline([0], id="today-trend")
            yield GoalBar("Sales this month", id="today-sales")
        yield OptionList(Option("Loading…", disabled=True), id="today-list")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Today"

    def on_screen_resume(self) -> None:
        if self.is_stale():
            self.reload()

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.load(lambda backend: backend.today_data(), self.show, group="today-load")

    def show(self, data: TodayData) -> None:
        self.data = data
        zone = self.backend.zone
        self.sub_title = f"Today, {data.today:%A %d.%m.%Y}"
        receivables = Text("Receivables", style="bold")
        for index, (currency, owed, overdue) in enumerate(data.receivables):
            receivables.append(("; " if index else " ") + money(owed, currency))
            if overdue:
                receivables.append(f" ({money(overdue, currency)} overdue)", style="bold red")
        if not data.receivables:
            receivables.append(" none")
        self.query_one("#today-receivables", Static).update(receivables)
        target = money(data.target_minor, data.currency) if data.target_minor else "no target set"
        caption = f"{money(data.sales_minor, data.currency)} of {target}"
        self.query_one("#today-sales", GoalBar).set(data.sales_minor, data.target_minor, caption)
        self.query_one("#today-trend", Sparkline).data = list(data.sales_by_month)

        options: list[Option | None] = []

        def heading(title: str, count: int) -> None:
            if options:
                options.append(None)
            options.append(Option(Text(f"{title} ({count})", style="bold"), disabled=True))

        heading("Today's calls and visits", len(data.agenda))
        for item in data.agenda:
            mark = "✓" if item.status == "done" else "•"
            where = f" — {item.city or item.place}" if (item.city or item.place) else ""
            subject = f": {item.subject}" if item.subject else ""
            line = f"{mark} {local(item.planned_at, zone, '%H:%M')} {item.kind:<7} {item.client_name}{where}{subject}"
            options.append(Option(line, id=f"interaction:{item.id}:{item.client_id}:a"))
        if not data.agenda:
            options.append(Option(Text("  nothing planned: press v to plan a visit", style="dim"), disabled=True))
        heading("Late", len(data.late))
        for number, late in enumerate(data.late):
            kind = {"no_report": "report", "overdue_task": "task", "check_in": "task"}.get(late.kind, "interaction")
            # The line number keeps ids unique when two alerts are about the same record.
            target = f"{kind}:{late.target_id}:{late.client_id or 0}:{number}"
            options.append(Option(Text(f"! {late.text}", style="red"), id=target))
        heading("Birthdays this week", len(data.birthdays))
        for person in data.birthdays:
            client = f" ({person.client_name})" if person.client_name else ""
            options.append(
                Option(
                    f"🎂 {person.day:%a %d.%m} {person.full_name}{client}",
                    id=f"client:{person.client_id or 0}:{person.contact_id}",
                )
            )
        heading("Clients overdue for contact", len(data.overdue_clients))
        for client in data.overdue_clients[:MAX_OVERDUE_CLIENTS]:
            days = (data.today - client.next_contact_due).days if client.next_contact_due else 0
            last = local(client.last_touch_at, zone, "%d.%m.%y") or "never"
            options.append(
                Option(f"  {client.name} [{client.tier}] — {days} d late, last touch {last}", id=f"client:{client.id}")
            )
        if len(data.overdue_clients) > MAX_OVERDUE_CLIENTS:
            more = len(data.overdue_clients) - MAX_OVERDUE_CLIENTS
            options.append(Option(Text(f"  … and {more} more (see Alerts)", style="dim"), id="mode:alerts"))
        if data.alerts:
            heading("Alerts", len(data.alerts))
            options.append(Option(f"  {len(data.alerts)} open alerts: press a to review", id="mode:alerts:all"))
        option_list = self.query_one("#today-list", OptionList)
        highlighted = option_list.highlighted
        option_list.set_options(options)
        if highlighted is not None and highlighted < option_list.option_count:
            option_list.highlighted = highlighted

    def action_open(self) -> None:
        option_list = self.query_one("#today-list", OptionList)
        if option_list.highlighted is not None:
            self.open_target(option_list.get_option_at_index(option_list.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.open_target(event.option.id)

    def open_target(self, target: str | None) -> None:
        """Each line opens what it is about: a report to write, the client, the alerts."""
        if not target:
            return
        kind, _, rest = target.partition(":")
        if kind == "mode":
            self.amtui.switch_mode(rest.split(":")[0])
            return
        parts = [int(part) if part.isdigit() else 0 for part in rest.split(":")]
        if kind == "report" and parts[0]:
            self.amtui.open_report(parts[0])
        elif kind in ("interaction", "task", "report") and len(parts) > 1 and parts[1]:
            self.amtui.open_client(parts[1])
        elif kind == "task":
            self.amtui.switch_mode("tasks")
        elif kind == "client" and parts[0]:
            self.amtui.open_client(parts[0])
