"""Issue 10 points 7 and 8: dates that make sense, delegation that fits a working week.

The clock is frozen at Wednesday 25.11.2026 09:00 Moscow (tests/conftest.py); every test
checks what the database holds, not only what is printed."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from amtui.services import colleagues, tasks
from amtui.services.dates import parse_date, parse_datetime
from amtui.services.errors import ValidationError
from amtui.services.workweek import DEFAULT_WEEK, WorkWeek, check_in_moment, parse_days, parse_hours

MSK = ZoneInfo("Europe/Moscow")


def msk(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=MSK)


# --- 7: dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "today", "future", "past"),
    [
        # A day-month without a year: the next one to come (today included), or the latest gone by.
        ("31.01", date(2026, 12, 1), date(2027, 1, 31), date(2026, 1, 31)),
        ("01.12", date(2026, 12, 1), date(2026, 12, 1), date(2026, 12, 1)),
        ("30.11", date(2026, 12, 1), date(2027, 11, 30), date(2026, 11, 30)),
        ("29.02", date(2027, 3, 1), date(2028, 2, 29), date(2024, 2, 29)),
        # A weekday: the next one (today included), or the last one.
        ("пт", date(2026, 12, 1), date(2026, 12, 4), date(2026, 11, 27)),
        ("в пятницу", date(2026, 12, 1), date(2026, 12, 4), date(2026, 11, 27)),
        ("вт", date(2026, 12, 1), date(2026, 12, 1), date(2026, 12, 1)),
        ("venerdì", date(2026, 12, 1), date(2026, 12, 4), date(2026, 11, 27)),
        # "next <weekday>": that weekday of next week, whichever way.
        ("next tue", date(2026, 12, 1), date(2026, 12, 8), date(2026, 12, 8)),
        ("Next Friday", date(2026, 12, 1), date(2026, 12, 11), date(2026, 12, 11)),
        ("след вт", date(2026, 12, 1), date(2026, 12, 8), date(2026, 12, 8)),
        ("след. пт", date(2026, 12, 1), date(2026, 12, 11), date(2026, 12, 11)),
        ("в следующий вторник", date(2026, 12, 1), date(2026, 12, 8), date(2026, 12, 8)),
        ("следующую пятницу", date(2026, 12, 1), date(2026, 12, 11), date(2026, 12, 11)),
        ("prossimo martedì", date(2026, 12, 1), date(2026, 12, 8), date(2026, 12, 8)),
        ("mar prossimo", date(2026, 12, 1), date(2026, 12, 8), date(2026, 12, 8)),
        ("next mon", date(2026, 12, 6), date(2026, 12, 7), date(2026, 12, 7)),  # typed on a Sunday
    ],
)
def test_days_without_a_year_or_week_mean_the_next_to_come(text: str, today: date, future: date, past: date) -> None:
    assert parse_date(text, today=today) == future
    assert parse_date(text, today=today, prefer="past") == past


@pytest.mark.parametrize("text", ["next", "след", "next 31.01", "next tue wed", "следующий"])
def test_half_phrases_are_refused(text: str) -> None:
    with pytest.raises(ValidationError, match="cannot read"):
        parse_date(text, today=date(2026, 12, 1))


def test_a_weekday_time_gone_by_today_is_next_week() -> None:
    tuesday_evening = msk(2026, 12, 1, 19)
    assert parse_datetime("вт 11:00", now=tuesday_evening, zone=MSK) == msk(2026, 12, 8, 11)
    assert parse_datetime("вт 20:00", now=tuesday_evening, zone=MSK) == msk(2026, 12, 1, 20)
    # "today" is today, even when its time has gone by (the CLI then warns or refuses).
    assert parse_datetime("today 11:00", now=tuesday_evening, zone=MSK) == msk(2026, 12, 1, 11)
    assert parse_datetime("next tue 9:30", now=tuesday_evening, zone=MSK) == msk(2026, 12, 8, 9, 30)
    # Logging what happened reads the other way: Friday 15:00 on a Friday morning is last Friday.
    friday_morning = msk(2026, 12, 4, 10)
    assert parse_datetime("пт 15:00", now=friday_morning, zone=MSK, prefer="past") == msk(2026, 11, 27, 15)
    assert parse_datetime("пт 9:00", now=friday_morning, zone=MSK, prefer="past") == msk(2026, 12, 4, 9)
    assert parse_datetime("31.01 10:00", now=tuesday_evening, zone=MSK) == msk(2027, 1, 31, 10)


def test_plan_in_the_past_is_refused_without_past(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("client", "add", "ООО «Ромашка»")
    refused = cli("plan", "visit", "ромашка", "--at", "today 08:00")
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [
        "amtui: error: --at: 25.11.2026 08:00 is in the past; to record what happened use "
        "'amtui log visit ромашка --at ...'; to plan it anyway add --past"
    ]
    assert _rows(db_path, "SELECT count(*) FROM interaction") == [(0,)]
    forced = cli("plan", "visit", "ромашка", "--at", "today 08:00", "--past", "--json")
    assert forced.exit_code == 0, forced.output
    # A weekday whose time has gone by today is next week's; 08:00 is before working hours: a warning.
    later = cli("plan", "call", "ромашка", "--at", "ср 08:30")
    assert later.exit_code == 0 and "outside working time" in later.stderr
    assert _rows(db_path, "SELECT status, planned_at FROM interaction ORDER BY id") == [
        ("planned", "2026-11-25 05:00:00.000000"),
        ("planned", "2026-12-02 05:30:00.000000"),
    ]
    moved = cli("planned", "move", "2", "--at", "вчера 10:00")
    assert moved.exit_code == 1 and "planned done 2" in moved.stderr
    assert _rows(db_path, "SELECT planned_at FROM interaction WHERE id = 2") == [("2026-12-02 05:30:00.000000",)]


def test_due_dates_and_logged_times_read_the_right_way(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("client", "add", "Ромашка")
    # 31.01 typed in November is next January, not ten months back.
    assert json.loads(cli("task", "add", "Продлить договор", "--due", "31.01", "--json").stdout)["due_on"] == (
        "2027-01-31"
    )
    # A log is of the past: "пт 15:00" on Wednesday is last Friday, 20.11.
    logged = cli("log", "call", "ромашка", "--at", "пт 15:00", "--json")
    assert json.loads(logged.output)["done_at"] == "2026-11-20T12:00:00+00:00"
    assert _rows(db_path, "SELECT due_on FROM task") == [("2027-01-31",)]
    late = cli("task", "add", "Старое", "--due", "20.11.2026")
    assert late.exit_code == 0 and "in the past" in late.stderr
    weekend = cli("task", "add", "В субботу", "--due", "сб")
    assert weekend.exit_code == 0 and "28.11.2026 is not a working day" in weekend.stderr


# --- 9 (CLI side): steps with a comma, digest help ---------------------------------------------


def test_a_step_written_with_a_comma_becomes_a_task(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("client", "add", "Ромашка")
    cli("log", "visit", "ромашка")
    cli("task", "add", "Старая", "--due", "+1d", "--assignee", "Петров")
    saved = cli(
        "report", "write", "1", "--agenda", "Поставки",
        "--step", "Отправить КП, пт", "--step", "Счёт; пн", "--step", "Прайс; петров; 01.12",
        "--step", "Подумать о скидке, да",
    )  # fmt: skip
    assert saved.exit_code == 0, saved.output
    assert "3 next steps are tasks" in saved.output
    assert "'Подумать о скидке, да' has no due date, so it is not a task" in saved.output
    assert _rows(db_path, "SELECT title, assignee, due_on FROM task WHERE report_id IS NOT NULL ORDER BY id") == [
        ("Отправить КП", None, "2026-11-27"),
        ("Счёт", None, "2026-11-30"),
        ("Прайс", "Петров", "2026-12-01"),
    ]
    ambiguous = cli("report", "write", "1", "--step", "Отправить КП, Петров, пт")
    assert ambiguous.exit_code == 1
    assert "separate them with ';'" in ambiguous.stderr and "Traceback" not in ambiguous.output
    assert _rows(db_path, "SELECT count(*) FROM task WHERE report_id IS NOT NULL") == [(3,)]


def test_digest_help_is_complete_in_itself(cli) -> None:  # type: ignore[no-untyped-def]
    shown = cli("digest", "--help")
    assert shown.exit_code == 0
    assert "docs/digest.md" not in shown.output
    assert "0 7 * * 1-5  /home/me/amtui/.venv/bin/amtui digest --quiet-if-empty --mail-to me@example.com" in (
        shown.output
    )
    assert "AMTUI_SMTP_PASSWORD" in shown.output and "Exit codes" in shown.output


# --- 8: the working week -----------------------------------------------------------------------


def test_check_ins_fall_on_working_days_in_working_hours() -> None:
    # The case: set on Wednesday 02.12, due Friday 11.12; 35 % of the way is Saturday 05.12.
    assert check_in_moment(msk(2026, 12, 2), date(2026, 12, 11), MSK) == msk(2026, 12, 7, 10)
    # Across the Russian New Year holidays (1-8 January): the first working day after them.
    assert check_in_moment(msk(2026, 12, 25, 15), date(2027, 1, 15), MSK) == msk(2027, 1, 11, 10)
    # The next working day would be the due day: the last working day before it instead.
    assert check_in_moment(msk(2026, 12, 3, 9), date(2026, 12, 7), MSK) == msk(2026, 12, 4, 10)
    # Set after 10:00 for tomorrow: an hour later today, in working hours.
    assert check_in_moment(msk(2026, 12, 1, 15), date(2026, 12, 2), MSK) == msk(2026, 12, 1, 16)
    # No working day before the due day (set on 31.12, due 09.01): on the due day at 10:00.
    assert check_in_moment(msk(2026, 12, 31, 12), date(2027, 1, 9), MSK) == msk(2027, 1, 9, 10)
    # Another week: Monday to Thursday, 11:00-15:00, no public holidays.
    short = WorkWeek(days=parse_days("mon-thu"), start=time(11), end=time(15), country=None)
    assert check_in_moment(msk(2026, 12, 2), date(2026, 12, 11), MSK, short) == msk(2026, 12, 7, 11)
    assert check_in_moment(msk(2026, 12, 28), date(2027, 1, 12), MSK, short) == msk(2027, 1, 4, 11)
    assert DEFAULT_WEEK.next_working_moment(msk(2026, 12, 31, 19), MSK) == msk(2027, 1, 11, 9)
    assert not DEFAULT_WEEK.is_working_day(date(2027, 1, 4)) and DEFAULT_WEEK.is_working_day(date(2027, 1, 11))


def test_work_week_settings_are_read_and_checked() -> None:
    assert parse_days("mon-fri") == frozenset(range(5))
    assert parse_days(["sun", "mon", "tue", "wed", "thu"]) == frozenset({6, 0, 1, 2, 3})
    assert parse_days("sat-mon") == frozenset({5, 6, 0})
    assert parse_hours("9-18") == (time(9), time(18)) and parse_hours("08:30-17:00") == (time(8, 30), time(17))
    with pytest.raises(ValueError, match="day of the week"):
        parse_days("mon,holiday")
    with pytest.raises(ValueError, match="end after"):
        parse_hours("18:00-09:00")


def test_delegated_task_gets_a_working_day_check_in_from_the_config(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    from amtui import config

    # Frozen now: Wednesday 25.11 09:00; due Friday 04.12: 35 % of the way is Saturday 28.11.
    added = json.loads(cli("task", "add", "Счёт", "--due", "04.12", "--assignee", "Петров", "--json").output)
    assert added["check_in_at"] == "2026-11-30T07:00:00+00:00"  # Monday 30.11 10:00 Moscow
    Path(os.environ["AMTUI_CONFIG"]).write_text(
        '[work]\ndays = "mon-thu"\nhours = "11:00-15:00"\nholidays = ""\n', encoding="utf-8"
    )
    config.work_week.cache_clear()
    other = json.loads(cli("task", "add", "КП", "--due", "04.12", "--assignee", "Анна", "--json").stdout)
    assert other["check_in_at"] == "2026-11-30T08:00:00+00:00"  # Monday 11:00, the start of the day
    # A day without a time is 10:00 moved into the working hours: 11:00 here.
    cli("client", "add", "Ромашка")
    planned = json.loads(cli("plan", "call", "ромашка", "--at", "пн", "--json").stdout)
    assert planned["planned_at"] == "2026-11-30T08:00:00+00:00"
    assert _rows(db_path, "SELECT check_in_at FROM task ORDER BY id") == [
        ("2026-11-30 07:00:00.000000",),
        ("2026-11-30 08:00:00.000000",),
    ]
    Path(os.environ["AMTUI_CONFIG"]).write_text('[work]\nhours = "18-9"\n', encoding="utf-8")
    config.work_week.cache_clear()
    broken = cli("task", "add", "X", "--due", "04.12", "--assignee", "Анна")
    assert broken.exit_code == 1 and "[work]" in broken.stderr and "Traceback" not in broken.output
    assert _rows(db_path, "SELECT count(*) FROM task") == [(2,)]


def test_colleagues_are_one_person_per_name(session, now, zone, cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    due = date(2026, 12, 10)
    tasks.create_task(session=session, title="A", now=now, zone=zone, due_on=due, assignee="Петров (логистика)")
    tasks.create_task(session=session, title="B", now=now, zone=zone, due_on=due, assignee="Петров (логистика)")
    tasks.create_task(session=session, title="C", now=now, zone=zone, due_on=due, assignee="Петров")
    tasks.create_task(session=session, title="D", now=now, zone=zone, due_on=due, assignee="Анна Смирнова")
    people = colleagues.list_colleagues(session=session)
    assert [(p.name, p.other_names, p.open_tasks) for p in people] == [
        ("Петров (логистика)", ("Петров",), 3),
        ("Анна Смирнова", (), 1),
    ]
    assert colleagues.resolve_colleague(session=session, name="  ПЕТРОВ ") == "Петров (логистика)"
    assert colleagues.resolve_colleague(session=session, name="петров (склад)") == "Петров (логистика)"
    assert colleagues.resolve_colleague(session=session, name="Сидоров") == "Сидоров"
    assert colleagues.complete_colleague(["Петров (логистика)", "Анна Смирнова"], "смир") == ["Анна Смирнова"]
    session.commit()
    added = json.loads(cli("task", "add", "E", "--due", "10.12", "--assignee", "петров", "--json").output)
    assert added["assignee"] == "Петров (логистика)"
    assert _rows(db_path, "SELECT assignee, count(*) FROM task GROUP BY assignee ORDER BY 1") == [
        ("Анна Смирнова", 1),
        ("Петров", 1),
        ("Петров (логистика)", 3),
    ]
    listed = cli("task", "colleagues")
    assert listed.output.splitlines() == [
        "Петров (логистика): 4 open of 4 tasks  (also written Петров)",
        "Анна Смирнова: 1 open of 1 task",
    ]


def test_assignee_shell_completion_offers_colleagues(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    # The colleagues are written in-process; the completion is a real process, as the shell runs it.
    assert cli("client", "add", "X").exit_code == 0
    for name in ("Петров (логистика)", "Анна Смирнова"):
        added = cli("task", "add", "T", "--due", "+3d", "--assignee", name)
        assert added.exit_code == 0, added.output
    completion = dict(
        os.environ,
        AMTUI_DB=str(db_path),
        _AMTUI_COMPLETE="complete_zsh",
        _TYPER_COMPLETE_ARGS="amtui task add T --assignee Пе",
    )
    result = subprocess.run(
        [sys.executable, "-m", "amtui"], env=completion, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "Петров (логистика)" in result.stdout and "Анна" not in result.stdout


def test_task_list_shows_check_ins_and_an_early_check_in_counts(cli, db_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cli("task", "add", "Счёт", "--due", "04.12", "--assignee", "Петров")
    cli("task", "add", "Своё", "--due", "04.12")
    listed = cli("task", "list", "--delegated")
    assert listed.output.splitlines() == ["#1 Счёт → Петров due 04.12.2026, check-in 30.11.2026 10:00"]
    # Петров reports today (25.11), before the 30.11 check-in: it counts.
    assert cli("task", "check-in", "1", "--note", "начал").exit_code == 0
    assert _rows(db_path, "SELECT check_in_at, checked_in_at FROM task WHERE id = 1") == [
        ("2026-11-25 06:00:00.000000", "2026-11-25 06:00:00.000000")
    ]
    assert cli("task", "list", "--delegated").output.splitlines() == [
        "#1 Счёт → Петров due 04.12.2026, checked in 25.11.2026 09:00"
    ]
    monkeypatch.setenv("AMTUI_NOW", "2026-11-30T08:00:00+00:00")  # Monday 11:00: the old check-in time has passed
    alerts = json.loads(cli("alerts", "--kind", "check_in", "--json").output)
    assert alerts == []


def test_the_morning_digest_lists_the_days_check_ins(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    cli("task", "add", "Счёт", "--due", "04.12", "--assignee", "Петров", "--check-in", "30.11 10:00")
    monkeypatch.setenv("AMTUI_NOW", datetime(2026, 11, 30, 4, 0, tzinfo=UTC).isoformat())  # Monday 07:00
    digest = cli("digest")
    assert "Check in with Петров today at 10:00 on task #1 «Счёт»; it is due 04.12.2026" in digest.output
    # `amtui today` puts it on the day's agenda, not among what is late (until 10:00 has passed).
    day = json.loads(cli("today", "--json").stdout)
    assert [a["id"] for a in day["today"]] == ["checkin:1"] and day["late"] == []
    monkeypatch.setenv("AMTUI_NOW", datetime(2026, 11, 30, 8, 0, tzinfo=UTC).isoformat())  # 11:00
    day = json.loads(cli("today", "--json").stdout)
    assert day["today"] == [] and [a["id"] for a in day["late"]] == ["checkin:1"]


def _rows(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db_path) as connection:
        return connection.execute(sql).fetchall()


def test_days_shift_in_local_time_across_a_clock_change() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    saturday_evening = datetime(2027, 3, 27, 20, 0, tzinfo=berlin)  # clocks go forward that night
    moved = parse_datetime("sat 10:00", now=saturday_evening, zone=berlin)
    assert moved.tzinfo is UTC and moved == datetime(2027, 4, 3, 8, 0, tzinfo=UTC)  # 10:00 summer time
