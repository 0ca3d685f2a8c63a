"""Hostile command-line input: one clear line, exit 1, nothing written, never a traceback (issue 11)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.test_cli import _row_counts


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("invoice", "add", "ромашка", "I", "99999999999999999999"),
            "amount: 99999999999999999999 is too large for an amount",
        ),
        (("invoice", "add", "ромашка", "I", "1e30"), "amount: '1e30' is not an amount"),
        (("task", "add", "X", "--due", "+7974y"), "--due: cannot read '+7974y' as a date (the year must be between"),
        (("task", "add", "X", "--due", "-2026y"), "--due: cannot read '-2026y' as a date (the year must be between"),
        (("task", "add", "X", "--due", "+99999999999d"), "--due: cannot read '+99999999999d' as a date"),
        (("plan", "call", "ромашка", "--at", "24:00"), "--at: cannot read '24:00' as a date ('24:00' is not a time"),
        (("plan", "call", "ромашка", "--at", "9999-12-31 23:45"), "--at: cannot read '9999-12-31 23:45' as a date"),
        (
            ("plan", "call", "ромашка", "--at", "31.12.9999 23:45"),
            "--at: cannot read '31.12.9999 23:45' as a date (the year must be",
        ),
        (("planned", "list", "--days", "99999999"), "--days: 99999999 is out of range"),
        (("planned", "list", "--days", "-5"), "--days: -5 is out of range"),
    ],
)
def test_out_of_range_input_is_one_clear_line(cli, db_path: Path, args, message: str) -> None:  # type: ignore[no-untyped-def]
    cli("client", "add", "Ромашка")
    before = _row_counts(db_path)
    result = cli(*args)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert f"amtui: error: {message}" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert _row_counts(db_path) == before


def test_mail_sender_with_a_line_break_is_a_clear_error(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    cli("client", "add", "Ромашка")
    monkeypatch.setenv("AMTUI_MAIL_FROM", "amtui@example.com\r\nBcc: victim@example.com")
    result = cli("digest", "--mail-to", "me@example.com")
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.output.startswith("amtui: error: AMTUI_MAIL_FROM / mail.from: a line break or NUL is not allowed")


def test_export_planner_with_a_record_at_the_end_of_year_9999(cli, db_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """An old database (or another program) may hold it; the export said OverflowError."""
    from amtui.db import make_engine, session_scope
    from amtui.services import clients, interactions

    cli("client", "add", "Ромашка")
    engine = make_engine(f"sqlite:///{db_path}", create=False)
    with session_scope(engine) as session:
        [client] = clients.list_clients(session=session, today=datetime(2026, 11, 25).date(), zone=UTC)
        interactions.plan_interaction(
            session=session, client_id=client.id, kind="call", at=datetime(9999, 12, 31, 20, 45, tzinfo=UTC)
        )
    engine.dispose()
    result = cli("export", "planner", "-o", str(tmp_path / "planner.ics"))
    assert result.exit_code == 0, result.output
    text = (tmp_path / "planner.ics").read_text()
    assert "DTSTART;TZID=Europe/Moscow:99991231T234500" in text
    assert "DTEND;TZID=Europe/Moscow:99991231T235959" in text
