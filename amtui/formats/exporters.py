"""Exports: CSV (UTF-8 with BOM; ``excel`` for ``;`` and decimal commas), XLSX, vCard, iCalendar, JSON.

Column headers are the import's field names, so an exported file imports back
into the same records. Text that a spreadsheet would run as a formula (starting
with ``=``, ``+``, ``-``, ``@``, tab or CR) is neutralised: CSV cells get a
leading apostrophe (the import strips it again), XLSX cells are typed as text.
Every text value of every format goes through ``services.sanitize.export_text``
first: control characters an older database may hold come out as U+FFFD, every
line break as one line feed (quoted in CSV, ``\n`` in JSON, vCard and iCalendar).
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

from sqlalchemy import RowMapping, select
from sqlmodel import Session, SQLModel

from amtui.files import atomic_open, private_partial
from amtui.formats.ical import DEFAULT_MINUTES
from amtui.formats.mapping import ENTITIES, ENTITY_FIELDS, ENTITY_TABLES, FileField
from amtui.models import Client, Contact, ContactMethod, Contract
from amtui.models.base import table_of
from amtui.services.errors import ValidationError
from amtui.services.phones import display_phone
from amtui.services.sanitize import export_text

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MULTI_SEPARATOR = " ::: "  # several values in one cell, as Google Contacts writes them


@dataclass(frozen=True)
class Money:
    """Minor units, exported as a decimal number (a typed cell in XLSX)."""

    minor: int

    @property
    def decimal(self) -> Decimal:
        return Decimal(self.minor) / 100


def _money(minor: int | None) -> Money | None:
    return None if minor is None else Money(minor)


def _birthday(md: str | None, year: int | None) -> str | None:
    if not md:
        return None
    month, day = md.split("-")
    return f"{year:04d}-{month}-{day}" if year else f"--{month}-{day}"


# --- rows -------------------------------------------------------------------------------------


def _client_columns(session: Session) -> dict[int, tuple[str, str | None, str | None]]:
    table = table_of(Client)
    statement = select(table.c.id, table.c.name, table.c.tax_id, table.c.external_id)
    return {row[0]: (row[1], row[2], row[3]) for row in session.execute(statement)}


def _client_ref(clients: dict[int, tuple[str, str | None, str | None]], client_id: int | None) -> dict[str, Any]:
    name, tax_id, external_id = clients.get(client_id, (None, None, None)) if client_id else (None, None, None)
    return {"client": name, "client_tax_id": tax_id, "client_external_id": external_id}


def _writer(entry: FileField, zone: tzinfo) -> Callable[[Any], Any]:
    """How one declared field is written from a row of its table."""
    column, kind = entry.column, entry.value.kind
    assert column is not None
    if kind == "money":
        return lambda row: _money(row[column])
    if kind == "percent":
        return lambda row: None if row[column] is None else Decimal(row[column]) / 100
    if kind == "datetime":
        return lambda row: _local(row[column], zone)
    if kind == "phone":
        return lambda row: display_phone(row[column]) or None
    return itemgetter(column)


def entity_rows(
    kind: str,
    rows: Iterable[Mapping[Any, Any]],
    zone: tzinfo,
    own: Callable[[Any], dict[str, Any]],
    *,
    first: tuple[str, ...] = (),
) -> Iterator[dict[str, Any]]:
    """Export rows of ``kind``: one column per declared field (formats/mapping.py), in its order.

    ``own`` gives the values of the fields the kind's own code writes (client references, birthdays...);
    ``first``: columns of the table copied as they are before them."""
    plan: list[tuple[str, Callable[[Any], Any] | None]] = [(name, itemgetter(name)) for name in first]
    plan += [
        (entry.name, None if entry.value.kind == "own" else _writer(entry, zone))
        for entry in ENTITY_FIELDS[kind]
        if entry.value.export
    ]
    for row in rows:
        extra = own(row)
        yield {name: extra[name] if write is None else write(row) for name, write in plan}


def _table_rows(session: Session, kind: str, where: Any = None) -> Iterable[RowMapping]:
    table = SQLModel.metadata.tables[ENTITY_TABLES[kind]]
    statement = select(table).order_by(*(table.c[name] for name in ENTITIES[kind].order_by))
    if where is not None:
        statement = statement.where(where(table))
    return session.execute(statement).mappings()


def rows_of(session: Session, kind: str, zone: tzinfo) -> Iterator[dict[str, Any]]:
    """Any kind whose rows name their client by ``client_id``: the declared columns and the client."""
    clients = _client_columns(session)
    return entity_rows(kind, _table_rows(session, kind), zone, lambda row: _client_ref(clients, row["client_id"]))


def client_rows(session: Session, zone: tzinfo) -> Iterator[dict[str, Any]]:
    return entity_rows("clients", _table_rows(session, "clients"), zone, lambda row: {})


def contact_data(session: Session) -> Iterator[tuple[dict[str, Any], list[tuple[str, str, str | None]]]]:
    """Contacts with their client's name and their phones and e-mails (kind, value, label)."""
    clients = _client_columns(session)
    methods: dict[int, list[tuple[str, str, str | None]]] = {}
    table = table_of(ContactMethod)
    statement = select(table.c.contact_id, table.c.kind, table.c.value, table.c.label).order_by(
        table.c.contact_id, table.c.position, table.c.id
    )
    for contact_id, kind, value, label in session.execute(statement):
        methods.setdefault(contact_id, []).append((kind, value, label))
    contacts = table_of(Contact)
    order = (contacts.c[name] for name in ENTITIES["contacts"].order_by)
    for row in session.execute(select(contacts).order_by(*order)).mappings():
        yield {**row, **_client_ref(clients, row["client_id"])}, methods.get(row["id"], [])


