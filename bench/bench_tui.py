"""Speed of the TUI on the large demo dataset, beside a bare Textual app in the same run.

Run from the repository root:

    .venv/bin/python bench/bench_tui.py            # builds the large demo in a temp dir
    .venv/bin/python bench/bench_tui.py --db PATH  # reuse a database built with `amtui demo --size large`

It times (medians; the machine is shared, so read the ratios):
- process start -> first frame of Today (headless, the App's Ready event), against a bare app
  (Header, empty DataTable, Footer) started the same way, interleaved (target: <= 1.6x);
- process start -> Today showing its data (for information: the data arrives from a thread worker);
- in-process: a screen switch (Today <-> Clients) and a search keystroke on Clients (target: < 50 ms each).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

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

if sys.argv[2] == "data":
    # Only this mode imports the screen early: it waits for the worker's data to be on screen.
    from amtui.screens.today import TodayScreen

    shown = TodayScreen.show

    def show(self, data):
        shown(self, data)
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


async def in_process(url: str, rounds: int) -> tuple[list[float], list[float], float, int]:
    """Switches and keystrokes driven directly (not through Pilot.press, whose own overhead is
    ~70 ms here), each timed until the app is idle again after the change."""
    from textual.widgets import Input

    from amtui.app import AmtuiApp

    app = AmtuiApp(db_url=url, now=NOW, zone=ZONE)
    async with app.run_test(size=(120, 40)) as pilot:

        async def settle() -> None:
            for _ in range(3):
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()

        async def timed(action: object) -> float:
            started = time.perf_counter()
            action()  # type: ignore[operator]
            await pilot.pause()
            return (time.perf_counter() - started) * 1000

        await settle()
        app.switch_mode("clients")
        await settle()
        count = len(app.screen.clients)  # type: ignore[attr-defined]
        floor = median([await timed(lambda: None) for _ in range(10)])
        switches = []
        for _ in range(rounds):
            switches.append(await timed(lambda: app.switch_mode("today")))
            switches.append(await timed(lambda: app.switch_mode("clients")))
        search = app.screen.query_one("#clients-search", Input)
        search.focus()
        await settle()
        keystrokes = []
        word = "ооо ром"  # Cyrillic, lower case, typed and erased as a user would
        for _ in range(max(rounds // 4, 2)):
            for char in word:
                keystrokes.append(await timed(lambda char=char: search.insert_text_at_cursor(char)))
            for _ in word:
                keystrokes.append(await timed(search.action_delete_left))
    return switches, keystrokes, floor, count


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
    bare, today, data = [], [], []
    for _ in range(args.runs):
        bare.append(spawn(BARE))
        today.append(spawn(AMTUI, url, "frame"))
        data.append(spawn(AMTUI, url, "data"))
    switches, keystrokes, floor, count = asyncio.run(in_process(url, args.rounds))

    ratio = median(today) / median(bare)
    print(f"first frame, bare Textual app (Header+DataTable+Footer): {median(bare):6.0f} ms")
    print(f"first frame, amtui Today:                               {median(today):6.0f} ms  ratio {ratio:.2f}x")
    print(f"Today with its data (large demo):                       {median(data):6.0f} ms")
    print(f"idle wait floor (an empty action and pilot.pause()):     {floor:6.1f} ms median, included below")
    print(f"screen switch Today<->Clients, in-process (n={len(switches)}):     {median(switches):6.1f} ms median")
    print(f"search keystroke over {count} clients (n={len(keystrokes)}):        {median(keystrokes):6.1f} ms median")
    verdict = "OK" if ratio <= 1.6 and median(switches) < 50 and median(keystrokes) < 50 else "OVER TARGET"
    print(f"targets: first frame <= 1.6x bare, switch < 50 ms, keystroke < 50 ms: {verdict}")


if __name__ == "__main__":
    main()
