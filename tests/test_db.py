"""The store: private file, pragmas, migrations with data kept, online backup."""

from __future__ import annotations

import sqlite3
import stat
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from amtui.config import resolve_db_url
from amtui.db import DatabaseError, backup, current_revision, make_engine, open_engine, upgrade
from amtui.migrations import SCHEMA_HEAD
from amtui.migrations.runner import head_revision, revision_history


def test_database_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "amtui.db"
    engine = open_engine(f"sqlite:///{path}")
    engine.dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_sqlite_pragmas(engine) -> None:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_foreign_keys_are_enforced(engine) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text("INSERT INTO contact (client_id, full_name, full_name_folded, created_at, updated_at)"
                                " VALUES (999, 'x', 'x', '2026-01-01', '2026-01-01')"))  # fmt: skip


def test_schema_head_constant_matches_alembic() -> None:
    assert head_revision() == SCHEMA_HEAD
    assert revision_history()[0][0] == "0001"


def test_models_and_migrations_agree(engine) -> None:  # type: ignore[no-untyped-def]
    """A model change without a migration would show up here as a diff."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import amtui.models  # noqa: F401

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_upgrade_from_first_revision_keeps_data(db_path: Path) -> None:
    url = f"sqlite:///{db_path}"
    old = make_engine(url)
    upgrade(old, "0001")
    assert current_revision(old) == "0001"
    with old.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO client (id, name, name_folded, tier, status, currency, created_at, updated_at)"
                " VALUES (1, 'ООО «Ромашка»', 'ооо \"ромашка\"', 'A', 'active', 'RUB',"
                " '2025-01-01 00:00:00.000000', '2025-01-01 00:00:00.000000')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO invoice (id, client_id, number, issued_on, due_on, amount_minor, paid_minor, currency,"
                " created_at, updated_at) VALUES (1, 1, 'С-1', '2025-01-01', '2025-01-31', 41250050, 0, 'RUB',"
                " '2025-01-01 00:00:00.000000', '2025-01-01 00:00:00.000000')"
            )
        )
    old.dispose()

    engine = open_engine(url)  # opening an older database upgrades it in place
    assert current_revision(engine) == SCHEMA_HEAD
    from amtui.db import session_scope
    from amtui.services import clients, records

    with session_scope(engine) as session:
        client = clients.resolve_client(session=session, ref="ромашка")
        assert client.tier == "A"
        [invoice] = records.list_invoices(session=session, client_id=client.id)
        assert invoice.amount_minor == 41250050
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM alert_mark")).scalar() == 0


def test_refuses_a_foreign_database(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE customers (id INTEGER)")
    with pytest.raises(DatabaseError, match="no amtui schema version"):
        open_engine(f"sqlite:///{path}")
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT name FROM sqlite_master").fetchall() == [("customers",)]


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not a database at all, just text" * 50)
    with pytest.raises(DatabaseError, match="cannot open the database: file is not a database"):
        open_engine(f"sqlite:///{path}")


def test_backup_while_another_connection_writes(engine, db_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO client (name, name_folded, tier, status, currency, created_at, updated_at)"
                " VALUES ('seed', 'seed', 'B', 'active', 'RUB', '2025-01-01', '2025-01-01')"
            )
        )
    stop = threading.Event()
    written = [0]

    def writer() -> None:
        connection = sqlite3.connect(db_path, timeout=5)
        while not stop.is_set():
            with connection:
                connection.execute(
                    "INSERT INTO note (client_id, text, tag, created_at) VALUES (1, ?, 'general', '2026-01-01')",
                    (f"note {written[0]}",),
                )
            written[0] += 1
        connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while written[0] < 50:
            time.sleep(0.01)
        target = backup(f"sqlite:///{db_path}", tmp_path / "copy" / "backup.db")
    finally:
        stop.set()
        thread.join()
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        copied = copy.execute("SELECT count(*) FROM note").fetchone()[0]
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == (SCHEMA_HEAD,)
    assert 50 <= copied <= written[0]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert not target.with_name("backup.db.partial").exists()


def test_backup_refuses_to_overwrite_the_database(db_path: Path, engine) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DatabaseError, match="cannot overwrite"):
        backup(f"sqlite:///{db_path}", db_path)


def test_database_location_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    default = resolve_db_url(None)
    assert default.startswith("sqlite:///") and default.endswith("/data/amtui/amtui.db")  # XDG data dir
    monkeypatch.setenv("AMTUI_DB", str(tmp_path / "env.db"))
    assert resolve_db_url(None) == f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.setenv("AMTUI_DATABASE_URL", "sqlite:////srv/amtui.db")
    assert resolve_db_url(None) == "sqlite:////srv/amtui.db"
    assert resolve_db_url(str(tmp_path / "flag.db")) == f"sqlite:///{tmp_path / 'flag.db'}"
    assert resolve_db_url("postgresql://u@h/db") == "postgresql://u@h/db"


def test_config_file_sets_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'db = "{tmp_path / "from-config.db"}"\ntimezone = "Asia/Yekaterinburg"\n', encoding="utf-8")
    monkeypatch.setenv("AMTUI_CONFIG", str(config))
    assert resolve_db_url(None) == f"sqlite:///{tmp_path / 'from-config.db'}"


def test_bad_config_file_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from amtui.config import ConfigError

    config = tmp_path / "config.toml"
    config.write_text("db = [unclosed\n", encoding="utf-8")
    monkeypatch.setenv("AMTUI_CONFIG", str(config))
    with pytest.raises(ConfigError, match=r"config.toml: not valid TOML"):
        resolve_db_url(None)


@pytest.mark.parametrize("analysed", [True, False])
def test_upgrade_to_0004_keeps_planner_statistics_consistent(db_path: Path, analysed: bool) -> None:
    """An analysed database gets statistics for the new indexes (an unanalysed index beside analysed ones
    misleads SQLite's planner); a database that never ran ANALYZE is left without."""
    url = f"sqlite:///{db_path}"
    old = make_engine(url)
    upgrade(old, "0003")
    with old.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO client (id, name, name_folded, tier, status, currency, created_at, updated_at)"
                " VALUES (1, 'Ромашка', 'ромашка', 'A', 'active', 'RUB', '2025-01-01 00:00:00', '2025-01-01 00:00:00')"
            )
        )
        for number in range(1, 4):
            connection.execute(
                text(
                    "INSERT INTO interaction (client_id, kind, direction, status, done_at, needs_reply, created_at,"
                    " updated_at) VALUES (1, 'call', 'inbound', 'done', :at, 0, :at, :at)"
                ),
                {"at": f"2025-01-0{number} 10:00:00.000000"},
            )
        if analysed:
            connection.exec_driver_sql("ANALYZE")
    old.dispose()
    engine = open_engine(url)
    with engine.connect() as connection:
        has_stats = connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first()
        analysed_indexes = (
            {row[0] for row in connection.exec_driver_sql("SELECT idx FROM sqlite_stat1")} if has_stats else set()
        )
    engine.dispose()
    assert ("ix_interaction_kind_direction_done" in analysed_indexes) is analysed
    assert (has_stats is not None) is analysed