def contact_rows(session: Session, zone: tzinfo) -> Iterator[dict[str, Any]]:
    def own(row: Mapping[str, Any]) -> dict[str, Any]:
        methods = row["_methods"]
        return {
            "client": row["client"],
            "client_tax_id": row["client_tax_id"],
            "client_external_id": row["client_external_id"],
            "birthday": _birthday(row["birthday_md"], row["birthday_year"]),
            # Several values in one cell, joined the way Google Contacts does (the import splits them).
            "phone": MULTI_SEPARATOR.join(display_phone(value) for kind, value, _ in methods if kind == "phone")
            or None,
            "email": MULTI_SEPARATOR.join(value for kind, value, _ in methods if kind == "email") or None,
        }

    return entity_rows("contacts", ({**row, "_methods": methods} for row, methods in contact_data(session)), zone, own)


def _local(value: datetime | None, zone: tzinfo) -> datetime | None:
    return None if value is None else value.astimezone(zone)


def interaction_rows(session: Session, zone: tzinfo, *, planned_only: bool = False) -> Iterator[dict[str, Any]]:
    clients = _client_columns(session)
    where = (lambda table: table.c.status == "planned") if planned_only else None
    rows = _table_rows(session, "interactions", where)
    # The planner (ics) needs our id for a stable UID; tables do not carry it (it is not portable).
    first = ("id",) if planned_only else ()
    return entity_rows("interactions", rows, zone, lambda row: _client_ref(clients, row["client_id"]), first=first)


def invoice_rows(session: Session, zone: tzinfo) -> Iterator[dict[str, Any]]:
    clients = _client_columns(session)
    contracts = {i: n for i, n in session.execute(select(table_of(Contract).c.id, table_of(Contract).c.number))}

    def own(row: Mapping[str, Any]) -> dict[str, Any]:
        contract = contracts.get(row["contract_id"]) if row["contract_id"] else None
        return {**_client_ref(clients, row["client_id"]), "contract": contract}

    return entity_rows("invoices", _table_rows(session, "invoices"), zone, own)


def _rows_by_client(kind: str) -> Callable[[Session, tzinfo], Iterator[dict[str, Any]]]:
    def rows(session: Session, zone: tzinfo) -> Iterator[dict[str, Any]]:
        return rows_of(session, kind, zone)

    return rows


# Kinds with their own rows; any other declared kind is written by rows_of.
_OWN_ROWS: dict[str, Callable[[Session, tzinfo], Iterator[dict[str, Any]]]] = {
    "clients": client_rows,
    "contacts": contact_rows,
    "interactions": interaction_rows,
    "invoices": invoice_rows,
}
ROWS: dict[str, Callable[[Session, tzinfo], Iterator[dict[str, Any]]]] = {
    kind: _OWN_ROWS.get(kind) or _rows_by_client(kind) for kind in ENTITY_FIELDS
}


