"""The first screen as a user sees it: from launching `amtui` in a terminal until the screen stops changing.

Run from the repository root:

    .venv/bin/python bench/bench_first_screen.py            # builds the large demo in a temp dir
    .venv/bin/python bench/bench_first_screen.py --db PATH  # a database built with `amtui demo --size large`
                                                             # at 2026-11-25 06:00 UTC (common.NOW)

Each run starts a process in a detached tmux session of 120x40 (a private tmux server) and polls
`tmux capture-pane` every ~5 ms; the time is that of the LAST change of the screen, once it has been quiet
for --quiet seconds (so the "Loading…" frames never count, only the screen that stays). Three kinds of run,
alternated, medians of --runs each:
- bare: a bare Textual app (Header, DataTable, Footer), the baseline;
- amtui: `amtui --db PATH` as a user starts it again (the last session's Today is kept in the user's
  cache folder: shown at once, read again behind it); the target is at most 1.6x bare;
- first: the same with no kept Today (a first start ever, or a new day), for information.
A run ends once the screen is up (the bare app's title; the whole of Today: receivables shown, no
"Loading…" left) and has not changed for --quiet seconds; both kinds of amtui run must end on the same screen.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import AMTUI, PYTHON, isolated_env, large_demo

TARGET = 1.6

BARE = """
from textual.app import App
from textual.widgets import DataTable, Footer, Header

class Bare(App):
    def compose(self):
        yield Header()
        yield DataTable()
        yield Footer()

Bare().run()
"""


class Terminal:
    """A private tmux server whose sessions are 120x40 with no status line."""

    def __init__(self, folder: Path) -> None:
        self.socket = f"amtui-bench-{os.getpid()}"
        self.conf = folder / "tmux.conf"
        self.conf.write_text("set -g status off\nset -g default-terminal xterm-256color\n")
        self.runs = 0
        # One server for the whole bench (a session kept open), so no run pays for its start.
        self.tmux("new-session", "-d", "-s", "keep", "-x", "120", "-y", "40", "--", "sleep", "100000")

    def close(self) -> None:
        self.tmux("kill-server", check=False)

    def tmux(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, "-f", str(self.conf), *args], capture_output=True, text=True, check=check
        )
        return done.stdout

    def run(
        self, command: list[str], env: dict[str, str], quiet: float, done: Callable[[str], bool], timeout: float = 60.0
    ) -> tuple[float, str]:
        """Milliseconds from the launch to the last change of the screen, and the screen it stayed on: the
        run ends when the screen is ``done`` and has not changed for ``quiet`` seconds."""
        line = ["env", "-i", *(f"{key}={value}" for key, value in env.items()), *command]
        self.runs += 1
        session = f"run{self.runs}"
        started = time.perf_counter()
        self.tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", "--", *line)
        screen, changed = "", started
        try:
            while True:
                now = time.perf_counter()
                shown = self.tmux("capture-pane", "-p", "-t", session, check=False)
                if shown != screen:
                    screen, changed = shown, now
                elif now - changed > quiet and done(screen):
                    break
                if now - started > timeout:
                    raise SystemExit(f"the screen kept changing for {timeout:.0f} s:\n{screen}")
                time.sleep(0.005)
        finally:
            self.tmux("kill-session", "-t", session, check=False)
        return (changed - started) * 1000, screen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="a database built with `amtui demo --size large` (default: build one)")
    parser.add_argument(
        "--source",
        type=Path,
        help="run amtui from this source tree instead (e.g. the code before a change: "
        "`mkdir DIR && git archive main amtui | tar -x -C DIR`)",
    )
    parser.add_argument("--runs", type=int, default=9, help="runs of each kind (medians)")
    parser.add_argument("--quiet", type=float, default=1.5, help="seconds without a change that end a run")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is needed (apt-get install tmux)")
    path = large_demo(args.db).resolve()
    folder = Path(tempfile.mkdtemp(prefix="amtui-bench-first-"))
    terminal = Terminal(folder)
    env = {**isolated_env(folder, args.source), "TERM": "xterm-256color"}
    kept = folder / "cache"
    bare_command = [PYTHON, "-c", BARE]
    amtui_command = [AMTUI, "--db", str(path)]

    def bare_shown(screen: str) -> bool:
        return "Bare" in screen  # the header's title: the app is up

    def today_shown(screen: str) -> bool:
        return "Receivables " in screen and "oading…" not in screen

    def bare() -> float:
        return terminal.run(bare_command, env, args.quiet, bare_shown)[0]

    def amtui(first: bool) -> tuple[float, str]:
        if first:
            shutil.rmtree(kept, ignore_errors=True)
        return terminal.run(amtui_command, env, args.quiet, today_shown)

    # Warm-up: bytecode, the OS file cache, and the kept Today of a first session.
    bares, again, first = [], [], []
    screens: dict[str, str] = {}
    try:
        bare()
        amtui(first=True)
        for _ in range(args.runs):
            bares.append(bare())
            elapsed, screens["amtui"] = amtui(first=False)
            again.append(elapsed)
            elapsed, screens["first"] = amtui(first=True)
            first.append(elapsed)
    finally:
        terminal.close()
    if screens["amtui"] != screens["first"]:
        raise SystemExit("the kept Today and a fresh read ended on different screens")
    ratio = statistics.median(again) / statistics.median(bares)
    print(f"launch until the screen stops changing, tmux 120x40, medians of {args.runs} (alternated):")
    print(f"  bare Textual app (Header, DataTable, Footer): {statistics.median(bares):6.0f} ms")
    print(f"  amtui, Today of the large demo:               {statistics.median(again):6.0f} ms  ratio {ratio:.2f}x")
    print(
        f"  amtui, first start (no kept Today):           {statistics.median(first):6.0f} ms  "
        f"ratio {statistics.median(first) / statistics.median(bares):.2f}x (information)"
    )
    print(f"target: amtui <= {TARGET}x bare: {'OK' if ratio <= TARGET else 'OVER TARGET'}")


if __name__ == "__main__":
    main()
