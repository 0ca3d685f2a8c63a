"""Today: the start screen. What to do today, what is late, who is waiting, how the month goes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from amtui.i18n import N_, _, ngettext
from amtui.screens.base import DbDone, DbMixin, QuickResume, ReloadsWhenStale, long_date, money
from amtui.widgets.bar import GoalBar
from amtui.widgets.footer import StableFooter

if TYPE_CHECKING:
    from amtui.services.alerts import Alert
    from amtui.services.workspace import TodayView

# Lines per section; a last line says how many more and opens the screen that lists them all.
MAX_AGENDA = 40
MAX_LATE = 25
MAX_BIRTHDAYS = 15
MAX_OVERDUE_CLIENTS = 15
LOADING_SECTIONS = (
    ("late", N_("Late")),
    ("overdue_clients", N_("Clients overdue for contact")),
    ("backlog", N_("Also open")),
)
SEVERITY_STYLE = {"critical": "bold red", "high": "red", "normal": "", "info": "dim"}
# The mark in front of a line, by alert kind.
MARKERS = {"agenda": "•", "task_today": "☐", "birthday": "🎂", "silence": " "}


# An empty database says how to start (Today and Clients).
EMPTY_HINT = (
    N_("c then a: add a client in the Clients screen"),
    N_("amtui import clients FILE: import a CSV, Excel or vCard file (in a shell)"),
    N_("amtui demo: fill this empty database with demo data to try amtui"),
)


def trend_label(data: TodayView) -> str:
    """What the sparkline shows: this many months of sales (invoiced) in the home currency."""
    from amtui.services.workspace import month_back

    months = len(data.sales_by_month)
    first = month_back(data.today.replace(day=1), months - 1)
    return _("Sales by month, {currency}, {first}–{last}: ").format(
        currency=data.currency, first=f"{first:%m.%Y}", last=f"{data.today:%m.%Y}"
    )


class TodayScreen(QuickResume, ReloadsWhenStale, DbMixin, Screen):
    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", N_("Open"), show=False, id="today.open"),
        # Most important first: on a narrow terminal the footer leaves out the last ones.
        Binding("l", "app.new('call', True)", N_("Log"), id="today.log-call"),
        Binding("n", "app.new('call')", N_("Call"), id="today.new-call"),
        Binding("v", "app.new('visit')", N_("Visit"), id="today.new-visit"),
        Binding("c", "app.switch_mode('clients')", N_("Clients"), id="today.go-clients"),
        Binding("p", "app.switch_mode('planner')", N_("Planner"), id="today.go-planner"),
        Binding("t", "app.switch_mode('tasks')", N_("Tasks"), id="today.go-tasks"),
        Binding("a", "app.switch_mode('alerts')", N_("Alerts"), id="today.go-alerts"),
        Binding("r", "reload", N_("Refresh"), show=False, id="today.reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: TodayView | None = None
        self.targets: dict[str, Alert] = {}
        # The line the cursor is on, kept across reloads by its id.
        self.cursor_id: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="today-summary"):
            # The whole width, wrapping: a second currency is never cut at 80 columns.
            yield Static(Text(_("Receivables: loading…"), style="dim"), id="today-receivables")
            yield GoalBar(_("Sales this month"), id="today-sales")
            with Horizontal(id="today-trend-row"):
                yield Static("", id="today-trend-label", markup=False)
                yield Sparkline([0], id="today-trend")
        yield OptionList(Option(Text(_("Loading…"), style="dim"), disabled=True), id="today-list")
        yield StableFooter()

    def on_mount(self) -> None:
        self.sub_title = _("Today")

    def reload(self) -> None:
        if self.data is not None and self.data.complete:
            # Shown already: the whole view in one step, so the lines on screen never go back to "Loading…".
            self.load("today", lambda ws: ws.today_view())
            return
        # Two steps: the agenda and sales come in ~0.1 s, the alert engine and the portfolio after.
        self.load("today-first", lambda ws: ws.today_first())

    @on(DbDone)
    def loaded(self, message: DbDone) -> None:
        view: TodayView = message.result
        self.show(view)
        if message.request == "today-first":
            self.load("today-rest", lambda ws: ws.today_rest(view))

    def show(self, data: TodayView) -> None:
        # Only a complete list tells where the cursor is (a half-loaded one moved it for want of lines).
        was_complete = self.data is not None and self.data.complete
        self.data = data
        self.sub_title = _("Today, {date}").format(date=long_date(data.today))
        self.query_one("#today-receivables", Static).update(self._receivables(data))
        target = money(data.target_minor, data.currency) if data.target_minor else _("no target set")
        caption = _("{amount} of {target}").format(amount=money(data.sales_minor, data.currency), target=target)
        if data.other_sales:
            caption += "; " + ", ".join(
                _("{amount} of {target}").format(amount=money(amount, code), target=money(goal, code))
                if goal
                else money(amount, code)
                for code, amount, goal in data.other_sales
            )
        self.query_one("#today-sales", GoalBar).set(data.sales_minor, data.target_minor, caption)
        self.query_one("#today-trend", Sparkline).data = list(data.sales_by_month)
        self.query_one("#today-trend-label", Static).update(trend_label(data))
        option_list = self.query_one("#today-list", OptionList)
        highlighted = option_list.highlighted
        if was_complete and highlighted is not None and highlighted < option_list.option_count:
            # The same line keeps the cursor even when lines were added above it (another program's write).
            self.cursor_id = option_list.get_option_at_index(highlighted).id or self.cursor_id
        option_list.set_options(self._options(data))
        kept = self._index_of(option_list, self.cursor_id)
        if kept is not None:
            option_list.highlighted = kept
        elif highlighted is not None and highlighted < option_list.option_count:
            option_list.highlighted = highlighted

    @staticmethod
    def _index_of(option_list: OptionList, option_id: str | None) -> int | None:
        if option_id is None:
            return None
        try:
            return option_list.get_option_index(option_id)
        except Exception:  # OptionDoesNotExist: the line is gone
            return None

    def _receivables(self, data: TodayView) -> Text:
        if not data.complete:
            return Text(_("Receivables: loading…"), style="dim")
        receivables = Text(_("Receivables"), style="bold")
        indent = len(receivables.plain) + 1
        # One currency is never broken between two lines: the next starts a line of its own.
        room = max(self.size.width - 2, 40)
        line = indent
        for index, (currency, owed, overdue) in enumerate(data.receivables):
            part = Text(money(owed, currency))
            if overdue:
                part.append(" " + _("({amount} overdue)").format(amount=money(overdue, currency)), style="bold red")
            if index and line + 2 + part.cell_len > room:
                receivables.append(";\n" + " " * indent)
                line = indent
            elif index:
                receivables.append("; ")
                line += 2
            else:
                receivables.append(" ")
            receivables.append_text(part)
            line += part.cell_len
        if not data.receivables:
            receivables.append(" " + _("none"))
        return receivables

    def on_resize(self) -> None:
        if self.data is not None:
            self.query_one("#today-receivables", Static).update(self._receivables(self.data))

    def _options(self, data: TodayView) -> list[Option | None]:
        """The sections, each cut to a screenful (the large demo has ~1,200 late items): the rest is a key away.

        Every line about an alert has the alert's id as its option id: the same ids as ``amtui today --json``."""
        options: list[Option | None] = []
        self.targets = {}

        def heading(key: str, title: str, count: int | None) -> None:
            if options:
                options.append(None)
            counted = f"{title} ({count})" if count is not None else title
            options.append(Option(Text(counted, style="bold"), id=f"heading:{key}", disabled=True))

        def more(count: int, shown: int, where: str, target: str) -> None:
            if count > shown:
                options.append(
                    Option(
                        Text(
                            "  " + _("… and {n} more (see {where})").format(n=count - shown, where=_(where)),
                            style="dim",
                        ),
                        id=target,
                    )
                )

        def lines(alerts: tuple[Alert, ...], limit: int, mark: str | None = None) -> None:
            for alert in alerts[:limit]:
                self.targets[alert.id] = alert
                style = SEVERITY_STYLE[alert.severity]
                line = Text(f"{mark or MARKERS.get(alert.kind, '•')} {alert.text}", style=style)
                options.append(Option(line, id=alert.id))

        if data.complete and data.clients == 0:
            heading("start", _("No clients yet"), None)
            for hint in EMPTY_HINT:
                options.append(Option(Text(f"  {_(hint)}"), disabled=True))
        heading("today", _("Today"), len(data.agenda))
        lines(data.agenda, MAX_AGENDA)
        more(len(data.agenda), MAX_AGENDA, N_("Planner"), "mode:planner")
        if not data.agenda:
            options.append(
                Option(Text("  " + _("nothing planned: press v to plan a visit"), style="dim"), disabled=True)
            )
        if data.coming:
            heading("coming", _("Birthdays coming"), len(data.coming))
            lines(data.coming, MAX_BIRTHDAYS)
            more(len(data.coming), MAX_BIRTHDAYS, N_("Alerts"), "mode:alerts:birthdays")
        if not data.complete:
            for key, title in LOADING_SECTIONS:
                heading(key, _(title), None)
                options.append(Option(Text("  " + _("Loading…"), style="dim"), disabled=True))
            return options
        heading("late", _("Late"), len(data.late))
        lines(data.late, MAX_LATE, "!")
        more(len(data.late), MAX_LATE, N_("Alerts"), "mode:alerts:late")
        heading("overdue_clients", _("Clients overdue for contact"), len(data.overdue_clients))
        lines(data.overdue_clients, MAX_OVERDUE_CLIENTS)
        more(len(data.overdue_clients), MAX_OVERDUE_CLIENTS, N_("Alerts"), "mode:alerts:silence")
        if data.backlog:
            heading("backlog", _("Also open"), None)
            for line in data.backlog:
                options.append(Option(Text(f"  {line.title}: {line.summary}"), id=f"mode:alerts:kind:{line.kind}"))
        if data.alerts:
            heading("alerts", _("Alerts"), len(data.alerts))
            count = len(data.alerts)
            review = ngettext("{n} open alert: press a to review", "{n} open alerts: press a to review", count)
            options.append(Option("  " + review.format(n=count), id="mode:alerts:all"))
        return options

    def action_open(self) -> None:
        option_list = self.query_one("#today-list", OptionList)
        if option_list.highlighted is not None:
            self.open_target(option_list.get_option_at_index(option_list.highlighted).id)

    @on(OptionList.OptionSelected, "#today-list")
    def option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.open_target(event.option.id)

    def open_target(self, target: str | None) -> None:
        """Each line opens what it is about: a report to write, the client, the list it belongs to."""
        if not target:
            return
        kind, _sep, rest = target.partition(":")
        if kind == "mode":
            self.amtui.switch_mode(rest.split(":")[0])
            return
        alert = self.targets.get(target)
        if alert is None:
            return
        if alert.kind == "no_report" and alert.interaction_id:
            self.amtui.open_report(alert.interaction_id)
        elif alert.client_id:
            self.amtui.open_alert_client(alert)
        elif alert.task_id:
            self.amtui.switch_mode("tasks")
        else:
            self.amtui.switch_mode("alerts")
