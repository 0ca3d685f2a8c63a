"""Datasets at 1x, 3x and 10x the large demo, for bench/bench_scale.py (cached under /tmp).

The 1x database is ``build_demo(size="large")`` at a fixed moment. The 3x and 10x databases are
copies of it with every client-owned table repeated N times in SQL: copy k shifts every id by k times
the table's largest id and every foreign key by its target's shift, and appends " k" to client names,
so the copies are distinct clients with the same shape of history (same dates, so the alerts, the
agenda and the receivables grow exactly with the data). 10x of the large demo is what
`amtui demo --size huge` would build: 20,000 clients, 100k contacts, 2M interactions, 200k tasks,
50k contracts, 500k invoices.

Run alone to (re)build the cache: ``.venv/bin/python bench/scale_data.py [--rebuild]``.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
CACHE = Path("/tmp/amtui-bench-scale")
FACTORS = (1, 3, 10)
# Tables not owned by a client (settings-like) are left as they are.
SHARED_TABLES = {"alembic_version", "sales_target", "exchange_rate", "alert_mark", "sqlite_stat1", "sqlite_stat4"}


def schema_stamp() -> str:
    """The newest migration's file name: a cached database from another schema is rebuilt."""
    names = sorted(path.stem for path in (ROOT / "amtui" / "migrations" / "versions").glob("0*.py"))
    return names[-1]


def path_for(factor: int) -> Path:
    return CACHE / f"{schema_stamp()}-x{factor}.db"


def build_base(path: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from amtui.db import open_engine
    from amtui.services.demo import build_demo

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.unlink(missing_ok=True)
    engine = open_engine(f"sqlite:///{partial}")
    build_demo(engine, size="large", now=NOW)
    engine.dispose()
    partial.rename(path)


def upgrade_copy(source: Path, target: Path) -> None:
    """``target`` = ``source`` migrated to the current schema (the cached source is left as it is)."""
    import shutil

    sys.path.insert(0, str(ROOT))
    from amtui.db import make_engine, upgrade

    partial = target.with_suffix(".part")
    partial.unlink(missing_ok=True)
    shutil.copyfile(source, partial)
    engine = make_engine(f"sqlite:///{partial}")
    upgrade(engine)
    engine.dispose()
    partial.rename(target)


def replicate(source: Path, target: Path, factor: int) -> None:
    """``target`` = ``source`` with every client-owned table repeated ``factor`` times."""
    partial = target.with_suffix(".part")
    partial.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, partial)
    con = sqlite3.connect(partial, isolation_level=None)
    con.execute("PRAGMA journal_mode = DELETE")
    con.execute("PRAGMA synchronous = OFF")
    con.execute("PRAGMA cache_size = -262144")
    con.execute("PRAGMA foreign_keys = OFF")
    tables = [
        name
        for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        if name not in SHARED_TABLES
    ]
    columns = {name: [row[1] for row in con.execute(f'PRAGMA table_info("{name}")')] for name in tables}
    shift = {
        name: (con.execute(f'SELECT max(id) FROM "{name}"').fetchone()[0] or 0) if "id" in columns[name] else 0
        for name in tables
    }
    foreign = {name: {row[3]: row[2] for row in con.execute(f'PRAGMA foreign_key_list("{name}")')} for name in tables}
    con.execute("BEGIN")
    indexes = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").fetchall()
    for name, _sql in indexes:
        con.execute(f'DROP INDEX "{name}"')
    for name in tables:
        names = columns[name]
        listed = ", ".join(f'"{column}"' for column in names)
        last = con.execute(f'SELECT max(rowid) FROM "{name}"').fetchone()[0] or 0
        for k in range(1, factor):
            parts = []
            for column in names:
                if column == "id":
                    parts.append(f"id + {k * shift[name]}")
                elif column in foreign[name] and foreign[name][column] in shift:
                    parts.append(f'"{column}" + {k * shift[foreign[name][column]]}')
                elif name == "client" and column in ("name", "name_folded"):
                    parts.append(f"\"{column}\" || ' {k}'")
                else:
                    parts.append(f'"{column}"')
            # Copy the original rows only.
            con.execute(
                f'INSERT INTO "{name}" ({listed}) SELECT {", ".join(parts)} FROM "{name}" WHERE rowid <= {last}'
            )
    for _name, sql in indexes:
        con.execute(sql)
    con.execute("COMMIT")
    con.execute("ANALYZE")
    con.execute("PRAGMA journal_mode = WAL")
    con.close()
    partial.rename(target)


def ensure(factor: int, *, rebuild: bool = False) -> Path:
    path = path_for(factor)
    if path.exists() and not rebuild:
        return path
    began = time.perf_counter()
    older = sorted(CACHE.glob(f"0*-x{factor}.db"))
    if older and not rebuild:
        # The same data under an older schema: copied and migrated (new indexes take seconds; a rebuild
        # of the 10x dataset minutes). ``--rebuild`` builds it afresh from the demo.
        upgrade_copy(older[-1], path)
        print(f"migrated {older[-1].name} to {path.name} in {time.perf_counter() - began:.1f} s", flush=True)
        return path
    if factor == 1:
        build_base(path)
    else:
        base = ensure(1)
        replicate(base, path, factor)
    print(f"built {path} in {time.perf_counter() - began:.1f} s", flush=True)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    for factor in FACTORS:
        ensure(factor, rebuild=args.rebuild)


if __name__ == "__main__":
    main()
