"""Schema upgrades, foreign and broken files, missing paths (issue 11), with real processes."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FROZEN_NOW

OLD = "0002"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["AMTUI_NOW"] = FROZEN_NOW.isoformat()
    env.pop("AMTUI_DB", None)
    env.pop("AMTUI_DATABASE_URL", None)
    return env


def _amtui(db: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "amtui", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=timeout,
    )


def _schema(db: Path) -> tuple[str | None, list[tuple[str, str]]]:
    with sqlite3.connect(db) as connection:
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        objects = connection.execute(
            "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
        ).fetchall()
    return (revision[0] if revision else None), objects


@pytest.fixture(scope="module")
def schemas(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The old and the current schema's objects, and an old database with enough rows that its
    upgrade takes a while (module-scoped: built once)."""
    from amtui.db import make_engine, upgrade

    folder = tmp_path_factory.mktemp("schemas")
    old = folder / "old.db"
    engine = make_engine(f"sqlite:///{old}")
    upgrade(engine, OLD)
    engine.dispose()
    with sqlite3.connect(old) as connection:
        stamp = "2026-01-01 00:00:00.000000"
        connection.execute(
            "INSERT INTO client (id, name, name_folded, tier, status, currency, created_at, updated_at) "
            "VALUES (1, 'Acme', 'acme', 'A', 'active', 'RUB', ?, ?)",
            (stamp, stamp),
        )
        connection.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000) "
            "INSERT INTO interaction (id, client_id, kind, direction, status, done_at, needs_reply, "
            "created_at, updated_at) SELECT i, 1, 'call', 'out', 'done', ?, i % 2, ?, ? FROM n",
            (stamp, stamp, stamp),
        )
    connection.close()
    new = folder / "new.db"
    engine = make_engine(f"sqlite:///{new}")
    upgrade(engine)
    engine.dispose()
    return {"old_db": old, "old": _schema(old), "new": _schema(new)}


def _copy(source: Path, target: Path) -> Path:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    return target


@pytest.mark.parametrize("delay", [0.05, 0.15, 0.25, 0.35])
def test_an_upgrade_killed_at_any_moment_leaves_the_old_schema(
    schemas: dict[str, object], tmp_path: Path, delay: float
) -> None:
    db = _copy(schemas["old_db"], tmp_path / "amtui.db")  # type: ignore[arg-type]
    from amtui.migrations import SCHEMA_HEAD

    backup = tmp_path / f"amtui.db.before-{SCHEMA_HEAD}.bak"
    process = subprocess.Popen(
        [sys.executable, "-m", "amtui", "--db", str(db), "client", "list"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_env(),
    )
    deadline = time.monotonic() + 60
    while not backup.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    # The upgrade has begun when the database's write lock is taken.
    probe = sqlite3.connect(db, timeout=0, isolation_level=None)
    while process.poll() is None and time.monotonic() < deadline:
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
        except sqlite3.OperationalError:
            break
        time.sleep(0.002)
    probe.close()
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    # Killed before, during or after the upgrade: the old schema or the new one, never half of each.
    assert _schema(db) in (schemas["old"], schemas["new"])
    # And the next command upgrades (again) and works (run in this process: only the kill needs one).
    from typer.testing import CliRunner

    from amtui.cli import app

    listed = CliRunner().invoke(app, ["--db", str(db), "client", "list"], env=_env())
    assert listed.exit_code == 0, listed.output
    assert "Acme" in listed.stdout
    assert _schema(db) == schemas["new"]
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM interaction").fetchone()[0] == 60_000
    connection.close()


def test_an_automatic_upgrade_writes_a_private_backup_first(schemas: dict[str, object], tmp_path: Path) -> None:
    from amtui.migrations import SCHEMA_HEAD

    db = _copy(schemas["old_db"], tmp_path / "amtui.db")  # type: ignore[arg-type]
    listed = _amtui(db, "client", "list")
    assert listed.returncode == 0, listed.stderr
    backup = tmp_path / f"amtui.db.before-{SCHEMA_HEAD}.bak"
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert _schema(backup) == schemas["old"]
    assert _schema(db) == schemas["new"]


def test_a_foreign_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    db = tmp_path / "foreign.db"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)")
    connection.close()
    before = db.read_bytes()
    for args in (("client", "list"), ("db", "upgrade"), ("digest",)):
        result = _amtui(db, *args)
        assert result.returncode == 1
        assert "refusing to change it" in result.stderr and "Traceback" not in result.stderr
    assert db.read_bytes() == before
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    connection.close()
    assert not Path(f"{db}-wal").exists()


@pytest.mark.parametrize(
    "content", [b"this is a text file, not a database\n" * 100, b"SQLite format 3\x00" + b"\xff" * 5000]
)
def test_db_status_and_upgrade_on_a_file_that_is_no_database(tmp_path: Path, content: bytes) -> None:
    db = tmp_path / "notes.db"
    db.write_bytes(content)
    for args in (("db", "status"), ("db", "upgrade"), ("client", "list")):
        result = _amtui(db, *args)
        assert result.returncode == 1, (args, result.stdout)
        assert result.stderr.startswith("amtui: error: "), result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert db.read_bytes() == content
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.db"]


def test_a_missing_database_path_is_an_error_not_a_new_database(tmp_path: Path) -> None:
    typo = tmp_path / "typo.db"
    digest = _amtui(typo, "digest", "--quiet-if-empty")
    assert digest.returncode == 1
    assert digest.stderr.strip().startswith(f"amtui: error: {typo}: no such database")
    assert not typo.exists()
    tui = _amtui(typo)  # the TUI too: an error before any screen
    assert (tui.returncode, tui.stdout) == (1, "") and "no such database" in tui.stderr
    assert not typo.exists()
    # amtui init creates it; then it works.
    created = _amtui(typo, "init")
    assert created.returncode == 0, created.stderr
    assert stat.S_IMODE(typo.stat().st_mode) == 0o600
    # The other paths in this process (the checks are the CLI's, before any command runs).
    from typer.testing import CliRunner

    from amtui.cli import app

    def in_process(db: Path, *args: str) -> Any:
        return CliRunner().invoke(app, ["--db", str(db), *args], env=_env())

    nowhere = tmp_path / "nonexistent" / "dir" / "x.db"
    today = in_process(nowhere, "today")
    assert today.exit_code == 1 and "no such database" in today.stderr
    assert not (tmp_path / "nonexistent").exists()
    folder = in_process(tmp_path, "client", "list")
    assert folder.exit_code == 1 and "not a database file" in folder.stderr
    assert in_process(typo, "digest", "--quiet-if-empty").exit_code == 0
    again = in_process(typo, "init")
    assert again.exit_code == 0 and "ready" in again.stdout


def test_the_default_database_is_still_created(tmp_path: Path) -> None:
    env = _env()
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    env["AMTUI_CONFIG"] = str(tmp_path / "config.toml")
    result = subprocess.run(
        [sys.executable, "-m", "amtui", "client", "add", "Acme"], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "amtui" / "amtui.db").exists()
