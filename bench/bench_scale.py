"""Ten times the data (issue 15 part 2): the same reads at 1x, 3x and 10x the large demo, side by side.

Run from the repository root:

    .venv/bin/python bench/bench_scale.py                # datasets cached under /tmp/amtui-bench-scale
    .venv/bin/python bench/bench_scale.py --runs 7 --factors 1 10

The datasets come from bench/scale_data.py (the large demo, then every client-owned table repeated in
SQL: 10x is 20,000 clients, 100k contacts, 2M interactions, 200k tasks, 50k contracts, 500k invoices);
they are built once and reused. Printed per scale (medians; the machine is shared, read ratios):
- Today complete, in-process: ``Workspace.today_view()`` on a fresh Workspace (agenda, sales, every
  alert, the portfolio's receivables per currency; on a SQLite file in one thread, see
  ``workspace.SIDE_BY_SIDE_FROM``) -- target at 10x: under 1 s; beside it the alert engine alone, how many
  alerts it builds, and the ABC ranking it runs (every client, every run);
- Today as the TUI reads it: ``today_view(first=...)``, the quick part (agenda, sales) read and handed over
  first, then the engine -- complete under 1 s at 10x, and when the quick part came;
- Clients' data, in-process: ``Workspace.client_list()`` on a fresh Workspace (no shared read), beside the
  old per-client correlated sub-selects in plain sqlite3 -- target at 10x: under 0.5 s;
- the TUI's first visit of Clients (app started, Today settled, then switch_mode): to the first frame
  showing rows (the screen reads the first rows of its order alone, then the whole portfolio) -- target
  at 10x: under 0.5 s -- and until idle (every read done and shown);
- a search keystroke on Clients, to the frame that shows the filtered rows -- target: under 50 ms;
- ``amtui digest`` whole process beside plain sqlite3 issuing the same queries -- target: within 1.5x;
- growth: each figure's 10x/1x ratio beside the data's (10): nothing may grow faster than the data.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_digest import RAW_SCRIPT  # noqa: E402
from common import settle_app  # noqa: E402
from scale_data import FACTORS, NOW, ensure  # noqa: E402

PYTHON = sys.executable
AMTUI = str(Path(PYTHON).with_name("amtui"))
ZONE = ZoneInfo("Europe/Moscow")

OLD_RECEIVABLES = """
SELECT c.id,
  (SELECT coalesce(sum(i.amount_minor - i.paid_minor), 0) FROM invoice i
    WHERE i.client_id = c.id AND i.paid_minor < i.amount_minor),
  (SELECT coalesce(sum(i.amount_minor - i.paid_minor), 0) FROM invoice i
    WHERE i.client_id = c.id AND i.paid_minor < i.amount_minor AND i.due_on < ?)
