"""``amtui digest`` against plain sqlite3 at 1x and 10x, the code of two checkouts side by side (issue 15 part 2).

Run from the repository root, with a checkout of the code to compare against (read-only; any commit):

    git worktree add --detach /tmp/amtui-base main
    .venv/bin/python bench/bench_digest_ab.py /tmp/amtui-base --runs 10 --factors 1 10

Per round, alternated: the baseline's ``amtui digest``, this checkout's, and the plain-sqlite3 replay of the
statements the digest issues (bench_scale.py's; both checkouts must issue the same ones, which it checks), each a
whole process on the scale datasets (bench/scale_data.py). Printed: each one's CPU time (user + system, what a
busy machine blurs least), and the ratio to plain sqlite3 for both (the medians, and the median of each
round's own ratio). Only the digest part of bench_scale.py, at a tenth of its time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_scale import NOW, PYTHON, REPLAY, digest_statements  # noqa: E402
from scale_data import ensure  # noqa: E402

# The checkout's amtui comes first on the path (PYTHONPATH; the venv's editable install names this one), and
# -P keeps the working folder off it (``python -c`` puts it first: run from a checkout, both would be that one).
DIGEST = "import sys; sys.argv[0] = 'amtui'; from amtui.cli import main; main()"


def cpu_ms(argv: list[str], env: dict[str, str]) -> float:
    """The process's CPU time (user + system), from its own rusage: microseconds, not os.times()'s 10 ms ticks."""
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, env=env)
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, argv)
    return (usage.ru_utime + usage.ru_stime) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("baseline", type=Path, help="a checkout of the code to compare against")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10])
    args = parser.parse_args()
    env = {**os.environ, "AMTUI_TZ": "Europe/Moscow", "AMTUI_NOW": NOW.isoformat(), "NO_COLOR": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    trees = {"baseline": args.baseline.resolve(), "this": ROOT}
    for factor in args.factors:
        path = ensure(factor)
        with tempfile.TemporaryDirectory() as tmp:
            runs: dict[str, tuple[list[str], dict[str, str]]] = {}
            traced = {}
            for name, tree in trees.items():
                folder = Path(tmp) / name
                folder.mkdir()
                tree_env = {**env, "PYTHONPATH": str(tree)}
                traced[name] = digest_statements(path, tree_env, folder).read_text(encoding="utf-8")
                runs[name] = ([PYTHON, "-P", "-c", DIGEST, "--db", str(path), "digest"], tree_env)
            if traced["baseline"] != traced["this"]:
                print("  the two checkouts issue different statements: the replay is this checkout's")
            replay, statements = Path(tmp) / "replay.py", Path(tmp) / "this" / "digest.sql"
            replay.write_text(REPLAY, encoding="utf-8")
            runs["plain"] = ([PYTHON, str(replay), str(path), str(statements)], env)
            for argv, run_env in runs.values():  # warm: bytecode written, pages cached
                subprocess.run(argv, stdout=subprocess.DEVNULL, env=run_env, check=True)
            cpu: dict[str, list[float]] = {name: [] for name in runs}
            for _ in range(args.runs):
                for name, (argv, run_env) in runs.items():
                    cpu[name].append(cpu_ms(argv, run_env))
            plain = statistics.median(cpu["plain"])
            print(f"{factor}x, {args.runs} rounds: plain sqlite3 {plain:.0f} ms CPU")
            for name in trees:
                own = statistics.median(cpu[name])
                rounds = statistics.median(a / b for a, b in zip(cpu[name], cpu["plain"], strict=True))
                print(f"  {name:8} digest {own:6.0f} ms CPU: {own / plain:.2f}x plain (each round: {rounds:.2f}x)")


if __name__ == "__main__":
    main()
