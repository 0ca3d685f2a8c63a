"""The vCard reader's shorter way for the common card (issue 11: 100k cards in a few seconds) gives exactly
what vobject's whole tree gives: the same contact fields, the same broken cards with the same lines and
messages, on a generated mixed corpus, on hand-written odd cards and on the real samples."""

from __future__ import annotations

import csv
import itertools
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from amtui.formats import vcard
from tests.vcard_corpus import corpus

HOSTILE = Path(__file__).parent / "hostile" / "contacts.vcf"
QUIRKS = Path(__file__).parent / "fixtures" / "quirks"


def _both(path: Path) -> list[Any]:
    fast = list(vcard.read_vcards(path))
    assert fast == list(vcard.read_vcards(path, whole_tree=True))
    return fast


def test_a_mixed_corpus_reads_as_vobjects_whole_tree_and_mostly_the_short_way(tmp_path: Path) -> None:
    path = tmp_path / "book.vcf"
    path.write_bytes(corpus(600))
    cards = _both(path)
    assert len(cards) == 600
    by_line = {line: values for line, values, _ in cards}
    # The cards a phone writes, read right (not only the same both ways).
    assert cards[0][1] == {
        "full_name": "Иванов 0, Иван",  # an escaped comma
        "given_name": "Иван",
        "middle_name": "Петрович",
        "family_name": "Иванов 0",
        "client": "Ромашка",
        "department": "Отдел продаж / Восток",
        "title": "Head of Procurement, EMEA",
        "phone": ["+7 495 0000000", "+49 30 0000000"],
        "email": ["person0@example.com"],
        "birthday": "1960-01-01",
    }
    assert cards[3][1]["full_name"] == "Анна Müller 3"  # vCard 2.1, quoted-printable
    # a fold in "с"; the whole text after an unescaped comma (vobject kept "... после 11:00")
    assert cards[3][1]["personal_notes"] == "Встреча на выставке\nлюбит гольф; звонить после 11:00, не раньше"
    assert cards[5][1]["email"] == ["person5@example.com", "анна.5@почта.рф"] and "full_name" not in cards[5][1]
    assert cards[10][1]["phone"] == ["+7 495 0000010", "+49 30 0000010", "+1-555-0010"]  # a tel: URI
    broken = [(line, values["_broken"]) for line, values in by_line.items() if "_broken" in values]
    assert len(broken) == 26  # a line that is no property (every 97th card), no END (every 31st)
    assert any("Failed to parse line: this line is no property" in reason for _, reason in broken)
    assert any("never closed" in reason for _, reason in broken)
    # Most cards take the short way: vobject builds no tree for them.
    blocks = [block for _, block in vcard._card_blocks(path)]
    short = sum(vcard._read_properties(block) is not None for block in blocks)
    cleaned = sum(vcard._read_properties(vcard._clean_lines(block)) is not None for block in blocks)
    assert short >= 400 and cleaned >= 570


def test_the_real_samples_and_the_fixtures_read_the_same_either_way(samples: Path) -> None:
    files = [*sorted((samples / "vcf").glob("*.vcf")), *sorted(QUIRKS.glob("*.vcf")), HOSTILE]
    assert len(files) >= 7
    for path in files:
        assert _both(path), path


