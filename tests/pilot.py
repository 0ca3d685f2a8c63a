"""Waiting for a Pilot-driven app to be idle, shared by the TUI tests."""

from __future__ import annotations

import contextlib
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.worker import WorkerCancelled


async def workers_done(app: App[Any]) -> None:
    """Wait for every worker. A reload that a newer one replaced (exclusive workers) ends cancelled:
    that is normal, not a failure (``WorkerManager.wait_for_complete`` would raise on it, which made
    tests fail now and then on a loaded machine, when the data-version poll overlapped a load)."""
    for worker in list(app.workers):
        with contextlib.suppress(WorkerCancelled):
            await worker.wait()


async def settle(pilot: Pilot[Any]) -> None:
    """Let thread workers finish and their results reach the screen."""
    for _ in range(3):
        await pilot.pause()
        await workers_done(pilot.app)
        await pilot.pause()
