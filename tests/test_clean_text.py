"""``amtui db clean-text``: old bad text already stored is listed, then fixed in one transaction,
after a backup; the derived search columns follow."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from tests.test_hostile_text import RAW_CONTROL, poison, rows


def _bad_database(cli: Any, db_path: Path) -> None:
    assert cli("client", "add", "Acme").exit_code == 0
    assert cli("client", "add", "Clean Co").exit_code == 0
    assert cli("contact", "add", "Acme", "Ivan", "--email", "ivan@acme.example").exit_code == 0
    assert cli("task", "add", "Chase", "--client", "Acme", "--due", "20.11.2026").exit_code == 0
    poison(
        db_path, "UPDATE client SET name = ?, address = ? WHERE id = 1", "Ev\x1b]0;X\x07il\u202e Co\u2028", "a\r\nb\x1b"
    )
    poison(db_path, "UPDATE contact SET full_name = ? WHERE id = 1", "Iv\x9ban\nPetrov")
    poison(db_path, "UPDATE contact_method SET value = ? WHERE id = 1", "IVAN@acme.example\x00")
    poison(db_path, "UPDATE task SET title = ? WHERE id = 1", "\x1b\x07\u202e")


def _everything(db_path: Path) -> list[Any]:
    connection = sqlite3.connect(db_path)
    try:
        tables = [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return [(table, connection.execute(f'SELECT * FROM "{table}"').fetchall()) for table in sorted(tables)]
    finally:
        connection.close()


def test_dry_run_lists_every_bad_value_and_writes_nothing(cli: Any, db_path: Path) -> None:
    _bad_database(cli, db_path)
    before = _everything(db_path)
    result = cli("db", "clean-text", "--dry-run")
    assert result.exit_code == 0, result.output
    assert RAW_CONTROL.search(result.output.replace("\n", " ")) is None
    for where in ("client 1 name", "client 1 address", "contact 1 full_name", "contact_method 1 value", "task 1 title"):
        assert where in result.output, result.output
    assert "client 2" not in result.output
    assert "U+001B ESC" in result.output and "U+202E RLO" in result.output and "U+009B CSI" in result.output
    assert "5 values would be fixed; nothing was written" in result.output
    assert _everything(db_path) == before
    assert not list(db_path.parent.glob("*.before-clean-text-*.bak"))


def test_clean_text_fixes_every_column_after_a_backup(cli: Any, db_path: Path) -> None:
    _bad_database(cli, db_path)
    result = cli("db", "clean-text")
    assert result.exit_code == 0, result.output
    assert "5 values fixed." in result.output
    backups = list(db_path.parent.glob("*.before-clean-text-*.bak"))
    assert len(backups) == 1 and backups[0].stat().st_mode & 0o777 == 0o600
    assert f"Backup: {backups[0]}" in result.output
    # The backup holds the old values, the database the fixed ones.
    assert rows(backups[0], "SELECT name FROM client WHERE id = 1") == [("Ev\x1b]0;X\x07il\u202e Co\u2028",)]
    assert rows(db_path, "SELECT name, name_folded, address FROM client ORDER BY id") == [
        ("Ev]0;Xil Co", "ev]0;xil co", "a\nb"),
        ("Clean Co", "clean co", None),
    ]
    assert rows(db_path, "SELECT full_name, full_name_folded FROM contact") == [("Ivan Petrov", "ivan petrov")]
    assert rows(db_path, "SELECT value, value_norm FROM contact_method") == [("IVAN@acme.example", "ivan@acme.example")]
    assert rows(db_path, "SELECT title FROM task") == [("\ufffd",)]  # nothing left: a visible mark
    # Search finds the fixed name by its folded form; a second run has nothing to do.
    assert "Ev]0;Xil Co" in cli("search", "xil").output
    again = cli("db", "clean-text")
    assert again.exit_code == 0 and "No stored text holds control characters" in again.output
    assert len(list(db_path.parent.glob("*.before-clean-text-*.bak"))) == 1


def test_clean_text_json(cli: Any, db_path: Path) -> None:
    _bad_database(cli, db_path)
    result = cli("db", "clean-text", "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["written"] is False and report["backup"] is None
    fixes = {(fix["table"], fix["column"]): fix for fix in report["fixes"]}
    assert fixes["contact", "full_name"]["before"] == "Iv\x9ban\nPetrov"  # the data, as JSON escapes
    assert fixes["contact", "full_name"]["after"] == "Ivan Petrov"
    assert fixes["contact", "full_name"]["removed"] == ["U+009B CSI", "U+000A LF"]  # in the order found
