"""Quick commands as whole processes, beside taskwarrior's nearest commands in the same run.

Run from the repository root (taskwarrior must be installed: `apt-get install -y taskwarrior`):

    .venv/bin/python bench/bench_quick.py            # builds the large demo in a temp dir
    .venv/bin/python bench/bench_quick.py --db PATH  # a copy of a database built with `amtui demo --size large`
                                                      # at 2026-11-25 06:00 UTC (common.NOW)

What a user types between calls: `amtui log call`, `amtui task add` (writes, against taskwarrior's
`task add`), `amtui client show` and `amtui search` (reads, against `task next` over 10,000 pending tasks).
taskwarrior's database (TASKDATA, TASKRC in a temp dir, confirmations off) is built with `task import`.
Each command runs --runs times, alternated, output to a pipe, bytecode cached as an installed package has
it; medians of the wall-clock and of the CPU time (user + system, steadier on a shared machine).
Target: each amtui command at most 3x taskwarrior's nearest.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from common import AMTUI, NOW, isolated_env, large_demo

TARGET = 3.0
TASKS = 10_000


def taskwarrior(folder: Path) -> dict[str, str]:
    """A taskwarrior database of TASKS pending tasks; the environment that uses it."""
    data = folder / "taskdata"
    data.mkdir()
    rc = folder / "taskrc"
    rc.write_text(f"data.location={data}\nconfirmation=off\ncolor=off\nverbose=blank,footnote,label,new-id\n")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(folder), "TASKRC": str(rc), "TASKDATA": str(data)}
    projects = ["Ромашка", "Лютик", "Vega", "Orion", "Atlas", "Сигма"]
    tasks = [
        {
            "uuid": str(uuid.UUID(int=number + 1)),
            "status": "pending",
            "description": f"Задача {number}: позвонить клиенту {projects[number % 6]} по счёту {number * 7}",
            "entry": (NOW - timedelta(days=number % 300)).strftime("%Y%m%dT%H%M%SZ"),
            "due": (NOW + timedelta(days=number % 60 - 20)).strftime("%Y%m%dT%H%M%SZ"),
            "project": projects[number % 6],
            "priority": "HML"[number % 3],
            "tags": ["call"] if number % 2 else ["mail"],
        }
        for number in range(TASKS)
    ]
    source = folder / "tasks.json"
    source.write_text("\n".join(json.dumps(task, ensure_ascii=False) for task in tasks))
    subprocess.run(["task", "import", str(source)], env=env, capture_output=True, check=True, timeout=600)
    return env


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU milliseconds of one whole process (which must succeed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)
    wall = (time.perf_counter() - started) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="a database built with `amtui demo --size large` (default: build one)")
    parser.add_argument(
        "--source",
        type=Path,
        help="run amtui from this source tree instead (e.g. the code before a change: "
        "`mkdir DIR && git archive main amtui | tar -x -C DIR`)",
    )
    parser.add_argument(
        "--compare",
        type=Path,
        help="also run each amtui command from this source tree, alternated in the same run (before/after)",
    )
    parser.add_argument("--runs", type=int, default=9, help="runs of each command (medians)")
    args = parser.parse_args()
    if shutil.which("task") is None:
        raise SystemExit("taskwarrior is needed (apt-get install -y taskwarrior)")
    folder = Path(tempfile.mkdtemp(prefix="amtui-bench-quick-"))
    database = folder / "large.db"
    shutil.copyfile(large_demo(args.db), database)  # the writes go to a copy
    began = time.perf_counter()
    task_env = taskwarrior(folder)
    print(f"built a taskwarrior database of {TASKS:,} pending tasks in {time.perf_counter() - began:.1f} s")
    amtui_env = isolated_env(folder, args.source)
    amtui = [AMTUI, "--db", str(database)]
    commands: list[tuple[str, str, list[str], dict[str, str]]] = [
        ("task add", "peer", ["task", "add", "Позвонить в Ромашку", "due:tomorrow", "project:Ромашка"], task_env),
        ("task next", "peer", ["task", "next"], task_env),
        ("amtui log call", "write", [*amtui, "log", "call", "1", "--note", "Договорились о поставке"], amtui_env),
        ("amtui task add", "write", [*amtui, "task", "add", "Отправить КП", "--due", "fri", "--client=1"], amtui_env),
        ("amtui client show", "read", [*amtui, "client", "show", "1"], amtui_env),
        ("amtui search", "read", [*amtui, "search", "иванов"], amtui_env),
    ]
    compared: set[str] = set()
    if args.compare is not None:
        compare_env = isolated_env(folder, args.compare)
        added = [
            (f"{name} ({args.compare.name})", kind, command, compare_env)
            for name, kind, command, _env in commands
            if kind != "peer"
        ]
        commands += added
        compared = {name for name, *_ in added}
    for _, _, command, env in commands:  # warm-up: bytecode, the OS file cache
        timed(command, env)
    walls: dict[str, list[float]] = {name: [] for name, *_ in commands}
    cpus: dict[str, list[float]] = {name: [] for name, *_ in commands}
    for _ in range(args.runs):
        for name, _, command, env in commands:
            wall, cpu = timed(command, env)
            walls[name].append(wall)
            cpus[name].append(cpu)
    wall = {name: statistics.median(values) for name, values in walls.items()}
    cpu = {name: statistics.median(values) for name, values in cpus.items()}
    print(f"whole processes, medians of {args.runs} (alternated), load {os.getloadavg()[0]:.1f}:")
    width = max(len(name) for name, *_ in commands)
    print(f"  {'command':<{width}} {'wall ms':>8} {'ratio':>6} {'CPU ms':>8} {'ratio':>6}  against")
    over = []
    for name, kind, *_ in commands:
        peer = {"peer": None, "write": "task add", "read": "task next"}[kind]
        if peer is None:
            print(f"  {name:<{width}} {wall[name]:8.0f} {'':>6} {cpu[name]:8.0f}")
            continue
        ratio, cpu_ratio = wall[name] / wall[peer], cpu[name] / cpu[peer]
        print(f"  {name:<{width}} {wall[name]:8.0f} {ratio:5.1f}x {cpu[name]:8.0f} {cpu_ratio:5.1f}x  {peer}")
        if ratio > TARGET and name not in compared:  # the target is the code's own, not the compared tree's
            over.append(name)
    print(
        f"target: each amtui command <= {TARGET:.0f}x taskwarrior's nearest (wall): "
        + ("OK" if not over else "OVER TARGET: " + ", ".join(over))
    )


if __name__ == "__main__":
    main()
