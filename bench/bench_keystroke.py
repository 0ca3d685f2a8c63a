"""A search keystroke on Clients, alone: old and new code side by side, wall and CPU time.

Run from the repository root (each code tree runs in a child process of its own, alternated):

    .venv/bin/python bench/bench_keystroke.py --db /tmp/copy-x10.db                 # this tree
    .venv/bin/python bench/bench_keystroke.py --db /tmp/copy-x10.db --trees . /tmp/base --rounds 3
    .venv/bin/python bench/bench_keystroke.py --db /tmp/copy-x10.db --profile out.prof

Each keystroke is timed as bench_tui.in_process does (from the key to the first frame handed to the
driver after the table drew the new filtered list), with the UI thread's CPU time beside it (the database
search runs in a worker thread; its time is not the keystroke's). The first visit of Clients (to the frame
with rows) is timed too. Give the database as a copy: the app may write to it.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from common import note_drawn_rows, settle_app

NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Moscow")
WORD = "ооо ром"  # Cyrillic, lower case, typed and erased as a user would (as bench_tui does)


async def measure(url: str, rounds: int, profile: str | None) -> dict[str, Any]:
    from textual.widgets import Input

    from amtui.app import AmtuiApp
    from amtui.screens.clients import ClientsScreen
    from amtui.widgets.fast_table import FastTable

    app = AmtuiApp(db_url=url, now=NOW, zone=ZONE)
    # (wall, UI-thread CPU, rows the table had drawn, whether it had rows)
    paints: list[tuple[float, float, object, bool]] = []
    drawn: list[object] = [None]
    display = app._display

    def record_paint(screen: Any, renderable: Any) -> None:
        if isinstance(screen, ClientsScreen):
            table = screen.query_one("#clients-table", FastTable)
            # The rows on screen: the table's list when none of its lines waits to be drawn (a
            # keystroke may redraw only the lines that changed, or none), else the list it drew from.
            waiting = table._repaint_required or table._repaint_regions
            rows = drawn[0] if waiting else table.items
            paints.append((time.perf_counter(), time.thread_time(), rows, bool(table.row_count)))
        display(screen, renderable)

    app._display = record_paint  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle_app(pilot)
        paints.clear()
        started = time.perf_counter()
        app.switch_mode("clients")
        await settle_app(pilot)
        first_visit = next(((p[0] - started) * 1000 for p in paints if p[3]), float("nan"))
        screen = app.screen
        assert isinstance(screen, ClientsScreen)
        table = screen.query_one("#clients-table", FastTable)
        note_drawn_rows(table, drawn)
        search = screen.query_one("#clients-search", Input)
        search.focus()
        await settle_app(pilot)
        wall, cpu, frames = [], [], []
        profiler = cProfile.Profile() if profile else None
        for _ in range(rounds):
            actions = [lambda c=char: search.insert_text_at_cursor(c) for char in WORD]
            actions += [search.action_delete_left for _ in WORD]
            for action in actions:
                paints.clear()
                started, started_cpu = time.perf_counter(), time.thread_time()
                if profiler:
                    profiler.enable()
                action()
                await pilot.pause()
                if profiler:
                    profiler.disable()
                first = next(p for p in paints if p[2] is screen.shown)
                wall.append((first[0] - started) * 1000)
                cpu.append((first[1] - started_cpu) * 1000)
                frames.append(len(paints))
            await settle_app(pilot)  # the database search of this round answers before the next round
        if profiler:
            profiler.dump_stats(profile)
        return {
            "clients": len(screen.clients),
            "first_visit": first_visit,
            "wall": wall,
            "cpu": cpu,
            "frames": statistics.mean(frames),
        }


def child(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(Path(args.tree).resolve()))
    import amtui

    assert Path(amtui.__file__).resolve().is_relative_to(Path(args.tree).resolve()), amtui.__file__
    result = asyncio.run(measure(f"sqlite:///{Path(args.db).resolve()}", args.rounds, args.profile))
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="a copy of a scale dataset (bench/scale_data.py)")
    parser.add_argument("--trees", nargs="+", default=["."], help="code trees to compare (alternated)")
    parser.add_argument("--runs", type=int, default=3, help="child processes per tree")
    parser.add_argument("--rounds", type=int, default=2, help="typed-and-erased words per child")
    parser.add_argument("--profile", help="cProfile the keystrokes of one run of the first tree into this file")
    parser.add_argument("--tree", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.tree:
        child(args)
        return
    if args.profile:
        argv = ["--tree", args.trees[0], "--db", args.db, "--rounds", str(args.rounds), "--profile", args.profile]
        subprocess.run([sys.executable, __file__, *argv], check=True)
        return
    results: dict[str, list[dict[str, Any]]] = {tree: [] for tree in args.trees}
    for _ in range(args.runs):
        for tree in args.trees:
            argv = [sys.executable, __file__, "--tree", tree, "--db", args.db, "--rounds", str(args.rounds)]
            out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
            results[tree].append(json.loads(out.strip().splitlines()[-1]))
    for tree, runs in results.items():
        wall = [value for run in runs for value in run["wall"]]
        cpu = [value for run in runs for value in run["cpu"]]
        visits = [run["first_visit"] for run in runs]
        print(
            f"{tree}: {runs[0]['clients']} clients, keystroke median {statistics.median(wall):.1f} ms "
            f"(UI-thread CPU median {statistics.median(cpu):.1f}, mean {statistics.mean(cpu):.1f}, "
            f"90th percentile {statistics.quantiles(cpu, n=10)[-1]:.1f} ms; n={len(wall)}, "
            f"{statistics.mean(r['frames'] for r in runs):.1f} frames/key); "
            f"first visit to rows {statistics.median(visits):.0f} ms (min {min(visits):.0f})"
        )


if __name__ == "__main__":
    main()
