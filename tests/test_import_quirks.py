"""Importer quirks of real exports, on the team's own small fixtures (tests/fixtures/quirks): these run
everywhere, also on a fresh clone without ../shared (the real files run in test_import.py when present)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from tests.test_import import methods, rows

QUIRKS = Path(__file__).parent / "fixtures" / "quirks"


def test_salesforce_accounts_cp1252_and_scientific_revenue(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = QUIRKS / "salesforce_accounts_cp1252.csv"
    first = cli("import", "clients", str(path))
    assert first.exit_code == 0, first.output
    assert "3 created" in first.output and "cp1252" in first.output
    assert rows(db_path, "SELECT name, city, external_id, annual_potential_minor, phone FROM client ORDER BY id") == [
        ("Crédito Agrícola Teste", "MÉXICO", "001A00000TEAM01AAA", 125_000_000_000, "+525555550101"),
        ("Widgets Ltd", "Leeds", "001A00000TEAM02AAA", 8_480_000_000_000, "(0113) 496-0000"),
        ("Façade Frères", "Lyon", "001A00000TEAM03AAA", None, None),
    ]
    assert "0 created, 0 updated, 3 unchanged" in cli("import", "clients", str(path)).output


def test_google_contacts_csv_numbered_columns(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", "contacts", str(QUIRKS / "google_contacts.csv"))
    assert result.exit_code == 0, result.output
    assert rows(
        db_path,
        "SELECT c.full_name, c.given_name, c.middle_name, c.family_name, c.title, c.department, c.birthday_md, "
        "c.birthday_year, c.personal_notes, k.name FROM contact c JOIN client k ON k.id = c.client_id",
    ) == [("Dr Anna Maria Berg Jr", "Anna", "Maria", "Berg", "Director", "Logistics", "04-30", 1981, 'says "hi"',
           "Berg Shipping")]  # fmt: skip
    assert methods(db_path, "Dr Anna Maria Berg Jr") == (
        ["+44 7700 900123"],  # a drama-range number: not a valid one, kept as written
        ["anna.berg@berg-shipping.example", "anna@home.example"],
    )
    assert "'pager' is not a phone number; skipped" in result.output
    assert "0 created, 0 updated, 1 unchanged" in cli("import", "contacts", str(QUIRKS / "google_contacts.csv")).output


def test_iphone_vcard_groups_and_labels(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", "contacts", str(QUIRKS / "iphone.vcf"))
    assert result.exit_code == 0, result.output
    assert rows(
        db_path,
        "SELECT c.full_name, c.given_name, c.middle_name, c.family_name, c.title, c.department, c.birthday_md, "
        "c.birthday_year, k.name FROM contact c JOIN client k ON k.id = c.client_id",
    ) == [("Mr. Erik Olav Larsen Sr.", "Erik", "Olav", "Larsen", "Buyer", "Purchasing", "08-14", 1979,
           "Nordic Timber")]  # fmt: skip
    assert methods(db_path, "Mr. Erik Olav Larsen Sr.") == (
        ["+4791234567", "22 12 34 56", "+4780012345"],
        ["erik.larsen@nordic-timber.example"],
    )


def test_android_vcard_21_quoted_printable_soft_break_inside_a_character(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", "contacts", str(QUIRKS / "android_21_qp.vcf"))
    assert result.exit_code == 0, result.output
    names = [name for (name,) in rows(db_path, "SELECT full_name FROM contact ORDER BY id")]
    assert names == ["only.mail@example.com", "Ñoño Ñandú"]  # a card with only an e-mail is named by it
    assert methods(db_path, "Ñoño Ñandú") == (["123456", "234567"], [])
    assert rows(db_path, "SELECT name FROM client") == [("Ñandú S.A.",)]
    assert "'ÑÑÑ' is not an e-mail address; skipped" in result.output


def test_gmail_vcard(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", "contacts", str(QUIRKS / "gmail.vcf"))
    assert result.exit_code == 0, result.output
    assert rows(
        db_path,
        "SELECT c.full_name, c.title, c.birthday_md, c.birthday_year, k.name FROM contact c "
        "JOIN client k ON k.id = c.client_id",
    ) == [("Priya Raman", "Owner", "01-26", 1975, "Raman Textiles")]
    assert methods(db_path, "Priya Raman") == (
        ["+919876543210", "+912223456789"],
        ["priya.home@example.com", "priya@raman-textiles.example"],
    )


def test_outlook_windows_zone_and_attendees(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("client", "add", "Acme")
    cli("contact", "add", "Acme", "Kim Lee", "--email", "kim.lee@example.com")
    cli("contact", "add", "Acme", "Sam Roe", "--email", "sam.roe@example.com")
    path = QUIRKS / "outlook_windows_zone.ics"
    args = ("import", "interactions", str(path), "--client", "Acme", "--from", "2025-03-01", "--to", "2025-03-31")
    result = cli(*args)
    assert result.exit_code == 0, result.output
    # 12:00 "Eastern Standard Time" on 10 March 2025 (daylight time since the 9th) is 16:00 UTC.
    assert rows(db_path, "SELECT kind, status, planned_at, duration_min, place, subject FROM interaction") == [
        ("meeting", "planned", "2025-03-10 16:00:00.000000", 90, "Room 4", "Quarterly review")
    ]
    assert "2 attendees linked to their contacts" in result.output
    assert "1 unchanged" in cli(*args).output
    assert rows(db_path, "SELECT count(*) FROM interaction_contact")[0][0] == 2


def test_google_moved_occurrence_before_its_master(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("client", "add", "Acme")
    path = QUIRKS / "google_recurring_override.ics"
    result = cli("import", "interactions", str(path), "--client", "Acme", "--from", "2024-06-01", "--to", "2024-07-31")
    assert result.exit_code == 0, result.output
    found = rows(db_path, "SELECT planned_at, subject FROM interaction ORDER BY planned_at")
    assert found == [
        ("2024-06-26 06:00:00.000000", "standup"),  # 09:00 Kyiv summer time
        ("2024-07-03 07:00:00.000000", "moved standup"),
        ("2024-07-10 06:00:00.000000", "standup"),
        ("2024-07-17 06:00:00.000000", "standup"),
    ]


def test_all_day_weekday_recurrence_without_end(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("client", "add", "Acme")
    result = cli("import", "interactions", str(QUIRKS / "allday_weekdays.ics"), "--client", "Acme")
    assert result.exit_code == 0, result.output
    found = rows(db_path, "SELECT planned_at, duration_min FROM interaction ORDER BY planned_at")
    # Weekdays from Wed 25 Nov 2026 through 20 Jan 2027 (the default 8 weeks), each at 09:00 Moscow.
    assert len(found) == 41
    assert found[0] == ("2026-11-25 06:00:00.000000", None)
    assert all(datetime.fromisoformat(at).weekday() < 5 for at, _ in found)
