"""``amtui export``: CSV/XLSX/vCard/iCalendar/JSON, formula injection, and the round trip."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def table(db_path: Path, sql: str) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(db_path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


# The filled database, made once per test process and copied for each test (its eight commands cost
# about a second of CPU, eleven times over).
_FILLED: dict[str, Path] = {}


@pytest.fixture
def filled(cli, tmp_path: Path, db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small book of business: clients, contacts, a planned visit and call, a contract, an invoice, a deal."""
    made = _FILLED.get("db")
    if made is not None:
        shutil.copyfile(made, db_path)
        db_path.chmod(0o600)
        return tmp_path
    _fill(cli, tmp_path)
    copy = tmp_path_factory.mktemp("filled") / "filled.db"
    source, target = sqlite3.connect(db_path), sqlite3.connect(copy)
    try:
        source.backup(target)  # what the WAL holds too
    finally:
        source.close()
        target.close()
    _FILLED["db"] = copy
    return tmp_path


def _fill(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("import", "clients", str(FIXTURES / "clients_cp1251.csv")).exit_code == 0
    assert cli("import", "contacts", str(FIXTURES / "contacts_cp1251.csv")).exit_code == 0
    # A phone is checked (phonenumbers) and a formula is no phone: the website is free text.
    assert cli("client", "edit", "Ромашка", "--website", '=HYPERLINK("http://evil")').exit_code == 0
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "i.csv").write_text(
        "client,kind,planned_at,duration,place,subject\n"
        'Ромашка,visit,2026-11-27 11:00,90,"Москва, ул. Ленина 1",Переговоры по цене\n'
        "Вектор,call,2026-11-26 10:00,,,@SUM(1+1)\n",
        encoding="utf-8",
    )
    (extra / "c.csv").write_text(
        'client,number,start_on,end_on,value,auto_renew\nРомашка,Д-1,01.01.2026,31.12.2026,"1 200 000,50",да\n',
        encoding="utf-8",
    )
    (extra / "inv.csv").write_text(
        'client,contract,number,issued_on,due_on,amount,paid\nРомашка,Д-1,СЧ-1,01.11.2026,15.11.2026,"412 500,50",0\n',
        encoding="utf-8",
    )
    (extra / "d.csv").write_text(
        "client,title,stage,amount,probability,expected_close\nВектор,-Upsell 2027,proposal,50000,40,2026-12-20\n",
        encoding="utf-8",
    )
    (extra / "t.csv").write_text(
        "client,title,due_on,priority\nРомашка,Отправить КП,01.12.2026,high\n", encoding="utf-8"
    )
    for kind, name in (("interactions", "i"), ("contracts", "c"), ("invoices", "inv"), ("deals", "d"), ("tasks", "t")):
        result = cli("import", kind, str(extra / f"{name}.csv"))
        assert result.exit_code == 0, result.output


def test_csv_has_bom_and_neutralises_formulas(cli, filled: Path) -> None:
    path = filled / "clients.csv"
    assert cli("export", "clients", "-o", str(path)).exit_code == 0
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    assert "412500.50" in text
    contacts = cli("export", "contacts").stdout
    assert "'+7 916 111-22-33" in contacts  # Excel would read +7... as a formula too


def test_excel_csv_uses_semicolons_and_decimal_commas(cli, filled: Path) -> None:
    result = cli("export", "invoices", "--excel")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("external_id;client;")
    assert ";412500,50;0,00;RUB;" in lines[1] and ";01.11.2026;15.11.2026;" in lines[1]


def test_xlsx_typed_cells_widths_and_text_formulas(cli, filled: Path) -> None:
    from openpyxl import load_workbook

    path = filled / "out.xlsx"
    assert cli("export", "clients", "-o", str(path)).exit_code == 0
    sheet = load_workbook(path).active
    headers = [cell.value for cell in sheet[1]]
    by_name = {row[headers.index("name")].value: row for row in sheet.iter_rows(min_row=2)}
    row = {headers[i]: cell for i, cell in enumerate(by_name["ООО «Ромашка»"])}
    assert row["name"].value == "ООО «Ромашка»"
    assert row["credit_limit"].data_type == "n" and float(row["credit_limit"].value) == 412500.5
    assert row["website"].data_type == "s" and row["website"].value == '=HYPERLINK("http://evil")'
    assert sheet.column_dimensions["B"].width > 10
    path = filled / "inv.xlsx"
    assert cli("export", "invoices", "-o", str(path)).exit_code == 0
    sheet = load_workbook(path).active
    headers = [cell.value for cell in sheet[1]]
    issued = sheet[2][headers.index("issued_on")]
    assert issued.is_date and issued.value.year == 2026


