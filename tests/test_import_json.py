"""``amtui import KIND FILE.json``: JSON as amtui exports it and as others write it; broken JSON and records."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any


def rows(db_path: Path, sql: str) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(db_path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def write_json(path: Path, data: Any, *, encoding: str = "utf-8", indent: int | None = 2) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=indent), encoding=encoding)
    return path


def test_json_is_detected_by_content_and_typed_values_come_through(cli, db_path: Path, tmp_path: Path) -> None:
    clients = write_json(
        tmp_path / "clients.txt",  # the name says nothing: the content does
        [
            {"Наименование": "ООО «Ромашка»", "ИНН": "7707083893", "Город": "Казань", "tier": "a",
             "credit_limit": {"amount": "412500.50", "minor": 41250050}, "payment_terms_days": 30, "discount": "5"},
            {"name": "Acme GmbH", "credit_limit": 1500.5, "annual_potential": 2000000, "phone": None},
        ],
    )  # fmt: skip
    result = cli("import", "clients", str(clients))
    assert result.exit_code == 0, result.output
    assert "(json" in result.output and "2 created" in result.output
    assert rows(
        db_path,
        "SELECT name, tax_id, city, tier, credit_limit_minor, payment_terms_days, discount_bp, annual_potential_minor "
        "FROM client ORDER BY id",
    ) == [
        ("ООО «Ромашка»", "7707083893", "Казань", "A", 41250050, 30, 500, None),
        ("Acme GmbH", None, None, "B", 150050, None, None, 200000000),
    ]
    contacts = write_json(
        tmp_path / "contacts.json",
        [{"full_name": "Иванов Иван", "client": "Ромашка", "phone": ["+7 916 111-22-33", "8 (495) 123-45-67"],
          "email": "ivanov@romashka.ru ::: i.ivanov@gmail.com", "birthday": "--03-12"}],
        encoding="utf-16",
    )  # fmt: skip
    result = cli("import", "contacts", str(contacts))
    assert result.exit_code == 0, result.output
    assert rows(db_path, "SELECT full_name, birthday_md, birthday_year, client_id FROM contact") == [
        ("Иванов Иван", "03-12", None, 1)
    ]
    assert rows(db_path, "SELECT kind, value FROM contact_method ORDER BY position") == [
        ("phone", "+79161112233"),  # stored as E.164 (phonenumbers, region RU)
        ("phone", "+74951234567"),
        ("email", "ivanov@romashka.ru"),
        ("email", "i.ivanov@gmail.com"),
    ]
    interactions = write_json(
        tmp_path / "calls.json",
        [{"client": "Acme GmbH", "kind": "call", "planned_at": "2026-11-26T10:00:00+03:00", "duration": 45,
          "needs_reply": True, "subject": "Цены на 2027"}],
    )  # fmt: skip
    assert cli("import", "interactions", str(interactions)).exit_code == 0
    assert rows(db_path, "SELECT kind, status, planned_at, duration_min, needs_reply, subject FROM interaction") == [
        ("call", "planned", "2026-11-26 07:00:00.000000", 45, 1, "Цены на 2027")
    ]
    again = cli("import", "interactions", str(interactions))
    assert "0 created, 0 updated, 1 unchanged" in again.output


def test_broken_json_is_one_error_with_its_line(cli, db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[\n  {"name": "Acme"},\n  {"name": "Beta"}\n  {"name": "Gamma"}\n]\n', encoding="utf-8")
    result = cli("import", "clients", str(path))
    assert result.exit_code == 1
    assert f"amtui: error: {path}:4: not valid JSON: expected ',' or ']' after record 2" in result.output
    assert "Traceback" not in result.output
    assert rows(db_path, "SELECT count(*) FROM client") == [(0,)]

    path.write_text('[\n  {"name": "Acme",\n   "city": "Tver"\n', encoding="utf-8")
    result = cli("import", "clients", str(path))
    assert result.exit_code == 1
    assert f"{path}:2: not valid JSON: the file ends inside record 1 (truncated?)" in result.output, result.output

    path.write_text('{"clients": [{"name": "Acme"}]}', encoding="utf-8")
    result = cli("import", "clients", str(path))
    assert result.exit_code == 1 and "a JSON object; expected a list of records" in result.output
    assert rows(db_path, "SELECT count(*) FROM client") == [(0,)]


def test_ill_shaped_records_are_reported_by_number_and_field(cli, db_path: Path, tmp_path: Path) -> None:
    path = write_json(
        tmp_path / "odd.json",
        [{"name": "Acme"}, 5, {"name": ["Beta", "Gamma"]}, {"name": "Delta", "credit_limit": {"rub": 1}},
         {"name": "Epsilon", "credit_limit": "много"}, {"name": "Zeta"}],
    )  # fmt: skip
    result = cli("import", "clients", str(path))
    assert result.exit_code == 1
    assert f"{path}:record 2: record: expected an object of field: value, found a number" in result.output
    assert f"{path}:record 3: name: expected text, a number, true/false or null, found a list" in result.output
    assert f"{path}:record 4: credit_limit: expected text, a number, true/false or null, found an object" in (
        result.output
    )
    assert f"{path}:record 5: credit_limit: 'много' is not an amount" in result.output
    assert "Traceback" not in result.output
    assert rows(db_path, "SELECT count(*) FROM client") == [(0,)]

    skipped = cli("import", "clients", str(path), "--skip-bad")
    assert skipped.exit_code == 0, skipped.output
    assert rows(db_path, "SELECT name FROM client ORDER BY id") == [("Acme",), ("Zeta",)]
    rejects = path.with_name("odd.json.rejects.csv").read_text(encoding="utf-8-sig")
    assert "record 5" in rejects and "много" in rejects


def test_large_json_streams_across_chunks_and_counts_lines(cli, db_path: Path, tmp_path: Path) -> None:
    # About 3 MB: records cross the reader's 1 MB chunks; a mistake near the end is found on its own line.
    records = [{"name": f"ООО «Фирма {index}»", "city": "Москва", "needs": "x" * 40} for index in range(20_000)]
    path = write_json(tmp_path / "big.json", records)
    result = cli("import", "clients", str(path))
    assert result.exit_code == 0, result.output
    assert "20000 created" in result.output
    assert rows(db_path, "SELECT count(*), count(DISTINCT name_folded) FROM client") == [(20_000, 20_000)]
    text = path.read_text(encoding="utf-8")
    broken = text[: text.rindex('"city"')] + '"city" "Тверь"' + text[text.rindex('"city"') + len('"city": ') + 8 :]
    path.write_text(broken, encoding="utf-8")
    line = broken[: broken.rindex('"city" "Тверь"')].count("\n") + 1
    result = cli("import", "clients", str(path))
    assert result.exit_code == 1
    assert f"{path}:{line}: not valid JSON: Expecting ':' delimiter" in result.output, result.output


def test_bracketed_csv_headers_are_not_json_and_an_empty_list_is_no_records(cli, db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "brackets.csv"
    path.write_text("[Name],[City]\nAcme,Tver\n", encoding="utf-8")
    result = cli("import", "clients", str(path), "--map", "[Name]=name", "--map", "[City]=city")
    assert result.exit_code == 0, result.output
    assert "(csv" in result.output
    assert rows(db_path, "SELECT name, city FROM client") == [("Acme", "Tver")]
    empty = write_json(tmp_path / "empty.json", [])
    result = cli("import", "clients", str(empty))
    assert result.exit_code == 0 and "0 created, 0 updated, 0 unchanged, 0 rejected" in result.output
