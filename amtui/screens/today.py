"""Today: the start screen. What to do today, what is late, who is waiting, how the month goes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from amtui.screens.base import DbMixin, QuickResume, ReloadsWhenStale, local, money
from amtui.widgets.bar import GoalBar
from amtui.widgets.footer import StableFooter

if TYPE_CHECKING:
    from amtui.ui_services import TodayData

# Lines per section; a last line says how many more and opens the screen that lists them all.
MAX_AGENDA = 40
MAX_LATE = 25
MAX_BIRTHDAYS = 15
MAX_OVERDUE_CLIENTS = 15


class TodayScreen(QuickResume, ReloadsWhenStale, DbMixin, Screen):
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
                yield Static(Text("Receivables: loading…", style="dim"), id="today-receivables")
                yield Sparkline([0], id="today-trend")
            yield GoalBar("Sales this month", id="today-sales")
        yield OptionList(Option(Text("Loading…", style="dim"), disabled=True), id="today-list")
        yield StableFooter()

    def on_mount(self) -> None:
        self.sub_title = "Today"

    def reload(self) -> None:
        # Two steps: the agenda and sales come in ~0.1 s, the alert engine and the portfolio after.
        self.load(lambda backend: backend.today_first(), self.show_first, group="today-load")

    def show_first(self, first: TodayData) -> None:
        self.show(first)
        self.db(lambda backend: backend.today_rest(first), self.show, group="today-rest", exclusive=True)

    def show(self, data: TodayData) -> None:
        self.data = data
        self.sub_title = f"Today, {data.today:%A %d.%m.%Y}"
        self.query_one("#today-receivables", Static).update(self._receivables(data))
        target = money(data.target_minor, data.currency) if data.target_minor else "no target set"
        caption = f"{money(data.sales_minor, data.currency)} of {target}"
        self.query_one("#today-sales", GoalBar).set(data.sales_minor, data.target_minor, caption)
        self.query_one("#today-trend", Sparkline).data = list(data.sales_by_month)
        option_list = self.query_one("#today-list", OptionList)
        highlighted = option_list.highlighted
        option_list.set_options(self._options(data))
        if highlighted is not None and highlighted < option_list.option_count:
            option_list.highlighted = highlighted

    def _receivables(self, data: TodayData) -> Text:
        if not data.complete:
            return Text("Receivables: loading…", style="dim")
        receivables = Text("Receivables", style="bold")
        for index, (currency, owed, overdue) in enumerate(data.receivables):
            receivables.append(("; " if index else " ") + money(owed, currency))
            if overdue:
                receivables.append(f" ({money(overdue, currency)} overdue)", style="bold red")
        if not data.receivables:
            receivables.append(" none")
        return receivables

    def _options(self, data: TodayData) -> list[Option | None]:
        """The sections, each cut to a screenful (the large demo has ~1,200 late items): the rest is a key away."""
        zone = self.backend.zone
        options: list[Option | None] = []

        def heading(title: str, count: int | None) -> None:
            if options:
                options.append(None)
            counted = f"{title} ({count})" if count is not None else title
            options.append(Option(Text(counted, style="bold"), disabled=True))

        def more(count: int, shown: int, where: str, target: str) -> None:
            if count > shown:
                options.append(Option(Text(f"  … and {count - shown} more (see {where})", style="dim"), id=target))

        heading("Today's calls and visits", len(data.agenda))
        for item in data.agenda[:MAX_AGENDA]:
            mark = "✓" if item.status == "done" else "•"
            where = f" — {item.city or item.place}" if (item.city or item.place) else ""
            subject = f": {item.subject}" if item.subject else ""
            line = f"{mark} {local(item.planned_at, zone, '%H:%M')} {item.kind:<7} {item.client_name}{where}{subject}"
            options.append(Option(Text(line), id=f"interaction:{item.id}:{item.client_id}:a"))
        more(len(data.agenda), MAX_AGENDA, "Planner", "mode:planner")
        if not data.agenda:
            options.append(Option(Text("  nothing planned: press v to plan a visit", style="dim"), disabled=True))
        if not data.complete:
            for title in ("Late", "Birthdays this week", "Clients overdue for contact"):
                heading(title, None)
                options.append(Option(Text("  Loading…", style="dim"), disabled=True))
            return options
        heading("Late", len(data.late))
        for number, late in enumerate(data.late[:MAX_LATE]):
            kind = {"no_report": "report", "overdue_task": "task", "check_in": "task"}.get(late.kind, "interaction")
            # The line number keeps ids unique when two alerts are about the same record.
            target = f"{kind}:{late.target_id}:{late.client_id or 0}:{number}"
            options.append(Option(Text(f"! {late.text}", style="red"), id=target))
        more(len(data.late), MAX_LATE, "Alerts", "mode:alerts:late")
        heading("Birthdays this week", len(data.birthdays))
        for person in data.birthdays[:MAX_BIRTHDAYS]:
            client = f" ({person.client_name})" if person.client_name else ""
            options.append(
                Option(
                    Text(f"🎂 {person.day:%a %d.%m} {person.full_name}{client}"),
                    id=f"client:{person.client_id or 0}:{person.contact_id}",
                )
            )
        more(len(data.birthdays), MAX_BIRTHDAYS, "Alerts", "mode:alerts:birthdays")
        heading("Clients overdue for contact", len(data.overdue_clients))
        for overdue in data.overdue_clients[:MAX_OVERDUE_CLIENTS]:
            days = (data.today - overdue.next_contact_due).days if overdue.next_contact_due else 0
            last = local(overdue.last_touch_at, zone, "%d.%m.%y") or "never"
            options.append(
                Option(
                    Text(f"  {overdue.name} [{overdue.tier}] — {days} d late, last touch {last}"),
                    id=f"client:{overdue.id}",
                )
            )
        more(len(data.overdue_clients), MAX_OVERDUE_CLIENTS, "Alerts", "mode:alerts")
        if data.alerts:
            heading("Alerts", len(data.alerts))
            options.append(Option(f"  {len(data.alerts)} open alerts: press a to review", id="mode:alerts:all"))
        return options

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