def test_vcard_4_and_3_parse_and_reimport(cli, filled: Path, tmp_path: Path) -> None:
    import vobject

    for version in ("4", "3"):
        path = filled / f"contacts{version}.vcf"
        assert cli("export", "contacts", "-o", str(path), "--vcard-version", version).exit_code == 0
        cards = list(vobject.readComponents(path.read_text(encoding="utf-8")))
        assert [card.fn.value for card in cards] == ["Иванов Иван Иванович", "Петрова Анна"]
        assert cards[0].org.value == ["ООО «Ромашка»"]
        assert cards[0].tel.value == "+7 916 111-22-33"
        assert cards[1].bday.value in ("--0228", "1604-02-28")
    other_db = tmp_path / "other.db"
    from typer.testing import CliRunner

    from amtui.cli import app

    assert CliRunner().invoke(app, ["init", str(other_db)]).exit_code == 0
    result = CliRunner().invoke(app, ["--db", str(other_db), "import", "contacts", str(filled / "contacts3.vcf")])
    assert result.exit_code == 0, result.output
    assert table(other_db, "SELECT full_name, birthday_md, birthday_year FROM contact ORDER BY id") == [
        ("Иванов Иван Иванович", "03-12", 1975),
        ("Петрова Анна", "02-28", None),
    ]


def test_planner_ics_parses_with_zone_alarm_and_description(cli, filled: Path) -> None:
    import icalendar

    path = filled / "planner.ics"
    result = cli("export", "planner", "-o", str(path))
    assert result.exit_code == 0, result.output
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert [str(event["SUMMARY"]) for event in events] == [
        'АО "Вектор": @SUM(1+1)',
        "ООО «Ромашка»: Переговоры по цене",
    ]
    visit = events[1]
    assert visit["DTSTART"].params["TZID"] == "Europe/Moscow"
    assert visit["DTSTART"].dt.hour == 11
    assert (visit["DTEND"].dt - visit["DTSTART"].dt).total_seconds() == 90 * 60
    assert str(visit["LOCATION"]) == "Москва, ул. Ленина 1"
    description = str(visit["DESCRIPTION"])
    assert "Client: ООО «Ромашка»" in description and "Иванов Иван Иванович +7 916 111-22-33" in description
    alarms = list(visit.walk("VALARM"))
    assert alarms and alarms[0]["TRIGGER"].dt.total_seconds() == -15 * 60
    assert any(component.name == "VTIMEZONE" for component in calendar.subcomponents)
    # And it imports back as the same planned interactions.
    result = cli("import", "interactions", str(path), "--from", "2026-11-01", "--to", "2026-12-31")
    assert "0 created" in result.output and "2 unchanged" in result.output, result.output


KHAL_CONFIG = """\
[calendars]
[[work]]
path = {calendar}
type = calendar

[sqlite]
path = {cache}

[locale]
local_timezone = Asia/Yekaterinburg
default_timezone = Asia/Yekaterinburg
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M

[default]
default_calendar = work
"""