ODD_CARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Plain\\, Comma\r\nN:Doe;John,Jim;;;\r\nEND:VCARD\r\n"  # line 1
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bare CR\r folded\r\nEND:VCARD\r\n"  # 6: a fold after a bare CR
    "BEGIN:VCARD\r\nVERSION:3.0\r\nPROFILE:VCARD\r\nFN:Profiled\r\nEND:VCARD\r\n"  # 10
    "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Agent\r\nAGENT:\r\nEND:VCARD\r\n"  # 15
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bad base64\r\nX-BLOB;ENCODING=b:!!!\r\nEND:VCARD\r\n"  # 20
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Wrong end\r\nEND:VCALENDAR\r\n"  # 25
    'BEGIN:VCARD\r\nVERSION:3.0\r\nFN;X-Q="a:b;c":Quoted: param\r\nTEL;TYPE="work,voice":123\r\nEND:VCARD\r\n'  # 29
    "BEGIN:VCARD\r\nVERSION:4.0\r\nitem1.EMAIL;TYPE=INTERNET:a@b.example\r\nX_LOTUS:x\r\n\r\nEND:VCARD\r\n"  # 34
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Photo\r\nPHOTO;VALUE=uri:http://example.com/a.jpg\r\nEND:VCARD\r\n"  # 40
    "BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE;ENCODING=QUOTED-PRINTABLE:caf=C3=A9=\r\n au lait\r\n"  # 45
    "FN:QP\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Junk after the end\r\nEND:VCARD\r\nthis is no line\r\n"  # 51
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:\\;semi\\,colon\\\\;x\\ny;;;\r\nORG:A\\, B;C,D;\r\nEND:VCARD\r\n"  # 56
    "begin:vcard\r\nversion:3.0\r\nfn:lower case\r\nend:vcard\r\n"  # 61
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Outlook\r\nORG:Acme, Inc.;Sales,Marketing\r\nEND:VCARD\r\n"  # 65
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:No end\r\n"  # 70
)


def test_odd_cards_go_to_vobjects_whole_tree_and_read_as_it_reads_them(tmp_path: Path) -> None:
    path = tmp_path / "odd.vcf"
    path.write_bytes(ODD_CARDS.encode())
    cards = {line: values for line, values, _ in _both(path)}
    assert cards[1] == {"full_name": "Plain, Comma", "given_name": "John Jim", "family_name": "Doe"}
    assert cards[6] == {"full_name": "Bare CRfolded"}
    assert cards[10] == {"full_name": "Profiled"} and cards[15] == {"full_name": "Agent"}
    assert cards[25] == {"_broken": "cannot read the card: At line 7: VCARD component wasn't closed"}
    assert cards[29] == {"full_name": "Quoted: param", "phone": ["123"]}
    assert cards[34] == {"email": ["a@b.example"]}
    assert cards[40] == {"full_name": "Photo"}
    assert cards[45] == {"full_name": "QP", "personal_notes": "café=au lait"}
    assert cards[51] == {"full_name": "Junk after the end"}
    assert cards[56] == {"given_name": "x\ny", "family_name": ";semi,colon\\", "client": "A, B", "department": "C,D"}
    assert cards[61] == {"full_name": "lower case"}
    # vobject splits an ORG unit at an unescaped comma; that was a traceback that stopped the import
    assert cards[65] == {"full_name": "Outlook", "client": "Acme, Inc.", "department": "Sales,Marketing"}
    assert cards[70] == {"_broken": "cannot read the card: At line 5: Component VCARD was never closed"}
    # Which go the short way from the file as it is, and which to cleaning or vobject's whole tree.
    blocks = dict(vcard._card_blocks(path))
    short = {line for line, block in blocks.items() if vcard._read_properties(block) is not None}
    assert short == {1, 15, 29, 34, 51, 56, 61, 65}


def test_values_without_a_backslash_split_as_vobject_splits_them() -> None:
    from vobject.icalendar import stringToTextValues
    from vobject.vcard import splitFields

    for size in range(6):
        for letters in itertools.product("a,;\\n", repeat=size):
            value = "".join(letters)
            assert vcard._fields(value) == splitFields(value), value
            if "\\" not in value:
                for separator in ",;":
                    assert vcard._split(value, separator) == stringToTextValues(value, separator, separator), value


