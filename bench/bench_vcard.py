"""Benchmark: importing vCard files of 20k, 40k and 100k cards (issue 11: it must grow linearly).

    .venv/bin/python bench/bench_vcard.py                 # 20000 40000 100000 cards, --dry-run
    .venv/bin/python bench/bench_vcard.py 5000 10000

Each size is a generated vCard 3.0 file (name, company, phone, e-mail per card),
imported with ``--dry-run`` semantics into a fresh SQLite file. For each size:
the time to cut the file into cards (the step that once grew with the square of
the card count), vobject's own parsing of every card (``vobject.readOne``, what
no code of ours can make faster), and the whole import, in wall and CPU seconds;
then microseconds per card and the linearity ratio (time per card at each size
over time per card at the smallest: 1.0 is linear). The machine is shared:
trust the CPU seconds and the ratios more than the wall clock.
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
from amtui.formats.vcard import _card_blocks

CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nN:{n};Person;;;\r\nORG:Company {company}\r\n"
    "TEL;TYPE=WORK:+7 495 {n:07d}\r\nEMAIL;TYPE=INTERNET:person{n}@example.com\r\nEND:VCARD\r\n"
)


def build(path: Path, cards: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        for n in range(cards):
            handle.write(CARD.format(n=n, company=n // 10))


def _timed(job):  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    result = job()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def run(cards: int, folder: Path) -> dict[str, float]:
    import vobject

    path = folder / f"cards-{cards}.vcf"
    build(path, cards)
    blocks, split_wall, split_cpu = _timed(lambda: [block for _, block in _card_blocks(path)])
    assert len(blocks) == cards
    _, _, vobject_cpu = _timed(lambda: [vobject.readOne(block) for block in blocks])
    blocks.clear()  # memory back before the import
    engine = open_engine(f"sqlite:///{folder / f'db-{cards}.sqlite'}")
    options = ImportOptions(now=datetime.now(UTC), zone=local_zone(), dry_run=True)

    def whole() -> object:
        with session_scope(engine) as session:
            return import_file(session=session, kind="contacts", path=path, options=options)

    summary, total_wall, total_cpu = _timed(whole)
    engine.dispose()
    assert summary.created == cards, summary.as_dict()  # type: ignore[attr-defined]
    return {
        "split_cpu": split_cpu,
        "split_wall": split_wall,
        "vobject_cpu": vobject_cpu,
        "total_wall": total_wall,
        "total_cpu": total_cpu,
    }


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or [20_000, 40_000, 100_000]
    header = (
        f"{'cards':>8} {'split cpu s':>11} {'vobject cpu s':>13} {'import wall s':>13} {'import cpu s':>12}"
        f" {'cpu us/card':>11} {'vobject share':>13} {'linearity':>9}"
    )
    print(header)
    first: float | None = None
    with tempfile.TemporaryDirectory() as folder:
        for cards in sizes:
            got = run(cards, Path(folder))
            per_card = got["total_cpu"] / cards
            first = first or per_card
            print(
                f"{cards:>8} {got['split_cpu']:>11.2f} {got['vobject_cpu']:>13.2f} {got['total_wall']:>13.2f}"
                f" {got['total_cpu']:>12.2f} {per_card * 1e6:>11.0f} {got['vobject_cpu'] / got['total_cpu']:>13.0%}"
                f" {per_card / first:>9.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
