"""Count what the hostile-text corpus does to a real amtui process, per category of name
(``python tests/hostile/probe.py``; prints the issue's table: cases, tracebacks, hangs, escapes,
silent changes). Each corpus file is imported into a fresh database by a real ``amtui`` process,
then the records are listed, shown, digested and exported again on a pipe."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from make_corpus import cases  # noqa: E402

RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
EXPECTED = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))
FORMATS = {
    "clients.csv": "csv",
    "clients.json": "json",
    "clients.xlsx": "xlsx",
    "contacts.vcf": "vcf",
    "interactions.ics": "ics",
}
AFTER = {
    "clients": [["client", "list"], ["client", "show", "1"], ["digest"], ["alerts"], ["export", "clients"]],
    "contacts": [["contact", "list", "1"], ["client", "show", "1"], ["export", "contacts", "--format", "vcf"]],
    "interactions": [
        ["planned", "list", "--days", "60"],
        ["client", "show", "1"],
        ["export", "planner", "--format", "ics"],
    ],
}


def run(db: Path, args: list[str]) -> tuple[str, str, bool]:
    env = dict(os.environ, AMTUI_NOW="2026-11-25T06:00:00+00:00")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "amtui", "--db", str(db), *args], capture_output=True, env=env, timeout=60
        )
    except subprocess.TimeoutExpired:
        return "", "", True
    return done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"), False


def main() -> None:
    totals: dict[str, Counter[str]] = {}
    for name, fmt in FORMATS.items():
        case = EXPECTED[name]
        with tempfile.TemporaryDirectory() as folder:
            db = Path(folder) / "probe.db"
            run(db, ["init"])  # a missing --db is an error, not a new database
            for setup in case.get("setup", []):
                run(db, setup)
            out, err, hung = run(db, ["import", case["kind"], str(HERE / name), *case.get("options", [])])
            outputs = [(out, err, hung)] + [run(db, args) for args in AFTER[case["kind"]]]
            with sqlite3.connect(db) as connection:
                stored = [list(row) for row in connection.execute(case["query"])]
            for index, (category, raw, cleaned) in enumerate(cases(fmt)):
                counter = totals.setdefault(category, Counter())
                counter["cases"] += 1
                counter["tracebacks"] += any("Traceback" in o + e for o, e, _ in outputs)
                counter["hangs"] += any(h for _, _, h in outputs)
                marker = cleaned.split()[0][:6]
                counter["escapes"] += any(
                    RAW.search(line.replace("\r\n", "\n"))
                    for o, e, _ in outputs
                    for line in (o + e).splitlines()
                    if marker in line
                )
                got = stored[index][0] if index < len(stored) else None
                expected = case["rows"][index][0] if index < len(case["rows"]) else None
                changed_without_word = got != expected or (raw != cleaned and "removed U+" not in err + out)
                counter["silent changes"] += bool(changed_without_word)
    print("| category | cases tried | tracebacks | hangs | escapes | silent changes |")
    print("|---|---|---|---|---|---|")
    for category, counter in totals.items():
        counts = " | ".join(str(counter[key]) for key in ("cases", "tracebacks", "hangs", "escapes", "silent changes"))
        print(f"| {category} | {counts} |")


if __name__ == "__main__":
    main()
