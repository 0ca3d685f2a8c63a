"""Today: the start screen. What to do today, what is late, who is waiting, how the month goes."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
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
from textual.worker import get_current_worker

from amtui.i18n import N_, _, ngettext
from amtui.screens.base import DbDone, DbMixin, QuickResume, ReloadsWhenStale, long_date, money
from amtui.widgets.bar import GoalBar
from amtui.widgets.footer import StableFooter

if TYPE_CHECKING:
    from amtui.services.alerts import Alert
    from amtui.services.workspace import TodayView, Workspace

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
        self.picture: TodayPicture | None = None
        # Line id -> what enter on it opens (see TodayPicture).
        self.opens: dict[str, str] = {}
        self._snapshot_tried = False
        self._recheck_pending = False
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
        if self._recheck_pending:  # the kept picture is on screen and the read is on its way
            return
        if self.picture is None and not self._snapshot_tried:
            # The first show: the last session's Today at once, if it is of today; the database layer
            # loads and the whole view is read a moment later (once the snapshot is on the terminal).
            self._snapshot_tried = True
            path = getattr(self.app, "today_snapshot", None)
            picture = read_snapshot(path, today=self.workspace.today()) if path is not None else None
            if picture is not None:
                self.paint(picture)
                self._recheck_pending = True
                self.call_after_refresh(self.set_timer, RECHECK_AFTER_S, self._recheck)
                return
        if self.data is not None and self.data.complete:
            # Shown already: the whole view in one step, so the lines on screen never go back to "Loading…".
            self.load("today", lambda ws: ws.today_view())
            return
        # Two steps in one read: the agenda and sales come in ~0.1 s and are shown at once, while the alert
        # engine and the portfolio, read beside them, come after.
        self.load("today", self._read_in_two_steps)

    def _read_in_two_steps(self, workspace: Workspace) -> TodayView:
        """The whole view (in the load's worker thread); its quick part is posted as soon as it is read."""
        worker = get_current_worker()

        def first(view: TodayView) -> None:  # from one of the read's threads
            if not worker.is_cancelled:
                self.post_message(DbDone("today-first", view))

        return workspace.today_view(first=first)

    def _recheck(self) -> None:
        self._recheck_pending = False
        watch = getattr(self.app, "start_watching", None)
        if callable(watch):  # the first mark of other programs' writes, before the read
            watch()
        self.load("today", lambda ws: ws.today_view())

    @on(DbDone)
    def loaded(self, message: DbDone) -> None:
        view: TodayView = message.result
        if message.request == "today-first" and self.data is not None and self.data.complete:
            return  # the whole view is shown already: its lines never go back to "Loading…"
        self.show(view)

    def show(self, data: TodayView) -> None:
        """Show what the workspace read; a complete view is also kept as the next start's snapshot."""
        self.data = data
        picture = today_picture(data)
        self.paint(picture)
        path = getattr(self.app, "today_snapshot", None)
        if picture.complete and path is not None:
            write_snapshot(path, picture)

    def paint(self, picture: TodayPicture) -> None:
        # Only a complete list tells where the cursor is (a half-loaded one moved it for want of lines).
        was_complete = self.picture is not None and self.picture.complete
        self.picture = picture
        self.opens = picture.opens
        self.sub_title = picture.subtitle
        self.query_one("#today-receivables", Static).update(self._receivables(picture.receivables))
        self.query_one("#today-sales", GoalBar).set(picture.sales_minor, picture.target_minor, picture.caption)
        self.query_one("#today-trend", Sparkline).data = list(picture.trend)
        self.query_one("#today-trend-label", Static).update(picture.trend_label)
        option_list = self.query_one("#today-list", OptionList)
        highlighted = option_list.highlighted
        if was_complete and highlighted is not None and highlighted < option_list.option_count:
            # The same line keeps the cursor even when lines were added above it (another program's write).
            self.cursor_id = option_list.get_option_at_index(highlighted).id or self.cursor_id
        option_list.set_options(
            None if line is None else Option(Text(line.text, style=line.style), id=line.id, disabled=line.disabled)
            for line in picture.lines
        )
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

    def on_resize(self) -> None:
        if self.picture is not None:
            self.query_one("#today-receivables", Static).update(self._receivables(self.picture.receivables))

    def _receivables(self, parts: tuple[tuple[tuple[str, str], ...], ...]) -> Text:
        """The money line, wrapped to the screen: one currency is never broken between two lines."""
        (head, *currencies) = parts or ((("", ""),),)
        (first, style), *rest = head
        receivables = Text(first, style=style)  # the first piece's style is the whole line's
        for text, piece_style in rest:
            receivables.append(text, style=piece_style)
        indent = receivables.cell_len + 1
        room = max(self.size.width - 2, 40)
        line = indent
        for index, pieces in enumerate(currencies):
            part = Text()
            for text, piece_style in pieces:
                part.append(text, style=piece_style)
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
        return receivables

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
        kind, _sep, value = self.opens.get(target, "").partition(":")
        if kind == "report":
            self.amtui.open_report(int(value))
        elif kind == "client":
            self.amtui.open_client(int(value))
        elif kind == "complaint":
            client_id, _sep, complaint_id = value.partition(":")
            self.amtui.open_complaint(int(client_id), int(complaint_id))
        elif kind == "mode":
            self.amtui.switch_mode(value)


# What the screen shows, made in one place from the workspace's TodayView (the one rule book) and
# kept between sessions as the snapshot the next start shows at once.

# How long after the snapshot is on screen the database is read again: the database layer's import
# (~0.3 s of interpreter time in a worker thread) would otherwise slow the first frames being written.
RECHECK_AFTER_S = 0.25
SNAPSHOT_FORMAT = 2


@dataclass(frozen=True, slots=True)
class Line:
    """One line of Today's list (``None`` in a list of lines is a separator)."""

    text: str
    style: str = ""
    id: str | None = None
    disabled: bool = False


@dataclass(frozen=True, slots=True)
class TodayPicture:
    """Today as shown: the header, the money line, the sales bar and trend, the list's lines, and
    what each line opens (``report:ID``, ``client:ID``, ``mode:NAME``)."""

    today: date
    subtitle: str
    # The heading's (text, style) pieces, then each currency's: the screen wraps them to its width.
    receivables: tuple[tuple[tuple[str, str], ...], ...]
    sales_minor: int
    target_minor: int | None
    caption: str
    trend: tuple[int, ...]
    trend_label: str
    lines: tuple[Line | None, ...]
    opens: dict[str, str]
    complete: bool


def _opens(alert: Alert) -> str:
    if alert.kind == "no_report" and alert.interaction_id:
        return f"report:{alert.interaction_id}"
    number = alert.id.partition(":")[2]
    if alert.kind in ("complaint", "complaint_check_in") and alert.client_id and number.isdigit():
        return f"complaint:{alert.client_id}:{number}"  # the card with the complaint's form on top
    if alert.client_id:
        return f"client:{alert.client_id}"
    if alert.task_id:
        return "mode:tasks"
    return "mode:alerts"


def _receivables(data: TodayView) -> tuple[tuple[tuple[str, str], ...], ...]:
    if not data.complete:
        return (((_("Receivables: loading…"), "dim"),),)
    parts: list[tuple[tuple[str, str], ...]] = [((_("Receivables"), "bold"),)]
    for currency, owed, overdue in data.receivables:
        owed_piece = (money(owed, currency), "")
        if overdue:
            overdue_piece = (" " + _("({amount} overdue)").format(amount=money(overdue, currency)), "bold red")
            parts.append((owed_piece, overdue_piece))
        else:
            parts.append((owed_piece,))
    if not data.receivables:
        parts.append(((_("none"), ""),))
    return tuple(parts)


def today_picture(data: TodayView) -> TodayPicture:
    """The sections, each cut to a screenful (the large demo has ~1,200 late items): the rest is a key away.

    Every line about an alert has the alert's id as its id: the same ids as ``amtui today --json``.
    Only the alerts shown are written out as sentences."""
    lines: list[Line | None] = []
    opens: dict[str, str] = {}

    def heading(key: str, title: str, count: int | None) -> None:
        if lines:
            lines.append(None)
        counted = f"{title} ({count})" if count is not None else title
        lines.append(Line(counted, "bold", f"heading:{key}", disabled=True))

    def more(count: int, shown: int, where: str, target: str) -> None:
        if count > shown:
            lines.append(
                Line("  " + _("… and {n} more (see {where})").format(n=count - shown, where=_(where)), "dim", target)
            )

    def alert_lines(alerts: tuple[Alert, ...], limit: int, mark: str | None = None) -> None:
        for alert in alerts[:limit]:
            opens[alert.id] = _opens(alert)
            text = f"{mark or MARKERS.get(alert.kind, '•')} {alert.text}"
            lines.append(Line(text, SEVERITY_STYLE[alert.severity], alert.id))

    if data.complete and data.clients == 0:
        heading("start", _("No clients yet"), None)
        for hint in EMPTY_HINT:
            lines.append(Line(f"  {_(hint)}", disabled=True))
    heading("today", _("Today"), len(data.agenda))
    alert_lines(data.agenda, MAX_AGENDA)
    more(len(data.agenda), MAX_AGENDA, N_("Planner"), "mode:planner")
    if not data.agenda:
        lines.append(Line("  " + _("nothing planned: press v to plan a visit"), "dim", disabled=True))
    if data.coming:
        heading("coming", _("Birthdays coming"), len(data.coming))
        alert_lines(data.coming, MAX_BIRTHDAYS)
        more(len(data.coming), MAX_BIRTHDAYS, N_("Alerts"), "mode:alerts:birthdays")
    if not data.complete:
        for key, title in LOADING_SECTIONS:
            heading(key, _(title), None)
            lines.append(Line("  " + _("Loading…"), "dim", disabled=True))
    else:
        heading("late", _("Late"), len(data.late))
        alert_lines(data.late, MAX_LATE, "!")
        more(len(data.late), MAX_LATE, N_("Alerts"), "mode:alerts:late")
        heading("overdue_clients", _("Clients overdue for contact"), len(data.overdue_clients))
        alert_lines(data.overdue_clients, MAX_OVERDUE_CLIENTS)
        more(len(data.overdue_clients), MAX_OVERDUE_CLIENTS, N_("Alerts"), "mode:alerts:silence")
        if data.backlog:
            heading("backlog", _("Also open"), None)
            for line in data.backlog:
                lines.append(Line(f"  {line.title}: {line.summary}", "", f"mode:alerts:kind:{line.kind}"))
        if data.alert_count:
            heading("alerts", _("Alerts"), data.alert_count)
            count = data.alert_count
            review = ngettext("{n} open alert: press a to review", "{n} open alerts: press a to review", count)
            lines.append(Line("  " + review.format(n=count), "", "mode:alerts:all"))
    target = money(data.target_minor, data.currency) if data.target_minor else _("no target set")
    caption = _("{amount} of {target}").format(amount=money(data.sales_minor, data.currency), target=target)
    if data.other_sales:
        caption += "; " + ", ".join(
            _("{amount} of {target}").format(amount=money(amount, code), target=money(goal, code))
            if goal
            else money(amount, code)
            for code, amount, goal in data.other_sales
        )
    return TodayPicture(
        today=data.today,
        subtitle=_("Today, {date}").format(date=long_date(data.today)),
        receivables=_receivables(data),
        sales_minor=data.sales_minor,
        target_minor=data.target_minor,
        caption=caption,
        trend=tuple(data.sales_by_month),
        trend_label=trend_label(data),
        lines=tuple(lines),
        opens=opens,
        complete=data.complete,
    )


def snapshot_path(folder: Path, db_url: str) -> Path:
    """Where the last Today of the database at ``db_url`` is kept (the URL, which may hold a password,
    only as a digest)."""
    return folder / f"today-{hashlib.sha256(db_url.encode()).hexdigest()[:24]}.json"


def write_snapshot(path: Path, picture: TodayPicture) -> None:
    """Keep ``picture`` for the next start (0600: it names clients); a failure only costs the next
    start its head start."""
    from amtui import __version__
    from amtui.files import private_partial
    from amtui.i18n import current_language

    data = {
        "format": SNAPSHOT_FORMAT,
        "amtui": __version__,
        "language": current_language(),
        "today": picture.today.isoformat(),
        "subtitle": picture.subtitle,
        "receivables": picture.receivables,
        "sales_minor": picture.sales_minor,
        "target_minor": picture.target_minor,
        "caption": picture.caption,
        "trend": picture.trend,
        "trend_label": picture.trend_label,
        "opens": picture.opens,
        "lines": [None if line is None else [line.text, line.style, line.id, line.disabled] for line in picture.lines],
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with private_partial(path) as partial:
            partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    except Exception:  # OSError, OutputError: no snapshot, no harm
        return


def read_snapshot(path: Path, *, today: date) -> TodayPicture | None:
    """The picture kept by the last session, if it is of ``today``, in the language in use, and readable;
    else None."""
    from amtui import __version__
    from amtui.i18n import current_language

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        kept = (data["format"], data["amtui"], data["language"], data["today"])
        if kept != (SNAPSHOT_FORMAT, __version__, current_language(), today.isoformat()):
            return None
        return TodayPicture(
            today=today,
            subtitle=str(data["subtitle"]),
            receivables=tuple(tuple((str(text), str(style)) for text, style in part) for part in data["receivables"]),
            sales_minor=int(data["sales_minor"]),
            target_minor=None if data["target_minor"] is None else int(data["target_minor"]),
            caption=str(data["caption"]),
            trend=tuple(int(value) for value in data["trend"]),
            trend_label=str(data["trend_label"]),
            lines=tuple(
                None if line is None else Line(str(line[0]), str(line[1]), line[2], bool(line[3]))
                for line in data["lines"]
            ),
            opens={str(key): str(value) for key, value in data["opens"].items()},
            complete=True,
        )
    except Exception:  # missing, unreadable, of another format: the usual start
        return None