def _whole_text(value: str) -> str:
    """A text value as the user wrote it: vobject's escapes undone, unescaped commas kept."""
    text, escaped = [], False
    for char in value:
        if escaped:
            text.append("\n" if char in "nN" else char if char in '\\;,"' else "\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            text.append(char)
    return "".join(text) + ("\\" if escaped else "")


@pytest.mark.parametrize("letters", ["a,;\\n", "x ,\\N;"])
def test_every_property_we_read_decodes_as_vobject_decodes_it_keeping_a_texts_commas(letters: str) -> None:
    import vobject
    from vobject.icalendar import stringToTextValues

    texts = {"fn", "title", "tel", "note", "uid"}
    for size in range(4):
        for chosen in itertools.product(letters, repeat=size):
            value = "".join(chosen)
            text = "".join(f"{name}:{value}\r\n" for name in ("FN", "N", "ORG", "TITLE", "TEL", "NOTE", "UID"))
            card = f"BEGIN:VCARD\r\nVERSION:3.0\r\n{text}END:VCARD\r\n"
            tree = vobject.readOne(card)
            wanted = vcard._WANTED & tree.contents.keys()
            expected = {key: [child.value for child in tree.contents[key]] for key in wanted}
            whole = _whole_text(value)
            if "," not in value.replace("\\\\", "").replace("\\,", "") and not value.endswith("\\"):
                assert stringToTextValues(value) == [whole], value  # no bare comma: vobject's text too
            expected.update({key: [whole] for key in texts})  # N and ORG: vobject's own splitting
            assert vcard._read_properties(card) == expected, value
            assert vcard._tree_properties(vobject.readOne(card), card) == {**tree_values(tree), **expected}, value


def tree_values(tree: Any) -> dict[str, list[Any]]:
    return {key: [child.value for child in children] for key, children in tree.contents.items()}


def test_a_line_outside_the_heads_pattern_is_parsed_by_vobject_and_inside_it_gives_vobjects_value() -> None:
    """``_HEAD`` (a name, unquoted parameters) before the first colon: vobject's ``parseLine`` reads the
    same name and value; every line of a small alphabet."""
    from vobject.base import ParseError, parseLine

    checked = 0
    for size in range(1, 8):
        for chosen in itertools.product(["A", ".", ";", "=", ",", ":", '"', " "], repeat=size):
            line = "".join(chosen)
            head, colon, value = line.partition(":")
            match = vcard._HEAD.fullmatch(head) if colon else None
            if match is None:
                continue
            try:
                name, _params, parsed, _group = parseLine(line)
            except ParseError:
                raise AssertionError(line) from None
            assert (name, parsed) == (match.group(1), value), line
            checked += 1
    assert checked > 1000


OUTLOOK = (
    "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Doe, John\r\nN:Doe;John\r\nTITLE:Head of Sales, EMEA\r\n"  # line 1
    "NOTE:a, b\\, c,\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Roe,\r\n  Jane\r\nNOTE:x,y\\\r\nX-B;ENCODING=b:QUJD\r\nEND:VCARD\r\n"  # 8
    "BEGIN:VCARD\r\nVERSION:2.1\r\nFN;ENCODING=QUOTED-PRINTABLE:M=C3=BCller, Anna\r\n"  # 15: quoted-printable
    "PHOTO;ENCODING=BASE64:AAAA\r\n\r\nNOTE;CHARSET=UTF-8:one, two\r\nEND:VCARD\r\n"
)


def test_an_unescaped_comma_in_a_text_keeps_the_whole_text_both_ways(tmp_path: Path) -> None:
    """vCard 2.1 writers (Outlook) do not escape commas: vobject kept "Doe" of ``FN:Doe, John``."""
    path = tmp_path / "outlook.vcf"
    path.write_bytes(OUTLOOK.encode())
    cards = {line: values for line, values, _ in _both(path)}
    assert cards[1] == {
        "full_name": "Doe, John",
        "given_name": "John",
        "family_name": "Doe",
        "title": "Head of Sales, EMEA",
        "personal_notes": "a, b, c,",
    }
    assert cards[8] == {"full_name": "Roe, Jane", "personal_notes": "x,y\\"}
    assert cards[15] == {"full_name": "Müller, Anna", "personal_notes": "one, two"}
    blocks = dict(vcard._card_blocks(path))
    assert vcard._read_properties(blocks[1]) is not None and vcard._read_properties(blocks[8]) is None


def test_an_outlook_card_imports_with_its_whole_name(cli, db_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "outlook.vcf"
    path.write_bytes(OUTLOOK.encode())
    result = cli("import", "contacts", str(path))
    assert result.exit_code == 0, result.output
    connection = sqlite3.connect(db_path)
    try:
        stored = connection.execute("SELECT full_name, title, personal_notes FROM contact ORDER BY id").fetchall()
    finally:
        connection.close()
    assert stored == [
        ("Doe, John", "Head of Sales, EMEA", "a, b, c,"),
        ("Roe, Jane", None, "x,y\\"),
        ("Müller, Anna", None, "one, two"),
    ]


def test_an_import_with_skip_bad_writes_the_rejected_cards_fields_as_text(cli, db_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "book.vcf"
    path.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good One\r\nORG:Acme, Inc.\r\nEMAIL:good@example.com\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bad Day\r\nN:Day;Bad;;;\r\nORG:Acme;Sales,Marketing\r\n"
        b"TEL:+7 495 123-45-67\r\nTEL:8 (812) 555-12-34\r\nBDAY:1990-02-31\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken\r\nthis is no property\r\nEND:VCARD\r\n"
    )
    result = cli("import", "contacts", str(path), "--skip-bad")
    assert result.exit_code == 0, result.output
    connection = sqlite3.connect(db_path)
    try:
        stored = connection.execute("SELECT c.full_name, k.name FROM contact c JOIN client k ON k.id = c.client_id")
        assert stored.fetchall() == [("Good One", "Acme, Inc.")]
    finally:
        connection.close()
    with path.with_name("book.vcf.rejects.csv").open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    assert table[0] == [
        "line", "error", "full_name", "given_name", "family_name", "client", "department", "phone", "birthday"
    ]  # fmt: skip
    assert table[1][0] == "7" and table[1][1].startswith("birthday: ")
    assert table[1][2:] == [
        "Bad Day",
        "Bad",
        "Day",
        "Acme",
        "Sales,Marketing",
        "+7 495 123-45-67;8 (812) 555-12-34",
        "1990-02-31",
    ]
    assert table[2][0] == "16" and "Failed to parse line: this is no property" in table[2][1]


def test_a_line_that_would_hang_vobjects_parser_is_one_broken_card_with_vobjects_message(tmp_path: Path) -> None:
    """vobject's line pattern backtracks exponentially on a line it cannot parse ("X" + ";a=b,c" * 12 + " ":
    25 s, each parameter more 4x): such a line is found without it, and named as vobject names it."""
    import subprocess
    import sys

    import vobject

    small = "X-HANG" + ";a=b,c" * 3 + " no colon"
    card = f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Slow\r\n{small}\r\nEND:VCARD\r\n"
    with pytest.raises(vobject.base.ParseError) as raised:
        vobject.readOne(card)
    path = tmp_path / "small.vcf"
    path.write_text(card + card.replace("Slow", "Fine").replace(small + "\r\n", ""), encoding="utf-8")
    cards = _both(path)
    assert cards[0][1] == {"_broken": f"cannot read the card: {str(raised.value)[:200]}"}
    assert cards[1][0] == 6 and cards[1][1] == {"full_name": "Fine"}

    huge = "X-HANG" + ";a=b,c" * 40 + " no colon"  # ~10^24 steps for vobject's pattern
    path = tmp_path / "hang.vcf"
    path.write_text(f"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Slow\r\n{huge}\r\nEND:VCARD\r\n", encoding="utf-8")
    script = (
        "import sys; from pathlib import Path; from amtui.formats.vcard import read_vcards; "
        "print([values for _, values, _ in read_vcards(Path(sys.argv[1]))])"
    )
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    # vobject counts a CRLF as two lines (sic): its own number
    assert "cannot read the card: At line 7: Failed to parse line: X-HANG;a=b,c;a=b,c" in done.stdout


def _blocks_line_by_line(path: Path) -> list[tuple[int, str]]:
    """The cards of a file read line by line (the reader's way before it read blocks of lines)."""
    import re

    begin = re.compile(rb"BEGIN:VCARD\s*$", re.IGNORECASE)
    encoding = vcard.detect_encoding(path)
    cards: list[tuple[int, str]] = []
    card: list[bytes] = []
    start = 0
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if begin.match(raw):
                if card:
                    cards.append((start, vcard._decode(b"".join(card), encoding)))
                card, start = [raw], number
            elif card:
                card.append(raw)
    if card:
        cards.append((start, vcard._decode(b"".join(card), encoding)))
    return cards


@pytest.mark.parametrize("block", [1, 7, 100, 1 << 20])
def test_cards_are_cut_from_blocks_of_lines_as_from_single_lines(
    tmp_path: Path, samples: Path, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    monkeypatch.setattr(vcard, "_BLOCK_BYTES", block)
    book = corpus(120)
    texts = [
        book,
        b"\xef\xbb\xbfjunk before\r\n" + book + b"trailing junk without an end of line",
        b"\xef\xbb\xbf" + book,
        book.replace(b"BEGIN:VCARD\r\n", b"begin:vcard \t\r\n", 5).rstrip(b"\r\n"),
        b"BEGIN:VCARD\nFN:LF only\nEND:VCARD\nBEGIN:VCARDX\nBEGIN:VCARD\x0b\r\nFN:x\nEND:VCARD",
        b"no card here\n",
        b"",
    ]
    files = [*sorted((samples / "vcf").glob("*.vcf")), *sorted(QUIRKS.glob("*.vcf")), HOSTILE]
    for index, text in enumerate(texts):
        path = tmp_path / f"book{index}.vcf"
        path.write_bytes(text)
        files.append(path)
    for path in files:
        assert list(vcard._card_blocks(path)) == _blocks_line_by_line(path), path


def test_a_large_vcard_import_makes_the_dropped_indexes_again(  # type: ignore[no-untyped-def]
    db_url: str, db_path: Path, tmp_path: Path, now, zone, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large import drops the contacts' indexes and their phones' and e-mails' (SQLite), and makes them
    again once at the end, or leaves them as they were when the import is rolled back."""
    from amtui.db import open_engine, session_scope
    from amtui.formats import importer
    from amtui.formats.importer import ImportOptions, import_file

    monkeypatch.setattr(importer, "REBUILD_INDEXES_MIN_ROWS", 50)
    monkeypatch.setattr(importer, "BATCH_ROWS", 40)
    dropped: list[str] = []
    drop = importer.drop_indexes
    monkeypatch.setattr(importer, "drop_indexes", lambda raw, table: dropped.append(table) or drop(raw, table))
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nORG:Firm {f}\r\nTEL:+7 495 {n:07d}\r\n{more}END:VCARD\r\n"
    path, bad = tmp_path / "book.vcf", tmp_path / "bad.vcf"
    path.write_text("".join(card.format(n=n, f=n // 10, more=f"EMAIL:p{n}@example.com\r\n") for n in range(300)))
    more = "".join(card.format(n=n, f=n // 10, more=f"EMAIL:p{n}@example.com\r\n") for n in range(300, 1000))
    bad.write_text(more + card.format(n=1000, f=1, more="BDAY:31.02.1990\r\n"))  # the bad card comes last
    engine = open_engine(db_url)
    tables = "('contact', 'contact_method')"
    index_sql = f"SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN {tables}"
    indexes = rows_of(db_path, index_sql + " ORDER BY name")
    assert len(indexes) >= 6
    options = ImportOptions(now=now, zone=zone)
    with session_scope(engine) as session:
        summary = import_file(session=session, kind="contacts", path=path, options=options)
    assert summary.created == 300 and summary.written
    assert dropped == ["contact", "contact_method"]
    assert rows_of(db_path, index_sql + " ORDER BY name") == indexes
    assert rows_of(db_path, "PRAGMA integrity_check") == [("ok",)]
    assert rows_of(db_path, "SELECT count(*), count(DISTINCT value_norm) FROM contact_method") == [(600, 600)]
    found = "SELECT c.full_name FROM contact c JOIN contact_method m ON m.contact_id = c.id WHERE m.value_norm = ?"
    connection = sqlite3.connect(db_path)
    try:
        assert connection.execute(found, ("p299@example.com",)).fetchall() == [("Person 299",)]
    finally:
        connection.close()
    dropped.clear()
    with session_scope(engine) as session:  # 700 more cards written in batches, then a bad one: rolled back
        summary = import_file(session=session, kind="contacts", path=bad, options=options)
    assert not summary.written and summary.rejected == 1
    assert dropped == ["contact", "contact_method"]
    assert rows_of(db_path, index_sql + " ORDER BY name") == indexes
    assert rows_of(db_path, "SELECT count(*) FROM contact_method") == [(600,)]
    engine.dispose()


def rows_of(db_path: Path, sql: str) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(db_path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()
