"""``amtui import``: real sample files, encodings, spreadsheets, matching, bad rows."""

from __future__ import annotations

import csv
import sqlite3
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def rows(db_path: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(db_path)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def methods(db_path: Path, full_name: str) -> tuple[list[str], list[str]]:
    found = rows(
        db_path,
        "SELECT m.kind, m.value FROM contact_method m JOIN contact c ON c.id = m.contact_id "
        "WHERE c.full_name = ? ORDER BY m.position",
        full_name,
    )
    return [v for k, v in found if k == "phone"], [v for k, v in found if k == "email"]


def write_csv(path: Path, table: list[list[str]], *, encoding: str = "utf-8", delimiter: str = ",") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(table)
    return path


# --- the shared real samples ------------------------------------------------------------------


def test_salesforce_accounts_latin1_import_and_are_idempotent(cli, db_path: Path, samples: Path) -> None:
    path = samples / "csv" / "accountData.csv"
    first = cli("import", "clients", str(path))
    assert first.exit_code == 0, first.output
    assert "423 created" in first.output and "cp1252" in first.output
    assert rows(db_path, "SELECT count(*) FROM client")[0][0] == 423
    name, city, external_id = rows(db_path, "SELECT name, city, external_id FROM client WHERE name LIKE 'Cr_dito%'")[0]
    assert name == "Crédito Inmobiliario Terras" and city == "MEXICO" and external_id == "001x0000002xLDgAAM"
    # 8.48E10 in Salesforce's ANNUALREVENUE is 84.8 billion.
    assert rows(db_path, "SELECT annual_potential_minor, phone FROM client WHERE name = 'Acme'") == [
        (8_480_000_000_000, "(212) 961-7500")
    ]
    second = cli("import", "clients", str(path))
    assert second.exit_code == 0
    assert "0 created, 0 updated, 423 unchanged" in second.output


def test_google_contacts_csv(cli, db_path: Path, samples: Path) -> None:
    result = cli("import", "contacts", str(samples / "csv" / "gmail.csv"))
    assert result.exit_code == 0, result.output
    contact = rows(
        db_path,
        "SELECT c.full_name, c.given_name, c.middle_name, c.family_name, c.title, c.birthday_md, c.birthday_year, "
        "c.personal_notes, k.name FROM contact c JOIN client k ON k.id = c.client_id",
    )
    assert contact == [
        ("Prefix Firstname Middle Lastname Suffix", "Firstname", "Middle", "Lastname", "jobtitle", "12-12", 1975,
         'note"note', "company")
    ]  # fmt: skip
    phones, emails = methods(db_path, "Prefix Firstname Middle Lastname Suffix")
    assert emails == ["home@aaa.pl", "work@email.pl", "unknown@email.com", "other@email.com"]
    # The sample's "phones" are the words pager, mobile...: skipped with a warning, the contact kept.
    assert phones == []
    assert "warning:" in result.output and "'pager' is not a phone number" in result.output
    again = cli("import", "contacts", str(samples / "csv" / "gmail.csv"))
    assert "0 created, 0 updated, 1 unchanged" in again.output


def test_iphone_vcard(cli, db_path: Path, samples: Path) -> None:
    result = cli("import", "contacts", str(samples / "vcf" / "John_Doe_IPHONE.vcf"))
    assert result.exit_code == 0, result.output
    assert rows(
        db_path,
        "SELECT c.full_name, c.given_name, c.middle_name, c.family_name, c.title, c.department, c.birthday_md, "
        "c.birthday_year, k.name FROM contact c JOIN client k ON k.id = c.client_id",
    ) == [("Mr. John Richter James Doe Sr.", "John", "Richter James", "Doe", "Money Counter", "Accounting", "06-06",
           2012, "IBM")]  # fmt: skip
    phones, emails = methods(db_path, "Mr. John Richter James Doe Sr.")
    assert "905-555-1234" in phones and len(phones) == 7
    assert emails == ["john.doe@ibm.com"]


def test_android_vcard_21_quoted_printable(cli, db_path: Path, samples: Path) -> None:
    result = cli("import", "contacts", str(samples / "vcf" / "John_Doe_ANDROID.vcf"))
    assert result.exit_code == 0, result.output
    names = [name for (name,) in rows(db_path, "SELECT full_name FROM contact ORDER BY id")]
    # Cards with only an e-mail are named by it, as phones show them.
    assert names[:2] == ["john.doe@company.com", "jane.doe@company.com"]
    assert "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ" in names  # QP soft line break inside a character sequence
    assert len(names) == 6
    assert methods(db_path, "Ñ Ñ Ñ Ñ")[1] == ["bob@company.com"]
    assert methods(db_path, "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ")[0] == ["123456", "234567", "3456789", "45678901"]
    assert rows(db_path, "SELECT count(*) FROM client WHERE name LIKE 'ÑÑÑÑ%'")[0][0] == 2
    assert "is not an e-mail address; skipped" in result.output  # the QP-encoded "ÑÑÑ" e-mail


def test_gmail_vcard(cli, db_path: Path, samples: Path) -> None:
    result = cli("import", "contacts", str(samples / "vcf" / "gmail-single2.vcf"))
    assert result.exit_code == 0, result.output
    assert rows(
        db_path,
        "SELECT c.full_name, c.title, c.birthday_md, c.birthday_year, k.name FROM contact c "
        "JOIN client k ON k.id = c.client_id",
    ) == [("VCard Test", "TheJobTitle", "06-23", 1912, "TheCompany")]
    phones, emails = methods(db_path, "VCard Test")
    assert len(phones) == 11 and len(emails) == 5
    assert "homeemail@example.com" in emails


def test_outlook_meeting_with_windows_zone(cli, db_path: Path, samples: Path) -> None:
    cli("client", "add", "Acme")
    path = samples / "ics" / "outlook-2010.ics"
    result = cli("import", "interactions", str(path), "--client", "Acme", "--from", "2013-06-01", "--to", "2013-06-30")
    assert result.exit_code == 0, result.output
    # 12:00 "Eastern Standard Time" in June is 16:00 UTC.
    assert rows(db_path, "SELECT kind, status, planned_at, duration_min, place, subject FROM interaction") == [
        ("meeting", "planned", "2013-06-10 16:00:00.000000", 60, "Auditorium 16", "Team Meeting")
    ]
    external_id = rows(db_path, "SELECT external_id FROM interaction")[0][0]
    assert external_id.startswith("040000009200E00074C5B7101A82E008") and len(external_id) > 75
    again = cli("import", "interactions", str(path), "--client", "Acme", "--from", "2013-06-01", "--to", "2013-06-30")
    assert "1 unchanged" in again.output


def test_outlook_attendees_known_as_people_take_part(cli, db_path: Path, samples: Path) -> None:
    """Attendees whose e-mail belongs to one of the client's people are linked to the meeting (the
    report then lists them); the organizer and strangers are not people of ours."""
    cli("client", "add", "Acme")
    cli("client", "add", "Other Ltd")
    cli("contact", "add", "Acme", "Jane Doe", "--email", "JaneDoe@example.com")
    cli("contact", "add", "Acme", "John Doe", "--email", "johndoe@example.com")
    cli("contact", "add", "Other Ltd", "Bob Smith", "--email", "bobsmith@example.com")  # another client's person
    path = samples / "ics" / "outlook-2010.ics"
    args = ("import", "interactions", str(path), "--client", "Acme", "--from", "2013-06-01", "--to", "2013-06-30")
    result = cli(*args)
    assert result.exit_code == 0, result.output
    assert "2 attendees linked to their contacts" in result.output
    linked = "SELECT c.full_name FROM interaction_contact ic JOIN contact c ON c.id = ic.contact_id ORDER BY 1"
    assert rows(db_path, linked) == [("Jane Doe",), ("John Doe",)]
    again = cli(*args)
    assert "1 unchanged" in again.output and "attendees linked" not in again.output
    assert rows(db_path, "SELECT count(*) FROM interaction_contact")[0][0] == 2


def test_google_recurring_with_override_before_master(cli, db_path: Path, samples: Path) -> None:
    cli("client", "add", "Acme")
    path = samples / "ics" / "google-calendar-kiev-tz.ics"
    result = cli("import", "interactions", str(path), "--client", "Acme", "--from", "2016-08-01", "--to", "2016-08-31")
    assert result.exit_code == 0, result.output
    found = rows(db_path, "SELECT planned_at, subject, external_id FROM interaction ORDER BY planned_at")
    assert [subject for _, subject, _ in found] == ["repeated", "bla bla", "repeated", "repeated"]
    assert found[0][0] == "2016-08-25 11:00:00.000000"  # 14:00 Kyiv summer time
    assert found[1][2] == "6m2q7kb2l02798oagemrcgm6pk@google.com/20160826T110000Z"


def test_all_day_weekday_recurrence_within_default_window(cli, db_path: Path, samples: Path) -> None:
    cli("client", "add", "Acme")
    path = samples / "ics" / "day_long_recur_yearly.ics"
    result = cli("import", "interactions", str(path), "--client", "Acme")
    assert result.exit_code == 0, result.output
    found = rows(db_path, "SELECT planned_at, duration_min FROM interaction ORDER BY planned_at")
    # Weekdays from Wed 25 Nov 2026 through 20 Jan 2027 (8 weeks), each at 09:00 Moscow.
    assert len(found) == 41
    assert found[0] == ("2026-11-25 06:00:00.000000", None)
    assert all(datetime.fromisoformat(at).weekday() < 5 for at, _ in found)


def test_calendar_without_client_is_rejected_with_hint(cli, db_path: Path, samples: Path) -> None:
    result = cli("import", "interactions", str(samples / "ics" / "outlook-2010.ics"), "--from", "2013-06-01")
    assert result.exit_code == 1
    assert "client: missing" in result.output and "--client" in result.output
    assert rows(db_path, "SELECT count(*) FROM interaction")[0][0] == 0


# --- our fixtures: Russian files ------------------------------------------------------------------


def test_cp1251_semicolon_decimal_commas(cli, db_path: Path) -> None:
    result = cli("import", "clients", str(FIXTURES / "clients_cp1251.csv"))
    assert result.exit_code == 0, result.output
    assert "cp1251" in result.output and "';'" in result.output
    assert rows(
        db_path,
        "SELECT name, tax_id, city, phone, email, credit_limit_minor, payment_terms_days, tier, discount_bp "
        "FROM client ORDER BY id",
    ) == [
        ("ООО «Ромашка»", "7707083893", "Москва", "+74951234567", "info@romashka.ru", 41250050, 30, "A", 550),
        ('АО "Вектор"', "7736207543", "Санкт-Петербург", "+78125551234", "sales@vektor.ru", 100000000, 45, "B",
         None),
        ("ИП Ёлкин Пётр", "500100732259", "Тверь", None, None, 1234500, None, "C", None),
    ]  # fmt: skip
    again = cli("import", "clients", str(FIXTURES / "clients_cp1251.csv"))
    assert "0 created, 0 updated, 3 unchanged" in again.output
    contacts = cli("import", "contacts", str(FIXTURES / "contacts_cp1251.csv"))
    assert contacts.exit_code == 0, contacts.output
    assert "2 created" in contacts.output and "new clients" not in contacts.output
    assert rows(
        db_path,
        "SELECT c.full_name, c.title, c.birthday_md, c.birthday_year, k.name FROM contact c "
        "JOIN client k ON k.id = c.client_id ORDER BY c.id",
    ) == [
        ("Иванов Иван Иванович", "Генеральный директор", "03-12", 1975, "ООО «Ромашка»"),
        ("Петрова Анна", "Закупки", "02-28", None, 'АО "Вектор"'),
    ]


def test_matching_by_inn_then_name_updates_instead_of_duplicating(cli, db_path: Path, tmp_path: Path) -> None:
    cli("import", "clients", str(FIXTURES / "clients_cp1251.csv"))
    renamed = write_csv(
        tmp_path / "update.csv",
        [["Название", "ИНН", "Город"], ["Ромашка (новое имя)", "7707083893", "Казань"], ["Вектор", "", "Выборг"]],
    )
    result = cli("import", "clients", str(renamed))
    assert "0 created, 2 updated" in result.output, result.output
    assert rows(db_path, "SELECT name, city FROM client WHERE tax_id = '7707083893'") == [
        ("Ромашка (новое имя)", "Казань")
    ]
    assert rows(db_path, "SELECT city FROM client WHERE tax_id = '7736207543'") == [("Выборг",)]
    assert rows(db_path, "SELECT count(*) FROM client")[0][0] == 3


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("utf-16", "\t"), ("utf-16-le", ","), ("utf-16-be", ";"), ("cp1252", ",")],
)
def test_encodings_and_delimiters(cli, db_path: Path, tmp_path: Path, encoding: str, delimiter: str) -> None:
    name = "Crème Brûlée SARL" if encoding == "cp1252" else "ООО «Ёлка» Crème"
    path = write_csv(
        tmp_path / "clients.csv",
        [["Name", "City", "Description"], [name, "Paris", "line one\nline two"], ["Short row"]],
        encoding=encoding,
        delimiter=delimiter,
    )
    result = cli("import", "clients", str(path))
    assert result.exit_code == 0, result.output
    assert rows(db_path, "SELECT name, city, needs FROM client ORDER BY id") == [
        (name, "Paris", "line one\nline two"),
        ("Short row", None, None),  # a ragged row reads as empty cells
    ]