def test_planner_imports_into_khal(cli, filled: Path, tmp_path: Path) -> None:
    """A real calendar program (khal, from PyPI) imports the planner; it shows the events in its own zone."""
    path = filled / "planner.ics"
    assert cli("export", "planner", "-o", str(path)).exit_code == 0
    calendar = tmp_path / "khal" / "work"
    calendar.mkdir(parents=True)
    config = tmp_path / "khal" / "config"
    config.write_text(KHAL_CONFIG.format(calendar=calendar, cache=tmp_path / "khal" / "cache.db"), encoding="utf-8")

    def khal(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "khal", "-c", str(config), *args], capture_output=True, text=True, timeout=120,
            check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    khal("import", "--batch", str(path))
    assert len(list(calendar.glob("*.ics"))) == 2
    listing = khal("list", "--format", "{start} {end} | {title} | {location}", "2026-11-26", "3d")
    events = [line for line in listing.splitlines() if " | " in line]
    # Moscow 10:00 and 11:00-12:30 are 12:00 and 13:00-14:30 in Yekaterinburg (UTC+5): the zone came through.
    assert events == [
        '2026-11-26 12:00 2026-11-26 12:30 | АО "Вектор": @SUM(1+1) | ',  # a call: 30 minutes by default
        "2026-11-27 13:00 2026-11-27 14:30 | ООО «Ромашка»: Переговоры по цене | Москва, ул. Ленина 1",
    ], listing
    # Importing the same file again updates the same events (stable UIDs), it does not add copies.
    khal("import", "--batch", str(path))
    assert len(list(calendar.glob("*.ics"))) == 2


def test_json_export(cli, filled: Path) -> None:
    result = cli("export", "invoices", "--format", "json")
    data = json.loads(result.stdout)
    assert data[0]["number"] == "СЧ-1" and data[0]["amount"] == {"amount": "412500.50", "minor": 41250050}
    assert data[0]["issued_on"] == "2026-11-01" and data[0]["contract"] == "Д-1"
    contacts = json.loads(cli("export", "contacts", "--format", "json").stdout)
    ivanov = next(contact for contact in contacts if contact["full_name"] == "Иванов Иван Иванович")
    assert ivanov["phone"] == ["+7 916 111-22-33"] and ivanov["birthday"] == "1975-03-12"
    planned = json.loads(cli("export", "interactions", "--format", "json").stdout)
    assert [(item["kind"], item["planned_at"]) for item in planned] == [
        ("call", "2026-11-26T10:00:00+03:00"),
        ("visit", "2026-11-27T11:00:00+03:00"),
    ]
    assert json.loads(cli("export", "deals", "--format", "json").stdout)[0]["probability"] == 40


KINDS_IN_ORDER = ("clients", "contacts", "contracts", "invoices", "deals", "tasks", "interactions")
COMPARED = {
    "client": "name, legal_name, tax_id, tier, status, city, phone, email, credit_limit_minor, payment_terms_days, "
    "discount_bp, currency",
    "contact": "full_name, title, birthday_md, birthday_year, (SELECT name FROM client WHERE id = client_id)",
    "contact_method": "kind, value, position",
    "contract": "number, start_on, end_on, auto_renew, value_minor",
    "invoice": "number, issued_on, due_on, amount_minor, paid_minor, "
    "(SELECT number FROM contract WHERE id = contract_id)",
    "deal": "title, stage, amount_minor, probability, expected_close",
    "task": "title, due_on, priority, status",
    "interaction": "kind, status, planned_at, duration_min, place, subject",
}


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "excel", "json"])
def test_round_trip_into_an_empty_database(cli, filled: Path, db_path: Path, tmp_path: Path, file_format: str) -> None:
    from typer.testing import CliRunner

    from amtui.cli import app

    empty = tmp_path / "empty.db"
    runner = CliRunner()
    assert runner.invoke(app, ["init", str(empty)]).exit_code == 0
    for kind in KINDS_IN_ORDER:
        suffix = {"xlsx": "xlsx", "json": "json"}.get(file_format, "csv")
        path = tmp_path / f"{kind}.{suffix}"
        options = {"excel": ["--excel"], "json": ["--format", "json"]}.get(file_format, [])
        assert cli("export", kind, "-o", str(path), *options).exit_code == 0
        result = runner.invoke(app, ["--db", str(empty), "import", kind, str(path)])
        assert result.exit_code == 0, (kind, result.output)
        again = runner.invoke(app, ["--db", str(empty), "import", kind, str(path)])
        assert " 0 created, 0 updated" in again.output, (kind, again.output)
    for name, columns in COMPARED.items():
        query = f"SELECT {columns} FROM {name} ORDER BY 1, 2"
        assert table(empty, query) == table(db_path, query), name
