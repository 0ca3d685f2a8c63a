"""Import speed: ``amtui import clients`` of a generated 100,000-row CSV, end to end (a whole process),
beside a baseline in the same run: a plain Python process that reads the same CSV with the csv module
and inserts the same rows into the same (empty, migrated) schema with sqlite3 executemany.

Both run with bytecode caching on (in a temporary PYTHONPYCACHEPREFIX, after a warm-up run), as an installed
package does: this machine sets PYTHONDONTWRITEBYTECODE, which would make every amtui run recompile its sources.

Run: .venv/bin/python bench/bench_import.py [--rows 100000] [--repeat 5] [--compare SOURCE_TREE ...]
(``--compare``: the code of another checkout, e.g. an older commit's worktree, alternated with this one.)
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
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


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds of one whole process: CPU time is steadier on a busy machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def template_for(folder: Path, name: str, env: dict[str, str]) -> Path:
    """An empty database migrated by the tree's own code (``amtui init``; older code: ``db upgrade``)."""
    template = folder / f"template-{name}.db"
    made = subprocess.run([str(AMTUI), "init", str(template)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          env=env)  # fmt: skip
    if made.returncode != 0:
        subprocess.run([str(AMTUI), "--db", str(template), "db", "upgrade"], check=True, stdout=subprocess.DEVNULL,
                       env=env)  # fmt: skip
    return template


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--compare",
        type=Path,
        action="append",
        default=[],
        help="also import with the amtui of this source tree (e.g. `git worktree add /tmp/old COMMIT`), "
        "alternated with this one in the same run, into a database its own code migrated; repeatable",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "clients.csv"
        generate(source, args.rows)
        generate(folder / "small.csv", 10)
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        trees: list[tuple[str, dict[str, str], Path]] = []
        for index, tree in enumerate([None, *args.compare]):
            name = "this tree" if tree is None else f"{tree.name} (compared)"
            tree_env = {**env, "PYTHONPYCACHEPREFIX": str(folder / f"pycache{index}")}
            if tree is not None:
                tree_env["PYTHONPATH"] = str(tree.resolve())
            template = template_for(folder, str(index), tree_env)
            warm_up = folder / "warm.db"
            shutil.copy(template, warm_up)
            subprocess.run([str(AMTUI), "--db", str(warm_up), "import", "clients", str(folder / "small.csv")],
                           check=True, stdout=subprocess.DEVNULL, env=tree_env)  # fmt: skip
            warm_up.unlink()
            trees.append((name, tree_env, template))
        ours: dict[str, list[tuple[float, float]]] = {name: [] for name, _env, _template in trees}
        again: dict[str, list[tuple[float, float]]] = {name: [] for name, _env, _template in trees}
        baseline = []
        for attempt in range(args.repeat):
            base_db = folder / f"base{attempt}.db"
            shutil.copy(trees[0][2], base_db)
            baseline.append(timed([sys.executable, "-c", BASELINE, str(base_db), str(source)], env))
            for name, tree_env, template in trees if attempt % 2 == 0 else trees[::-1]:  # alternated
                ours_db = folder / f"ours{attempt}-{len(ours[name])}.db"
                shutil.copy(template, ours_db)
                command = [str(AMTUI), "--db", str(ours_db), "import", "clients", str(source)]
                ours[name].append(timed(command, tree_env))
                again[name].append(timed(command, tree_env))
    rows = args.rows
    medians = {}
    rounds = [("baseline sqlite3 executemany", baseline)]
    for name, _env, _template in trees:
        prefix = "amtui" if name == "this tree" else name
        rounds += [(f"{prefix} import (new)", ours[name]), (f"{prefix} import (same file again)", again[name])]
    for label, times in rounds:
        wall = statistics.median(t[0] for t in times)
        cpu = statistics.median(t[1] for t in times)
        medians[label] = (wall, cpu)
        print(f"{label:56s} wall {wall:5.2f} s {rows / wall:9,.0f} rows/s   cpu {cpu:5.2f} s {rows / cpu:9,.0f} rows/s")
    (base_wall, base_cpu), (our_wall, our_cpu) = medians["baseline sqlite3 executemany"], medians["amtui import (new)"]
    print(f"ratio amtui/baseline (new rows): wall {our_wall / base_wall:.2f}x, cpu {our_cpu / base_cpu:.2f}x")
    for name, _env, _template in trees[1:]:
        for what in ("new", "same file again"):
            (wall, cpu), (their_wall, their_cpu) = medians[f"amtui import ({what})"], medians[f"{name} import ({what})"]
            print(f"this tree / {name} ({what}): wall {wall / their_wall:.2f}x, cpu {cpu / their_cpu:.2f}x")


if __name__ == "__main__":
    main()
