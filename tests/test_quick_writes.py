"""Quick writes (issue 15 part 3): ``amtui log`` and ``amtui task add`` on a plain sqlite3 connection
store exactly what the ORM stores, under the same rules, without importing SQLAlchemy."""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from amtui.services import entries
from amtui.services.errors import AmbiguousError, NotFoundError, ValidationError
from amtui.services.store import TEXT_LIMITS, CoreStore, SqliteStore, store_of
from tests.conftest import FROZEN_NOW, ZONE, fresh_database
from tests.connections import orm_session, plain_connection
from tests.test_startup import _amtui, _in_process, _loaded
from tests.test_startup import env as env  # a fixture

STAMP = datetime(2026, 11, 25, 6, 0, 1, 250, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _steady_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """An interaction's created_at/updated_at come from the wall clock (the model's default): fixed here."""
    monkeypatch.setattr(entries, "utcnow", lambda: STAMP)


def _database(template: Path, path: Path) -> str:
    """A fresh database at ``path`` with the same hand-built clients and people in every copy."""
    from amtui.db import open_engine

    fresh_database(template, path)
    engine = open_engine(f"sqlite:///{path}")
    _seed(engine)
    engine.dispose()
    return f"sqlite:///{path}"


def _seed(engine: Any) -> None:
    from amtui.db import session_scope
    from amtui.services import clients, contacts

    with session_scope(engine) as session:
        first = clients.create_client(session=session, name="ООО «Ромашка»", city="Казань")
        clients.create_client(session=session, name="Ромашка-Трейд")
        clients.create_client(session=session, name="100%_Офис/Склад")
        other = clients.create_client(session=session, name="АО «Лютик»")
        contacts.create_contact(session=session, client_id=first.id, full_name="Иванов Иван")
        contacts.create_contact(session=session, client_id=first.id, full_name="Петрова Анна")
        contacts.create_contact(session=session, client_id=other.id, full_name="Сидоров Пётр")


def _stored(url: str, table: str) -> list[tuple[Any, ...]]:
    """The rows as SQLite holds them (values and storage classes), read without SQLAlchemy."""
    path = url.removeprefix("sqlite:///")
    with contextlib.closing(sqlite3.connect(path)) as connection:
        columns = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
        picks = ", ".join(f"{name}, typeof({name})" for name in columns)
        return connection.execute(f"SELECT {picks} FROM {table} ORDER BY rowid").fetchall()


def _log(where: Any) -> Any:
    return entries.log_interaction(
        session=where,
        client_id=1,
        kind=" Call ",
        at=datetime(2026, 11, 25, 9, 30, tzinfo=ZONE),
        direction="inbound",
        contact_ids=[2, 1, 2],
        subject="Поставка «Весна»",
        outcome="Договорились\r\nо поставке",
        duration_min=15,
        needs_reply=True,
    )


def _add(where: Any) -> Any:
    from amtui.services.recurrence import make_rule

    due = date(2026, 12, 4)
    return entries.create_task(
        session=where,
        title="  Отправить КП ",
        now=FROZEN_NOW,
        zone=ZONE,
        due_on=due,
        client_id=1,
        assignee=" Петров ",
        priority="h",
        notes="первое\r\nвторое",
        repeat=make_rule("week", due, count=4),
    )


def test_the_plain_sqlite_path_stores_exactly_what_the_orm_stores(migrated_template: Path, tmp_path: Path) -> None:
    """The same touch and task written three ways: hand-built ORM objects (the reference), the rules on
    an ORM session (the TUI's way), the rules on a plain sqlite3 connection (the CLI's quick way)."""
    from amtui.models import Interaction, InteractionContact, Task
    from amtui.services.recurrence import make_rule

    reference, through_session, plain = (
        _database(migrated_template, tmp_path / name) for name in ("orm.db", "session.db", "plain.db")
    )
    with orm_session(reference) as session:
        touch = Interaction(
            client_id=1,
            kind="call",
            direction="inbound",
            status="done",
            done_at=datetime(2026, 11, 25, 6, 30, tzinfo=UTC),
            subject="Поставка «Весна»",
            outcome="Договорились\nо поставке",
            duration_min=15,
            needs_reply=True,
            created_at=STAMP,
            updated_at=STAMP,
        )
        session.add(touch)
        session.flush()
        session.add_all([InteractionContact(interaction_id=touch.id, contact_id=c) for c in (2, 1)])
        due = date(2026, 12, 4)
        task = Task(
            title="Отправить КП",
            client_id=1,
            assignee="Петров",
            priority="high",
            due_on=due,
            check_in_at=entries.default_check_in(FROZEN_NOW, due, ZONE),
            notes="первое\nвторое",
            created_at=FROZEN_NOW,
            updated_at=FROZEN_NOW,
        )
        session.add(task)
        session.flush()
        task.series_id, task.occurrence, task.repeat_from = task.id, 1, due
        task.repeat = make_rule("week", due, count=4)
    with orm_session(through_session) as session:
        by_session = (_log(session), _add(session))
    with plain_connection(plain) as connection:
        by_plain = (_log(connection), _add(connection))
    for table in ("interaction", "interaction_contact", "task"):
        expected = _stored(reference, table)
        assert expected, table
        assert _stored(through_session, table) == expected, table
        assert _stored(plain, table) == expected, table
    # The same read objects come back either way, as the ORM read them.
    assert by_plain == by_session
    logged, added = by_plain
    assert logged.kind == "call" and logged.done_at == datetime(2026, 11, 25, 6, 30, tzinfo=UTC)
    assert logged.outcome == "Договорились\nо поставке" and logged.needs_reply
    assert logged.contact_ids == (1, 2) and logged.contact_names == ("Иванов Иван", "Петрова Анна")
    assert logged.client_name == "ООО «Ромашка»"
    assert added.title == "Отправить КП" and added.priority == "high" and added.assignee == "Петров"
    assert added.series_id == added.id and added.occurrence == 1 and added.repeat == task.repeat
    assert added.check_in_at == task.check_in_at and added.client_name == "ООО «Ромашка»"


@pytest.mark.parametrize("driver", ["session", "plain"])
def test_the_rules_refuse_alike_and_write_nothing(driver: str, migrated_template: Path, tmp_path: Path) -> None:
    url = _database(migrated_template, tmp_path / "rules.db")
    opened = orm_session if driver == "session" else plain_connection
    at = datetime(2026, 11, 25, 9, 30, tzinfo=ZONE)
    refusals: list[tuple[type[Exception], str, Any]] = [
        (
            NotFoundError,
            "no client with id 99",
            lambda w: entries.log_interaction(session=w, client_id=99, kind="call", at=at),
        ),
        (
            ValidationError,
            "kind is one of",
            lambda w: entries.log_interaction(session=w, client_id=1, kind="chat", at=at),
        ),
        (
            ValidationError,
            "direction is inbound or outbound",
            lambda w: entries.log_interaction(session=w, client_id=1, kind="call", at=at, direction="sideways"),
        ),
        (
            ValidationError,
            "a time zone is required",
            lambda w: entries.log_interaction(session=w, client_id=1, kind="call", at=at.replace(tzinfo=None)),
        ),
        (
            ValidationError,
            "contact 3 is not a contact of this client",
            lambda w: entries.log_interaction(session=w, client_id=1, kind="call", at=at, contact_ids=[1, 3]),
        ),
        (
            ValidationError,
            "10001 characters, at most 10000 expected",
            lambda w: entries.log_interaction(session=w, client_id=1, kind="call", at=at, subject="x" * 10_001),
        ),
        (
            ValidationError,
            "contains a control character",
            lambda w: entries.create_task(session=w, title="Счёт\x1b[31m", now=FROZEN_NOW, zone=ZONE),
        ),
        (
            ValidationError,
            "a task needs a title",
            lambda w: entries.create_task(session=w, title="  ", now=FROZEN_NOW, zone=ZONE),
        ),
        (
            ValidationError,
            "priority",
            lambda w: entries.create_task(session=w, title="X", now=FROZEN_NOW, zone=ZONE, priority="urgent"),
        ),
        (
            NotFoundError,
            "no client with id 42",
            lambda w: entries.create_task(session=w, title="X", now=FROZEN_NOW, zone=ZONE, client_id=42),
        ),
    ]
    for error, message, write in refusals:
        with pytest.raises(error, match=message), opened(url) as where:
            write(where)
    for table in ("interaction", "interaction_contact", "task"):
        assert _stored(url, table) == [], table


def test_a_client_is_found_alike_on_either_connection(migrated_template: Path, tmp_path: Path) -> None:
    url = _database(migrated_template, tmp_path / "find.db")
    with orm_session(url) as session, plain_connection(url) as connection:
        for ref in ("1", 2, "ромашка-трейд", "трейд", "ооо «РОМАШКА»", "100%_офис", "лютик", "%", "_"):
            assert entries.find_client(session, ref) == entries.find_client(connection, ref), ref
        assert entries.find_client(connection, "100%_офис/склад") == (3, "100%_Офис/Склад")
        # "%" and "_" are letters in a name, not wildcards: they match only the name holding them.
        assert entries.find_client(connection, "%")[0] == 3 and entries.find_client(connection, "_")[0] == 3
        for ref in ("ромаш", "РОМАШКА", "о"):
            with pytest.raises(AmbiguousError) as plain_error:
                entries.find_client(connection, ref)
            with pytest.raises(AmbiguousError) as orm_error:
                entries.find_client(session, ref)
            assert plain_error.value.candidates == orm_error.value.candidates
        with pytest.raises(NotFoundError, match="no client matches 'ромашко'"):
            entries.find_client(connection, "ромашко")
        with pytest.raises(ValidationError, match="name a client"):
            entries.find_client(connection, "  ")


def test_the_entries_on_postgresql(pg_url: str, migrated_template: Path, tmp_path: Path) -> None:
    """The same rules through the session on PostgreSQL: the same read objects as the plain SQLite path."""
    from amtui.db import open_engine, session_scope
    from amtui.services.colleagues import list_colleagues

    engine = open_engine(pg_url)
    try:
        _seed(engine)
        with session_scope(engine) as session:
            on_postgres = (_log(session), _add(session))
            found = [entries.find_client(session, ref) for ref in ("1", "трейд", "100%_офис", "%", "_")]
            assert [person.name for person in list_colleagues(session=session)] == ["Петров"]
    finally:
        engine.dispose()
    with plain_connection(_database(migrated_template, tmp_path / "plain.db")) as connection:
        assert on_postgres == (_log(connection), _add(connection))
        assert found == [entries.find_client(connection, ref) for ref in ("1", "трейд", "100%_офис", "%", "_")]


def test_the_text_limits_are_the_models() -> None:
    """The quick writes check text columns with TEXT_LIMITS: the models' own columns and limits."""
    from sqlmodel import SQLModel

    import amtui.models  # noqa: F401  (the metadata)
    from amtui.services.limits import MAX_TEXT_CHARS, _is_text, text_limit

    for name, limits in TEXT_LIMITS.items():
        table = SQLModel.metadata.tables[name]
        texts = {column.name: text_limit(column) for column in table.columns if _is_text(column)}
        assert {column: limit or MAX_TEXT_CHARS for column, limit in limits.items()} == texts, name
        assert list(limits) == [column for column in texts], f"{name}: in the columns' order"


def test_a_quick_connection_only_for_a_sqlite_file_at_the_current_schema(
    migrated_template: Path, tmp_path: Path
) -> None:
    from amtui.db import quick_connection

    url = _database(migrated_template, tmp_path / "head.db")
    connection = quick_connection(url)
    assert connection is not None
    assert connection.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    connection.execute("UPDATE alembic_version SET version_num = '0001'")
    connection.commit()
    connection.close()
    assert quick_connection(url) is None  # an older schema: the engine upgrades it
    assert quick_connection(f"sqlite:///{tmp_path / 'missing.db'}") is None
    assert not (tmp_path / "missing.db").exists()
    (tmp_path / "junk.db").write_text("not a database")
    assert quick_connection(f"sqlite:///{tmp_path / 'junk.db'}") is None
    assert quick_connection("postgresql://localhost/amtui") is None


def test_store_of_takes_what_the_callers_have(session: Any, db_url: str) -> None:
    assert isinstance(store_of(session), CoreStore)
    assert isinstance(store_of(session.connection()), CoreStore)
    with plain_connection(db_url) as connection:
        store = store_of(connection)
        assert isinstance(store, SqliteStore) and store_of(store) is store


def test_log_and_task_add_import_no_sqlalchemy(env: dict[str, str]) -> None:
    """The quick writes as whole processes: no SQLAlchemy, SQLModel, pydantic, models, phonenumbers or
    textual; what they wrote is read back by the usual commands."""
    watched = ("pydantic", "sqlmodel", "textual", "amtui.models", "sqlalchemy", "phonenumbers", "dateutil")
    # The client and the person are set up in this process; the quick writes are real processes.
    assert _in_process("client", "add", "ООО «Ромашка»", env=env).exit_code == 0
    assert _in_process("contact", "add", "1", "Иванов Иван", env=env).exit_code == 0
    assert _loaded(["log", "call", "1", "--note", "Договорились"], env, watched) == []
    assert _loaded(["log", "email", "ромашка", "--at", "today 08:00"], env, watched) == []
    # The first check of a working day in a year builds the holiday list (the holidays library, which
    # loads dateutil) and keeps it in the user's cache; later runs read the cache.
    assert _amtui("task", "add", "Отправить КП", "--due", "fri", "--client=1", env=env).returncode == 0
    assert _loaded(["task", "add", "Отправить КП", "--due", "fri", "--client=1"], env, watched) == []
    assert _loaded(["task", "add", "Позвонить", "--due", "+3d", "--assignee", "Петров"], env, watched) == []
    # Naming the people goes through the ORM (same rules): it still works.
    assert "textual" not in _loaded(["log", "meeting", "1", "--contact", "Иванов"], env, watched)
    # Read back in this process (the reads' own processes are tested in test_card_reads.py).
    timeline = _in_process("client", "show", "1", env=env)
    assert timeline.exit_code == 0, timeline.output
    assert "Договорились" in timeline.stdout and "Отправить КП" in timeline.stdout
    tasks = _in_process("task", "list", env=env)
    assert "Позвонить" in tasks.stdout and "Петров" in tasks.stdout
    # A refused write is one error line, exit 1, and nothing is written.
    refused = _amtui("log", "call", "999", env=env)
    assert refused.returncode == 1 and refused.stderr.startswith("amtui: error: no client matches '999'")
    assert "Traceback" not in refused.stderr
    bad = _amtui("task", "add", "Счёт\x07", "--due", "fri", env=env)
    assert bad.returncode == 1 and "control character" in bad.stderr and "Traceback" not in bad.stderr
    listed = _in_process("task", "list", "--json", env=env)
    assert listed.stdout.count('"title"') == 3


def test_an_old_schema_is_upgraded_before_a_quick_write_and_a_typo_is_refused(
    env: dict[str, str], tmp_path: Path
) -> None:
    """The plain path writes only a database at the current schema: an older one is upgraded by the
    engine first (then written), a mistyped --db is an error, not a new database."""
    from amtui.db import make_engine, upgrade
    from amtui.migrations import SCHEMA_HEAD
    from tests.test_upgrade import OLD

    old = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{old}")
    upgrade(engine, OLD)
    engine.dispose()
    with contextlib.closing(sqlite3.connect(old)) as connection, connection:
        stamp = "2026-01-01 00:00:00.000000"
        connection.execute(
            "INSERT INTO client (id, name, name_folded, tier, status, currency, created_at, updated_at) "
            "VALUES (1, 'Acme', 'acme', 'A', 'active', 'RUB', ?, ?)",
            (stamp, stamp),
        )
    for args in (["log", "call", "1"], ["task", "add", "Счёт", "--due", "fri", "--client", "acme"]):
        done = _amtui("--db", str(old), *args, env=env)
        assert done.returncode == 0, done.stderr
    with contextlib.closing(sqlite3.connect(old)) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (SCHEMA_HEAD,)
        assert connection.execute("SELECT count(*) FROM interaction").fetchone() == (1,)
        assert connection.execute("SELECT title, client_id FROM task").fetchall() == [("Счёт", 1)]
    assert list(tmp_path.glob("old.db.before-*.bak")), "the upgrade kept a backup"
    typo = tmp_path / "typo.db"
    for args in (["log", "call", "1"], ["task", "add", "Счёт", "--due", "fri"]):
        refused = _amtui("--db", str(typo), *args, env=env)
        assert refused.returncode == 1 and "no such database" in refused.stderr, refused.stderr
    assert not typo.exists()
