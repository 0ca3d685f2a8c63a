"""What the benches share: the clock of the large demo, the programs, and the two ways of timing.

The scripts run as ``python bench/<name>.py``, so this folder is on ``sys.path`` and they import it
as ``common``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
AMTUI = str(Path(PYTHON).with_name("amtui"))
# The large demo is built "as of" this moment, so every run of a bench reads the same data.
NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)


def time_process(argv: list[str], runs: int, env: dict[str, str]) -> float:
    """Median wall time in ms of ``runs`` whole processes, output discarded."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def median_ms(work: Callable[[], object], runs: int) -> float:
    """Median ms of ``runs`` calls after one warm-up call (SQLAlchemy's statement cache, imports)."""
    samples = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        work()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples[1:])


def build_large_demo(db: Path) -> None:
    """The large demo (2,000 clients, 200,000 interactions) at :data:`NOW`."""
    sys.path.insert(0, str(ROOT))
    from amtui.db import open_engine
    from amtui.services.demo import build_demo

    engine = open_engine(f"sqlite:///{db}")
    build_demo(engine, size="large", now=NOW)
    engine.dispose()


def large_demo(db: Path | None) -> Path:
    """``db`` (a database built with `amtui demo --size large` at :data:`NOW`), or the large demo built
    in a temp dir."""
    if db is not None:
        return db
    import tempfile

    path = Path(tempfile.mkdtemp(prefix="amtui-bench-")) / "large.db"
    began = time.perf_counter()
    build_large_demo(path)
    print(f"built the large demo in {time.perf_counter() - began:.1f} s: {path}")
    return path


def isolated_env(folder: Path, source: Path | None = None) -> dict[str, str]:
    """A whole-process run's environment: its own home and XDG folders under ``folder``, the bench's
    clock and zone, English, and bytecode cached as an installed package has it (this machine may set
    PYTHONDONTWRITEBYTECODE); ``source`` puts another checkout's amtui first on the path."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(folder),
        "XDG_CACHE_HOME": str(folder / "cache"),
        "XDG_CONFIG_HOME": str(folder / "config"),
        "XDG_DATA_HOME": str(folder / "data"),
        "XDG_STATE_HOME": str(folder / "state"),
        "AMTUI_NOW": NOW.isoformat(),
        "AMTUI_TZ": "Europe/Moscow",
        "AMTUI_LANG": "en",
        "LANG": "C.UTF-8",
        "PYTHONPYCACHEPREFIX": str(folder / "pycache"),
    }
    if source is not None:
        env["PYTHONPATH"] = str(source.resolve())
    return env


async def settle_app(pilot: Any) -> None:
    """Let the app's thread workers finish and their results reach the screen (three rounds of pause,
    wait, pause). A newer read may replace a worker (Today reads again behind its kept picture): a
    cancelled one is not a failure."""
    import contextlib

    from textual.worker import WorkerCancelled

    for _ in range(3):
        await pilot.pause()
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def note_drawn_rows(table: Any, drawn: list[object]) -> None:
    """Make ``table`` (a FastTable) keep in ``drawn[0]`` the list of rows it last drew a line of: a frame shows
    the filtered rows only once the table has rendered them."""
    render_line = table.render_line

    def render_and_note(y: int) -> Any:
        drawn[0] = table.items
        return render_line(y)

    table.render_line = render_and_note
