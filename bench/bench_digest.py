"""Speed of the alert engine and of ``amtui digest`` on the large demo dataset, beside its baselines.

Run from the repository root:

    .venv/bin/python bench/bench_digest.py            # builds the large demo in a temp dir
    .venv/bin/python bench/bench_digest.py --db PATH  # reuse a database built with `amtui demo --size large`

In one run it times (medians; the machine is shared, so read the ratios):
- compute_alerts() in-process (target < 60 ms), through a plain Connection as the digest
  calls it and through a Session as the TUI calls it;
- the whole `amtui digest` process, piped (target <= import floor + 80 ms);
- the import floor `python -c "import sqlmodel, typer, rich"` (the issue's baseline), and the same
  floor ending with `os._exit` as amtui's commands do (no interpreter teardown: the fairer baseline);
- the digest's own floor: importing SQLAlchemy and running an empty Typer command with one
  option (the digest imports neither SQLModel nor rich, so it can finish under the first floor);
- a raw-sqlite3 script running the equivalent queries (the "no ORM, no framework" baseline);
- `amtui --help` (target < 200 ms).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import AMTUI, NOW, PYTHON, ROOT, build_large_demo, time_process

RAW_SCRIPT = r"""
import sqlite3, sys
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo
zone = ZoneInfo("Europe/Moscow")
now = datetime(2026, 11, 25, 6, 0, tzinfo=timezone.utc)
today = now.astimezone(zone).date()
def utc(day):
    local = datetime.combine(day, datetime.min.time(), tzinfo=zone)
    return local.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
start, end = utc(today), utc(today + timedelta(days=1))
con = sqlite3.connect(sys.argv[1])
q = con.execute
rows = 0
rows += len(q("SELECT id, name FROM client").fetchall())
rows += len(q("SELECT id, client_id, kind, status, planned_at, subject, place FROM interaction "
              "WHERE status IN ('planned','missed') AND planned_at < ?", (end,)).fetchall())
rows += len(q("SELECT i.id, i.client_id, i.kind, i.direction, i.status, i.done_at, i.needs_reply, i.replied_at "
              "FROM interaction i "
              "WHERE (i.status='done' AND i.kind IN ('visit','meeting') AND i.done_at < ? AND NOT EXISTS "
              "(SELECT 1 FROM meeting_report m WHERE m.interaction_id = i.id)) "
              "OR (i.needs_reply = 1 AND i.replied_at IS NULL AND i.direction='inbound' "
              "AND i.status != 'cancelled' AND i.done_at < ?) "
              "OR (i.direction='inbound' AND i.kind='call' AND i.status='done' AND i.done_at >= ?)",
              (utc(today - timedelta(days=1)), start, utc(today - timedelta(days=7)))).fetchall())
rows += len(q("SELECT t.id, t.title, t.client_id, t.priority, t.due_on FROM task t WHERE status='open' AND due_on <= ?",
              (today.isoformat(),)).fetchall())
rows += len(q("SELECT id FROM task WHERE status='open' AND assignee IS NOT NULL AND check_in_at <= ? "
              "AND (checked_in_at IS NULL OR checked_in_at < check_in_at)",
              (now.strftime("%Y-%m-%d %H:%M:%S"),)).fetchall())
rows += len(q("SELECT id, client_id, number, end_on, auto_renew, notice_days FROM contract WHERE status='active' "
              "AND end_on <= ?", ((today + timedelta(days=400)).isoformat(),)).fetchall())
rows += len(q("SELECT id, client_id, number, due_on, amount_minor, paid_minor, currency FROM invoice "
              "WHERE paid_minor < amount_minor").fetchall())
keys = [(today + timedelta(days=d)).strftime("%m-%d") for d in range(8)]
rows += len(q(f"SELECT id, full_name, client_id, birthday_md, birthday_year FROM contact WHERE birthday_md IN "
              f"({','.join('?' * len(keys))})", keys).fetchall())
# Silence: only clients with no touch since their cadence's threshold (local midnight of today - cadence).
t14, t30, t90 = (utc(today - timedelta(days=n)) for n in (14, 30, 90))
rows += len(q("SELECT c.id, c.name, c.tier, c.cadence_days, (SELECT max(done_at) FROM interaction i "
              "WHERE i.client_id = c.id AND i.status='done') FROM client c WHERE c.status='active' AND NOT EXISTS "
              "(SELECT 1 FROM interaction i WHERE i.client_id = c.id AND i.status='done' AND i.done_at >= "
              "CASE coalesce(c.cadence_days, CASE c.tier WHEN 'A' THEN 14 WHEN 'C' THEN 90 ELSE 30 END) "
              "WHEN 14 THEN ? WHEN 30 THEN ? WHEN 90 THEN ? END)", (t14, t30, t90)).fetchall())
