"""Concurrent writers on one real SQLite file, with real processes (issue 11)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import FROZEN_NOW, fresh_database


def _env(db: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["AMTUI_NOW"] = FROZEN_NOW.isoformat()
    env.pop("AMTUI_DB", None)
    env.pop("AMTUI_DATABASE_URL", None)
    return env


def _amtui(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "amtui", "--db", str(db), *args]


def _clients_csv(path: Path, prefix: str, count: int) -> Path:
    path.write_text(
        "name,city,tax_id\n" + "".join(f"{prefix} {number:06d},Казань,\n" for number in range(count)),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def shared_db(tmp_path: Path, migrated_template: Path) -> Path:
    db = tmp_path / "shared.db"
    fresh_database(migrated_template, db)  # what `amtui init` leaves
    return db


def test_two_imports_at_once_both_succeed(shared_db: Path, tmp_path: Path) -> None:
    """The importer takes its ids inside the write transaction: before, both read the same highest
    id and the second failed with ``UNIQUE constraint failed: client.id``."""
    count = 8_000
    first = _clients_csv(tmp_path / "a.csv", "Альфа", count)
    second = _clients_csv(tmp_path / "b.csv", "Бета", count)
    env = _env(shared_db)
    processes = [
        subprocess.Popen(
            _amtui(shared_db, "import", "clients", str(path)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for path in (first, second)
    ]
    for process in processes:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        assert f"{count} created" in out
    with sqlite3.connect(shared_db) as connection:
        assert connection.execute("SELECT count(*), count(DISTINCT id) FROM client").fetchone() == (
            2 * count,
            2 * count,
        )


def test_an_import_while_client_add_runs_in_a_loop(shared_db: Path, tmp_path: Path) -> None:
    count = 3_000
    path = _clients_csv(tmp_path / "c.csv", "Гамма", count)
    env = _env(shared_db)
    loop = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import subprocess, sys\n"
            "ok = 0\n"
            "for n in range(3):\n"
            f"    r = subprocess.run({_amtui(shared_db)!r} + ['client', 'add', f'Цикл {{n}}'], capture_output=True)\n"
            "    ok += r.returncode == 0\n"
            "print(ok)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    time.sleep(1.0)
    imported = subprocess.run(
        _amtui(shared_db, "import", "clients", str(path)), capture_output=True, text=True, env=env, timeout=300
    )
    added = int(loop.communicate(timeout=300)[0])
    assert imported.returncode == 0, imported.stderr
    assert f"{count} created" in imported.stdout
    with sqlite3.connect(shared_db) as connection:
        rows = connection.execute("SELECT count(*) FROM client WHERE name LIKE 'Гамма%'").fetchone()[0]
        loops = connection.execute("SELECT count(*) FROM client WHERE name LIKE 'Цикл%'").fetchone()[0]
    assert rows == count
    assert loops == added > 0


def test_an_import_waits_for_a_writer_holding_the_lock(shared_db: Path, tmp_path: Path) -> None:
    """Longer than SQLite's 5 s busy timeout: the import waits, then succeeds (it failed with
    "database is locked" before)."""
    path = _clients_csv(tmp_path / "d.csv", "Дельта", 10)
    holder = sqlite3.connect(shared_db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    env = _env(shared_db)
    process = subprocess.Popen(
        _amtui(shared_db, "import", "clients", str(path)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    time.sleep(8.0)
    assert process.poll() is None, process.communicate()
    holder.execute("COMMIT")
    holder.close()
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "10 created" in out


def test_begin_write_tells_once_that_it_waits(engine, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    """What the import's progress line says ("waiting for another writer") comes from here."""
    import threading

    from amtui.db import begin_write, session_scope

    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    told: list[float] = []
    acquired = threading.Event()

    def writer() -> None:
        with session_scope(engine) as session:
            begin_write(session, on_wait=lambda: told.append(time.monotonic()))
            acquired.set()

    thread = threading.Thread(target=writer)
    thread.start()
    time.sleep(1.5)
    assert len(told) == 1 and not acquired.is_set()
    holder.execute("COMMIT")
    holder.close()
    assert acquired.wait(10)
    thread.join(10)
    assert len(told) == 1


def test_begin_write_gives_up_with_a_clear_error(engine, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    from amtui.db import DatabaseError, begin_write, session_scope

    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with (
            pytest.raises(DatabaseError, match="kept the database locked for 1 s; nothing was written"),
            session_scope(engine) as session,
        ):
            begin_write(session, patience_s=1)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
