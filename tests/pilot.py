"""Waiting for a Pilot-driven app to be idle, shared by the TUI tests."""

from __future__ import annotations

import contextlib
from typing import Any

from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.worker import WorkerCancelled, WorkerState


async def workers_done(app: App[Any]) -> None:
    """Wait for every worker. A reload that a newer one replaced (exclusive workers) ends cancelled:
    that is normal, not a failure (``WorkerManager.wait_for_complete`` would raise on it, which made
    tests fail now and then on a loaded machine, when the data-version poll overlapped a load)."""
    for worker in list(app.workers):
        with contextlib.suppress(WorkerCancelled):
            await worker.wait()


def busy(app: App[Any]) -> bool:
    """A worker is waiting to start or running."""
    return any(worker.state in (WorkerState.PENDING, WorkerState.RUNNING) for worker in app.workers)


async def settle(pilot: Pilot[Any], *, rounds: int = 12) -> None:
    """Let thread workers finish and their results reach the screen: pause (the app handles what is
    queued until its CPU goes idle, then draws) and wait for the workers, until two pauses in a row
    find none pending or running (a result may start the next load: Portfolio's second step, a
    reload after a write). Three fixed rounds of pause, wait, pause cost ~65 ms of mostly sleeping
    (~22 ms CPU) even when nothing was left to do, ~1,500 times in the suite."""
    quiet = 0
    for _ in range(rounds):
        await pilot.pause()
        if busy(pilot.app):
            quiet = 0
            await workers_done(pilot.app)
        else:
            quiet += 1
            if quiet == 2:
                return


async def enter_text(pilot: Pilot[Any], text: str, *, by_key: bool = False) -> None:
    """Enter ``text`` into the focused field as a terminal's bracketed paste: one event, which Textual
    hands to the focused widget; an Input inserts it at the cursor as it inserts a typed key, and its
    Changed message (the fields validate on it) comes once, with the whole text. Key by key (``by_key``)
    where a test watches what happens on each key: Pilot redraws the screen after every key pressed,
    which made typing a form's values most of a form test's CPU."""
    if by_key:
        await pilot.press(*list(text))
        return
    assert "\n" not in text and "\r" not in text, "an Input takes one line of a paste"
    if text:
        pilot.app.post_message(events.Paste(text))
    await pilot.pause()


async def open_clients(pilot: Pilot[Any]) -> tuple[Any, Any]:
    """Switch to the Clients screen (key 2), let it load, and give the screen and its table."""
    from amtui.screens.clients import ClientsScreen
    from amtui.widgets.fast_table import FastTable

    await pilot.press("2")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ClientsScreen)
    return screen, screen.query_one("#clients-table", FastTable)