# --- tabular writers --------------------------------------------------------------------------


def neutralise(text: str) -> str:
    """A leading apostrophe keeps Excel and LibreOffice from running text as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv_cell(value: Any, excel: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, Money):
        text = f"{value.decimal:.2f}"
        return text.replace(".", ",") if excel else text
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text.replace(".", ",") if excel else text
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M") if excel else value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y") if excel else value.isoformat()
    if isinstance(value, int):
        return str(value)
    return neutralise(export_text(str(value)))


def write_csv(rows: Iterator[dict[str, Any]], handle: IO[str], *, excel: bool = False) -> int:
    writer = csv.writer(handle, delimiter=";" if excel else ",", lineterminator="\r\n")
    count = 0
    for row in rows:
        if count == 0:
            writer.writerow(list(row))
        writer.writerow([_csv_cell(value, excel) for value in row.values()])
        count += 1
    return count


def write_json(rows: Iterator[dict[str, Any]], handle: IO[str]) -> int:
    def encode(value: Any) -> Any:
        if isinstance(value, Money):
            return {"amount": f"{value.decimal:.2f}", "minor": value.minor}
        if isinstance(value, (datetime, date)):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        raise TypeError(type(value).__name__)

    def safe(value: Any) -> Any:
        if isinstance(value, str):
            return export_text(value)
        if isinstance(value, list):
            return [safe(item) for item in value]
        return value

    # One record at a time (memory stays flat), laid out as json.dumps(list, indent=2) would.
    count = 0
    for row in rows:
        handle.write(",\n  " if count else "[\n  ")
        row = {name: safe(value) for name, value in row.items()}
        handle.write(json.dumps(row, default=encode, ensure_ascii=False, indent=2).replace("\n", "\n  "))
        count += 1
    handle.write("\n]\n" if count else "[]\n")
    return count


def _method_lists(rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """JSON holds lists: a contact's phones and e-mails as arrays, not one joined cell."""
    for row in rows:
        for name in ("phone", "email"):
            row[name] = row[name].split(MULTI_SEPARATOR) if row[name] else []
        yield row


