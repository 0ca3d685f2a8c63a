"""Import memory (issue 15 part 4): peak RSS of ``amtui import clients`` for 100k, 300k and 1M rows.

Each import is a whole process (``amtui --db NEW.db import clients FILE.csv``) into a fresh migrated
database; its peak resident set comes from the kernel for that child alone (``os.wait4`` ->
``ru_maxrss``), beside a streaming baseline (csv + sqlite3 ``executemany`` in batches, one transaction)
run the same way. The CSV is bench/bench_import.py's (name, INN, city, phone, e-mail, tier); the files
are generated once under /tmp/amtui-bench-import-memory and reused.

Targets: peak RSS at 1M rows at most 1.5x that of 100k rows; still at least 50,000 rows/s.

Run: .venv/bin/python bench/bench_import_memory.py [--rows 100000 300000 1000000] [--again]
(``--again`` also imports each file a second time into the same database: every row unchanged).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_import import generate  # noqa: E402

AMTUI = ROOT / ".venv" / "bin" / "amtui"
CACHE = Path("/tmp/amtui-bench-import-memory")

STREAMING = r"""
import csv, sqlite3, sys
from datetime import UTC, datetime
from itertools import islice
db, path = sys.argv[1], sys.argv[2]
connection = sqlite3.connect(db)
stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
sql = ("INSERT INTO client (name, name_folded, tax_id, city, phone, email, tier, status, currency, created_at, "
       "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
with open(path, encoding="utf-8", newline="") as handle:
    reader = csv.reader(handle, delimiter=";")
    next(reader)
    rows = ((name, name.casefold(), inn or None, city, phone, email, tier, "active", "RUB", stamp, stamp)
            for name, inn, city, phone, email, tier in reader)
    while batch := list(islice(rows, 5000)):
        connection.executemany(sql, batch)
connection.commit()
"""


def run(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(wall seconds, peak RSS in MB, CPU seconds) of one child process (CPU time is the steadier
    figure on a shared machine)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, env=env)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{command} failed ({process.returncode})")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime  # ru_maxrss: KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    parser.add_argument("--again", action="store_true", help="also re-import each file (all rows unchanged)")
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    results: dict[int, dict[str, tuple[float, float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
        template = folder / "template.db"
        subprocess.run([str(AMTUI), "init", str(template)], check=True, stdout=subprocess.DEVNULL, env=env)
        warm = folder / "warm.db"
        shutil.copy(template, warm)
        generate(folder / "small.csv", 10)
        run([str(AMTUI), "--db", str(warm), "import", "clients", str(folder / "small.csv")], env)
        for rows in args.rows:
            source = CACHE / f"clients-{rows}.csv"
            if not source.exists():
                generate(source.with_suffix(".part"), rows)
                source.with_suffix(".part").rename(source)
            ours, base = folder / f"ours{rows}.db", folder / f"base{rows}.db"
            shutil.copy(template, ours)
            shutil.copy(template, base)
            results[rows] = {
                "streaming csv + sqlite3": run([sys.executable, "-c", STREAMING, str(base), str(source)], env),
                "amtui import clients": run([str(AMTUI), "--db", str(ours), "import", "clients", str(source)], env),
            }
            if args.again:
                results[rows]["the same file again"] = run(
                    [str(AMTUI), "--db", str(ours), "import", "clients", str(source)], env
                )
            for label, (wall, rss, cpu) in results[rows].items():
                print(
                    f"{rows:>9,} rows  {label:26s} peak RSS {rss:6.1f} MB wall {wall:6.2f} s {rows / wall:8,.0f} rows/s"
                    f"   CPU {cpu:6.2f} s {rows / cpu:9,.0f} rows/s"
                )
            for path in folder.glob("*.db"):
                if path.name not in ("template.db", "warm.db"):
                    path.unlink()
    small, big = min(results), max(results)
    for label in results[small]:
        ratio = results[big][label][1] / results[small][label][1]
        print(f"{label:26s} peak RSS {big:,} / {small:,} rows: {ratio:.2f}x")
    ours_ratio = results[big]["amtui import clients"][1] / results[small]["amtui import clients"][1]
    speed = min(rows / results[rows]["amtui import clients"][0] for rows in results)
    print(f"target: at most 1.5x -> {'met' if ours_ratio <= 1.5 else 'MISSED'} ({ours_ratio:.2f}x)")
    print(f"target: at least 50,000 rows/s -> {'met' if speed >= 50_000 else 'MISSED'} (slowest {speed:,.0f} rows/s)")


if __name__ == "__main__":
    main()
