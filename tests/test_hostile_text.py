"""Issue 11, terminal and document injection: control characters never enter, never reach a terminal,
a mail or a document raw; exports escape every line break; hostile names survive a round trip."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FROZEN_NOW, ZONE

ESCAPES = "Evil\x1b]0;PWNED\x07\x1b[2J\x1b[31mRED Corp"
# Every character the issue names, one per case (id, text).
UNSAFE_CASES = [
    ("esc", "A\x1b[2JB"),
    ("bel", "A\x07B"),
    ("nul", "A\x00B"),
    ("cr", "A\rB"),
    ("lf", "A\nB"),
    ("tab", "A\tB"),
    ("del", "A\x7fB"),
    ("nel", "A\x85B"),
    ("csi-c1", "A\x9b2JB"),
    ("rlo", "A\u202eB"),
    ("lre", "A\u202aB"),
    ("rli", "A\u2067B"),
    ("pdi", "A\u2069B"),
    ("line-sep", "A\u2028B"),
    ("para-sep", "A\u2029B"),
]
# What must never come out on a terminal: C0 but LF and TAB, DEL, C1, bidi controls, U+2028/2029.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _new_database(path: Path) -> Path:
    """A named database must exist before a command uses it (``amtui init``)."""
    from typer.testing import CliRunner

    from amtui.cli import app

    assert CliRunner().invoke(app, ["init", str(path)]).exit_code == 0
    return path


def rows(db_path: Path, sql: str) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(db_path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def poison(db_path: Path, sql: str, *params: Any) -> None:
    """Write straight into the file, as an older amtui (or another program) could have."""
    connection = sqlite3.connect(db_path)
    try:
        connection.execute(sql, params)
        connection.commit()
    finally:
        connection.close()


# --- entry: one rule for every service --------------------------------------------------------------------------


@pytest.mark.parametrize(("case", "text"), UNSAFE_CASES, ids=[case for case, _ in UNSAFE_CASES])
def test_services_refuse_control_characters_in_a_name(session, case: str, text: str) -> None:
    from amtui.services.clients import create_client
    from amtui.services.errors import ValidationError

    with pytest.raises(ValidationError) as raised:
        create_client(session=session, name=text)
    assert raised.value.field == "name"
    assert re.search(r"U\+[0-9A-F]{4}", str(raised.value)) and "position 2" in str(raised.value)
    session.rollback()


def test_every_service_path_is_guarded(engine, now) -> None:
    """Not only clients: people, plans, tasks, notes, deals; create and edit. Each in its own unit of work."""
    from amtui.db import session_scope
    from amtui.services import clients, contacts, interactions, records, tasks
    from amtui.services.errors import ValidationError

    with session_scope(engine) as session:
        client_id = clients.create_client(session=session, name="Acme").id
    bad = "x\x1b]0;t\x07"
    attempts: list[tuple[str, Any]] = [
        ("full_name", lambda s: contacts.create_contact(session=s, client_id=client_id, full_name=bad)),
        ("email", lambda s: contacts.create_contact(
            session=s, client_id=client_id, full_name="A", emails=[bad + "@x.ru"])),
        ("subject", lambda s: interactions.plan_interaction(
            session=s, client_id=client_id, kind="call", at=now + timedelta(days=1), subject=bad)),
        ("title", lambda s: tasks.create_task(session=s, title=bad, now=now, zone=ZONE)),
        ("text", lambda s: records.add_note(session=s, client_id=client_id, text=bad, now=now)),
        ("title", lambda s: records.create_deal(session=s, client_id=client_id, title=bad)),
        ("city", lambda s: clients.update_client(session=s, client_id=client_id, city="Ka\u202ezan")),
    ]  # fmt: skip
    for field, attempt in attempts:
        with pytest.raises(ValidationError) as raised, session_scope(engine) as session:
            attempt(session)
        assert raised.value.field == field, (field, str(raised.value))
    with session_scope(engine) as session:
        assert clients.get_client(session=session, client_id=client_id).city is None
    for table in ("contact", "interaction", "task", "note", "deal"):
        with engine.connect() as connection:
            assert connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() == 0, table


def test_multi_line_fields_keep_their_lines(session, now) -> None:
    from amtui.services import clients, records
    from amtui.services.errors import ValidationError

    client = clients.create_client(session=session, name="Acme", needs="one\r\ntwo\rthree\n\tfour")
    assert client.needs == "one\ntwo\nthree\n\tfour"
    note = records.add_note(session=session, client_id=client.id, text="line 1\nline 2", now=now)
    assert note.text == "line 1\nline 2"
    with pytest.raises(ValidationError, match="U\\+2028"):
        records.add_note(session=session, client_id=client.id, text="line 1\u2028line 2", now=now)
    session.rollback()


def test_an_old_bad_name_does_not_block_other_edits(cli, db_path: Path) -> None:
    assert cli("client", "add", "Acme").exit_code == 0
    poison(db_path, "UPDATE client SET name = ? WHERE id = 1", ESCAPES)
    edited = cli("client", "edit", "1", "--city", "Kazan")
    assert edited.exit_code == 0, edited.output
    renamed = cli("client", "edit", "1", "--name", "Still\x1b[2J bad")
    assert renamed.exit_code == 1
    assert rows(db_path, "SELECT name, city FROM client") == [(ESCAPES, "Kazan")]
    # A form sends every field back: the old name unchanged is not a new entry.
    from amtui.db import open_engine, session_scope
    from amtui.services.clients import update_client

    engine = open_engine(f"sqlite:///{db_path}")
    try:
        with session_scope(engine) as session:
            update_client(session=session, client_id=1, name=ESCAPES, city="Omsk")
    finally:
        engine.dispose()
    assert rows(db_path, "SELECT name, city FROM client") == [(ESCAPES, "Omsk")]


def test_cli_argument_refused_with_one_line_and_nothing_written(cli, db_path: Path) -> None:
    result = cli("client", "add", ESCAPES)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("amtui: error: name: contains a control character (U+001B ESC)")
    assert "Traceback" not in result.output and "\x1b" not in result.output
    assert rows(db_path, "SELECT count(*) FROM client") == [(0,)]


def test_import_strips_with_a_warning(cli, db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        'name,city,needs\n"Evil\x1b]0;PWNED\x07 Corp","Ka\u202ezan","one\r\ntwo\x0bthree"\n"Plain","Omsk",""\n',
        encoding="utf-8",
        newline="",
    )
    result = cli("import", "clients", str(path))
    assert result.exit_code == 0, result.output
    assert "2 created" in result.output
    assert "c.csv:2: name: removed U+001B ESC, U+0007 BEL" in result.output
    assert "c.csv:2: city: removed U+202E RLO" in result.output
    assert "needs: removed U+000B VT" in result.output and "U+000D" not in result.output
    assert rows(db_path, "SELECT name, city, needs FROM client ORDER BY id") == [
        ("Evil]0;PWNED Corp", "Kazan", "one\ntwo\nthree"),
        ("Plain", "Omsk", None),
    ]


# --- output: nothing raw on a terminal, in a pipe or in a mail ---------------------------------------------------


@pytest.fixture
def hostile_db(cli, db_path: Path) -> Path:
    """An older database holding escape sequences, bidi overrides and line breaks in its names."""
    assert cli("client", "add", "Acme").exit_code == 0
    assert cli("contact", "add", "Acme", "Ivan").exit_code == 0
    assert cli("plan", "call", "Acme", "--at", "26.11.2026 10:00", "--subject", "Prices").exit_code == 0
    assert cli("task", "add", "Chase", "--client", "Acme", "--due", "20.11.2026").exit_code == 0
    poison(db_path, "UPDATE client SET name = ?, city = ? WHERE id = 1", ESCAPES + "\u202e\x85\x9b", "C\u2028ity")
    poison(db_path, "UPDATE contact SET full_name = ? WHERE id = 1", "Iv\x1b]2;x\x07an")
    poison(db_path, "UPDATE interaction SET subject = ? WHERE id = 1", "Pri\x1b[2Jces\rX")
    poison(db_path, "UPDATE task SET title = ? WHERE id = 1", "Ch\x1b[31mase\u2066")
    return db_path


def _run(db_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, AMTUI_NOW=FROZEN_NOW.isoformat())
    return subprocess.run(
        [sys.executable, "-m", "amtui", "--db", str(db_path), *args], capture_output=True, env=env, timeout=120
    )


def _assert_clean(data: bytes, what: str) -> None:
    assert b"\x1b" not in data and b"\x07" not in data, (what, data[:400])
    text = data.decode("utf-8")
    found = RAW_CONTROL.search(text)
    assert found is None, (what, found and hex(ord(found.group())), text[:400])


@pytest.mark.parametrize(
    "args",
    [
        ("client", "list"),
        ("client", "show", "1"),
        ("client", "list", "--json"),
        ("digest",),
        ("digest", "--format", "markdown"),
        ("digest", "--format", "html"),
        ("digest", "--format", "json"),
        ("alerts",),
        ("today",),
        ("search", "acme"),
        ("task", "list"),
        ("planned", "list"),
        ("client", "show", "Evil\x1b]0;x\x07"),  # an error message quoting the argument
    ],
    ids=lambda args: "-".join(arg.replace("\x1b]0;x\x07", "OSC") for arg in args),
)
def test_real_process_prints_no_control_bytes(hostile_db: Path, args: tuple[str, ...]) -> None:
    result = _run(hostile_db, *args)
    assert b"Traceback" not in result.stderr, result.stderr
    _assert_clean(result.stdout, "stdout")
    _assert_clean(result.stderr, "stderr")
    if args[-1] != "Evil\x1b]0;x\x07":
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip()
    if args == ("client", "list", "--json"):  # JSON keeps the data, written as \u escapes
        import json

        clients = json.loads(result.stdout)
        assert clients[0]["name"] == ESCAPES + "\u202e\x85\x9b"


def test_digest_on_a_terminal_keeps_its_colours_but_not_the_names_escapes(hostile_db: Path) -> None:
    import pty

    env = dict(os.environ, AMTUI_NOW=FROZEN_NOW.isoformat(), TERM="xterm-256color")
    env.pop("NO_COLOR", None)
    command = [sys.executable, "-m", "amtui", "--db", str(hostile_db), "digest"]
    output = bytearray()
    pid, fd = pty.fork()
    if pid == 0:  # the child: the digest on a terminal
        os.execvpe(command[0], command, env)
    try:
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            output.extend(data)
    finally:
        os.waitpid(pid, 0)
    text = output.decode("utf-8")
    assert "\x1b[1m" in text  # rich's own bold: colour still works
    assert "\x1b]0;" not in text  # no window title
    assert "\x07" not in text
    assert "\x1b[2J" not in text  # no clearing of the screen
    assert "Evil\ufffd]0;PWNED\ufffd" in text


def test_mail_parts_are_safe(hostile_db: Path) -> None:
    from amtui.db import open_engine, read_scope
    from amtui.services.alerts import compute_alerts
    from amtui.services.digest import build_digest, render_html, render_text
    from amtui.services.mail import build_message

    engine = open_engine(f"sqlite:///{hostile_db}")
    try:
        with read_scope(engine) as connection:
            alerts = compute_alerts(session=connection, now=FROZEN_NOW, zone=ZONE)
    finally:
        engine.dispose()
    digest = build_digest(alerts, day=FROZEN_NOW.astimezone(ZONE).date(), generated_at=FROZEN_NOW, zone=ZONE)
    text, html = render_text(digest), render_html(digest)
    assert "Evil\ufffd]0;PWNED\ufffd" in text
    for part in (text, html):
        assert RAW_CONTROL.search(part) is None
    message = build_message(sender="me@example.com", recipients=["you@example.com"], subject="d", text=text, html=html)
    raw = message.as_bytes()
    assert b"\x1b" not in raw and b"\x07" not in raw


def test_html_digest_escapes_markup_in_names(cli, db_path: Path) -> None:
    assert cli("client", "add", "<script>alert(1)</script> & Co").exit_code == 0
    result = cli("digest", "--format", "html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in result.output
    assert "<script>" not in result.output


# --- exports: every line break escaped, round trip -----------------------------------------------------------------


def test_planner_export_with_line_breaks_in_names(cli, hostile_db: Path, tmp_path: Path) -> None:
    import icalendar

    poison(hostile_db, "UPDATE client SET name = ? WHERE id = 1", "Two\nLines\rCo\u2028X\x85Y")
    poison(hostile_db, "UPDATE interaction SET subject = ? WHERE id = 1", "Sub\nject\r\nbare\rCR")
    path = tmp_path / "planner.ics"
    result = cli("export", "planner", "-o", str(path))
    assert result.exit_code == 0, result.output
    data = path.read_bytes()
    # Every physical line is a property or a fold: no value breaks out.
    for line in data.split(b"\r\n"):
        assert b"\r" not in line and b"\n" not in line
        assert not RAW_CONTROL.search(line.decode("utf-8")), line
    event = next(iter(icalendar.Calendar.from_ical(data).walk("VEVENT")))
    assert str(event["X-AMTUI-CLIENT"]) == "Two\nLines\nCo\nX\nY"
    assert str(event["X-AMTUI-SUBJECT"]) == "Sub\nject\nbare\nCR"
    # Imported again into an empty database: one planned call, the names' line breaks folded to spaces.
    empty = _new_database(tmp_path / "empty.db")
    from typer.testing import CliRunner

    from amtui.cli import app

    assert CliRunner().invoke(app, ["--db", str(empty), "client", "add", "Two Lines Co X Y"]).exit_code == 0
    imported = CliRunner().invoke(
        app, ["--db", str(empty), "import", "interactions", str(path), "--from", "25.11.2026"]
    )
    assert imported.exit_code == 0, imported.output
    assert rows(empty, "SELECT subject, client_id FROM interaction") == [("Sub ject bare CR", 1)]


def test_vcard_export_line_breaks_cannot_inject_properties(cli, hostile_db: Path, tmp_path: Path) -> None:
    poison(
        hostile_db, "UPDATE contact SET full_name = ?, title = ? WHERE id = 1", "A\u2028TEL:666\x85B", "T\rEMAIL:x@y.z"
    )
    poison(hostile_db, "UPDATE client SET name = ? WHERE id = 1", "Org\rEND:VCARD\nBEGIN:VCARD\nFN:Ghost")
    path = tmp_path / "c.vcf"
    assert cli("export", "contacts", "-o", str(path)).exit_code == 0
    data = path.read_bytes()
    lines = data.split(b"\r\n")
    assert lines.count(b"BEGIN:VCARD") == 1 and lines.count(b"END:VCARD") == 1
    for line in data.split(b"\r\n"):
        assert b"\r" not in line and b"\n" not in line
        assert not RAW_CONTROL.search(line.decode("utf-8")), line
    empty = _new_database(tmp_path / "empty.db")
    from typer.testing import CliRunner

    from amtui.cli import app

    imported = CliRunner().invoke(app, ["--db", str(empty), "import", "contacts", str(path)])
    assert imported.exit_code == 0, imported.output
    assert rows(empty, "SELECT full_name, title FROM contact") == [("A TEL:666 B", "T EMAIL:x@y.z")]
    assert rows(empty, "SELECT count(*) FROM contact_method") == [(0,)]
    assert rows(empty, "SELECT name FROM client") == [("Org END:VCARD BEGIN:VCARD FN:Ghost",)]


def test_table_exports_to_a_file_neutralise_old_control_characters(cli, hostile_db: Path, tmp_path: Path) -> None:
    """CSV, JSON and XLSX files (not only vCard, iCalendar and standard output): no raw control character.
    (One test for the 12 exports: the database is made once.)"""
    # A formula a spreadsheet would run, behind an escape sequence an older amtui let in.
    poison(hostile_db, "UPDATE client SET website = ? WHERE id = 1", '=HYPERLINK("http://evil")\x1b[2J')
    expected = {
        "clients": "Evil\ufffd]0;PWNED\ufffd",
        "contacts": "Iv\ufffd]2;x\ufffdan",
        "interactions": "Pri\ufffd[2Jces",
        "tasks": "Ch\ufffd[31mase\ufffd",
    }
    for file_format in ("csv", "json", "xlsx"):
        for kind, shown in expected.items():
            path = tmp_path / f"{kind}.{file_format}"
            options = ["--format", "json"] if file_format == "json" else []
            result = cli("export", kind, "-o", str(path), *options)
            assert result.exit_code == 0, (kind, file_format, result.output)
            text = _exported_text(path, file_format)
            found = RAW_CONTROL.search(text)
            assert found is None, (kind, file_format, found)
            assert shown in text, (kind, file_format)
            if kind == "clients":
                assert "HYPERLINK" in text and "\ufffd[2J" in text
                if file_format == "csv":
                    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text


def _exported_text(path: Path, file_format: str) -> str:
    if file_format == "xlsx":
        from openpyxl import load_workbook

        cells = [cell for row in load_workbook(path).active.iter_rows() for cell in row]
        texts = [cell.value for cell in cells if isinstance(cell.value, str)]
        assert all(cell.data_type == "s" for cell in cells if isinstance(cell.value, str))  # never a formula
        return "\n".join(texts)
    if file_format == "json":
        import json

        raw = path.read_text(encoding="utf-8")
        assert "\\u001b" not in raw  # not even as an escape
        return json.dumps(json.loads(raw), ensure_ascii=False)
    return path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")


# Names that are allowed and look dangerous to a parser: markup, separators, quotes, escapes, scripts.
ALLOWED_HOSTILE = [
    "Fix [/] bracket; a, b \\ c",
    "[urgent] fix: «Ромашка» \"quoted\" 'single'",
    "BEGIN:VCARD END:VCARD TEL:1",
    '=HYPERLINK("http://evil")',
    "שלום עולם مرحبا",  # right-to-left letters are text; only the override controls are refused
    "Ｆｕｌｌｗｉｄｔｈ 🚀 e\u0301 Straße",
    "x" * 120,
]


@pytest.mark.parametrize("file_format", ["vcf", "csv", "json"])
def test_contacts_with_hostile_names_round_trip(cli, db_path: Path, tmp_path: Path, file_format: str) -> None:
    assert cli("client", "add", "Org; with, separators \\ [b]").exit_code == 0
    for index, name in enumerate(ALLOWED_HOSTILE):
        added = cli("contact", "add", "1", name, "--title", name[::-1][:80], "--phone", f"+7 916 000-00-{index:02d}")
        assert added.exit_code == 0, added.output
    poison(db_path, "UPDATE contact SET personal_notes = ? WHERE id = 1", "line one\nline two; three, four\\")
    path = tmp_path / f"contacts.{file_format}"
    options = ["--format", "json"] if file_format == "json" else []
    assert cli("export", "contacts", "-o", str(path), *options).exit_code == 0
    empty = _new_database(tmp_path / "empty.db")
    from typer.testing import CliRunner

    from amtui.cli import app

    imported = CliRunner().invoke(app, ["--db", str(empty), "import", "contacts", str(path)])
    assert imported.exit_code == 0, imported.output
    assert "warning" not in imported.output
    query = (
        "SELECT full_name, title, personal_notes, (SELECT name FROM client WHERE id = client_id),"
        " (SELECT group_concat(value) FROM contact_method WHERE contact_id = contact.id)"
        " FROM contact ORDER BY full_name"
    )
    assert rows(empty, query) == rows(db_path, query)


def test_planner_with_hostile_subjects_round_trips(cli, db_path: Path, tmp_path: Path) -> None:
    assert cli("client", "add", "Acme; [b], \\ Co").exit_code == 0
    for day, subject in enumerate(ALLOWED_HOSTILE, start=26):
        at = f"{day % 28 + 1:02d}.12.2026 10:00"
        assert cli("plan", "meeting", "1", "--at", at, "--subject", subject).exit_code == 0
    poison(db_path, "UPDATE interaction SET subject = ? WHERE id = 1", "two\nlines, and; \\ more")
    path = tmp_path / "p.ics"
    assert cli("export", "planner", "-o", str(path)).exit_code == 0
    empty = _new_database(tmp_path / "empty.db")
    from typer.testing import CliRunner

    from amtui.cli import app

    assert CliRunner().invoke(app, ["--db", str(empty), "client", "add", "Acme; [b], \\ Co"]).exit_code == 0
    imported = CliRunner().invoke(
        app, ["--db", str(empty), "import", "interactions", str(path), "--from", "01.12.2026", "--to", "31.12.2026"]
    )
    assert imported.exit_code == 0, imported.output
    query = "SELECT subject, planned_at, kind, client_id FROM interaction WHERE id > 1 ORDER BY planned_at"
    assert rows(empty, query.replace("WHERE id > 1", "WHERE subject NOT LIKE 'two%'")) == rows(db_path, query)
    # The multi-line subject comes back on one line (a subject is one line), with a warning.
    assert rows(empty, "SELECT subject FROM interaction WHERE subject LIKE 'two%'") == [("two lines, and; \\ more",)]
    assert "subject: removed U+000A LF" in imported.output


def test_an_export_to_standard_output_keeps_its_crlf_rows_but_no_escape(hostile_db: Path) -> None:
    result = _run(hostile_db, "export", "clients")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(b"\r\n") == 2  # the header and the client: CSV rows end in CRLF
    _assert_clean(result.stdout.replace(b"\r\n", b"\n"), "csv on stdout")
    cards = _run(hostile_db, "export", "contacts", "--format", "vcf")
    assert cards.returncode == 0, cards.stderr
    assert cards.stdout.startswith(b"BEGIN:VCARD\r\nVERSION:4.0\r\n")
    _assert_clean(cards.stdout.replace(b"\r\n", b"\n"), "vcf on stdout")


def test_the_one_rule_for_entry_import_and_output() -> None:
    from amtui.services.errors import ValidationError
    from amtui.services.sanitize import check_text, clean_text, export_text, json_safe, safe_display

    # Imports clean (and say what they took), typed text is refused by the same rule.
    assert clean_text("Evil\x1b]0;x\x07 Co") == ("Evil]0;x Co", ["U+001B ESC", "U+0007 BEL"])
    assert clean_text("a\u2028b\tc\x85d") == ("a b c d", ["U+2028 LINE SEPARATOR", "U+0009 TAB", "U+0085 NEL"])
    assert clean_text("one\r\ntwo\u2029three\x1b", multiline=True) == (
        "one\ntwo\nthree",
        ["U+2029 PARAGRAPH SEPARATOR", "U+001B ESC"],
    )
    assert clean_text("[/] «Ромашка» שלום") == ("[/] «Ромашка» שלום", [])
    assert check_text("one\r\ntwo", field="notes") == "one\ntwo"
    with pytest.raises(ValidationError, match="name: contains a control character \\(U\\+202E RLO\\) at position 4"):
        check_text("abc\u202edef", field="name")
    # Output: shown, not acted on; a CSV's CRLF and a note's lines stay.
    assert safe_display("a\x1b[2Jb\r\nc\rd\n\te") == "a\ufffd[2Jb\r\nc\ufffdd\n\te"
    assert safe_display("a\nb", multiline=False) == "a\ufffdb"
    # Documents: every line break one LF (the format escapes it), other controls U+FFFD.
    assert export_text("a\r\nb\rc\x0bd\x0ce\x85f\u2028g\u2029h\x1bi\u202ej") == "a\nb\nc\nd\ne\nf\ng\nh\ufffdi\ufffdj"
    assert json_safe('"a\x85b\u202e"') == '"a\\u0085b\\u202e"'


def test_a_meeting_report_text_shows_old_control_characters_safely() -> None:
    from datetime import datetime

    from amtui.services.reports import render_report
    from amtui.services.schemas import NextStepRead, ReportRead

    report = ReportRead(
        id=1,
        interaction_id=1,
        client_id=1,
        client_name="Evil\x1b]0;PWNED\x07 Co",
        interaction_kind="visit",
        held_at=FROZEN_NOW,
        place="Room\u202e",
        attendee_ids=(),
        attendee_names=("Iv\x1b[2Jan",),
        other_attendees=None,
        agenda="line one\nline two\x9b",
        agreements=None,
        next_steps=(NextStepRead(id=1, text="Send\x07 offer", owner=None, due_on=None, task_id=None),),
        sent_at=None,
        created_at=datetime(2026, 11, 25, tzinfo=ZONE),
    )
    for markdown in (False, True):
        text = render_report(report, zone=ZONE, markdown=markdown)
        assert RAW_CONTROL.search(text) is None
        assert "Evil\ufffd]0;PWNED\ufffd Co" in text and "line one\nline two\ufffd" in text
