"""Benchmark: importing vCard files of 20k, 40k and 100k cards (issue 11: it must grow linearly).

    .venv/bin/python bench/bench_vcard.py                 # 20000 40000 100000 cards, --dry-run
    .venv/bin/python bench/bench_vcard.py 5000 10000

Each size is a generated vCard 3.0 file (name, company, phone, e-mail per card),
imported with ``--dry-run`` semantics into a fresh SQLite file; the time to split
the file into cards is shown apart (before the fix that alone grew with the square
of the card count). The machine is shared: read the ratio of time per card.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from amtui.config import local_zone
from amtui.db import open_engine, session_scope
from amtui.formats.importer import ImportOptions, import_file
from amtui.formats.vcard import _cards, _read_text

CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nN:{n};Person;;;\r\nORG:Company {company}\r\n"
    "TEL;TYPE=WORK:+7 495 {n:07d}\r\nEMAIL;TYPE=INTERNET:person{n}@example.com\r\nEND:VCARD\r\n"
)


def build(path: Path, cards: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        for n in range(cards):
            handle.write(CARD.format(n=n, company=n // 10))


def run(cards: int, folder: Path) -> tuple[float, float]:
    path = folder / f"cards-{cards}.vcf"
    build(path, cards)
    started = time.perf_counter()
    split = sum(1 for _ in _cards(_read_text(path)))
    split_time = time.perf_counter() - started
    assert split == cards
    engine = open_engine(f"sqlite:///{folder / f'db-{cards}.sqlite'}")
    options = ImportOptions(now=datetime.now(UTC), zone=local_zone(), dry_run=True)
    started = time.perf_counter()
    with session_scope(engine) as session:
        summary = import_file(session=session, kind="contacts", path=path, options=options)
    total = time.perf_counter() - started
    engine.dispose()
    assert summary.created == cards, summary.as_dict()
    return split_time, total


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or [20_000, 40_000, 100_000]
    with tempfile.TemporaryDirectory() as folder:
        print(f"{'cards':>8} {'split s':>9} {'import s':>9} {'us/card':>8}")
        for cards in sizes:
            split_time, total = run(cards, Path(folder))
            print(f"{cards:>8} {split_time:>9.2f} {total:>9.2f} {total / cards * 1e6:>8.0f}")


if __name__ == "__main__":
    main()
