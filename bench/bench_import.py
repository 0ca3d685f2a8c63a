"""Import speed: ``amtui import clients`` of a generated 100,000-row CSV, end to end (a whole process),
beside a baseline in the same run: a plain Python process that reads the same CSV with the csv module
and inserts the same rows into the same (empty, migrated) schema with sqlite3 executemany.

Run: .venv/bin/python bench/bench_import.py [--rows 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AMTUI = ROOT / ".venv" / "bin" / "amtui"

BASELINE = r"""
import csv, sqlite3, sys
from datetime import UTC, datetime
db, path = sys.argv[1], sys.argv[2]
connection = sqlite3.connect(db)
stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
with open(path, encoding="utf-8", newline="") as handle:
    reader = csv.reader(handle, delimiter=";")
    next(reader)
    rows = [(name, name.casefold(), inn or None, city, phone, email, tier, "active", "RUB", stamp, stamp)
            for name, inn, city, phone, email, tier in reader]
connection.executemany(
    "INSERT INTO client (name, name_folded, tax_id, city, phone, email, tier, status, currency, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
connection.commit()
print(len(rows))
"""


def generate(path: Path, rows: int) -> None:
    cities = ("Москва", "Санкт-Петербург", "Казань", "Тверь", "Новосибирск")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Наименование", "ИНН", "Город", "Телефон", "Email", "Категория"])
        for index in range(rows):
            writer.writerow(
                [f"ООО «Компания {index}»", "", cities[index % 5], f"+7 495 {index:07d}", f"info{index}@firm{index}.ru",
                 "ABC"[index % 3]]
            )  # fmt: skip


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "clients.csv"
        generate(source, args.rows)
        template = folder / "template.db"
        subprocess.run([str(AMTUI), "--db", str(template), "db", "status"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([str(AMTUI), "--db", str(template), "db", "upgrade"], check=False, stdout=subprocess.DEVNULL)
        ours, again, baseline = [], [], []
        for attempt in range(args.repeat):
            ours_db, base_db = folder / f"ours{attempt}.db", folder / f"base{attempt}.db"
            shutil.copy(template, ours_db)
            shutil.copy(template, base_db)
            baseline.append(timed([sys.executable, "-c", BASELINE, str(base_db), str(source)]))
            ours.append(timed([str(AMTUI), "--db", str(ours_db), "import", "clients", str(source)]))
            again.append(timed([str(AMTUI), "--db", str(ours_db), "import", "clients", str(source)]))
    rows = args.rows
    for label, times in (("baseline sqlite3 executemany", baseline), ("amtui import (new)", ours),
                         ("amtui import (same file again)", again)):  # fmt: skip
        median = statistics.median(times)
        print(f"{label:34s} {median:6.2f} s  {rows / median:9,.0f} rows/s")
    print(f"ratio amtui/baseline (new rows): {statistics.median(ours) / statistics.median(baseline):.2f}x")


if __name__ == "__main__":
    main()