rows += len(q("SELECT id, client_id, title, stage, amount_minor, expected_close FROM deal WHERE stage IN "
              "('lead','qualified','proposal','negotiation') AND expected_close < ?", (today.isoformat(),)).fetchall())
rows += len(q("SELECT alert_id, state, snoozed_until, fingerprint FROM alert_mark").fetchall())
print(rows)
"""


OWN_FLOOR_SCRIPT = r"""
import os, sqlalchemy, typer
app = typer.Typer()
@app.command()
def main(days: int = 7) -> None:
    pass
try:
    app()
except SystemExit as finished:
    os._exit(finished.code or 0)  # as amtui's commands end (cli._exit_now): no interpreter teardown
"""
# The floor, ending as amtui's commands do (no teardown of sqlmodel's and pydantic's modules).
QUICK_EXIT_FLOOR = "import os, sqlmodel, typer, rich; os._exit(0)"


def _in_process(db: Path, runs: int) -> tuple[float, float, int]:
    """Median ms through a Connection (the digest) and through a Session (the TUI), and the alert count."""
    sys.path.insert(0, str(ROOT))
    from zoneinfo import ZoneInfo

    from amtui.db import open_engine, read_scope, session_scope
    from amtui.services.alerts import compute_alerts

    engine = open_engine(f"sqlite:///{db}")
    medians, count = [], 0
    for scope in (read_scope, session_scope):
        samples = []
        with scope(engine) as reader:
            for _ in range(runs + 1):
                start = time.perf_counter()
                count = len(compute_alerts(session=reader, now=NOW, zone=ZoneInfo("Europe/Moscow")))
                samples.append((time.perf_counter() - start) * 1000)
        medians.append(statistics.median(samples[1:]))  # the first run warms SQLAlchemy's statement cache
    engine.dispose()
    return medians[0], medians[1], count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="an existing large demo database (built at 2026-11-25 06:00 UTC)")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "large.db"
        if args.db is None:
            print("building the large demo dataset...", flush=True)
            build_large_demo(db)
        env = {**os.environ, "AMTUI_TZ": "Europe/Moscow", "AMTUI_NOW": NOW.isoformat(), "NO_COLOR": "1"}
        # Bytecode caching on, as an installed package has it (this machine sets PYTHONDONTWRITEBYTECODE,
        # which would make every run recompile amtui's own sources); the warm-up runs below fill the cache.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        raw_path = Path(tmp) / "raw_digest.py"
        raw_path.write_text(RAW_SCRIPT, encoding="utf-8")
        own_floor_path = Path(tmp) / "own_floor.py"
        own_floor_path.write_text(OWN_FLOOR_SCRIPT, encoding="utf-8")
        for warm_up in (
            [AMTUI, "--db", str(db), "digest"],
            [AMTUI, "--help"],
            [PYTHON, "-c", "import sqlmodel, typer, rich"],
            [PYTHON, str(own_floor_path)],
        ):
            subprocess.run(warm_up, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
        connection_ms, session_ms, count = _in_process(db, args.runs)
        # Interleave nothing clever: each measurement is a median of whole runs in the same session.
        floor = time_process([PYTHON, "-c", "import sqlmodel, typer, rich"], args.runs, env)
        quick_floor = time_process([PYTHON, "-c", QUICK_EXIT_FLOOR], args.runs, env)
        own_floor = time_process([PYTHON, str(own_floor_path)], args.runs, env)
        digest = time_process([AMTUI, "--db", str(db), "digest"], args.runs, env)
        raw = time_process([PYTHON, str(raw_path), str(db)], args.runs, env)
        help_ms = time_process([AMTUI, "--help"], args.runs, env)
        python_ms = time_process([PYTHON, "-c", "pass"], args.runs, env)
    print(f"alerts computed in-process: {connection_ms:7.1f} ms ({count} alerts, Connection)   target < 60 ms")
    print(f"                            {session_ms:7.1f} ms (through a Session, as the TUI)")
    print(f"python -c pass:             {python_ms:7.1f} ms")
    print(f"import floor (sqlmodel, typer, rich): {floor:7.1f} ms")
    print(f"the same floor, exiting as amtui does (os._exit): {quick_floor:7.1f} ms")
    print(f"digest's own floor (sqlalchemy, typer command, os._exit): {own_floor:7.1f} ms")
    print(
        f"amtui digest (whole process):         {digest:7.1f} ms   = floor + {digest - floor:.0f} ms (target +80); "
        f"quick-exit floor + {digest - quick_floor:.0f} ms; own floor + {digest - own_floor:.0f} ms"
    )
    print(f"raw sqlite3 equivalent queries:       {raw:7.1f} ms")
    print(f"amtui --help:                         {help_ms:7.1f} ms   target < 200 ms")
    print(f"ratios: digest/floor {digest / floor:.2f}, digest/raw {digest / raw:.2f}, help/floor {help_ms / floor:.2f}")


if __name__ == "__main__":
    main()