def write_xlsx(rows: Iterator[dict[str, Any]], path: Path, *, sheet_title: str) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    items = list(rows)
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet_title[:31])
    headers = list(items[0]) if items else []
    widths = [len(header) for header in headers]
    for item in items[:2000]:
        for index, value in enumerate(item.values()):
            widths[index] = max(widths[index], min(len(_csv_cell(value, True)), 60))
    for index, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width + 2
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(worksheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    if header_cells:
        worksheet.append(header_cells)
        worksheet.freeze_panes = "A2"
    for item in items:
        worksheet.append([_xlsx_cell(worksheet, value) for value in item.values()])
    workbook.save(path)
    return len(items)


def _xlsx_cell(worksheet: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if value is None:
        return None
    if isinstance(value, Money):
        cell = WriteOnlyCell(worksheet, value=value.decimal)
        cell.number_format = "#,##0.00"
        return cell
    if isinstance(value, datetime):
        cell = WriteOnlyCell(worksheet, value=value.replace(tzinfo=None))  # XLSX has no zones: local time
        cell.number_format = "DD.MM.YYYY HH:MM"
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(worksheet, value=value)
        cell.number_format = "DD.MM.YYYY"
        return cell
    if isinstance(value, (bool, int, Decimal)):
        return value
    cell = WriteOnlyCell(worksheet, value=export_text(str(value)))
    # Typed as a string, the cell is never a formula, whatever it starts with.
    cell.data_type = "s"
    return cell


# --- vCard ------------------------------------------------------------------------------------


def vcard(row: dict[str, Any], methods: list[tuple[str, str, str | None]], *, version: int = 4) -> Any:
    """One contact as a ``vobject`` vCard: the library builds, escapes and serialises it (write_vcards folds).

    Every text goes through ``export_text`` first: vobject escapes CR and LF but would write NEL,
    U+2028, U+2029, VT and FF raw (readers that break lines there gain properties) and control
    characters an older database may hold (RFC 6350 allows none).
    """
    import vobject

    text = export_text

    card = vobject.vCard()
    card.add("version").value = f"{version}.0"
    card.add("fn").value = text(row["full_name"])
    # Only the parts we know: "Иванов Иван Иванович" and "John Smith" put the family name at opposite ends.
    card.add("n").value = vobject.vcard.Name(
        family=text(row["family_name"] or ""),
        given=text(row["given_name"] or ""),
        additional=text(row["middle_name"] or ""),
    )
    org = [text(part) for part in (row["client"], row["department"]) if part]
    if org:
        card.add("org").value = org
    if row["title"]:
        card.add("title").value = text(row["title"])
    for kind, value, label in methods:
        line = card.add("tel" if kind == "phone" else "email")
        line.value = text(display_phone(value) if kind == "phone" else value)
        if label:
            line.type_param = re.sub(r"[^\w-]", "", label.lower())
    if row["birthday_md"]:
        month, day = row["birthday_md"].split("-")
        bday = card.add("bday")
        if row["birthday_year"]:
            bday.value = f"{row['birthday_year']:04d}{month}{day}"
        elif version == 4:
            bday.value = f"--{month}{day}"
        else:
            bday.value = f"1604-{month}-{day}"
            bday.x_apple_omit_year_param = "1604"
    if row["personal_notes"]:
        card.add("note").value = text(row["personal_notes"])
    if row["external_id"]:
        card.add("uid").value = text(row["external_id"])
    return card


def _fold(line: str) -> str:
    """Fold at 75 octets without splitting a UTF-8 character. (vobject 0.9.9 leaves a line of fewer
    than 75 characters unfolded however many octets it has: 74 Cyrillic letters are 148.)"""
    if len(line) * 4 <= 75 or len(line.encode("utf-8")) <= 75:
        return line
    out: list[str] = []
    current = ""
    size = 0
    for char in line:
        length = len(char.encode("utf-8"))
        if size + length > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += length
    out.append(current)
    return "\r\n".join(out)


def write_vcards(session: Session, handle: IO[str], *, version: int = 4) -> int:
    count = 0
    for row, methods in contact_data(session):
        # vobject writes and escapes the card; the lines are folded here, by octets.
        text = vcard(row, methods, version=version).serialize(lineLength=1_000_000)
        handle.write("".join(_fold(line) + "\r\n" for line in text.split("\r\n") if line))
        count += 1
    return count


# --- iCalendar --------------------------------------------------------------------------------


def write_planner_ics(
    session: Session, handle: IO[bytes], *, zone: tzinfo, now: datetime, alarm_minutes: int = 15
) -> int:
    """Planned calls, visits and meetings as events in the user's zone, with a reminder."""
    from icalendar import Alarm, Calendar, Event
    from icalendar.prop import vText

    def text(value: str) -> str:
        # icalendar escapes a TEXT value's CR, LF, comma, semicolon and backslash; the other line
        # breaks (NEL, U+2028...) and control characters it would write raw.
        return export_text(value)

    def own(name: str, value: str) -> None:
        # An X- property is UNKNOWN to icalendar (written verbatim): say it is TEXT, so that it is
        # escaped like SUMMARY and read back unescaped.
        event.add(name, vText(text(value)), parameters={"VALUE": "TEXT"})

    contacts_by_client: dict[int, list[str]] = {}
    for row, methods in contact_data(session):
        if row["client_id"] is None:
            continue
        phones = [display_phone(value) for kind, value, _ in methods if kind == "phone"]
        label = row["full_name"] + (f" {phones[0]}" if phones else "")
        if row["role"] == "decision_maker":
            contacts_by_client.setdefault(row["client_id"], []).insert(0, label)
        else:
            contacts_by_client.setdefault(row["client_id"], []).append(label)
    client_ids = {row[0]: row[1] for row in session.execute(select(table_of(Client).c.id, table_of(Client).c.phone))}
    name_to_id = {name: client_id for client_id, (name, *_rest) in _client_columns(session).items()}
    calendar = Calendar()
    calendar.add("prodid", "-//amtui//planner//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "amtui planner")
    count = 0
    for row in interaction_rows(session, zone, planned_only=True):
        if row["kind"] not in DEFAULT_MINUTES or row["planned_at"] is None:
            continue
        client_id = name_to_id.get(row["client"])
        event = Event()
        uid = row["external_id"] or f"amtui-interaction-{row['id']}@amtui"
        event.add("uid", text(uid))
        event.add("dtstamp", now.astimezone(UTC))
        start = row["planned_at"]
        event.add("dtstart", start)
        try:
            end = start + timedelta(minutes=row["duration"] or DEFAULT_MINUTES[row["kind"]])
        except OverflowError:  # planned at the very end of year 9999 (an old or imported record)
            end = start.replace(hour=23, minute=59, second=59)
        event.add("dtend", end)
        title = row["subject"] or row["kind"].capitalize()
        event.add("summary", text(f"{row['client']}: {title}" if row["client"] else title))
        location = ", ".join(part for part in (row["place"], row["city"]) if part)
        if location:
            event.add("location", text(location))
        description = [f"Client: {row['client']}"] if row["client"] else []
        if client_id is not None and client_ids.get(client_id):
            description.append(f"Phone: {display_phone(client_ids[client_id])}")
        for contact in (contacts_by_client.get(client_id, []) if client_id is not None else [])[:5]:
            description.append(f"Contact: {contact}")
        if row["subject"]:
            description.append(row["subject"])
        if description:
            event.add("description", text("\n".join(description)))
        event.add("categories", [row["kind"]])
        event.add("x-amtui-kind", row["kind"])
        if row["client"]:
            own("x-amtui-client", row["client"])
        if row["subject"]:
            own("x-amtui-subject", row["subject"])
        if alarm_minutes > 0:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", event["summary"])
            alarm.add("trigger", timedelta(minutes=-alarm_minutes))
            event.add_component(alarm)
        calendar.add_component(event)
        count += 1
    calendar.add_missing_timezones()
    handle.write(calendar.to_ical())
    return count


# --- entry point ------------------------------------------------------------------------------

SUPPORTED = {
    "vcf": ("contacts",),
    "ics": ("planner", "interactions"),
}


def export(
    *,
    session: Session,
    kind: str,
    file_format: str,
    output: Path | None,
    zone: tzinfo,
    now: datetime,
    excel: bool = False,
    vcard_version: int = 4,
    alarm_minutes: int = 15,
) -> int:
    """Write ``kind`` as ``file_format`` to ``output`` (stdout when None); returns the record count."""
    if file_format in SUPPORTED and kind not in SUPPORTED[file_format]:
        allowed = " or ".join(SUPPORTED[file_format])
        raise ValidationError(f"{file_format} export is for {allowed}", field="--format")
    if kind == "planner" and file_format != "ics":
        kind = "interactions"
    if file_format == "xlsx" and output is None:
        raise ValidationError("an XLSX export needs a file: add -o FILE.xlsx", field="--output")
    if file_format == "ics":
        if output is None:
            return write_planner_ics(session, sys.stdout.buffer, zone=zone, now=now, alarm_minutes=alarm_minutes)
        with atomic_open(output, binary=True) as handle:
            return write_planner_ics(session, handle, zone=zone, now=now, alarm_minutes=alarm_minutes)
    if file_format == "xlsx":
        assert output is not None
        with private_partial(output) as partial:
            return write_xlsx(ROWS[kind](session, zone), partial, sheet_title=kind)
    if output is None:
        return _write_text(session, kind, file_format, sys.stdout, excel, vcard_version, zone)
    with atomic_open(output, binary=False, bom=file_format == "csv") as handle:
        return _write_text(session, kind, file_format, handle, excel, vcard_version, zone)


def _write_text(
    session: Session, kind: str, file_format: str, handle: IO[str], excel: bool, vcard_version: int, zone: tzinfo
) -> int:
    if file_format == "vcf":
        return write_vcards(session, handle, version=vcard_version)
    if file_format == "json":
        rows = ROWS[kind](session, zone)
        return write_json(_method_lists(rows) if kind == "contacts" else rows, handle)
    return write_csv(ROWS[kind](session, zone), handle, excel=excel)


__all__ = ["export", "neutralise"]
