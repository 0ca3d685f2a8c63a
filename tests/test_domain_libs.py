"""Domain libraries instead of hand-written rules: tax ids (python-stdnum), phones (phonenumbers),
vCards (vobject); and the same validation whichever path a value comes in by."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from amtui.services.errors import ValidationError
from amtui.services.phones import clean_phone, display_phone
from amtui.services.text import check_tax_id

SAMPLES_NOTE = "the shared samples are imported in tests/test_import.py"


def rows(db_path: Path, sql: str) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(db_path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


# --- tax ids --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "region", "stored"),
    [
        ("7707083893", "RU", "7707083893"),  # INN of a company
        ("500100732259", "RU", "500100732259"),  # INN of a person
        ("1027700132195", "RU", "1027700132195"),  # OGRN
        ("IT 00743110157", "RU", "IT00743110157"),  # EU VAT with its prefix
        ("DE136695976", "RU", "DE136695976"),
        ("00743110157", "IT", "00743110157"),  # partita IVA for an Italian user
        ("RCCMNL83S18D969H", "RU", "RCCMNL83S18D969H"),  # codice fiscale
        ("US 12-3456789", "RU", "US 12-3456789"),  # another country's id is kept as typed
    ],
)
def test_tax_ids_checked_by_stdnum(value: str, region: str, stored: str) -> None:
    assert check_tax_id(value, region=region) == stored


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("123", "'123' is not an INN"),
        ("7707083894", "INN check digit does not match"),
        ("1027700132194", "OGRN check digit does not match"),
        ("IT00743110158", "EU VAT number check digit does not match"),
        ("RCCMNL83S18D969X", "codice fiscale check digit does not match"),
        ("00743110157", "is not an INN"),  # 11 digits are no INN for a Russian user
    ],
)
def test_bad_tax_ids_say_why(value: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        check_tax_id(value, region="RU")


def test_inn_123_is_refused_on_every_path(cli, db_path: Path, tmp_path: Path) -> None:
    """The issue: `client add --inn 123` was refused, yet an import accepted INN "123"."""
    for args in (("--inn", "123"), ("--tax-id", "123")):
        refused = cli("client", "add", "Y", *args)
        assert refused.exit_code == 1 and "'123' is not an INN" in refused.output, refused.output
    edited = cli("client", "edit", "Y", "--inn", "123")
    assert edited.exit_code == 1
    assert rows(db_path, "SELECT count(*) FROM client WHERE name = 'Y'") in ([(0,)], [])

    csv_path = tmp_path / "clients.csv"
    csv_path.write_text("name,inn,city\nГуд,7707083893,Москва\nБэд,123,Тверь\n", encoding="utf-8")
    json_path = tmp_path / "clients.json"
    json_path.write_text(json.dumps([{"name": "Гуд", "inn": "7707083893"}, {"name": "Бэд", "inn": "123"}]))
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Наименование", "ИНН"])
    workbook.active.append(["Гуд", "7707083893"])
    workbook.active.append(["Бэд", 123])
    xlsx_path = tmp_path / "clients.xlsx"
    workbook.save(xlsx_path)
    for path in (csv_path, json_path, xlsx_path):
        result = cli("import", "clients", str(path))
        assert result.exit_code == 1, result.output
        line = "record 2" if path is json_path else "3"
        assert f"{path}:{line}: tax_id: '123' is not an INN (10 or 12 digits)" in result.output, result.output
        assert "Traceback" not in result.output
        assert rows(db_path, "SELECT count(*) FROM client")[0][0] == 0  # nothing written
    skipped = cli("import", "clients", str(csv_path), "--skip-bad")
    assert skipped.exit_code == 0, skipped.output
    assert rows(db_path, "SELECT name, tax_id FROM client") == [("Гуд", "7707083893")]


def test_contacts_naming_a_client_by_a_bad_inn_are_refused(cli, db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text("full_name,client,client_tax_id\nИванов,Новая,7707083894\n", encoding="utf-8")
    result = cli("import", "contacts", str(path))
    assert result.exit_code == 1
    assert "INN check digit does not match" in result.output
    assert rows(db_path, "SELECT count(*) FROM contact")[0][0] == 0


# --- phones ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "region", "stored", "shown"),
    [
        ("8 (812) 555-12-34", "RU", "+78125551234", "+7 812 555-12-34"),
        ("+7 916 111 22 33", "RU", "+79161112233", "+7 916 111-22-33"),
        ("+7 495 123-45-67 доб. 123", "RU", "+74951234567;ext=123", "+7 495 123-45-67 ext. 123"),
        ("030 1234567", "DE", "+49301234567", "+49 30 1234567"),
        ("06 6982 1234", "IT", "+390669821234", "+39 06 6982 1234"),
        ("(415) 901-7000", "US", "+14159017000", "+1 415-901-7000"),
        # Not a number the library can place in the region: the user's text is kept, not guessed at.
        ("(415) 901-7000", "RU", "(415) 901-7000", "(415) 901-7000"),
        ("0012345", "RU", "0012345", "0012345"),
    ],
)
def test_phones_stored_as_e164_and_shown_international(typed: str, region: str, stored: str, shown: str) -> None:
    assert clean_phone(typed, region=region) == stored
    assert display_phone(stored) == shown
    assert clean_phone(shown, region=region) == stored  # what is shown reads back as the same number


@pytest.mark.parametrize("typed", ["pager", "+7 495 123-45-67, звоните после обеда", "=HYPERLINK(1)", "12"])
def test_text_that_is_no_phone_is_refused(typed: str) -> None:
    with pytest.raises(ValidationError, match="is not a phone number"):
        clean_phone(typed, region="RU")


def test_default_region_from_config_and_environment(cli, db_path: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import os

    Path(os.environ["AMTUI_CONFIG"]).write_text('region = "it"\n', encoding="utf-8")
    cli("client", "add", "Ferrero", "--phone", "06 6982 1234")
    monkeypatch.setenv("AMTUI_REGION", "DE")
    cli("contact", "add", "Ferrero", "Hans Bauer", "--phone", "030 1234567")
    assert rows(db_path, "SELECT phone FROM client") == [("+390669821234",)]
    assert rows(db_path, "SELECT value, value_norm FROM contact_method") == [("+49301234567", "49301234567")]
    shown = json.loads(cli("contact", "list", "Ferrero", "--json").output)
    assert [phone["value"] for phone in shown[0]["phones"]] == ["+49 30 1234567"]
    monkeypatch.setenv("AMTUI_REGION", "Narnia")
    bad = cli("client", "add", "Z", "--phone", "8 916 111 22 33")
    assert bad.exit_code == 1 and "region: expected a two-letter country code" in bad.output


def test_search_by_any_formatting_of_a_number(session) -> None:  # type: ignore[no-untyped-def]
    from amtui.services import clients, contacts
    from amtui.services.search import search

    client = clients.create_client(session=session, name="Ромашка")
    contacts.create_contact(session=session, client_id=client.id, full_name="Иванов", phones=["8 916 957-47-21"])
    contacts.create_contact(session=session, client_id=client.id, full_name="Петров", phones=["+7 495 000-11-22"])
    for query in ("+7 916 957-47-21", "8 (916) 957 47 21", "79169574721", "957 472", "957-47", "9169574721"):
        assert [hit.label for hit in search(session=session, text=query) if hit.kind == "contact"] == ["Иванов"], query


def test_import_and_cli_store_a_number_the_same_way(cli, db_path: Path, tmp_path: Path) -> None:
    cli("client", "add", "Ромашка")
    cli("contact", "add", "ромашка", "Иванов", "--phone", "8 (916) 111-22-33")
    path = tmp_path / "contacts.csv"
    path.write_text("full_name,client,phone\nПетров,Ромашка,+7 916 111 22 34\nСидоров,Ромашка,8-916-1112235\n")
    assert cli("import", "contacts", str(path)).exit_code == 0
    assert rows(db_path, "SELECT value FROM contact_method ORDER BY id") == [
        ("+79161112233",),
        ("+79161112234",),
        ("+79161112235",),
    ]


# --- vCard written by vobject: export, then import into an empty database -----------------------------


def test_vcard_round_trip_into_an_empty_database(cli, db_path: Path, tmp_path: Path) -> None:
    cli("client", "add", "ООО «Ромашка»")
    cli("client", "add", "Müller GmbH")
    added = [
        ("ООО «Ромашка»", "Иванов Иван Иванович", "--phone", "8 916 111-22-33", "--phone", "+7 495 123-45-67 доб. 12",
         "--email", "ivanov@romashka.ru", "--title", "Генеральный директор; совладелец", "--birthday", "12.03.1975"),
        ("ООО «Ромашка»", "Петрова Анна", "--email", "petrova@romashka.ru", "--birthday", "29.02",
         "--title", "Закупки, логистика и склад: Санкт-Петербург, Москва, Екатеринбург"),
        ("Müller GmbH", "Jürgen Müller", "--phone", "+49 30 1234567", "--email", "j.mueller@mueller.de"),
    ]  # fmt: skip
    for client, name, *options in added:
        result = cli("contact", "add", client, name, *options)
        assert result.exit_code == 0, result.output
    query = (
        "SELECT c.full_name, c.title, c.birthday_md, c.birthday_year, k.name, "
        "(SELECT group_concat(m.kind || '=' || m.value, ' ') FROM contact_method m WHERE m.contact_id = c.id) "
        "FROM contact c LEFT JOIN client k ON k.id = c.client_id ORDER BY c.full_name"
    )
    before = rows(db_path, query)
    assert len(before) == 3
    for version in ("4", "3"):
        path = tmp_path / f"book{version}.vcf"
        assert cli("export", "contacts", "-o", str(path), "--vcard-version", version).exit_code == 0
        text = path.read_bytes().decode("utf-8")
        assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))  # folded by octets
        assert "TEL:+7 916 111-22-33\r\n" in text and "TEL:+7 495 123-45-67 ext. 12\r\n" in text
        other = tmp_path / f"other{version}.db"
        from typer.testing import CliRunner

        from amtui.cli import app

        assert CliRunner().invoke(app, ["init", str(other)]).exit_code == 0  # a named database must exist
        result = CliRunner().invoke(app, ["--db", str(other), "import", "contacts", str(path)])
        assert result.exit_code == 0, result.output
        assert rows(other, query) == before, version


def test_vcard_export_uses_vobject() -> None:
    source = (Path(__file__).parents[1] / "amtui" / "formats" / "exporters.py").read_text(encoding="utf-8")
    assert "vobject.vCard()" in source and '"BEGIN:VCARD"' not in source


# --- lazy imports -----------------------------------------------------------------------------------


def test_help_and_alerts_import_neither_library(cli, db_path: Path) -> None:
    cli("client", "add", "Ромашка", "--phone", "8 495 123-45-67", "--inn", "7707083893")
    probe = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from amtui.cli import app\n"
        "assert CliRunner().invoke(app, ['--help']).exit_code == 0\n"
        f"assert CliRunner().invoke(app, ['--db', {str(db_path)!r}, 'digest']).exit_code == 0\n"
        f"assert CliRunner().invoke(app, ['--db', {str(db_path)!r}, 'alerts']).exit_code == 0\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('phonenumbers', 'stdnum'))\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_the_quick_reading_agrees_with_phonenumbers_parse() -> None:
    """clean_phone reads ``+7 495 ...`` and ``8 (495) ...`` without phonenumbers.parse (imports read a number a
    row); whatever it decides must be what the full parser decides."""
    import random

    import phonenumbers

    from amtui.services.phones import _parsed

    rng = random.Random(7)
    prefixes = ["+7", "+39", "+49", "+44", "+1", "+33", "+380", "8", "+7 (0", "+39 0", "+44 (0)", "+7 9", "8 9", "0"]
    texts = ["+44 (0) 20 7946 0018", "+39 06 6982 1234", "8 800 555-35-35", "+7 8 495 123-45-67"]
    for _ in range(1500):
        body = "".join(str(rng.randrange(10)) for _ in range(rng.randrange(6, 12)))
        texts.append(f"{rng.choice(prefixes)} {body[:3]} {body[3:6]}-{body[6:]}")
    for text in texts:
        for region in ("RU", "IT", "DE"):
            number = _parsed(text, region)
            expected = (
                text if number is None else phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            )
            assert clean_phone(text, region=region) == expected, (text, region)
            if number is not None:
                assert display_phone(expected) == phonenumbers.format_number(
                    number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
                )


def test_a_company_phone_that_is_no_number_is_skipped_with_a_warning(cli, db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "clients.csv"
    path.write_text(
        "name,phone\nРомашка,8 (495) 123-45-67 доб. 12\nВектор,звонить секретарю\nЛютик,(415) 901-7000\n",
        encoding="utf-8",
    )
    result = cli("import", "clients", str(path))
    assert result.exit_code == 0, result.output
    assert "warning:" in result.output and "'звонить секретарю' is not a phone number; skipped" in result.output
    assert rows(db_path, "SELECT name, phone FROM client ORDER BY id") == [
        ("Ромашка", "+74951234567;ext=12"),
        ("Вектор", None),
        ("Лютик", "(415) 901-7000"),  # not placeable in Russia: kept as written
    ]
    again = cli("import", "clients", str(path))
    assert "0 created, 0 updated, 3 unchanged" in again.output, again.output
    shown = json.loads(cli("client", "show", "ромашка", "--json").output)
    assert shown["client"]["phone"] == "+7 495 123-45-67 ext. 12"


def test_a_phones_key_is_its_digits_stored_or_typed() -> None:
    """phone_key takes a stored E.164 number's digits as they are: what the digits-only rule gives."""
    import re

    from amtui.services.phones import phone_key

    def digits_only(value: str) -> str:
        digits = re.sub(r"\D", "", value)
        return "7" + digits[1:] if len(digits) == 11 and digits.startswith("8") else digits

    values = ["+74951234567", "+84951234567", "+8495123456", "+849512345678", "+1", "+", "", "+٣٤٥٦", "+7 495"]
    values += ["8 (812) 555-12-34", "+7 495 123-45-67;ext=12", "+74951234567;ext=12", "+½3", "+²3"]
    for value in values:
        assert phone_key(value) == digits_only(value), value
