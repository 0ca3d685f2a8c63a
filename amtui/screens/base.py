"""What every screen shares: database work in thread workers, results posted back as messages."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any, Protocol

from textual import events, work
from textual.message import Message
from textual.worker import get_current_worker

from amtui.i18n import _

if TYPE_CHECKING:
    from amtui.services.alerts import Alert
    from amtui.services.workspace import Workspace


class Workplace(Protocol):
    """What screens need from the app (the app satisfies it; screens never import ``amtui.app``)."""

    workspace: Workspace

    def switch_mode(self, mode: str) -> Any: ...
    def open_client(self, client_id: int) -> None: ...
    def open_report(self, interaction_id: int) -> None: ...
    def open_alert_client(self, alert: Alert) -> None: ...
    def open_complaint(self, client_id: int, complaint_id: int) -> None: ...
    def action_new(self, kind: str, log: bool = False, client_id: int | None = None) -> None: ...
    def action_new_client(self) -> None: ...
    def action_new_task(self, client_id: int | None = None) -> None: ...
    def log_after_call(self, kind: str = "call", client_id: int | None = None, close_id: int | None = None) -> None: ...
    def after_write(self, result: object) -> None: ...
    def remember_undo(self, what: str, job: Callable[[Workspace], Any]) -> None: ...


Job = Callable[["Workspace"], Any]
# A screen shown again after this long reloads even when nothing was written (time moves on).
STALE_AFTER_S = 60.0


class DbDone(Message):
    """A unit of work finished in a thread worker. It carries data, never code: which request
    it answers, what the workspace returned, what to tell the user, the data version a load read."""

    def __init__(self, request: str, result: Any, *, note: str = "", version: int = -1) -> None:
        super().__init__()
        self.request = request
        self.result = result
        self.note = note
        self.version = version


class DbFailed(Message):
    """A unit of work failed in a thread worker; nothing was written."""

    def __init__(self, request: str, error: Exception) -> None:
        super().__init__()
        self.request = request
        self.error = error


def describe_error(exc: Exception) -> str:
    """One clear sentence for the user: service errors as they are, a locked database explained."""
    errors = sys.modules.get("amtui.services.errors")
    if errors is not None and isinstance(exc, errors.AmtuiError):
        return str(exc)
    sa_exc = sys.modules.get("sqlalchemy.exc")
    if sa_exc is not None and isinstance(exc, sa_exc.OperationalError):
        reason = str(exc.orig) if getattr(exc, "orig", None) else str(exc).splitlines()[0]
        if "locked" in reason or "busy" in reason:
            return _("The database is busy (locked by another program). Nothing was saved; your input is kept.")
        return _("Database error: {reason}. Nothing was saved; your input is kept.").format(reason=reason)
    return f"{type(exc).__name__}: {exc}"


class DbMixin:
    """Mixed into Screen/ModalScreen: ``self.db(request, job)`` runs ``job(workspace)`` off the UI thread
    and posts a ``DbDone`` (or ``DbFailed``) that the screen handles with ``@on(DbDone)``."""

    @property
    def amtui(self) -> Workplace:
        return self.app  # type: ignore[attr-defined,no-any-return]

    @property
    def workspace(self) -> Workspace:
        return self.amtui.workspace

    def db(self, request: str, job: Job, *, note: str = "") -> None:
        """Run ``job(workspace)`` in a thread worker; the screen gets ``DbDone``/``DbFailed`` back."""
        self._db_worker(request, job, note)

    def load(self, request: str, job: Job) -> None:
        """A read of the screen's data: a newer load replaces one still running, and the
        ``DbDone`` remembers which data version it read (see ``is_stale``)."""
        self._load_worker(request, job, self.workspace.version)

    @work(thread=True, group="db")
    def _db_worker(self, request: str, job: Job, note: str) -> None:
        self._finish(request, job, note, -1)

    @work(thread=True, group="load", exclusive=True)
    def _load_worker(self, request: str, job: Job, version: int) -> None:
        self._finish(request, job, "", version)

    def _finish(self, request: str, job: Job, note: str, version: int) -> None:
        try:
            result = job(self.workspace)
        except Exception as exc:  # handed to the UI thread, never lost in the worker
            self.post_message(DbFailed(request, exc))  # type: ignore[attr-defined]
            return
        if not get_current_worker().is_cancelled:  # a newer load is on its way
            self.post_message(DbDone(request, result, note=note, version=version))  # type: ignore[attr-defined]

    # Data is reloaded when the screen comes back only if something was written since, or it is old.
    loaded_version: int = -1
    loaded_at: float = 0.0

    def is_stale(self) -> bool:
        return self.loaded_version != self.workspace.version or time.monotonic() - self.loaded_at > STALE_AFTER_S

    def on_db_done(self, message: DbDone) -> None:
        """After the screen's own ``@on(DbDone)`` handler: remember which data version a load read."""
        message.stop()
        if message.version >= 0:
            self.loaded_version, self.loaded_at = message.version, time.monotonic()

    def on_db_failed(self, message: DbFailed) -> None:
        """Unless the screen handles it (and calls ``prevent_default``): one clear notice."""
        message.stop()
        self.notify(describe_error(message.error), severity="error", timeout=8)  # type: ignore[attr-defined]


