"""The Textual TUI: ``amtui`` without a command.

Start-up matters (first frame of Today): this module and the screens import no
SQLModel/services at module top. Screens are built on first use; the engine is
opened by the first thread worker that needs it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, tzinfo
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.screen import Screen

from amtui.i18n import N_, _
from amtui.keys import APP_BINDINGS

if TYPE_CHECKING:
    from textual.filter import LineFilter
    from textual.notifications import SeverityLevel

    from amtui.config import Settings
    from amtui.services.alerts import Alert
    from amtui.services.workspace import Workspace

Clock = Callable[[], datetime]
# How often the TUI asks the database whether another program wrote to it (PRAGMA data_version).
WATCH_INTERVAL_S = 1.0


def _share_css_parses() -> None:
    """Textual parses every CSS source again, three times, on the first visit of each screen (a new
    Stylesheet, with an empty parse cache, per screen CSS added and per CSS refresh): ~130 parses, about a
    quarter of the Clients screen's first visit at any size. The rules depend only on the source and the
    theme's variables: parsed once per process."""
    from textual.css.stylesheet import Stylesheet

    parse_rules = Stylesheet._parse_rules
    if getattr(parse_rules, "shared", False):
        return
    parsed: dict[tuple[Any, ...], Any] = {}

    def shared(
        self: Stylesheet,
        css: str,
        read_from: Any,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> Any:
        key = (css, read_from, is_default_rules, tie_breaker, scope, tuple(sorted(self._variables.items())))
        rules = parsed.get(key)
        if rules is None:
            rules = parsed[key] = parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
        return rules

    shared.shared = True  # type: ignore[attr-defined]
    Stylesheet._parse_rules = shared  # type: ignore[method-assign]


_share_css_parses()


def _system_now() -> datetime:
    from amtui.config import current_time

    return current_time()


def _today_screen() -> Screen:
    from amtui.screens.today import TodayScreen

    return TodayScreen()


def _clients_screen() -> Screen:
    from amtui.screens.clients import ClientsScreen

    return ClientsScreen()


def _planner_screen() -> Screen:
    from amtui.screens.planner import PlannerScreen

    return PlannerScreen()


def _tasks_screen() -> Screen:
    from amtui.screens.tasks import TasksScreen

    return TasksScreen()


def _alerts_screen() -> Screen:
    from amtui.screens.alerts import AlertsScreen

    return AlertsScreen()


def _portfolio_screen() -> Screen:
    from amtui.screens.portfolio import PortfolioScreen

    return PortfolioScreen()


SCREEN_TITLES = {
    "today": N_("Today"),
    "clients": N_("Clients"),
    "planner": N_("Planner"),
    "tasks": N_("Tasks"),
    "alerts": N_("Alerts"),
    "portfolio": N_("Portfolio"),
}


def _highlight(matcher: Matcher, text: str) -> Content:
    """What ``matcher.highlight`` shows, without reading ``text`` as markup (a client "Bad [/] Co")."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if score:
        for offset in offsets:
            if not text[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class AmtuiCommands(Provider):
    """The command palette: open any client by name, run the main actions, go to a screen."""

    async def startup(self) -> None:
        app = self.app
        assert isinstance(app, AmtuiApp)
        try:
            self._clients = await asyncio.to_thread(app.workspace.client_names)
        except Exception:  # the palette still offers the actions
            self._clients = []
        self._people: list[tuple[int, str, str]] | None = None  # read on the first typo
        try:
            self._complaints = await asyncio.to_thread(app.workspace.complaint_titles)
        except Exception:
            self._complaints = []

    def _actions(self) -> list[tuple[str, Callable[[], Any], str]]:
        app = self.app
        assert isinstance(app, AmtuiApp)
        actions: list[tuple[str, Callable[[], Any], str]] = [
            (_("New client"), app.action_new_client, _("Add a client company")),
            (_("New call"), lambda: app.action_new("call"), _("Plan a call")),
            (_("Log a call"), lambda: app.action_new("call", log=True), _("Record a call that took place")),
            (_("New visit"), lambda: app.action_new("visit"), _("Plan a visit")),
            (_("New meeting"), lambda: app.action_new("meeting"), _("Plan a meeting")),
            (_("New task"), app.action_new_task, _("Add a task (own or delegated)")),
            (_("Help: all keys"), app.action_help, _("List every key binding")),
        ]
        for mode, title in SCREEN_TITLES.items():
            actions.append(
                (
                    _("Go to {screen}").format(screen=_(title)),
                    partial(app.switch_mode, mode),
                    _("Show the {screen} screen").format(screen=_(title)),
                )
            )
        return actions

    async def discover(self) -> Hits:
        for text, command, help_text in self._actions():
            yield DiscoveryHit(text, command, help=help_text)

    async def search(self, query: str) -> Hits:
        from rich.text import Text

        matcher = self.matcher(query)
        app = self.app
        assert isinstance(app, AmtuiApp)
        for text, command, help_text in self._actions():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), command, help=help_text)
        opened: set[int] = set()
        if len(query.strip()) >= 3:
            # People, phones in any formatting, e-mails, tax ids: the workspace's search, off the UI thread.
            try:
                hits = await asyncio.to_thread(app.workspace.search, query, limit=12)
            except Exception:
                hits = []
            for hit in hits:
                if hit.client_id is None:
                    continue
                if hit.kind == "client":
                    opened.add(hit.client_id)
                # A person or a number found by the database is the best answer ("who is calling?").
                score = 1.0 if hit.matched != "name" else 0.95
                label = (_("Client: {name}") if hit.kind == "client" else _("Person: {name}")).format(name=hit.sentence)
                yield Hit(
                    score,
                    Text(label),
                    partial(app.open_client, hit.client_id),
                    text=label,
                    help=_("Open the card · matched {field}").format(field=hit.matched),
                )
        for complaint_id, client_id, title, state in self._complaints:
            label = f"Complaint: {title}"
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score * 0.9,
                    _highlight(matcher, label),
                    partial(app.open_complaint, client_id, complaint_id),
                    help=f"Open the complaint · {state}",
                )
        by_database = bool(opened)
        for client_id, name in self._clients:
            if client_id in opened:
                continue
            label = _("Client: {name}").format(name=name)
            score = matcher.match(label)
            if score > 0:
                opened.add(client_id)
                yield Hit(score, _highlight(matcher, label), partial(app.open_client, client_id), help=_("Open card"))
        if not by_database and len(query.strip()) >= 3:
            from amtui.services.fuzzy import nearest

            if self._people is None:
                try:
                    self._people = await asyncio.to_thread(app.workspace.people_names)
                except Exception:
                    self._people = []
            names = [(client_id, name) for client_id, name in self._clients]
            names += [(client_id, f"{person}, {client}") for client_id, person, client in self._people]
            for client_id, name in nearest(query, names):
                if client_id in opened:
                    continue
                opened.add(client_id)
                label = _("Did you mean: {name}?").format(name=name)
                yield Hit(
                    0.5, Text(label), partial(app.open_client, client_id), text=label, help=_("Nearest name: open card")
                )


# Textual's own command-palette entries, marked here so that the palette speaks the interface language.
SYSTEM_COMMAND_TEXTS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
)


class AmtuiApp(App[None]):
    """The key-account manager's workplace."""

    TITLE = "amtui"
    CSS_PATH = Path(__file__).with_name("app.tcss")
    MODES: ClassVar[dict[str, str | Callable[[], Screen]]] = {
        "today": _today_screen,
        "clients": _clients_screen,
        "planner": _planner_screen,
        "tasks": _tasks_screen,
        "alerts": _alerts_screen,
        "portfolio": _portfolio_screen,
    }
    COMMANDS = App.COMMANDS | {AmtuiCommands}
    BINDINGS: ClassVar[list[BindingType]] = list(APP_BINDINGS)

    def __init__(
        self,
        db_url: str,
        *,
        now: Clock | datetime | None = None,
        zone: tzinfo | None = None,
        settings: Settings | None = None,
        today_snapshot: Path | None = None,
    ) -> None:
        super().__init__()
        from amtui.services.workspace import Workspace
        from amtui.widgets.safe_text import ControlCodeFilter

        self._control_filter = ControlCodeFilter()

        clock: Clock = (lambda: now) if isinstance(now, datetime) else (now or _system_now)
        # Without settings the workspace reads the user's on first use (in a worker).
        self.workspace: Workspace = Workspace(db_url, now=clock, zone=zone, settings=settings)
        # Binding id -> keys from the config file's [keymap] (the help screen shows them too).
        self.keymap: dict[str, str] = dict(settings.keymap) if settings is not None else {}
        self.last_undo: tuple[str, Callable[[Workspace], Any]] | None = None
        # Where Today keeps what it showed last, to show it at once on the next start (see screens.today).
        self.today_snapshot = today_snapshot
        if self.keymap:
            self.set_keymap(self.keymap)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's palette entries (theme, keys, quit…) in the interface language."""
        for command in super().get_system_commands(screen):
            yield command._replace(title=_(command.title), help=_(command.help) if command.help else command.help)

    def action_command_palette(self) -> None:
        """Textual's palette with its prompt in the interface language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(CommandPalette(placeholder=_("Search for commands…"), id="--command-palette"))

    def on_mount(self) -> None:
        if self.today_snapshot is None or not self.today_snapshot.exists():
            self.start_watching()  # the first mark, before the first screen reads its data
        # Else Today paints the last session's picture first and the database waits until it is on the
        # terminal: Today starts the watch just before it reads its data again (screens.today).
        self.switch_mode("today")

    _watch_timer: Any = None

    def start_watching(self) -> None:
        """Take the first mark of other programs' writes and poll every WATCH_INTERVAL_S (once)."""
        if self._watch_timer is None:
            self.watch_database()
            self._watch_timer = self.set_interval(WATCH_INTERVAL_S, self.watch_database, name="watch-database")

    # Living data: another program's writes show up on the screen in view within about 2 s.

    _watching = False

    def watch_database(self) -> None:
        # One poll at a time, never cancelled (a slow disk just skips a beat).
        if not self._watching:
            self._watching = True
            self._poll_database()

    @work(thread=True, group="watch", exit_on_error=False)
    def _poll_database(self) -> None:
        try:
            changed = self.workspace.data_changed()
        except Exception:  # a busy or vanished database: the next poll tries again
            changed = False
        finally:
            self._watching = False
        if changed:
            self.call_from_thread(self.database_changed)

    def database_changed(self) -> None:
        """Reload the screen in view (a form on top keeps its input; what is under it reloads on resume)."""
        from amtui.screens.base import ReloadsWhenStale

        if isinstance(self.screen, ReloadsWhenStale):
            self.screen.reload()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast as plain text: the messages quote names, subjects and titles, which are not markup
        (and may hold control characters from an older database: shown as U+FFFD)."""
        from amtui.services.sanitize import safe_display

        del markup  # amtui writes no markup in a toast
        super().notify(
            safe_display(message), title=safe_display(title), severity=severity, timeout=timeout, markup=False
        )

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header: a screen's sub-title names a client, whose name is text, not markup."""
        from amtui.services.sanitize import safe_display

        return super().format_title(safe_display(title, multiline=False), safe_display(sub_title, multiline=False))

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters and, last, one that keeps control characters off the terminal (widgets/safe_text.py)."""
        return [*super().get_line_filters(), self._control_filter]

    def on_unmount(self) -> None:
        self.workspace.close()

    # Navigation and actions reachable from every screen

    def action_help(self) -> None:
        from amtui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def open_client(self, client_id: int) -> None:
        from amtui.screens.client_card import ClientCardScreen

        self.push_screen(ClientCardScreen(client_id))

    def open_alert_client(self, alert: Alert) -> None:
        """The client's card; a complaint's alert (late, stale, check-in) opens the complaint on it too."""
        assert alert.client_id is not None
        from amtui.vocabulary import AlertKind

        number = alert.id.partition(":")[2]
        if alert.kind in (AlertKind.COMPLAINT, AlertKind.COMPLAINT_CHECK_IN) and number.isdigit():
            self.open_complaint(alert.client_id, int(number))
        else:
            self.open_client(alert.client_id)

    def open_complaint(self, client_id: int, complaint_id: int) -> None:
        """The client's card with the complaint's form on top (edit, resolve, reopen)."""
        self.open_client(client_id)
        self.show_complaint(client_id, complaint_id)

    @work(group="complaint")
    async def show_complaint(self, client_id: int, complaint_id: int) -> None:
        from amtui.screens.form_complaint import ComplaintForm

        complaint = await asyncio.to_thread(self.workspace.complaint, complaint_id)
        await self.push_screen(ComplaintForm(client_id=client_id, complaint=complaint), self.after_write)

    def open_report(self, interaction_id: int) -> None:
        from amtui.screens.report import ReportScreen

        self.push_screen(ReportScreen(interaction_id))

    def action_new(self, kind: str, log: bool = False, client_id: int | None = None) -> None:
        if log:
            self.log_after_call(kind, client_id)
            return
        from amtui.screens.forms import InteractionForm

        self.push_screen(InteractionForm(kind=kind, log=log, client_id=client_id), self.after_write)

    def log_after_call(self, kind: str = "call", client_id: int | None = None, close_id: int | None = None) -> None:
        """The after-call form: log what took place (or close what was planned) and the next step."""
        from amtui.screens.form_after_call import AfterCallForm

        self.push_screen(AfterCallForm(kind=kind, client_id=client_id, close_id=close_id), self.after_write)

    def remember_undo(self, what: str, job: Callable[[Workspace], Any]) -> None:
        """The last change the user can take back with ctrl+z (done, cancel, snooze)."""
        self.last_undo = (what, job)

    def action_undo(self) -> None:
        if self.last_undo is None:
            self.notify(_("Nothing to undo"))
            return
        what, job = self.last_undo
        self.last_undo = None
        self.undo_worker(what, job)

    @work(thread=True, exclusive=True, group="undo")
    def undo_worker(self, what: str, job: Callable[[Workspace], Any]) -> None:
        try:
            job(self.workspace)
        except Exception as exc:  # shown, never a traceback
            from amtui.screens.base import describe_error

            self.call_from_thread(
                self.notify,
                _("Could not undo {what}: {reason}").format(what=what, reason=describe_error(exc)),
                severity="error",
            )
            return
        self.call_from_thread(self.undone, what)

    def undone(self, what: str) -> None:
        self.notify(_("Undone: {what}").format(what=what))
        reload = getattr(self.screen, "reload", None)
        if callable(reload):
            reload()

    def action_new_client(self) -> None:
        from amtui.screens.forms import ClientForm

        self.push_screen(ClientForm(), self.after_write)

    def action_new_task(self, client_id: int | None = None) -> None:
        from amtui.screens.forms import TaskForm

        self.push_screen(TaskForm(client_id=client_id), self.after_write)

    def after_write(self, result: object) -> None:
        """A form saved something: tell the user and refresh what is on screen."""
        # Screens reload when they resume, so only the confirmation is left to show.
        if result:
            self.notify(str(result))


def write_crash_log(details: BaseException | str) -> Path:
    """The traceback in ``<user state dir>/amtui/crash-<time>.log``, readable by the user only."""
    import os
    import traceback
    from datetime import UTC

    from platformdirs import user_state_dir

    folder = Path(user_state_dir("amtui"))
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = folder / f"crash-{stamp}.log"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        from amtui import __version__

        handle.write(f"amtui {__version__} crashed at {stamp}\n\n")
        handle.write(details if isinstance(details, str) else "".join(traceback.format_exception(details)))
    return path


def run_app(app: App[Any], **options: Any) -> None:
    """Run the TUI; an unexpected error ends it with one short line on stderr and exit code 1.

    Textual (8.x) catches an error raised in the app, exits with ``return_code`` 1 and prints the
    traceback on standard error (``sys.stderr``) when the terminal is back. That is captured here
    (``contextlib.redirect_stderr``; Textual draws on the terminal through its own stream): the
    traceback goes to the crash log, the user reads one line. Anything else written there is passed
    on when the app ends without an error. ``options`` go to ``App.run`` (the tests run it headless
    with an auto-pilot)."""
    import contextlib
    import io
    import sys

    from amtui.services.sanitize import safe_display

    captured = io.StringIO()
    try:
        with contextlib.redirect_stderr(captured):
            app.run(**options)
    except Exception as error:  # outside Textual's message loop (start-up, shut-down): the same rule
        _crashed(f"{type(error).__name__}: {error}", error)
        raise SystemExit(1) from None
    code = app.return_code or 0
    printed = captured.getvalue()
    if "\x1b" in printed:  # on a terminal Textual's traceback comes in colour: the log keeps the text
        from rich.text import Text

        printed = Text.from_ansi(printed).plain
    if code == 0:
        if printed:
            sys.stderr.write(safe_display(printed))
        return
    if printed.strip():
        # Textual's traceback ends with the exception's own line: "RuntimeError: what happened".
        _crashed(printed.strip().splitlines()[-1], printed)
    raise SystemExit(code)


def _crashed(summary: str, details: BaseException | str) -> None:
    import sys

    from amtui.services.sanitize import safe_display

    try:
        log: Path | None = write_crash_log(details)
    except OSError:
        log = None
    where = f"details in {log}" if log else "no log could be written"
    summary = safe_display(summary.strip().splitlines()[0] if summary.strip() else "", multiline=False)
    sys.stderr.write(f"amtui: the TUI stopped on an unexpected error ({summary}); {where}\n")


def run_tui(db_url: str, settings: Settings | None = None) -> None:
    from amtui.config import user_cache_dir
    from amtui.screens.today import snapshot_path

    run_app(AmtuiApp(db_url=db_url, settings=settings, today_snapshot=snapshot_path(user_cache_dir(), db_url)))