FROM client c
"""


CPU: dict[str, float] = {}  # the last timed() call's median CPU ms (steadier than wall time on a busy machine)


def timed(function: Callable[[], object], runs: int) -> float:
    samples, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    CPU["last"] = statistics.median(cpu)
    return statistics.median(samples)


def workspace(path: Path):  # type: ignore[no-untyped-def]
    from amtui.config import Settings
    from amtui.db import open_engine
    from amtui.services.workspace import Workspace

    engine = open_engine(f"sqlite:///{path}")
    return engine, lambda: Workspace(engine=engine, now=lambda: NOW, zone=ZONE, settings=Settings())


def abc_changes(engine: Any) -> object:
    """What the alert engine asks of the ABC reckoning: the suggested tiers that differ (every client ranked)."""
    from amtui.services.portfolio import abc_tiers

    with engine.connect() as connection:
        return abc_tiers(session=connection, today=NOW.astimezone(ZONE).date(), changes_only=True)


def in_process(path: Path, runs: int) -> dict[str, float]:
    engine, fresh = workspace(path)
    fresh().today_view()  # warm: statements compiled, pages cached
    today_ms = timed(lambda: fresh().today_view(), runs)
    today_cpu = CPU["last"]
    first_ms = timed(lambda: fresh().today_first(), runs)
    handed: list[float] = []  # when the TUI's read hands its quick part over, ms after it started

    def tui_read() -> None:
        started = time.perf_counter()
        fresh().today_view(first=lambda view: handed.append((time.perf_counter() - started) * 1000))

    tui_ms = timed(tui_read, runs)
    tui_cpu = CPU["last"]
    clients_ms = timed(lambda: fresh().client_list(), runs)
    clients_cpu = CPU["last"]
    alerts_ms = timed(lambda: fresh().alerts(), runs)
    alerts_cpu = CPU["last"]
    count = len(fresh().alerts())
    abc_ms = timed(lambda: abc_changes(engine), runs)
    abc_cpu = CPU["last"]
    engine.dispose()
    day = NOW.astimezone(ZONE).date().isoformat()
    con = sqlite3.connect(path)
    old_ms = timed(lambda: con.execute(OLD_RECEIVABLES, (day,)).fetchall(), max(runs // 2, 1))
    con.close()
    return {
        "today": today_ms,
        "today_cpu": today_cpu,
        "today_first": first_ms,
        "today_tui": tui_ms,
        "today_tui_cpu": tui_cpu,
        "today_tui_first": statistics.median(handed),
        "alerts": alerts_ms,
        "alerts_cpu": alerts_cpu,
        "alert_count": float(count),
        "abc": abc_ms,
        "abc_cpu": abc_cpu,
        "clients": clients_ms,
        "clients_cpu": clients_cpu,
        "old_receivables_sql": old_ms,
    }


async def tui(path: Path, rounds: int) -> dict[str, float]:
    from bench_tui import in_process as tui_in_process

    from amtui.app import AmtuiApp

    url = f"sqlite:///{path}"
    visits = []

    from amtui.screens.clients import ClientsScreen
    from amtui.widgets.fast_table import FastTable

    shown = []
    for _ in range(2):
        app = AmtuiApp(db_url=url, now=NOW, zone=ZONE)
        paints: list[float] = []  # frames handed to the driver while Clients' table had rows
        display = app._display

        def record_paint(screen: Any, renderable: Any, paints: Any = paints, show: Any = display) -> None:
            if isinstance(screen, ClientsScreen) and screen.query_one("#clients-table", FastTable).row_count:
                paints.append(time.perf_counter())
            show(screen, renderable)

        app._display = record_paint  # type: ignore[method-assign]
        async with app.run_test(size=(120, 40)) as pilot:
            await settle_app(pilot)
            started = time.perf_counter()
            app.switch_mode("clients")
            await settle_app(pilot)
            visits.append((time.perf_counter() - started) * 1000)
            shown.append((paints[0] - started) * 1000 if paints else float("nan"))
    measured = await tui_in_process(url, rounds)
    return {
        "clients_shown": min(shown),
        "clients_visit": min(visits),
        "keystroke": statistics.median(measured.keystrokes),
    }


# ``amtui digest`` with every SQL statement SQLite runs written to a file (sqlite3's trace callback gives
# them with their parameters in place), so that the plain-sqlite3 baseline issues exactly the digest's
# queries, however the engine changes.
TRACED_DIGEST = r"""
import os, sqlite3, sys
statements, plain_connect, plain_exit = [], sqlite3.connect, os._exit
def connect(*args, **kwargs):
    connection = plain_connect(*args, **kwargs)
    connection.set_trace_callback(statements.append)
    return connection
def exit_now(code):
    with open(os.environ["AMTUI_TRACE_TO"], "w", encoding="utf-8") as out:
        out.write("\x00".join(statements))
    plain_exit(code)
import sqlite3.dbapi2
sqlite3.connect = sqlite3.dbapi2.connect = connect  # SQLAlchemy calls the latter
os._exit = exit_now
from amtui.cli import main
sys.argv[0] = "amtui"
main()
"""
# The baseline: the traced statements, each run and all its rows fetched, through plain sqlite3.
REPLAY = r"""
import sqlite3, sys
statements = open(sys.argv[2], encoding="utf-8").read().split("\x00")
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
rows = 0
for statement in statements:
    rows += len(connection.execute(statement).fetchall())