class ReloadsWhenStale:
    """Mixed into a screen that shows data (after DbMixin): shown again, it reads its data again
    if something was written since or the data is old; ``r``-style bindings call ``action_reload``."""

    def reload(self) -> None:
        raise NotImplementedError

    def on_screen_resume(self) -> None:
        if self.is_stale():  # type: ignore[attr-defined]
            self.reload()

    def action_reload(self) -> None:
        self.reload()


class QuickResume:
    """Mixed into a mode screen: coming back to it does not restyle every widget when nothing changed.

    On each ScreenResume Textual re-applies the stylesheet to the whole screen, which makes
    every DataTable drop its rendered-line caches and render all visible cells again. What
    changes the styles between two visits is the theme (and its ANSI colours) or the app
    gaining or losing focus: when none of these moved since this screen was last styled, the
    resume skips the restyle (``ScreenResume.refresh_styles``, a public field of the event).
    """

    _styled_as: tuple[str, int, bool, bool] | None = None

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen._on_screen_resume (Textual dispatches handlers down the MRO).
        app = self.app  # type: ignore[attr-defined]
        styled_as = (str(app.theme), id(app.ansi_theme), bool(app.ansi_color), bool(app.app_focus))
        if styled_as == self._styled_as:
            event.refresh_styles = False
        self._styled_as = styled_as


def local(value: datetime | None, zone: tzinfo, fmt: str = "%d.%m %H:%M") -> str:
    return value.astimezone(zone).strftime(fmt) if value else ""


def short_date(value: date | None, fmt: str = "%d.%m.%y") -> str:
    return value.strftime(fmt) if value else ""


def money(minor: int | None, currency: str = "RUB") -> str:
    """The exact amount, never rounded: in English the CLI's own figure ``2 508 400,75 RUB`` (one
    formatter, ``services.text.format_money``); in Russian and Italian as a reader of the language
    writes it: ``2 508 400,75 ₽``, ``2.508.400,75 €``."""
    if minor is None:
        return ""
    from amtui.i18n import current_language

    if current_language() != "en":
        from amtui.services.locale_format import format_money

        return format_money(minor, currency)
    from amtui.services.text import format_money as cli_money

    return cli_money(minor, currency)


def long_date(value: date) -> str:
    """``Tuesday 08.12.2026`` in English; ``вт 08.12.2026``, ``mar 08/12/2026`` by the interface language."""
    from amtui.i18n import current_language

    if current_language() == "en":
        return value.strftime("%A %d.%m.%Y")
    from amtui.services.locale_format import format_date

    return format_date(value)


def weekday(value: date) -> str:
    """``Tue`` / ``вт`` / ``mar``: the short weekday in the interface language."""
    from amtui.i18n import current_language

    if current_language() == "en":
        return value.strftime("%a")
    from amtui.services.locale_format import format_weekday

    return format_weekday(value)