def test_russian_xlsx_typed_cells_and_sheet_choice(cli, db_path: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Пусто"
    sheet = workbook.create_sheet("Клиенты")
    sheet.append(["Наименование", "ИНН", "Телефон", "Кредитный лимит", "Отсрочка платежа", "Город"])
    sheet.append(["ООО «Ромашка»", "7707083893", "+7 495 123-45-67", 412500.5, 30, "Москва"])
    sheet.append(["ЗАО «Старт»", 7728168971, "0012345", 1000000, 45.0, "Тула"])
    invoices = workbook.create_sheet("Счета")
    invoices.append(["Клиент", "Номер счета", "Дата счета", "Оплатить до", "Сумма"])
    invoices.append(["Ромашка", "СЧ-1", datetime(2026, 11, 2), date(2026, 11, 16), 120000.75])
    path = tmp_path / "клиенты.xlsx"
    workbook.save(path)
    result = cli("import", "clients", str(path))
    assert result.exit_code == 0, result.output
    assert rows(db_path, "SELECT name, tax_id, phone, credit_limit_minor, payment_terms_days FROM client") == [
        ("ООО «Ромашка»", "7707083893", "+74951234567", 41250050, 30),
        ("ЗАО «Старт»", "7728168971", "0012345", 100000000, 45),  # a phone stored as text keeps its zeros
    ]
    result = cli("import", "invoices", str(path), "--sheet", "Счета")
    assert result.exit_code == 0, result.output
    assert rows(db_path, "SELECT number, issued_on, due_on, amount_minor FROM invoice") == [
        ("СЧ-1", "2026-11-02", "2026-11-16", 12000075)
    ]
    missing = cli("import", "clients", str(path), "--sheet", "Нет такого")
    assert missing.exit_code == 1 and "no sheet 'Нет такого'" in missing.output


def test_date_order_mdy(cli, db_path: Path, tmp_path: Path) -> None:
    cli("client", "add", "Acme")
    table = [["client", "number", "issued_on", "due_on", "amount"], ["Acme", "INV-1", "02/03/2026", "12/31/2026", "10"]]
    path = write_csv(tmp_path / "inv.csv", table)
    bad = cli("import", "invoices", str(path))
    assert bad.exit_code == 1 and "inv.csv:2: due_on:" in bad.output  # 12/31 read as day 12 of month 31
    good = cli("import", "invoices", str(path), "--date-order", "mdy")
    assert good.exit_code == 0, good.output
    assert rows(db_path, "SELECT issued_on, due_on FROM invoice") == [("2026-02-03", "2026-12-31")]


def test_other_kinds_from_csv(cli, db_path: Path, tmp_path: Path) -> None:
    cli("import", "clients", str(FIXTURES / "clients_cp1251.csv"))
    contracts = write_csv(
        tmp_path / "contracts.csv",
        [["Контрагент", "Номер договора", "Дата начала", "Дата окончания", "Автопролонгация", "Сумма договора"],
         ["Ромашка", "Д-7", "01.01.2026", "31.12.2026", "да", "1 200 000,00"]],
    )  # fmt: skip
    assert cli("import", "contracts", str(contracts)).exit_code == 0
    invoices = write_csv(
        tmp_path / "invoices.csv",
        [["ИНН", "Договор", "Номер", "Дата", "Срок оплаты", "Сумма", "Оплачено"],
         ["7707083893", "Д-7", "77", "01.11.2026", "15.11.2026", "412 500,50", "100 000"]],
    )  # fmt: skip
    result = cli("import", "invoices", str(invoices))
    assert result.exit_code == 0, result.output
    assert rows(db_path, "SELECT number, amount_minor, paid_minor, contract_id IS NOT NULL FROM invoice") == [
        ("77", 41250050, 10000000, 1)
    ]
    interactions = write_csv(
        tmp_path / "calls.csv",
        [["Клиент", "Тип", "Дата", "Тема", "Длительность"],
         ["Вектор", "звонок", "20.11.2026 10:30", "Цены на 2027", "45m"],
         ["Вектор", "визит", "27.11.2026 15:00", "Переговоры", "1h30m"]],
    )  # fmt: skip
    result = cli("import", "interactions", str(interactions))
    assert result.exit_code == 0, result.output
    assert rows(db_path, "SELECT kind, status, done_at, planned_at, duration_min FROM interaction ORDER BY id") == [
        ("call", "done", "2026-11-20 07:30:00.000000", None, 45),
        ("visit", "planned", None, "2026-11-27 12:00:00.000000", 90),
    ]
    tasks = write_csv(
        tmp_path / "tasks.csv", [["Задача", "Клиент", "Срок", "Приоритет"], ["КП", "Ромашка", "01.12.2026", "высокий"]]
    )
    assert cli("import", "tasks", str(tasks)).exit_code == 0
    assert rows(db_path, "SELECT title, due_on, priority FROM task") == [("КП", "2026-12-01", "high")]
    deals = write_csv(
        tmp_path / "deals.csv",
        [["Opportunity Name", "Account Name", "Stage", "Amount", "Close Date"],
         ["Renewal 2027", "Вектор", "Negotiation/Review", "50000.00", "2026-12-20"]],
    )  # fmt: skip
    assert cli("import", "deals", str(deals)).exit_code == 0
    assert rows(db_path, "SELECT title, stage, amount_minor, expected_close FROM deal") == [
        ("Renewal 2027", "negotiation", 5000000, "2026-12-20")
    ]
    for kind, path in (("contracts", contracts), ("invoices", invoices), ("interactions", interactions),
                       ("tasks", tasks), ("deals", deals)):  # fmt: skip
        assert " 0 created, 0 updated" in cli("import", kind, str(path)).output, kind


# --- vCard and iCalendar edge cases ----------------------------------------------------------------


def test_vcard_fold_splitting_a_cyrillic_letter_utf16_and_yearless_birthday(cli, db_path: Path, tmp_path: Path) -> None:
    cli("client", "add", "ООО «Ромашка»")
    name = "Екатерина Жукова"
    line = f"FN:{name}".encode()
    cut = line.index("Ж".encode()) + 1  # fold between the two bytes of Ж
    card = (
        b"BEGIN:VCARD\r\nVERSION:4.0\r\n" + line[:cut] + b"\r\n " + line[cut:] + b"\r\n"
        b"N:\xd0\x96\xd1\x83\xd0\xba\xd0\xbe\xd0\xb2\xd0\xb0;\xd0\x95\xd0\xba\xd0\xb0\xd1\x82\xd0\xb5\xd1\x80\xd0\xb8\xd0\xbd\xd0\xb0;;;\r\n"
        b"ORG:\xd0\xa0\xd0\xbe\xd0\xbc\xd0\xb0\xd1\x88\xd0\xba\xd0\xb0;Sales\r\n"
        b"TEL;TYPE=cell:+7 916 000-00-01\r\nTEL;TYPE=work:+7 495 000-00-02\r\n"
        b"EMAIL:kate@romashka.ru\r\nEMAIL:k@home.ru\r\nBDAY:--0312\r\nEND:VCARD\r\n"
    )
    (tmp_path / "a.vcf").write_bytes(card)
    (tmp_path / "b.vcf").write_bytes(card.replace(b"\r\n ", b"").decode("utf-8").encode("utf-16"))
    result = cli("import", "contacts", str(tmp_path / "a.vcf"))
    assert result.exit_code == 0, result.output
    assert rows(
        db_path,
        "SELECT c.full_name, c.department, c.birthday_md, c.birthday_year, k.name FROM contact c "
        "JOIN client k ON k.id = c.client_id",
    ) == [(name, "Sales", "03-12", None, "ООО «Ромашка»")]
    assert methods(db_path, name) == (["+79160000001", "+74950000002"], ["kate@romashka.ru", "k@home.ru"])
    again = cli("import", "contacts", str(tmp_path / "b.vcf"))  # the same card in UTF-16: matched by e-mail
    assert "0 created, 0 updated, 1 unchanged" in again.output, again.output


def test_vcard_read_card_by_card_a_broken_card_is_one_row_with_its_line(tmp_path: Path) -> None:
    """The file is streamed one card at a time: a BOM, text before the first card, a broken card in the
    middle (reported at its own line), and a fold inside a letter (so the file as a whole is no valid UTF-8)."""
    from amtui.formats.vcard import read_vcards

    fold = "FN:Жанна".encode()
    cut = fold.index("Ж".encode()) + 1
    data = (
        b"\xef\xbb\xbfsome preamble\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:One\r\nEND:VCARD\r\n"  # line 2
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:broken\r\nthis is no property\r\nEND:VCARD\r\n"  # line 6
        b"BEGIN:VCARD\r\nVERSION:3.0\r\n" + "FN:Пётр".encode() + b"\r\nEND:VCARD\r\n"  # line 11
        b"BEGIN:VCARD\r\nVERSION:3.0\r\n" + fold[:cut] + b"\r\n " + fold[cut:] + b"\r\nEND:VCARD\r\n"  # 15
    )
    path = tmp_path / "cards.vcf"
    path.write_bytes(data)
    cards = list(read_vcards(path))
    assert [line for line, _, _ in cards] == [2, 6, 11, 15]
    assert cards[0][1] == {"full_name": "One"}
    assert "cannot read the card" in cards[1][1]["_broken"]
    assert cards[2][1]["full_name"] == "Пётр" and cards[3][1]["full_name"] == "Жанна"


def test_ics_missing_zone_cancelled_and_attendee_client(cli, db_path: Path, tmp_path: Path) -> None:
    cli("client", "add", "Ромашка")
    cli("contact", "add", "Ромашка", "Иван Петров", "--email", "ivan@romashka.ru")
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\n"
        "BEGIN:VEVENT\r\nUID:a1\r\nDTSTAMP:20261101T000000Z\r\nDTSTART;TZID=Nowhere/Atlantis:20261201T100000\r\n"
        "DTEND;TZID=Nowhere/Atlantis:20261201T110000\r\nSUMMARY:Звонок по договору\r\n"
        "ATTENDEE;CN=Ivan:mailto:IVAN@romashka.ru\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:a2\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:20261202T100000Z\r\nSTATUS:CANCELLED\r\n"
        "SUMMARY:Отменено\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:a3\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:20261203T090000\r\n"
        "SUMMARY:Визит в Ромашка\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    path = tmp_path / "cal.ics"
    path.write_text(text, encoding="utf-8")
    result = cli("import", "interactions", str(path))
    assert result.exit_code == 0, result.output
    assert "1 cancelled events skipped" in result.output
    assert rows(db_path, "SELECT kind, planned_at, subject, external_id, client_id FROM interaction ORDER BY id") == [
        ("call", "2026-12-01 07:00:00.000000", "Звонок по договору", "a1", 1),  # unknown zone: read as local
        ("visit", "2026-12-03 06:00:00.000000", "Визит в Ромашка", "a3", 1),  # client named in the summary
    ]
    assert rows(db_path, "SELECT interaction_id, contact_id FROM interaction_contact") == [(1, 1)]  # Ivan took part


# --- bad input --------------------------------------------------------------------------------------


def test_bad_rows_write_nothing_and_are_reported(cli, db_path: Path, tmp_path: Path) -> None:
    cli("client", "add", "Acme")
    path = write_csv(
        tmp_path / "inv.csv",
        [["client", "number", "issued_on", "due_on", "amount"],
         ["Acme", "1", "01.11.2026", "15.11.2026", "100"],
         ["Nobody Ltd", "2", "01.11.2026", "15.11.2026", "100"],
         ["Acme", "3", "31.02.2026", "15.11.2026", "сто"],
         ["Acme", "", "01.11.2026", "15.11.2026", "5"]],
    )  # fmt: skip
    result = cli("import", "invoices", str(path))
    assert result.exit_code == 1
    assert f"{path}:3: client: no client 'Nobody Ltd'" in result.output
    assert f"{path}:4: issued_on: '31.02.2026' is not a real date" in result.output
    assert f"{path}:4: amount: 'сто' is not an amount" in result.output
    assert f"{path}:5: number: missing" in result.output
    assert "Nothing written: fix the rows above or use --skip-bad. invoices would be: 1 created" in result.output
    assert "Traceback" not in result.output
    assert rows(db_path, "SELECT count(*) FROM invoice")[0][0] == 0

    skipped = cli("import", "invoices", str(path), "--skip-bad")
    assert skipped.exit_code == 0, skipped.output
    assert "1 created, 0 updated, 0 unchanged, 3 rejected" in skipped.output
    assert rows(db_path, "SELECT number FROM invoice") == [("1",)]
    rejects = path.with_name("inv.csv.rejects.csv")
    with rejects.open(encoding="utf-8-sig", newline="") as handle:
        rejected = list(csv.reader(handle))
    assert rejected[0] == ["line", "error", "client", "number", "issued_on", "due_on", "amount"]
    assert [row[0] for row in rejected[1:]] == ["3", "4", "5"]
    assert rejected[1][2:] == ["Nobody Ltd", "2", "01.11.2026", "15.11.2026", "100"]


def test_dry_run_writes_nothing(cli, db_path: Path) -> None:
    result = cli("import", "clients", str(FIXTURES / "clients_cp1251.csv"), "--dry-run")
    assert result.exit_code == 0
    assert "Dry run" in result.output and "3 created" in result.output
    assert rows(db_path, "SELECT count(*) FROM client")[0][0] == 0


def test_map_option_and_mapping_file(cli, db_path: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "odd.csv", [["Фирма", "Код ФНС", "Примечание"], ["Ромашка", "7707083893", "x"]])
    result = cli(
        "import", "clients", str(path), "--map", "Фирма=name", "--map", "Код ФНС=tax_id", "--map", "Примечание=-"
    )
    assert result.exit_code == 0, result.output
    assert rows(db_path, "SELECT name, tax_id, needs FROM client") == [("Ромашка", "7707083893", None)]
    mapping = tmp_path / "map.txt"
    mapping.write_text("# ours\nФирма = name\nКод ФНС = tax_id\nПримечание = competitors\n", encoding="utf-8")
    result = cli("import", "clients", str(path), "--mapping", str(mapping))
    assert "1 updated" in result.output
    assert rows(db_path, "SELECT competitors FROM client") == [("x",)]
    bad = cli("import", "clients", str(path), "--map", "Фирма=nonsense")
    assert bad.exit_code == 1 and "'nonsense' is not a field of clients" in bad.output


# --- malformed corpus ------------------------------------------------------------------------------


def _zip_bomb(path: Path) -> None:
    import zipfile

    # 600 MB of zeros deflated in 1 MB pieces at level 1 (~2.7 MB of archive): ~1 CPU s and 1 MB of
    # memory instead of 2.5 s and a 600 MB string at the default level; the sizes the check reads are the same.
    zeros = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            for _ in range(600):
                sheet.write(zeros)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "the file is empty"),
        ("blank.csv", b"\r\n\r\n  \r\n", "the file is empty"),
        ("binary.csv", bytes(range(256)) * 10, "binary file"),
        ("image.csv", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "a PNG image, not a data file"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old Excel (.xls)"),
        ("truncated.xlsx", b"PK\x03\x04\x14\x00\x00\x00\x08\x00broken", "damaged or truncated"),
        ("unclosed.csv", b'name,city\n"Acme,Paris\n', None),
        ("wrongkind.csv", b"foo,bar,baz\n1,2,3\n", "no column is recognised for invoices"),
        ("card.vcf", b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:X\r\nEND:VCARD\r\n", "a vCard file holds contacts"),
    ],
)
def test_unreadable_files_get_one_clear_error(
    cli, db_path: Path, tmp_path: Path, name: str, content: bytes, message: str | None
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    kind = "invoices" if name in ("wrongkind.csv", "card.vcf") else "clients"
    result = cli("import", kind, str(path))
    assert "Traceback" not in result.output
    if message is None:  # an unclosed quote swallows the rest: the row has no city and one line
        assert result.exit_code == 0 and rows(db_path, "SELECT name, city FROM client") == [("Acme,Paris", None)]
        return
    assert result.exit_code == 1, result.output
    assert "amtui: error:" in result.output and message in result.output


def test_zip_bomb_is_refused_before_unpacking(cli, tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    _zip_bomb(path)
    assert path.stat().st_size < 5 * 1024 * 1024
    result = cli("import", "clients", str(path))
    assert result.exit_code == 1
    assert "zip bomb" in result.output


def test_huge_field_is_a_bad_row(cli, db_path: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "huge.csv", [["name", "city"], ["Acme", "x" * 200_000], ["Fine", "Tver"]])
    result = cli("import", "clients", str(path), "--skip-bad")
    assert result.exit_code == 0
    assert f"{path}:2: city: 200000 characters" in result.output
    assert rows(db_path, "SELECT name FROM client") == [("Fine",)]


def test_wrong_encoding_override_still_reads(cli, db_path: Path) -> None:
    # Told the wrong encoding, the file reads with replacement characters rather than failing mid-way.
    result = cli("import", "clients", str(FIXTURES / "clients_cp1251.csv"), "--encoding", "utf-8", "--dry-run")
    assert "Traceback" not in result.output
    assert rows(db_path, "SELECT count(*) FROM client")[0][0] == 0


def test_a_big_import_rebuilds_the_indexes_once(cli, db_path: Path, tmp_path: Path) -> None:
    """Just over the size where the importer drops the indexes and builds them again at the end (it
    was 100,000 rows: 11 CPU s proving the same; bench/bench_import.py times the big sizes)."""
    from amtui.formats.importer import REBUILD_INDEXES_MIN_ROWS

    total = REBUILD_INDEXES_MIN_ROWS + 2_000
    last = total - 1
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Наименование", "Город", "Телефон"])
        for index in range(total):
            writer.writerow([f"ООО «Фирма {index}»", "Москва", f"+7 495 {index:07d}"])
    assert cli("db", "upgrade").exit_code == 0
    index_sql = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'client' ORDER BY name"
    indexes = rows(db_path, index_sql)
    assert len(indexes) >= 3
    result = cli("import", "clients", str(path))
    assert result.exit_code == 0, result.output
    assert f"{total} created" in result.output
    assert rows(db_path, "SELECT count(*), count(DISTINCT name_folded) FROM client") == [(total, total)]
    # A big import rebuilds the indexes once instead of row by row: they are all back, and used.
    assert rows(db_path, index_sql) == indexes
    assert rows(db_path, "PRAGMA integrity_check") == [("ok",)]
    assert rows(db_path, f"SELECT name FROM client WHERE name_folded = 'ооо \"фирма {last}\"'") == [
        (f"ООО «Фирма {last}»",)
    ]
    assert f"{total} unchanged" in cli("import", "clients", str(path)).output


def test_interrupted_big_import_leaves_the_database_as_it_was(db_url: str, db_path: Path, tmp_path: Path, now, zone):  # type: ignore[no-untyped-def]
    from amtui.db import open_engine, session_scope
    from amtui.formats.importer import ImportOptions, import_file

    path = tmp_path / "big.csv"
    write_csv(path, [["name", "city"], *([f"Фирма {index}", "Тверь"] for index in range(40_000))])
    engine = open_engine(db_url)
    with session_scope(engine) as session:
        import_file(session=session, kind="clients", path=FIXTURES / "clients_cp1251.csv",
                    options=ImportOptions(now=now, zone=zone))  # fmt: skip
    index_sql = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'client' ORDER BY name"
    indexes = rows(db_path, index_sql)

    def interrupt(fraction: float) -> None:
        if fraction > 0.6:  # by now batches are written and the indexes dropped for the rebuild
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), session_scope(engine) as session:
        import_file(session=session, kind="clients", path=path,
                    options=ImportOptions(now=now, zone=zone, progress=interrupt))  # fmt: skip
    engine.dispose()
    assert rows(db_path, "SELECT count(*) FROM client") == [(3,)]
    assert rows(db_path, index_sql) == indexes


def test_fast_folding_matches_the_service() -> None:
    from amtui.formats.importer import fast_fold, fold_with_key, folded_name_key
    from amtui.services.text import fold, name_key

    names = (
        "ООО «Ромашка»", "Straße GmbH", "Ёлка, ЗАО", "A.B.C. (Holdings) Ltd", "ИП", "ООО", "„Вектор“ — АО",
        "ＡＣＭＥ　Trading", "  Müller   &  Söhne  ", "’Tis “Quoted”", "ﬁrma – ﬂow", "ПАО Сбер-банк", "Co. Co.",
    )  # fmt: skip
    for name in names:
        assert fast_fold(name) == fold(name), name
        assert fold_with_key(name) == (fold(name), name_key(name)), name
        assert folded_name_key(fold(name)) == name_key(name), name
