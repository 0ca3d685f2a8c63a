"""Speed of the TUI on the large demo dataset, beside a bare Textual app in the same run.

Run from the repository root:

    .venv/bin/python bench/bench_tui.py            # builds the large demo in a temp dir
    .venv/bin/python bench/bench_tui.py --db PATH  # reuse a database built with `amtui demo --size large`

It times (medians; the machine is shared, so read the ratios):
- process start -> first frame of Today (headless, the App's Ready event), against a bare app
  (Header, empty DataTable, Footer) started the same way, interleaved (target: <= 1.6x);
- process start -> Today showing its first data (agenda, sales) and all of it (alerts, portfolio),
  for information: the data arrives from thread workers in two steps;
- in-process: a screen switch (Today <-> Clients) and a search keystroke on Clients (target: < 50 ms each),
  each timed to the frame that shows the change (see in_process()).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from common import note_drawn_rows, settle_app

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Moscow")

BARE = r"""
import sys, time
from textual.app import App
from textual.widgets import DataTable, Footer, Header

class Bare(App):
    def compose(self):
        yield Header()
        yield DataTable()
        yield Footer()
    def on_ready(self):
        print(time.time(), flush=True)
        self.exit()

Bare().run(headless=True)
"""

AMTUI = r"""
import sys, time
from amtui.app import AmtuiApp

if sys.argv[2] in ("first", "data"):
    # Only these modes import the screen early: they wait for the worker's data to be on screen
    # ("first": the agenda and sales; "data": everything, alerts and portfolio included).
    from amtui.screens.today import TodayScreen

    shown = TodayScreen.show

    def show(self, data):
        shown(self, data)
        if data.complete or sys.argv[2] == "first":
            self.app.call_after_refresh(lambda: (print(time.time(), flush=True), self.app.exit()))

    TodayScreen.show = show

class Bench(AmtuiApp):
    def on_ready(self):
        if sys.argv[2] == "frame":
            assert type(self.screen).__name__ == "TodayScreen", self.screen
            print(time.time(), flush=True)
            self.exit()

