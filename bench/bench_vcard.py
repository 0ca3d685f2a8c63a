"""Benchmark: importing vCard files of 10k, 30k and 100k cards (issue 11: linear, and 100k cards in a few seconds).

    .venv/bin/python bench/bench_vcard.py                    # 10000 30000 100000 cards, both corpora
    .venv/bin/python bench/bench_vcard.py 5000 --corpus mixed
    .venv/bin/python bench/bench_vcard.py --before 30000     # also vobject's whole tree up to 30k cards

Two generated corpora: ``simple`` (vCard 3.0, name, company, phone, e-mail: 7 lines a card, the cards
of the previous rounds' figures) and ``mixed`` (tests/vcard_corpus.py: vCard 2.1/3.0/4.0, Cyrillic and
Latin names, several phones and e-mails, departments, birthdays, addresses, notes, folds inside letters,
quoted-printable, base64 photos, a few broken cards). For each size: reading the file into contact fields
(``read_vcards``, CPU µs per card), the same with vobject building every card's whole tree (the way
before this round; ``--before N``: sizes up to N cards, default 30000, as it takes ~40 s per 100k cards),
and the whole import with ``--dry-run`` semantics into a fresh SQLite file: wall seconds, CPU seconds as
user + system, cards per CPU second, and the peak RSS of the process so far; then the same import
written (``amtui import``: one transaction, committed), in CPU seconds. The machine is shared: trust the
CPU seconds more than the wall clock. The target (issue 11): 100,000 simple cards in a few seconds, read
as <= 5 s; the last line prints the measured figure against it.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from amtui.config import local_zone  # noqa: E402
from amtui.db import open_engine, session_scope  # noqa: E402
from amtui.formats import vcard  # noqa: E402
from amtui.formats.importer import ImportOptions, import_file  # noqa: E402
from tests.vcard_corpus import corpus  # noqa: E402

SIMPLE = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nN:{n};Person;;;\r\nORG:Company {company}\r\n"
    "TEL;TYPE=WORK:+7 495 {n:07d}\r\nEMAIL;TYPE=INTERNET:person{n}@example.com\r\nEND:VCARD\r\n"
)


TARGET_CARDS, TARGET_SECONDS = 100_000, 5.0


def build(path: Path, cards: int, kind: str) -> None:
    with path.open("wb") as handle:
        for start in range(0, cards, 10_000):
            count = min(10_000, cards - start)
            if kind == "simple":
                text = "".join(SIMPLE.format(n=n, company=n // 10) for n in range(start, start + count))
                handle.write(text.encode())
            else:
                handle.write(corpus(count, start))


def _cpu() -> tuple[float, float]:
    times = os.times()
    return times.user, times.system


def _timed(job):  # type: ignore[no-untyped-def]
    wall, (user, system) = time.perf_counter(), _cpu()
    result = job()
    user_after, system_after = _cpu()
    return result, time.perf_counter() - wall, user_after - user, system_after - system


def run(cards: int, kind: str, folder: Path, before: bool) -> dict[str, float]:
    path = folder / f"{kind}-{cards}.vcf"
    build(path, cards, kind)
    got: dict[str, float] = {}
    rows, _, user, system = _timed(lambda: sum(1 for _ in vcard.read_vcards(path)))
    assert rows == cards, rows
    got["read"] = user + system
    if before:
        _, _, user, system = _timed(lambda: sum(1 for _ in vcard.read_vcards(path, whole_tree=True)))
        got["read_before"] = user + system
    engine = open_engine(f"sqlite:///{folder / f'db-{kind}-{cards}.sqlite'}")
    options = ImportOptions(now=datetime.now(UTC), zone=local_zone(), dry_run=True, skip_bad=True)

    def whole() -> object:
        with session_scope(engine) as session:
            return import_file(session=session, kind="contacts", path=path, options=options)

    summary, wall, user, system = _timed(whole)
    engine.dispose()
    assert summary.created + summary.rejected == cards, summary.as_dict()  # type: ignore[attr-defined]
    got.update(wall=wall, user=user, system=system)
    engine = open_engine(f"sqlite:///{folder / f'written-{kind}-{cards}.sqlite'}")
    options = ImportOptions(now=datetime.now(UTC), zone=local_zone(), skip_bad=True)
    summary, _, user, system = _timed(whole)
    engine.dispose()
    assert summary.written and summary.created + summary.rejected == cards  # type: ignore[attr-defined]
    got["written"] = user + system
    got["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    path.unlink()
    return got


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 30_000, 100_000])
    parser.add_argument("--corpus", choices=["simple", "mixed", "both"], default="both")
    parser.add_argument("--before", type=int, default=30_000, metavar="N", help="vobject's whole tree up to N cards")
    args = parser.parse_args()
    kinds = ["simple", "mixed"] if args.corpus == "both" else [args.corpus]
    print(
        f"{'corpus':>7} {'cards':>7} {'read us/card':>12} {'before us/card':>14} {'import wall s':>13}"
        f" {'user s':>7} {'sys s':>6} {'cards/cpu s':>11} {'us/card':>7} {'written cpu s':>13} {'peak RSS MB':>11}"
    )
    target: float | None = None
    largest = 0
    with tempfile.TemporaryDirectory() as folder:
        for kind in kinds:
            for cards in args.sizes:
                got = run(cards, kind, Path(folder), before=cards <= args.before)
                cpu = got["user"] + got["system"]
                before = f"{got['read_before'] / cards * 1e6:>14.0f}" if "read_before" in got else f"{'-':>14}"
                print(
                    f"{kind:>7} {cards:>7} {got['read'] / cards * 1e6:>12.0f} {before} {got['wall']:>13.2f}"
                    f" {got['user']:>7.2f} {got['system']:>6.2f} {cards / cpu:>11,.0f} {cpu / cards * 1e6:>7.0f}"
                    f" {got['written']:>13.2f} {got['rss']:>11.0f}",
                    flush=True,
                )
                if kind == "simple" and cards >= largest:
                    largest, target = cards, cpu * TARGET_CARDS / cards
    if target is not None:
        print(
            f"target: {TARGET_CARDS:,} simple cards imported (dry run) in <= {TARGET_SECONDS:.0f} s: "
            f"{target:.2f} CPU s (scaled from the largest simple size), ratio {target / TARGET_SECONDS:.2f}"
        )


if __name__ == "__main__":
    main()
