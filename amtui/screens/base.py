"""What every screen shares: database work in thread workers, results posted back as messages."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any, Protocol

from textual import events
from textual.message import Message

if TYPE_CHECKING:
    from amtui.services.workspace import Workspace


class Workplace(Protocol):
    """What screens need from the app (the app satisfies it; screens never import ``amtui.app``)."""

    workspace: Workspace

    def switch_mode(self, mode: str) -> Any: ...
    def open_client(self, client_id: int) -> None: ...
    def open_report(self, interaction_id: int) -> None: ...
    def action_new(self, kind: str, log: bool = False, client_id: int | None = None) -> None: ...
    def action_new_client(self) -> None: ...
    def action_new_task(self, client_id: int | None = None) -> None: ...
    def after_write(self, result: object) -> None: ...


Job = Callable[["Workspace"], Any]
# A screen shown again after this long reloads even when nothing was written (time moves on).
STALE_AFTER_S = 60.0
OnDone = Callable[[Any], None]
OnError = Callable[[Exception], None]


class DbDone(Message):
    """A unit of work finished in a thread worker; handled on the UI thread."""

    def __init__(self, result: Any, error: Exception | None, on_done: OnDone | None, on_error: OnError | None) -> None:
        super().__init__()
        self.result = result
        self.error = error
        self.on_done = on_done
        self.on_error = on_error


def describe_error(exc: Exception) -> str:
    """One clear sentence for the user: service errors as they are, a locked database explained."""
    errors = sys.modules.get("amtui.services.errors")
    if errors is not None and isinstance(exc, errors.AmtuiError):
        return str(exc)
    sa_exc = sys.modules.get("sqlalchemy.exc")
    if sa_exc is not None and isinstance(exc, sa_exc.OperationalError):
        reason = str(exc.orig) if getattr(exc, "orig", None) else str(exc).splitlines()[0]
        if "locked" in reason or "busy" in reason:
            return "The database is busy (locked by another program). Nothing was saved; your input is kept."
        return f"Database error: {reason}. Nothing was saved; your input is kept."
    return f"{type(exc).__name__}: {exc}"


class DbMixin:
    """Mixed into Screen/ModalScreen: ``self.db(job, on_done)`` runs ``job(workspace)`` off the UI thread."""

    @property
    def amtui(self) -> Workplace:
        return self.app  # type: ignore[attr-defined,no-any-return]

    @property
    def workspace(self) -> Workspace:
        return self.amtui.workspace

    def db(
        self,
        job: Job,
        on_done: OnDone | None = None,
        on_error: OnError | None = None,
        *,
        group: str = "db",
        exclusive: bool = False,
    ) -> None:
        workspace = self.workspace

        def work() -> None:
            try:
                result, error = job(workspace), None
            except Exception as exc:  # handed to the UI thread, never lost in the worker
                result, error = None, exc
            self.post_message(DbDone(result, error, on_done, on_error))  # type: ignore[attr-defined]

        self.run_worker(work, thread=True, group=group, exclusive=exclusive)  # type: ignore[attr-defined]

    # Data is reloaded when the screen comes back only if something was written since, or it is old.
    loaded_version: int = -1
    loaded_at: float = 0.0

    def is_stale(self) -> bool:
        return self.loaded_version != self.workspace.version or time.monotonic() - self.loaded_at > STALE_AFTER_S

    def mark_loaded(self, version: int) -> None:
        self.loaded_version, self.loaded_at = version, time.monotonic()

    def load(self, job: Job, on_done: OnDone, *, group: str) -> None:
        """A read for the screen; remembers which data version it showed."""
        version = self.workspace.version

        def done(result: Any) -> None:
            self.mark_loaded(version)
            on_done(result)

        self.db(job, done, group=group, exclusive=True)

    def on_db_done(self, message: DbDone) -> None:
        message.stop()
        if message.error is not None:
            if message.on_error is not None:
                message.on_error(message.error)
            else:
                self.notify(describe_error(message.error), severity="error", timeout=8)  # type: ignore[attr-defined]
            return
        if message.on_done is not None:
            message.on_done(message.result)


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
    every DataTable drop its rendered-line caches and render all visible cells again. A theme
    or CSS change bumps the app's CSS update counter (and switch_mode then refreshes the CSS of
    the whole app), so the resume restyle is needed only when that counter or the theme moved
    since this screen was last styled.
    """

    _styled_as: tuple[int, str, bool] | None = None

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen._on_screen_resume (Textual dispatches handlers down the MRO).
        app = self.app  # type: ignore[attr-defined]
        counter = getattr(app, "_css_update_count", None)  # private to Textual: if it goes, always restyle
        styled_as = None if counter is None else (counter, str(app.theme), bool(app.app_focus))
        if styled_as is not None and styled_as == self._styled_as:
            event.refresh_styles = False
        self._styled_as = styled_as


def local(value: datetime | None, zone: tzinfo, fmt: str = "%d.%m %H:%M") -> str:
    return value.astimezone(zone).strftime(fmt) if value else ""


def short_date(value: date | None, fmt: str = "%d.%m.%y") -> str:
    return value.strftime(fmt) if value else ""


def money(minor: int | None, currency: str = "RUB") -> str:
    """``1 234 567 RUB`` without kopecks: the tables need the size, not the cents."""
    if minor is None:
        return ""
    return f"{round(minor / 100):,}".replace(",", " ") + f" {currency}"
