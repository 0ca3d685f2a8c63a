"""The hostile-text corpus (tests/hostile, written by make_corpus.py): every file imports without a
traceback, stores each name cleaned as expected.json says, says what it removed, and nothing raw
comes out when the records are listed, shown or exported again."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(__file__).parent / "hostile"
EXPECTED: dict[str, Any] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
FILES = sorted(name for name in EXPECTED if name != "categories")
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
LIST_COMMANDS = {
    "clients": [("client", "list"), ("client", "show", "1"), ("digest",), ("alerts",)],
    "contacts": [("contact", "list", "1"), ("client", "show", "1"), ("search", "org")],
    "interactions": [("planned", "list", "--days", "60"), ("today",), ("client", "show", "1")],
}


def test_the_corpus_is_current() -> None:
    """The committed files are what make_corpus.py writes (edit the script, not the files)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.expected() == EXPECTED
    assert (CORPUS / "clients.csv").read_bytes() == module.clients_csv()
    assert (CORPUS / "contacts.vcf").read_bytes() == module.contacts_vcf()
    assert (CORPUS / "interactions.ics").read_bytes() == module.interactions_ics()


@pytest.mark.parametrize("name", FILES)
def test_hostile_file_imports_cleaned_and_prints_safely(cli, db_path: Path, tmp_path: Path, name: str) -> None:
    case = EXPECTED[name]
    for setup in case.get("setup", []):
        assert cli(*setup).exit_code == 0
    result = cli("import", case["kind"], str(CORPUS / name), *case.get("options", []))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert not RAW_CONTROL.search(result.output), result.output
    assert "removed U+" in result.output  # the user is told what was taken out
    connection = sqlite3.connect(db_path)
    try:
        stored = [list(row) for row in connection.execute(case["query"])]
        every_text = [
            value
            for table in ("client", "contact", "interaction", "contact_method")
            for row in connection.execute(f"SELECT * FROM {table}")
            for value in row
            if isinstance(value, str)
        ]
    finally:
        connection.close()
    assert stored == case["rows"]
    multi_line = {"first\nsecond[2J\nthird\nfourth"}
    assert not [value for value in every_text if RAW_CONTROL.search(value) and value not in multi_line]
    for command in LIST_COMMANDS[case["kind"]]:
        shown = cli(*command)
        assert shown.exit_code == 0, (command, shown.output)
        assert not RAW_CONTROL.search(shown.output), (command, shown.output)
    export = tmp_path / f"again.{name.rsplit('.', 1)[1]}"
    kind = "planner" if case["kind"] == "interactions" else case["kind"]
    exported = cli("export", kind, "-o", str(export))
    assert exported.exit_code == 0, exported.output
    if export.suffix in (".vcf", ".ics", ".csv", ".json"):
        text = export.read_bytes().decode("utf-8-sig")
        lines = text.split("\r\n") if export.suffix in (".vcf", ".ics") else [text]
        assert not [line for line in lines if RAW_CONTROL.search(line.replace("\r\n", "\n"))]
