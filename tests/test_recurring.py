"""Issue 13: repeating calls and tasks, a moved promise tells the client (rule 19), and the calendar feed.

Hand-built data on a real SQLite file through the CLI, the clock frozen on Wednesday 25 November 2026,
09:00 in Moscow (UTC+3, no clock changes)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.test_export import KHAL_CONFIG


def rows(db_path: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(db_path)
    try:
        return connection.execute(sql, args).fetchall()
    finally:
        connection.close()


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    return str(result.output)


def at_clock(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setenv("AMTUI_NOW", moment.isoformat())


@pytest.fixture
def client(cli: Any) -> str:
    ok(cli("client", "add", "Ромашка", "--language", "it"))
    ok(cli("contact", "add", "Ромашка", "Giulia Bianchi", "--role", "decision_maker"))
    return "Ромашка"


def planned(db_path: Path) -> list[tuple[Any, ...]]:
    return rows(
        db_path,
        "SELECT id, status, planned_at, series_id, occurrence, repeat FROM interaction ORDER BY id",
    )


def utc(text: str) -> str:
    """A stored UTC moment as SQLite hands it back (naive text)."""
    return text


# --- repeating ---------------------------------------------------------------------------------------------------


def test_biweekly_call_next_occurrence_appears_when_the_previous_is_done(cli: Any, client: str, db_path: Path) -> None:
    out = ok(cli("plan", "call", client, "--at", "mon 10:00", "--every", "2w", "--contact", "Giulia"))
    assert "30.11.2026 10:00" in out and "every 2 weeks" in out
    first = planned(db_path)
    assert len(first) == 1, "never made ahead: one occurrence at a time"
    assert first[0][3:] == (1, 1, "FREQ=WEEKLY;INTERVAL=2")
    ok(cli("planned", "done", "1"))
    after = planned(db_path)
    assert len(after) == 2
    new_id, status, planned_at, series_id, occurrence, rule = after[1]
    assert status == "planned" and series_id == 1 and occurrence == 2 and rule == "FREQ=WEEKLY;INTERVAL=2"
    # Monday 14 December, 10:00 Moscow = 07:00 UTC: two weeks on, the same wall time.
    assert planned_at.startswith("2026-12-14 07:00:00"), planned_at
    # The people come along.
    assert rows(db_path, "SELECT contact_id FROM interaction_contact WHERE interaction_id = ?", new_id) == [(1,)]
    listing = ok(cli("planned", "list", "--days", "30"))
    assert "14.12.2026 10:00" in listing
    # Reading again makes nothing more.
    ok(cli("today"))
    assert len(planned(db_path)) == 2


def test_next_occurrence_appears_when_its_time_passes(
    cli: Any, client: str, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(cli("plan", "call", client, "--at", "mon 10:00", "--every", "week"))
    # Three weeks later (Wednesday 16 December): 30.11, 7.12 and 14.12 have passed, the first one unattended.
    at_clock(monkeypatch, datetime(2026, 12, 16, 6, 0, tzinfo=UTC))
    ok(cli("planned", "list"))
    made = planned(db_path)
    assert [(row[1], row[4]) for row in made] == [("planned", 1), ("planned", 4)]
    assert made[1][2].startswith("2026-12-21 07:00:00")  # the next one still ahead; passed ones are not made
    alerts = ok(cli("alerts", "--kind", "missed"))
    assert "30.11.2026" in alerts or "30.11" in alerts  # the unattended one is missed


def test_count_ends_the_series(cli: Any, client: str, db_path: Path) -> None:
    out = ok(cli("plan", "call", client, "--at", "mon 10:00", "--every", "week", "--count", "2"))
    assert "2 times" in out
    ok(cli("planned", "done", "1"))
    ok(cli("planned", "done", "2", "--at", "today 09:00"))
    made = planned(db_path)
    assert [row[4] for row in made] == [1, 2], "a series of 2 ends after the second"
    assert made[1][5] is None  # the last one no longer looks for a next
    ok(cli("today"))
    assert len(planned(db_path)) == 2


def test_until_ends_the_series(cli: Any, client: str, db_path: Path) -> None:
    ok(cli("plan", "call", client, "--at", "mon 10:00", "--every", "week", "--until", "10.12.2026"))
    assert planned(db_path)[0][5] == "FREQ=WEEKLY;UNTIL=20261210T235959"
    ok(cli("planned", "done", "1"))
    ok(cli("planned", "done", "2", "--at", "today 09:00"))
    made = planned(db_path)
    assert [row[2][:10] for row in made] == ["2026-11-30", "2026-12-07"]  # 14.12 is past --until


def test_count_and_until_need_every_and_not_both(cli: Any, client: str, db_path: Path) -> None:
    result = cli("plan", "call", client, "--at", "mon 10:00", "--every", "week", "--count", "2", "--until", "10.12")
    assert result.exit_code == 1 and "not both" in result.output and "Traceback" not in result.output
    result = cli("plan", "call", client, "--at", "mon 10:00", "--count", "2")
    assert result.exit_code == 1 and "--every" in result.output
    result = cli("plan", "call", client, "--at", "mon 10:00", "--every", "fortnight-ish")
    assert result.exit_code == 1 and "not a repeat" in result.output
    assert planned(db_path) == []


def test_monthly_task_on_the_31st_falls_on_the_last_day_of_shorter_months(cli: Any, db_path: Path) -> None:
    out = ok(cli("task", "add", "Отчёт о продажах", "--due", "31.12.2026", "--every", "month"))
    assert "every month" in out
    ok(cli("task", "done", "1"))
    ok(cli("task", "done", "2"))
    dues = rows(db_path, "SELECT id, status, due_on, occurrence FROM task ORDER BY id")
    assert dues == [
        (1, "done", "2026-12-31", 1),
        (2, "done", "2027-01-31", 2),
        (3, "open", "2027-02-28", 3),
    ]


def test_overdue_task_gets_its_next_occurrence_and_cancel_following_ends_it(
    cli: Any, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(cli("task", "add", "Звонок логисту", "--due", "fri", "--every", "week"))  # Friday 27.11
    at_clock(monkeypatch, datetime(2026, 11, 30, 6, 0, tzinfo=UTC))  # Monday: the Friday one is overdue
    ok(cli("task", "list"))
    assert rows(db_path, "SELECT id, status, due_on FROM task ORDER BY id") == [
        (1, "open", "2026-11-27"),
        (2, "open", "2026-12-04"),
    ]
    # Cancelling one occurrence: the series goes on.
    ok(cli("task", "cancel", "2"))
    assert rows(db_path, "SELECT id, status, due_on FROM task WHERE id = 3") == [(3, "open", "2026-12-11")]
    # This and following: the series ends.
    ok(cli("task", "cancel", "3", "--following"))
    ok(cli("task", "done", "1"))
    ok(cli("task", "list"))
    assert rows(db_path, "SELECT count(*) FROM task") == [(3,)]


def test_move_this_one_keeps_the_series_and_following_re_anchors_it(cli: Any, client: str, db_path: Path) -> None:
    ok(cli("plan", "call", client, "--at", "mon 10:00", "--every", "week"))
    # This one: Tuesday 15:00 this week only.
    ok(cli("planned", "move", "1", "--at", "tue 15:00", "--this"))
    ok(cli("planned", "done", "1", "--at", "today 08:00"))
    assert planned(db_path)[1][2].startswith("2026-12-07 07:00:00")  # back on Monday 10:00
    # This and following: from Wednesday 9 December 12:00 on.
    ok(cli("planned", "move", "2", "--at", "09.12.2026 12:00", "--following"))
    moved = planned(db_path)[1]
    assert moved[3:] == (2, 1, "FREQ=WEEKLY")  # a new series from this row
    assert planned(db_path)[0][5] == "FREQ=WEEKLY;COUNT=1"  # the old one ends before it
    ok(cli("planned", "done", "2", "--at", "today 08:30"))
    assert planned(db_path)[2][2].startswith("2026-12-16 09:00:00")  # Wednesdays 12:00 from now on
    both = cli("planned", "move", "3", "--at", "fri 10:00", "--this", "--following")
    assert both.exit_code == 1 and "not both" in both.output


def test_cancel_one_occurrence_makes_the_next(cli: Any, client: str, db_path: Path) -> None:
    ok(cli("plan", "call", client, "--at", "mon 10:00", "--every", "2w"))
    ok(cli("planned", "cancel", "1"))
    assert [(row[1], row[2][:10]) for row in planned(db_path)] == [
        ("cancelled", "2026-11-30"),
        ("planned", "2026-12-14"),
    ]
    ok(cli("planned", "cancel", "2", "--following"))
    ok(cli("planned", "list"))
    assert len(planned(db_path)) == 2


def test_json_shows_the_rule(cli: Any, client: str) -> None:
    data = json.loads(ok(cli("plan", "call", client, "--at", "mon 10:00", "--every", "2w", "--json")))
    assert data["repeat"] == "FREQ=WEEKLY;INTERVAL=2" and data["series_id"] == data["id"] and data["occurrence"] == 1


# --- a moved promise tells the client -----------------------------------------------------------------------------


@pytest.fixture
def promise(cli: Any, client: str) -> int:
    """A visit held yesterday whose report promised the client an offer by Friday 27.11."""
    ok(cli("log", "visit", client, "--at", "yesterday 11:00"))
    ok(cli("report", "write", "1", "--agreements", "Offerta", "--step", "Send the offer; ; 27.11.2026"))
    return 1


def test_promise_moved_past_its_date_not_told_creates_the_tell_the_client_task(
    cli: Any, promise: int, db_path: Path
) -> None:
    out = ok(cli("task", "move", str(promise), "--due", "04.12.2026", "--not-told"))
    assert "Notice: the client was promised this: Send the offer: 27.11.2026 -> 04.12.2026" in out
    tells = rows(db_path, "SELECT title, due_on, client_id, priority, notes FROM task WHERE id != ?", promise)
    assert len(tells) == 1
    title, due, client_id, priority, notes = tells[0]
    assert title == "Tell the client: Send the offer moves from 27.11.2026 to 04.12.2026"
    assert due == "2026-11-25" and client_id == 1 and priority == "high"
    # The tell_client.txt template in the client's language (Italian), to the decision maker.
    assert notes.startswith("Gentile Giulia Bianchi,") and "Cordiali saluti" in notes, notes
    # The report's next step moved with its task.
    assert rows(db_path, "SELECT due_on FROM next_step WHERE task_id = ?", promise) == [("2026-12-04",)]


def test_promise_moved_and_told_creates_no_task(cli: Any, promise: int, db_path: Path) -> None:
    out = ok(cli("task", "move", str(promise), "--due", "04.12.2026", "--told"))
    assert "The client was told" in out
    assert rows(db_path, "SELECT count(*) FROM task") == [(1,)]


def test_promise_moved_without_an_answer_is_taken_as_not_told(cli: Any, promise: int, db_path: Path) -> None:
    out = ok(cli("task", "move", str(promise), "--due", "04.12.2026"))
    assert "Assumed not" in out
    assert rows(db_path, "SELECT count(*) FROM task") == [(2,)]


def test_promise_moved_earlier_or_a_plain_task_moved_asks_nothing(cli: Any, promise: int, db_path: Path) -> None:
    assert "Notice" not in ok(cli("task", "move", str(promise), "--due", "26.11.2026"))
    ok(cli("task", "add", "Own work", "--due", "fri"))
    assert "Notice" not in ok(cli("task", "move", "2", "--due", "04.12.2026"))
    assert rows(db_path, "SELECT count(*) FROM task") == [(2,)]


def test_planned_visit_moved_asks_and_a_call_does_not(cli: Any, client: str, db_path: Path) -> None:
    ok(cli("plan", "visit", client, "--at", "fri 11:00", "--subject", "Trattativa"))
    out = ok(cli("planned", "move", "1", "--at", "mon 12:00", "--not-told"))
    assert "visit Trattativa: 27.11.2026 11:00 -> 30.11.2026 12:00" in out
    assert rows(db_path, "SELECT title FROM task") == [
        ("Tell the client: visit Trattativa moves from 27.11.2026 11:00 to 30.11.2026 12:00",)
    ]
    ok(cli("plan", "call", client, "--at", "fri 11:00"))
    assert "Notice" not in ok(cli("planned", "move", "2", "--at", "mon 15:00"))
    assert rows(db_path, "SELECT count(*) FROM task") == [(1,)]


def test_digest_lists_the_promise_about_to_be_missed(
    cli: Any, promise: int, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Due Friday: on Thursday it is due tomorrow, not done.
    at_clock(monkeypatch, datetime(2026, 11, 26, 6, 0, tzinfo=UTC))
    digest = ok(cli("digest"))
    assert "Promises about to be missed" in digest
    assert "Promised to Ромашка at a meeting: Task #1 «Send the offer» is due tomorrow (27.11.2026)" in digest
    data = json.loads(ok(cli("alerts", "--kind", "promise", "--json")))
    assert [(a["id"], a["days"]) for a in data] == [("promise:1", 1)]
    # Done, it is no longer about to be missed.
    ok(cli("task", "done", "1"))
    assert "Promises about to be missed" not in ok(cli("digest"))


# --- the calendar feed ------------------------------------------------------------------------------------------


@pytest.fixture
def dated(cli: Any, client: str, tmp_path: Path) -> Path:
    """Something of every dated kind."""
    ok(cli("contact", "add", client, "Иванов Иван", "--birthday", "29.02.1980"))
    ok(cli("plan", "call", client, "--at", "mon 10:00", "--every", "2w", "--count", "4"))
    ok(cli("task", "add", "Отчёт", "--due", "30.11.2026", "--client", client, "--every", "month"))
    ok(cli("task", "add", "Образцы", "--due", "04.12.2026", "--assignee", "Петров", "--client", client))
    ok(cli("complaint", "add", client, "Брак в партии", "--due", "10.12.2026"))
    files = tmp_path / "in"
    files.mkdir()
    (files / "c.csv").write_text(
        "client,number,start_on,end_on,notice_days\nРомашка,Д-1,01.01.2026,31.12.2026,30\n", encoding="utf-8"
    )
    (files / "i.csv").write_text(
        'client,number,issued_on,due_on,amount,paid\nРомашка,СЧ-1,01.11.2026,15.12.2026,"1 000,50",0\n',
        encoding="utf-8",
    )
    ok(cli("import", "contracts", str(files / "c.csv")))
    ok(cli("import", "invoices", str(files / "i.csv")))
    return tmp_path


def _calendar(path: Path) -> Any:
    import icalendar

    return icalendar.Calendar.from_ical(path.read_bytes())


def _between(calendar: Any, start: date, end: date) -> list[tuple[str, Any]]:
    import recurring_ical_events

    return sorted(
        ((str(e["SUMMARY"]), e["DTSTART"].dt) for e in recurring_ical_events.of(calendar).between(start, end)),
        key=lambda pair: str(pair[1]),
    )


def test_calendar_feed_holds_every_dated_kind_with_stable_uids(cli: Any, dated: Path) -> None:
    path = dated / "feed.ics"
    ok(cli("export", "calendar", "-o", str(path)))
    calendar = _calendar(path)
    uids = sorted(str(event["UID"]) for event in calendar.walk("VEVENT"))
    assert uids == sorted(
        [
            "amtui-interaction-1@amtui",
            "amtui-task-1@amtui",
            "amtui-task-2@amtui",
            "amtui-checkin-2@amtui",
            "amtui-contract-1@amtui",
            "amtui-notice-1@amtui",
            "amtui-invoice-1@amtui",
            "amtui-complaint-1@amtui",
            "amtui-birthday-2@amtui",
        ]
    )
    summaries = {str(event["UID"]): str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}
    assert summaries["amtui-invoice-1@amtui"] == "Invoice СЧ-1 due: 1000.50 RUB (Ромашка)"
    assert summaries["amtui-notice-1@amtui"] == "Last day to give notice: contract Д-1 (Ромашка)"
    assert summaries["amtui-complaint-1@amtui"] == "Complaint to resolve: Брак в партии (Ромашка)"
    complaint_day = next(e["DTSTART"].dt for e in calendar.walk("VEVENT") if "complaint" in str(e["UID"]))
    assert complaint_day == date(2026, 12, 10)
    # The biweekly call expands as amtui makes it: four Mondays at 10:00 Moscow, two weeks apart.
    calls = [when for title, when in _between(calendar, date(2026, 11, 1), date(2027, 3, 1)) if "Call" in title]
    assert [(when.date(), when.hour, when.utcoffset().total_seconds()) for when in calls] == [
        (date(2026, 11, 30), 10, 10800),
        (date(2026, 12, 14), 10, 10800),
        (date(2026, 12, 28), 10, 10800),
        (date(2027, 1, 11), 10, 10800),
    ]
    # Re-exported after the first call is done, the series keeps its UID and what is left of it.
    ok(cli("planned", "done", "1"))
    ok(cli("export", "calendar", "-o", str(path), "--force"))
    calls = [when for title, when in _between(_calendar(path), date(2026, 11, 1), date(2027, 3, 1)) if "Call" in title]
    assert [when.date() for when in calls] == [date(2026, 12, 14), date(2026, 12, 28), date(2027, 1, 11)]


def test_birthday_on_29_february_shows_on_the_28th_in_other_years(cli: Any, dated: Path) -> None:
    path = dated / "feed.ics"
    ok(cli("export", "calendar", "-o", str(path)))
    birthdays = [
        when
        for title, when in _between(_calendar(path), date(2027, 1, 1), date(2029, 1, 1))
        if title.startswith("Birthday")
    ]
    # 2027 is not a leap year: 28 February, as the birthday alert shows it; 2028 is: the 29th.
    assert birthdays == [date(2027, 2, 28), date(2028, 2, 29)]
    # The app's own alert on 28.02.2027.
    from amtui.services.alerts import birthday_keys

    assert birthday_keys(date(2027, 2, 28), 0)["02-29"] == date(2027, 2, 28)


def test_calendar_split_writes_one_file_per_kind(cli: Any, dated: Path) -> None:
    path = dated / "feed.ics"
    result = ok(cli("export", "calendar", "-o", str(path), "--split"))
    names = sorted(p.name for p in dated.glob("feed-*.ics"))
    assert names == [
        "feed-birthdays.ics",
        "feed-check-ins.ics",
        "feed-complaints.ics",
        "feed-contracts.ics",
        "feed-invoices.ics",
        "feed-planned.ics",
        "feed-tasks.ics",
    ]
    assert not path.exists()
    contracts = _calendar(dated / "feed-contracts.ics")
    assert sorted(str(e["UID"]) for e in contracts.walk("VEVENT")) == [
        "amtui-contract-1@amtui",
        "amtui-notice-1@amtui",
    ]
    assert "Exported 2 calendar events to" in result


def test_calendar_window_and_bad_options(cli: Any, dated: Path) -> None:
    path = dated / "feed.ics"
    ok(cli("export", "calendar", "-o", str(path), "--from", "01.12.2026", "--to", "20.12.2026"))
    uids = {str(event["UID"]) for event in _calendar(path).walk("VEVENT")}
    # The contract ends 31.12 (out), its notice day 01.12 (in), the invoice is due 15.12 (in).
    assert "amtui-contract-1@amtui" not in uids and {"amtui-notice-1@amtui", "amtui-invoice-1@amtui"} <= uids
    bad = cli("export", "calendar", "--split")
    assert bad.exit_code == 1 and "-o" in bad.output
    bad = cli("export", "calendar", "-o", str(dated / "x.ics"), "--from", "20.12.2026", "--to", "01.12.2026")
    assert bad.exit_code == 1 and "before" in bad.output and not (dated / "x.ics").exists()
    bad = cli("export", "clients", "--split")
    assert bad.exit_code == 1 and "calendar" in bad.output


def test_calendar_imports_into_khal(cli: Any, dated: Path, tmp_path: Path) -> None:
    """A real calendar program (khal, a test dependency) imports the feed: the repeating call, the
    29 February birthday on 28 February 2027, and a second import updates instead of duplicating."""
    path = dated / "feed.ics"
    ok(cli("export", "calendar", "-o", str(path)))
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
    stored = len(list(calendar.glob("*.ics")))
    assert stored == 9  # one event per UID, the complaint's promised day among them
    listing = khal("list", "--format", "{start-date} | {title}", "2027-02-27", "3d")
    assert "2027-02-28 | Birthday: Иванов Иван (Ромашка)" in listing, listing
    listing = khal("list", "--format", "{start} | {title}", "2026-12-14", "1d")
    # Monday 10:00 Moscow is 12:00 in khal's Yekaterinburg: the second occurrence of the series.
    assert "2026-12-14 12:00 | Ромашка: Call" in listing, listing
    ok(cli("export", "calendar", "-o", str(path), "--force"))
    khal("import", "--batch", str(path))
    assert len(list(calendar.glob("*.ics"))) == stored


def test_the_columns_the_series_writer_uses_are_the_models() -> None:
    """services/recurrence.py writes through Core views (the cron digest builds no ORM): same names and types."""
    from sqlalchemy import DateTime
    from sqlmodel import SQLModel

    import amtui.models  # noqa: F401  (the metadata)
    from amtui.services.core_views import COLUMNS_WRITTEN

    for view in COLUMNS_WRITTEN:
        model = SQLModel.metadata.tables[view.name]
        for column in view.columns:
            assert column.name in model.c, f"{view.name}.{column.name}"
            assert column.type._type_affinity is model.c[column.name].type._type_affinity, f"{view.name}.{column.name}"
            if model.c[column.name].type._type_affinity is DateTime:
                assert column.type.timezone, f"{view.name}.{column.name} is an aware moment"


def test_the_cron_digest_makes_the_next_occurrence_without_the_orm(cli: Any, client: str, db_path: Path) -> None:
    import os

    ok(cli("plan", "call", client, "--at", "mon 10:00", "--every", "week"))
    ok(cli("task", "add", "Отчёт", "--due", "fri", "--every", "week", "--assignee", "Петров"))
    probe = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from amtui.cli import app\n"
        f"result = CliRunner().invoke(app, ['--db', {str(db_path)!r}, 'digest'])\n"
        "assert result.exit_code == 0, result.output\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlmodel', 'textual', 'alembic')\n"
        "                or m.startswith('sqlalchemy.orm') or m.startswith('amtui.models'))\n"
        "assert not loaded, loaded\n"
    )
    # Wednesday 2 December: Monday's call and Friday's task have passed.
    env = {**os.environ, "AMTUI_NOW": "2026-12-02T06:00:00+00:00", "AMTUI_TZ": "Europe/Moscow"}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert [row[2][:16] for row in planned(db_path)] == ["2026-11-30 07:00", "2026-12-07 07:00"]
    made = rows(db_path, "SELECT due_on, assignee, check_in_at IS NOT NULL FROM task ORDER BY id")
    assert made == [("2026-11-27", "Петров", 1), ("2026-12-04", "Петров", 1)]


def test_closing_a_repeating_call_in_the_after_call_form_makes_the_next(engine: Any) -> None:
    from amtui.services.workspace import Workspace
    from tests.conftest import FROZEN_NOW, ZONE

    workspace = Workspace(engine=engine, now=lambda: FROZEN_NOW, zone=ZONE)
    client_id = workspace.create_client(name="Лютик").id
    call = workspace.plan(client_id, kind="call", at=datetime(2026, 11, 25, 5, 30, tzinfo=UTC), every="workday")
    assert call.repeat == "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR"
    workspace.after_call(client_id, kind="call", at=FROZEN_NOW, close_id=call.id, outcome="ok")
    ahead = workspace.planned(7)
    # Wednesday 08:30 was closed: Thursday 08:30 is next (then Friday, Monday: one at a time).
    assert [(item.occurrence, item.planned_at) for item in ahead] == [(2, datetime(2026, 11, 26, 5, 30, tzinfo=UTC))]
