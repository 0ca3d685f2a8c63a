"""Write the hostile-text corpus (run from the repository root: ``python tests/hostile/make_corpus.py``).

Each case is a name a real file may carry (escape sequences, bidi overrides, line separators, C1
controls, Rich markup) and what amtui stores for it; every format the importer reads gets the
cases. ``expected.json`` lists, per file, the import kind and the rows the import must store.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

HERE = Path(__file__).parent

# (category, raw name, stored name)
NAMES: list[tuple[str, str, str]] = [
    ("escape", "Evil\x1b]0;PWNED\x07\x1b[2J\x1b[31mRED Corp", "Evil]0;PWNED[2J[31mRED Corp"),
    ("escape", "\x1b]8;;http://evil.example\x1b\\Click\x1b]8;;\x1b\\ Ltd", "]8;;http://evil.example\\Click]8;;\\ Ltd"),
    ("escape", "Good\x08\x08\x08\x08Evil Co", "GoodEvil Co"),
    ("escape", "Nul\x00l Co", "Null Co"),
    ("escape", "De\x7fl Co", "Del Co"),
    ("c1", "CSI\x9b2J Co", "CSI2J Co"),
    ("c1", "NEL\x85Break Co", "NEL Break Co"),
    ("bidi", "Invoice\u202egpj.exe Co", "Invoicegpj.exe Co"),
    ("bidi", "Iso\u2066late\u2069d\u2067 Co", "Isolated Co"),
    ("bidi", "Embed\u202a\u202b\u202c Co", "Embed Co"),
    ("separator", "Line\u2028Two Co", "Line Two Co"),
    ("separator", "Para\u2029Graph Co", "Para Graph Co"),
    ("separator", "Tab\tbed Co", "Tab bed Co"),
    ("separator", "Vertical\x0bFeed\x0cCo", "Vertical Feed Co"),
    ("markup", "Fix [/] bracket Co", "Fix [/] bracket Co"),
    ("markup", "[urgent] fix Co", "[urgent] fix Co"),
    ("markup", "[bold red]Loud[/bold red] Co", "[bold red]Loud[/bold red] Co"),
    ("markup", "[@click=app.quit]Quit[/] Co", "[@click=app.quit]Quit[/] Co"),
    ("plain", "שלום Co مرحبا", "שלום Co مرحبا"),
]
NEEDS_RAW = "first\u2028second\x9b[2J\r\nthird\x85fourth\u202e"
NEEDS_STORED = "first\nsecond[2J\nthird\nfourth"


# What each format can carry: a text file with a NUL is refused as binary (a clear error, tested
# elsewhere), XML 1.0 (XLSX) cannot hold C0 controls but tab, LF and CR.
def _fits(fmt: str, raw: str) -> bool:
    if fmt == "json":
        return True
    if fmt == "xlsx":
        return not any(ord(ch) < 0x20 and ch not in "\t\n\r" for ch in raw)
    return "\x00" not in raw


def cases(fmt: str) -> list[tuple[str, str, str]]:
    return [case for case in NAMES if _fits(fmt, case[1])]


def _name_rows(fmt: str) -> list[list[str]]:
    return [[raw, NEEDS_RAW if index == 0 else ""] for index, (_, raw, _) in enumerate(cases(fmt))]


def clients_csv() -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["name", "needs"])
    writer.writerows(_name_rows("csv"))
    return out.getvalue().encode("utf-8")


def clients_json() -> bytes:
    records = [{"name": raw, "needs": needs} if needs else {"name": raw} for raw, needs in _name_rows("json")]
    return (json.dumps(records, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _xlsx_text(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text).replace("\r", "&#13;")  # a raw CR would be read as a line end by the XML parser


def clients_xlsx() -> bytes:
    rows = [["name", "needs"], *_name_rows("xlsx")]
    sheet_rows = []
    for number, row in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{"AB"[col]}{number}" t="inlineStr"><is><t xml:space="preserve">{_xlsx_text(value)}</t></is></c>'
            for col, value in enumerate(row)
            if value
        )
        sheet_rows.append(f'<row r="{number}">{cells}</row>')
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Clients" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + "".join(sheet_rows)
        + "</sheetData></worksheet>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()


def _vcard_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")


# Line breaks inside a vCard or iCalendar line other than CR/LF are part of the value, not a new property.
VCARD_CASES = cases("vcf")


def contacts_vcf() -> bytes:
    cards = []
    for index, (_, raw, _) in enumerate(VCARD_CASES):
        cards.append(
            "BEGIN:VCARD\r\nVERSION:3.0\r\n"
            f"FN:{_vcard_text(raw)} {index}\r\n"
            f"ORG:Org {_vcard_text(raw)}\r\n"
            f"TITLE:T\u2028TEL:+7 999 000-00-{index:02d}\r\n"
            "END:VCARD\r\n"
        )
    return "".join(cards).encode("utf-8")


def interactions_ics() -> bytes:
    events = []
    for index, (_, raw, _) in enumerate(VCARD_CASES):
        events.append(
            "BEGIN:VEVENT\r\n"
            f"UID:hostile-{index}@example.com\r\n"
            f"DTSTAMP:20261120T090000Z\r\nDTSTART:202612{index + 1:02d}T090000Z\r\nDTEND:202612{index + 1:02d}T093000Z\r\n"
            f"SUMMARY:Call {_vcard_text(raw)}\r\n"
            f"LOCATION:Room\u2028X-INJECTED:1 {index}\r\n"
            "END:VEVENT\r\n"
        )
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//hostile//corpus//EN\r\n" + "".join(events) + "END:VCALENDAR\r\n"
    ).encode("utf-8")


def expected() -> dict[str, dict[str, object]]:
    def table(fmt: str) -> dict[str, object]:
        names = [[stored, NEEDS_STORED if index == 0 else None] for index, (_, _, stored) in enumerate(cases(fmt))]
        return {"kind": "clients", "query": "SELECT name, needs FROM client ORDER BY id", "rows": names}

    vcard_rows = [
        [f"{stored} {index}", "T TEL:+7 999 000-00-" + f"{index:02d}", f"Org {stored}"]
        for index, (_, _, stored) in enumerate(VCARD_CASES)
    ]
    ics_rows = [[f"Call {stored}", f"Room X-INJECTED:1 {index}"] for index, (_, _, stored) in enumerate(VCARD_CASES)]
    return {
        "clients.csv": table("csv"),
        "clients.json": table("json"),
        "clients.xlsx": table("xlsx"),
        "contacts.vcf": {
            "kind": "contacts",
            "query": "SELECT full_name, title, (SELECT name FROM client WHERE id = client_id) FROM contact ORDER BY id",
            "rows": vcard_rows,
        },
        "interactions.ics": {
            "kind": "interactions",
            "setup": [["client", "add", "Corpus Co"]],
            "options": ["--from", "01.12.2026", "--to", "31.12.2026", "--client", "Corpus Co"],
            "query": "SELECT subject, place FROM interaction ORDER BY planned_at",
            "rows": ics_rows,
        },
        "categories": {
            "names": [[category, raw.encode("unicode_escape").decode("ascii")] for category, raw, _ in NAMES]
        },
    }


def main() -> None:
    for name, data in (
        ("clients.csv", clients_csv()),
        ("clients.json", clients_json()),
        ("clients.xlsx", clients_xlsx()),
        ("contacts.vcf", contacts_vcf()),
        ("interactions.ics", interactions_ics()),
    ):
        (HERE / name).write_bytes(data)
    (HERE / "expected.json").write_text(json.dumps(expected(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
