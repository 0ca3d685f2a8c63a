"""Imports in flat memory (issue 15): rows are kept only until their batch is written and the match keys
live in a temporary SQLite table, so a row that matches a record written in an earlier batch reads it
back from the database. Tiny batches (2 rows) must give exactly what one big batch gives."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.test_import import write_csv

CLIENTS = [
    ["Наименование", "ИНН", "Город", "Телефон"],
    ["ООО «Альфа»", "7701234560", "Москва", ""],
    ["Бета", "", "Тверь", "+7 495 123-45-67"],
    ["Гамма", "", "", ""],
    ["Альфа", "", "Казань", ""],  # the name without its legal form: row 1, a batch back
    ["Бета", "", "", ""],  # nothing new: empty cells never blank a stored value
    ["АО Гамма", "", "Омск", ""],
    ["Дельта", "7701234560", "", "8 (812) 000-11-22"],  # Альфа's INN: Альфа again
    ["Эпсилон", "", "Сочи", ""],
]
CONTACTS = [
    ["Name", "E-mail", "Company", "Phone"],
    ["Иван Петров", "ivan@example.ru", "Альфа", ""],
    ["Мария", "maria@example.ru", "Бета", ""],
    ["Ivan P.", "IVAN@example.ru", "Альфа", "+7 916 000-00-01"],  # Иван by his e-mail, a batch later
    ["Олег", "", "Новая фирма", ""],  # creates its client
    ["Олег", "oleg@example.ru", "Новая фирма", ""],  # the same person of the same client
]


def table(db_path: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db_path) as connection:
        return connection.execute(sql).fetchall()


def snapshot(db_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    return {
        "client": table(db_path, "SELECT id, name, name_folded, tax_id, city, phone FROM client ORDER BY id"),
        "contact": table(db_path, "SELECT id, client_id, full_name FROM contact ORDER BY id"),
        "method": table(db_path, "SELECT contact_id, kind, value_norm, position FROM contact_method ORDER BY id"),
    }


def run_imports(cli: Any, tmp_path: Path) -> list[str]:
    outputs = []
    for kind, rows in (("clients", CLIENTS), ("contacts", CONTACTS), ("clients", CLIENTS)):
        result = cli("import", kind, str(write_csv(tmp_path / f"{kind}.csv", rows, delimiter=";")))
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    return outputs


# Fresh keys go to the key table after every batch (1), after a few (3: kept in memory across batches
# first), or never in these small files (the default); 2 key rows a statement, and the rest one by one.
SPILLS = [1, 3, None]


@pytest.mark.parametrize("spill_keys", SPILLS)
def test_tiny_batches_match_across_batches_as_one_batch_does(
    cli: Any, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spill_keys: int | None
) -> None:
    one_batch = run_imports(cli, tmp_path)
    expected = snapshot(db_path)
    for path in db_path.parent.glob(f"{db_path.name}*"):
        path.unlink()
    monkeypatch.setattr("amtui.formats.importer.BATCH_ROWS", 2)
    monkeypatch.setattr("amtui.formats.importer.SPILL_ROWS", 2)
    if spill_keys is not None:
        monkeypatch.setattr("amtui.formats.importer.SPILL_KEYS", spill_keys)
    assert run_imports(cli, tmp_path) == one_batch
    assert snapshot(db_path) == expected
    # What the import did before issue 15 (all rows in memory), on the same three files.
    clients = [(id_, name, tax, city) for id_, name, _folded, tax, city, _phone in expected["client"]]
    assert clients == [
        (1, "Дельта", "7701234560", "Москва"),
        (2, "Бета", None, "Тверь"),
        (3, "АО Гамма", None, "Омск"),
        (4, "Эпсилон", None, "Сочи"),
        (5, "Альфа", None, "Казань"),  # made by the contacts: client 1 was renamed Дельта by then
        (6, "Новая фирма", None, None),
    ]
    assert expected["contact"] == [(1, 5, "Ivan P."), (2, 2, "Мария"), (3, 6, "Олег")]
    assert expected["method"] == [
        (1, "email", "ivan@example.ru", 0),
        (2, "email", "maria@example.ru", 0),
        (1, "phone", "79160000001", 1),
        (3, "email", "oleg@example.ru", 0),
    ]
    assert "4 created, 3 updated, 1 unchanged" in one_batch[0]
    assert "3 created, 2 updated, 0 unchanged" in one_batch[1]
    assert "0 created, 5 updated, 3 unchanged" in one_batch[2]


@pytest.mark.parametrize("spill_keys", SPILLS)
def test_failed_and_dry_imports_write_nothing_with_tiny_batches(
    cli: Any, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spill_keys: int | None
) -> None:
    monkeypatch.setattr("amtui.formats.importer.BATCH_ROWS", 2)
    monkeypatch.setattr("amtui.formats.importer.SPILL_ROWS", 2)
    if spill_keys is not None:
        monkeypatch.setattr("amtui.formats.importer.SPILL_KEYS", spill_keys)
    good = write_csv(tmp_path / "good.csv", CLIENTS, delimiter=";")
    dry = cli("import", "clients", str(good), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "4 created, 3 updated, 1 unchanged" in dry.output  # matched in memory: nothing was written to read back
    assert table(db_path, "SELECT count(*) FROM client") == [(0,)]
    # A bad row after three batches were sent: the whole import is rolled back.
    bad = write_csv(tmp_path / "bad.csv", [*CLIENTS, ["Зета", "12", "", ""]], delimiter=";")
    failed = cli("import", "clients", str(bad))
    assert failed.exit_code == 1
    assert table(db_path, "SELECT count(*) FROM client") == [(0,)]
    # The next import on the same database starts clean (its key table is made afresh).
    again = cli("import", "clients", str(good))
    assert again.exit_code == 0, again.output
    assert table(db_path, "SELECT count(*) FROM client") == [(4,)]
    assert table(db_path, "SELECT name FROM sqlite_master WHERE name LIKE 'amtui_import_keys%'") == []


def test_an_import_killed_after_batches_were_written_leaves_the_database_as_it_was(
    cli: Any, db_path: Path, tmp_path: Path
) -> None:
    """Batches go to the database as the file is read, all inside one transaction: a kill -9 once
    several were written (the WAL file grows) leaves the database as it was before the import."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from tests.conftest import FROZEN_NOW

    db = db_path
    env = {**os.environ, "AMTUI_NOW": FROZEN_NOW.isoformat()}
    # The database as `amtui init` leaves it, and a client, written in this process: the import is the subject.
    assert cli("client", "add", "Ромашка").exit_code == 0
    rows = [["Наименование", "Город", "Email"]]
    rows += [[f"ООО «Компания {index}»", "Тверь", f"info{index}@firm{index}.ru"] for index in range(100_000)]
    source = write_csv(tmp_path / "clients.csv", rows, delimiter=";")
    process = subprocess.Popen(
        [sys.executable, "-m", "amtui", "--db", str(db), "import", "clients", str(source)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    wal = Path(f"{db}-wal")
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > 2_000_000:  # some batches of 5,000 rows written
            break
        time.sleep(0.01)
    assert process.poll() is None, "the import ended before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT name FROM client").fetchall() == [("Ромашка",)]
    connection.close()


@pytest.mark.parametrize(("spill_rows", "spill_keys"), [(2, 1), (3, 4), (250, 100_000)])
def test_the_key_table_answers_as_a_dict_does(
    monkeypatch: pytest.MonkeyPatch, spill_rows: int, spill_keys: int
) -> None:
    """SpilledKeys against a dict: the first record keeps a key, a key two stored records have is shared,
    whether the keys are in memory, in the table (written many rows a statement, the rest one by one),
    or written on the way."""
    import random

    from amtui.formats.importer import SpilledKeys

    monkeypatch.setattr("amtui.formats.importer.SPILL_ROWS", spill_rows)
    monkeypatch.setattr("amtui.formats.importer.SPILL_KEYS", spill_keys)
    rng = random.Random(spill_rows)
    connection = sqlite3.connect(":memory:")
    keys = SpilledKeys(connection, "test_keys")
    stored = [(f"n\x1f{rng.randrange(40)}", record_id) for record_id in range(1, 60)]
    stored += [("n\x1f3", 7), ("n\x1f3", 7)]  # the same record twice: not shared
    model: dict[str, int] = {}
    ids: dict[str, set[int]] = {}
    for key, record_id in stored:
        model.setdefault(key, record_id)
        ids.setdefault(key, set()).add(record_id)
    keys.load(iter(stored))
    assert keys.shared() == {key for key, found in ids.items() if len(found) > 1}
    for step in range(400):
        key = f"n\x1f{rng.randrange(120)}"
        if step % 7 == 0:
            keys.prefetch(iter([key, f"n\x1f{rng.randrange(120)}"]))
        if step % 3 == 0:
            assert keys.get(key) == model.get(key)
            assert (key in keys) == (key in model)
        else:
            assert keys.setdefault(key, 1000 + step) == model.setdefault(key, 1000 + step)
        if step % 11 == 0:
            keys.spill(needed=step < 390)
            if step >= 390:  # the last rows: nothing is looked up after them
                break
    keys.drop()


def test_values_a_batch_shares_are_stored_as_bound_ones(
    cli: Any, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A value every row of a batch has is written into the INSERT statement instead of bound on each
    row: the stored rows (values and SQLite storage classes) are those binding gives."""
    header = ["name", "city", "cadence_days", "tier", "credit_limit", "discount", "needs"]
    same = ["St. John's «Нефть»", "14", "A", "1500.50", "2.5", "O'Reilly; '); DROP TABLE client; --"]
    rows = [header, *([f"Client {index}", *same] for index in range(4)), ["Client 4", "Тверь", "7", "B", "", "", ""]]
    source = write_csv(tmp_path / "shared.csv", rows)
    monkeypatch.setattr("amtui.formats.importer.BATCH_ROWS", 2)  # batches of 2 with all, and with some, shared
    columns: list[str] = []

    def imported() -> list[tuple[Any, ...]]:
        for path in db_path.parent.glob(f"{db_path.name}*"):
            path.unlink()
        result = cli("import", "clients", str(source))
        assert result.exit_code == 0, result.output
        columns[:] = [row[1] for row in table(db_path, "PRAGMA table_info(client)")]
        return table(
            db_path, f"SELECT {', '.join(f'{name}, typeof({name})' for name in columns)} FROM client ORDER BY id"
        )

    written = imported()
    monkeypatch.setattr("amtui.formats.importer._shared_literal", lambda column: None)
    assert written == imported()
    assert [row[columns.index("city") * 2] for row in written] == ["St. John's «Нефть»"] * 4 + ["Тверь"]
    assert table(db_path, "SELECT typeof(cadence_days), typeof(created_at) FROM client LIMIT 1") == [
        ("integer", "text")
    ]