Bench(db_url=sys.argv[1]).run(headless=True)
"""


def spawn(script: str, *args: str) -> float:
    """Milliseconds from just before the process starts to the time it prints."""
    start = time.time()
    out = subprocess.run(
        [PYTHON, "-c", script, *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=ROOT,
        env={"AMTUI_NOW": NOW.isoformat(), "AMTUI_TZ": "Europe/Moscow", "PATH": "/usr/bin:/bin", "TERM": "xterm"},
    )
    if out.returncode != 0 or not out.stdout.strip():
        raise SystemExit(f"benchmark child failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    return (float(out.stdout.strip().splitlines()[-1]) - start) * 1000


def median(values: list[float]) -> float:
    return statistics.median(values)


@dataclass
class InProcess:
    switches: list[float]  # ms from switch_mode() to the paint of the target screen
    switches_settled: list[float]  # ms from switch_mode() until pilot.pause() returns (idle)
    keystrokes: list[float]  # ms from the key to the first paint of the table with the filtered rows
    keystrokes_settled: list[float]
    floor: float  # ms an empty action takes until pilot.pause() returns
    clients: int
    paints_per_switch: float
    paints_per_key: float


async def in_process(url: str, rounds: int) -> InProcess:
    """Switches and keystrokes driven directly (not through Pilot.press, whose own overhead is
    ~70 ms here). Each is timed to the moment Textual hands the finished frame to the driver
    (App._display, called in headless mode too, after the compositor has rendered every changed
    line), and for the keystroke only a frame drawn after the table rendered the new filtered list
    counts (or, since the table redraws only the lines that show another client, a frame after which
    none of its lines waits to be drawn). The figures "until idle" (pilot.pause() returned) are
    printed beside them."""
    from textual.widgets import Input

    from amtui.app import AmtuiApp
    from amtui.screens.clients import ClientsScreen
    from amtui.screens.today import TodayScreen
    from amtui.widgets.fast_table import FastTable

    app = AmtuiApp(db_url=url, now=NOW, zone=ZONE)
    paints: list[tuple[float, type, object]] = []  # (time, screen class, rows the table had drawn)
    drawn: list[object] = [None]
    display = app._display

    watched: list[Any] = []  # Clients' table, once known

    def record_paint(screen: Any, renderable: Any) -> None:
        rows = drawn[0]
        # The rows on screen: the table's list when none of its lines waits to be drawn (a keystroke
        # may redraw only the lines that changed, or none), else the list it last drew lines from.
        if watched and screen is watched[0].screen:
            table = watched[0]
            if not (table._repaint_required or table._repaint_regions):
                rows = table.items
        paints.append((time.perf_counter(), type(screen), rows))
        display(screen, renderable)

    app._display = record_paint  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:

        async def timed(
            action: Callable[[], object], shown: Callable[[tuple[float, type, object]], bool]
        ) -> tuple[float, float, int]:
            paints.clear()
            started = time.perf_counter()
            action()
            await pilot.pause()
            settled = (time.perf_counter() - started) * 1000
            first = next((paint for paint in paints if shown(paint)), None)
            if first is None:
                raise SystemExit("the change never reached the screen")
            return (first[0] - started) * 1000, settled, len(paints)

        await settle_app(pilot)
        app.switch_mode("clients")
        await settle_app(pilot)
        clients_screen = app.screen
        assert isinstance(clients_screen, ClientsScreen)
        table = clients_screen.query_one("#clients-table", FastTable)
        note_drawn_rows(table, drawn)
        watched.append(table)
        app.switch_mode("today")
        await settle_app(pilot)
        idle_waits = []
        for _ in range(10):
            started = time.perf_counter()
            await pilot.pause()
            idle_waits.append((time.perf_counter() - started) * 1000)
        floor = statistics.median(idle_waits)
        switches, switches_settled, switch_paints = [], [], []

        def is_of(screen_class: type, paint: tuple[float, type, object]) -> bool:
            return paint[1] is screen_class

        for _ in range(rounds):
            for mode, screen_class in (("clients", ClientsScreen), ("today", TodayScreen)):
                shown, settled, count = await timed(partial(app.switch_mode, mode), partial(is_of, screen_class))
                assert isinstance(app.screen, screen_class)
                switches.append(shown)
                switches_settled.append(settled)
                switch_paints.append(count)
        app.switch_mode("clients")
        await settle_app(pilot)
        search = clients_screen.query_one("#clients-search", Input)
        search.focus()
        await settle_app(pilot)
        keystrokes, keystrokes_settled, key_paints = [], [], []
        word = "ооо ром"  # Cyrillic, lower case, typed and erased as a user would

        def filtered(paint: tuple[float, type, object]) -> bool:
            return paint[2] is clients_screen.shown

        for _ in range(max(rounds // 4, 2)):
            actions: list[Callable[[], object]] = [partial(search.insert_text_at_cursor, char) for char in word]
            actions += [search.action_delete_left for _ in word]
            for action in actions:
                shown, settled, count = await timed(action, filtered)
                assert table.items is clients_screen.shown
                keystrokes.append(shown)
                keystrokes_settled.append(settled)
                key_paints.append(count)
        count = len(clients_screen.clients)
    return InProcess(
        switches,
        switches_settled,
        keystrokes,
        keystrokes_settled,
        floor,
        count,
        statistics.mean(switch_paints),
        statistics.mean(key_paints),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="a database built with `amtui demo --size large` (default: build one)")
    parser.add_argument("--runs", type=int, default=11, help="process start-ups of each kind")
    parser.add_argument("--rounds", type=int, default=20, help="in-process screen switch rounds")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.db is None:
        from amtui.db import open_engine
        from amtui.services.demo import build_demo

        path = Path(tempfile.mkdtemp(prefix="amtui-bench-tui-")) / "large.db"
        engine = open_engine(f"sqlite:///{path}")
        began = time.perf_counter()
        build_demo(engine, size="large", now=NOW)
        engine.dispose()
        print(f"built the large demo in {time.perf_counter() - began:.1f} s: {path}")
    else:
        path = args.db
    url = f"sqlite:///{path.resolve()}"

    spawn(BARE), spawn(AMTUI, url, "frame")  # warm the OS file cache
    bare, today, first, data = [], [], [], []
    for _ in range(args.runs):
        bare.append(spawn(BARE))
        today.append(spawn(AMTUI, url, "frame"))
        first.append(spawn(AMTUI, url, "first"))
        data.append(spawn(AMTUI, url, "data"))
    measured = asyncio.run(in_process(url, args.rounds))

    ratio = median(today) / median(bare)
    switch, key = median(measured.switches), median(measured.keystrokes)
    print(f"first frame, bare Textual app (Header+DataTable+Footer): {median(bare):6.0f} ms")
    print(f"first frame, amtui Today:                               {median(today):6.0f} ms  ratio {ratio:.2f}x")
    print(f"Today with its first data (agenda, sales):              {median(first):6.0f} ms")
    print(f"Today with all its data (alerts, portfolio):            {median(data):6.0f} ms")
    print(
        f"screen switch Today<->Clients, to the new screen frame (n={len(measured.switches)}): {switch:.1f} ms median"
    )
    print(
        f"  the same until idle (pilot.pause(); empty action {measured.floor:.1f} ms): "
        f"{median(measured.switches_settled):6.1f} ms; {measured.paints_per_switch:.1f} frames per switch"
    )
    print(
        f"search keystroke over {measured.clients} clients, to the frame showing the filtered rows "
        f"(n={len(measured.keystrokes)}): {key:6.1f} ms median"
    )
    print(
        f"  the same until idle: {median(measured.keystrokes_settled):6.1f} ms; "
        f"{measured.paints_per_key:.1f} frames per keystroke (the input's echo comes first)"
    )
    verdict = "OK" if ratio <= 1.6 and switch < 50 and key < 50 else "OVER TARGET"
    print(f"targets: first frame <= 1.6x bare, switch < 50 ms, keystroke < 50 ms: {verdict}")


if __name__ == "__main__":
    main()
