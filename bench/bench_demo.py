"""Benchmark: building the large demo dataset, against plain sqlite3 executemany.

    .venv/bin/python bench/bench_demo.py            # 3 runs, medians
    .venv/bin/python bench/bench_demo.py --runs 5

Each run builds ``size="large"`` with :func:`amtui.services.demo.build_demo` into
a fresh temporary database (schema created first, not timed), then, as the
baseline, inserts the very same rows with plain ``sqlite3`` ``executemany`` into
bare tables of the same columns (no indexes, no foreign keys, no ANALYZE: the
floor for writing that much data), in one transaction, in a file with the same
WAL / synchronous=NORMAL settings. The generation of the rows alone is timed too,
so the report shows where the time goes. The machine is shared: read ratios.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from amtui.config import local_zone
from amtui.db import open_engine
from amtui.services.demo import COLUMNS, Row, build_demo, generate


def baseline(path: Path, rows: dict[str, list[Row]]) -> float:
    """Plain sqlite3: bare tables, one transaction, executemany per table."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    for table, columns in COLUMNS.items():
        conn.execute(f'CREATE TABLE "{table}" ({", ".join(columns)})')
    started = time.perf_counter()
    conn.execute("BEGIN")
    for table, table_rows in rows.items():
        marks = ", ".join("?" * len(COLUMNS[table]))
        conn.executemany(f'INSERT INTO "{table}" VALUES ({marks})', table_rows)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    os.environ.setdefault("AMTUI_TZ", "Europe/Moscow")
    now = datetime.now(UTC)
    builds: list[float] = []
    generations: list[float] = []
    baselines: list[float] = []
    total_rows = 0
    with tempfile.TemporaryDirectory(prefix="amtui-bench-") as scratch:
        for run in range(args.runs):
            folder = Path(scratch) / f"run{run}"
            folder.mkdir()
            engine = open_engine(f"sqlite:///{folder / 'demo.db'}")
            started = time.perf_counter()
            summary = build_demo(engine, size="large", now=now, seed=args.seed)
            builds.append(time.perf_counter() - started)
            engine.dispose()
            total_rows = summary.total_rows

            started = time.perf_counter()
            rows = generate("large", now=now, zone=local_zone(), seed=args.seed, fast=True)
            generations.append(time.perf_counter() - started)
            baselines.append(baseline(folder / "baseline.db", rows))
            del rows
            load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
            print(
                f"run {run + 1}: build {builds[-1]:.2f} s, generate {generations[-1]:.2f} s, "
                f"baseline insert {baselines[-1]:.2f} s (load {load:.1f})",
                flush=True,
            )
    build = statistics.median(builds)
    generation = statistics.median(generations)
    floor = statistics.median(baselines)
    print()
    print(f"rows: {total_rows:,} in {len(COLUMNS)} tables")
    print(f"build_demo(size='large'): {build:.2f} s  ({total_rows / build:,.0f} rows/s)")
    print(f"  of which generating rows: {generation:.2f} s; writing: ~{build - generation:.2f} s")
    print(f"plain sqlite3 executemany, bare tables: {floor:.2f} s  ({total_rows / floor:,.0f} rows/s)")
    print(f"ratio build / baseline: {build / floor:.1f}x; writing only / baseline: {(build - generation) / floor:.1f}x")


if __name__ == "__main__":
    main()