print(rows)
"""


def digest_statements(path: Path, env: dict[str, str], folder: Path) -> Path:
    """The SQL ``amtui digest`` issues on ``path``, in order (a file of NUL-separated statements)."""
    traced, out = folder / "traced_digest.py", folder / "digest.sql"
    traced.write_text(TRACED_DIGEST, encoding="utf-8")
    argv = [PYTHON, str(traced), "--db", str(path), "digest"]
    subprocess.run(argv, stdout=subprocess.DEVNULL, env={**env, "AMTUI_TRACE_TO": str(out)}, check=True)
    statements = out.read_text(encoding="utf-8").split("\x00")
    reads = sum(1 for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH")))
    print(f"  the digest issues {len(statements)} statements ({reads} reads); the baseline replays them", flush=True)
    return out


def processes(path: Path, runs: int) -> dict[str, float]:
    env = {**os.environ, "AMTUI_TZ": "Europe/Moscow", "AMTUI_NOW": NOW.isoformat(), "NO_COLOR": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as tmp:
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        raw = Path(tmp) / "raw_digest.py"
        raw.write_text(REPLAY, encoding="utf-8")
        digest_argv = [AMTUI, "--db", str(path), "digest"]
        raw_argv = [PYTHON, str(raw), str(path), str(digest_statements(path, env, Path(tmp)))]
        old_argv = [PYTHON, str(Path(tmp) / "old_raw.py"), str(path)]
        (Path(tmp) / "old_raw.py").write_text(RAW_SCRIPT, encoding="utf-8")
        for argv in (digest_argv, raw_argv, old_argv):
            subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
        digest, plain, old = [], [], []
        digest_cpu, plain_cpu = [], []
        for _ in range(runs):  # interleaved, so a load spike hits both alike
            for argv, samples, cpu in (
                (digest_argv, digest, digest_cpu),
                (raw_argv, plain, plain_cpu),
                (old_argv, old, []),
            ):
                started, before = time.perf_counter(), os.times()
                subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
                after = os.times()
                samples.append((time.perf_counter() - started) * 1000)
                cpu.append(
                    (after.children_user + after.children_system - before.children_user - before.children_system) * 1000
                )
    return {
        "digest": statistics.median(digest),
        "raw_digest": statistics.median(plain),
        "digest_cpu": statistics.median(digest_cpu),
        "raw_digest_cpu": statistics.median(plain_cpu),
        "old_raw_digest": statistics.median(old),
    }


ROWS = [
    # (key, label, target at 10x or None)
    ("today", "Today complete, in-process (today_view)", "< 1000 ms"),
    ("today_cpu", "  the same, CPU time", "< 1000 ms"),
    ("today_first", "  of which the quick half (agenda, sales)", None),
    ("today_tui", "Today as the TUI reads it (quick part, then whole)", "< 1000 ms"),
    ("today_tui_cpu", "  the same, CPU time (every thread)", None),
    ("today_tui_first", "  its quick part (agenda, sales) handed over at", None),
    ("alerts", "  the alert engine alone (every alert)", None),
    ("alerts_cpu", "    the same, CPU time", None),
    ("alert_count", "    alerts built", None),
    ("abc", "  of it: ABC suggestions (every client ranked)", None),
    ("abc_cpu", "    the same, CPU time", None),
    ("clients", "Clients' data, fresh read (client_list)", "< 500 ms"),
    ("clients_cpu", "  the same, CPU time", "< 500 ms"),
    ("old_receivables_sql", "  old per-client receivables sub-selects, sqlite3", None),
    ("clients_shown", "TUI: first visit of Clients, to the frame with rows", "< 500 ms"),
    ("clients_visit", "  the same, until every read is done (idle)", None),
    ("keystroke", "TUI: search keystroke on Clients, to the frame", "< 50 ms"),
    ("digest", "amtui digest, whole process", None),
    ("raw_digest", "plain sqlite3, the digest's own statements, whole process", None),
    ("digest_cpu", "  amtui digest, CPU time (user + system)", None),
    ("raw_digest_cpu", "  plain sqlite3, CPU time (user + system)", None),
    ("old_raw_digest", "  the former hand-written baseline (no ABC, credit, stalled...)", None),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=4, help="TUI keystroke rounds")
    parser.add_argument("--factors", type=int, nargs="+", default=list(FACTORS))
    parser.add_argument("--no-tui", action="store_true", help="skip the TUI figures")
    args = parser.parse_args()
    os.environ["AMTUI_TZ"] = "Europe/Moscow"
    figures: dict[int, dict[str, float]] = {}
    for factor in args.factors:
        path = ensure(factor)
        print(f"{factor}x: {path}", flush=True)
        figures[factor] = in_process(path, args.runs)
        if not args.no_tui:
            figures[factor].update(asyncio.run(tui(path, args.rounds)))
        figures[factor].update(processes(path, args.runs))
        figures[factor]["digest_ratio"] = figures[factor]["digest"] / figures[factor]["raw_digest"]
        figures[factor]["digest_cpu_ratio"] = figures[factor]["digest_cpu"] / figures[factor]["raw_digest_cpu"]
        print(f"{factor}x: " + ", ".join(f"{key} {value:.1f}" for key, value in figures[factor].items()), flush=True)
    factors = list(figures)
    header = f"{'what (ms, unless said)':52}" + "".join(f"{f'{f}x':>10}" for f in factors)
    big, small = factors[-1], factors[0]
    print()
    print(header + f"{'growth':>9}  target at {big}x")
    ratios = [
        ("digest_ratio", "digest / plain sqlite3", "<= 1.5"),
        ("digest_cpu_ratio", "  the same in CPU time", "<= 1.5"),
    ]
    for key, label, target in [*ROWS, *ratios]:
        if key not in figures[small]:
            continue
        values = [figures[f][key] for f in factors]
        digits = {"digest_ratio": 2, "digest_cpu_ratio": 2, "alert_count": 0}.get(key, 1)
        cells = "".join(f"{value:10.{digits}f}" for value in values)
        growth = values[-1] / values[0] if values[0] else 0.0
        verdict = ""
        if target is not None:
            limit = float(next(part for part in target.split() if part[0].isdigit()))
            met = values[-1] <= limit if target.startswith("<=") else values[-1] < limit
            verdict = f"{target}: {'met' if met else 'MISSED'}"
        print(f"{label:52}{cells}{growth:8.1f}x  {verdict}")
    print(f"(the data grows {big / small:.0f}x from {small}x to {big}x)")


if __name__ == "__main__":
    main()
