"""The alert engine, kind by kind, on handcrafted data with a frozen clock (25.11.2026 09:00 Moscow)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import DateTime, text

from amtui.models import Task
from amtui.services import clients, contacts, interactions, records, reports, tasks
from amtui.services.alerts import (
    Alert,
    AlertKind,
    Severity,
    aging_bucket,
    birthday_keys,
    compute_alerts,
    dismiss_alert,
    parse_kinds,
    restore_alert,
    snooze_alert,
)
from amtui.services.digest import build_digest, render_text
from amtui.services.errors import NotFoundError, ValidationError

TODAY = date(2026, 11, 25)


def msk(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo("Europe/Moscow"))


def of_kind(alerts: list[Alert], kind: AlertKind) -> list[Alert]:
    return [alert for alert in alerts if alert.kind == kind]


def by_id(alerts: list[Alert]) -> dict[str, Alert]:
    return {alert.id: alert for alert in alerts}


@pytest.fixture
def client_id(session) -> int:  # type: ignore[no-untyped-def]
    created = clients.create_client(session=session, name="ООО «Ромашка»", tier="A", status="active")
    # A recent touch keeps the silence rule quiet unless a test wants it.
    interactions.log_interaction(session=session, client_id=created.id, kind="email", at=msk(TODAY, 8))
    return created.id


def run(session, now, zone, **kwargs) -> list[Alert]:  # type: ignore[no-untyped-def]
    return compute_alerts(session=session, now=now, zone=zone, **kwargs)


# --- agenda and missed -----------------------------------------------------------------------------------------


def test_agenda_uses_the_local_day_not_the_utc_day(session, client_id, zone) -> None:  # type: ignore[no-untyped-def]
    # 26.11 09:00 Moscow is 06:00 UTC; 26.11 01:00 Moscow is 25.11 22:00 UTC.
    morning = interactions.plan_interaction(
        session=session, client_id=client_id, kind="visit", at=msk(date(2026, 11, 26), 9)
    )
    night = interactions.plan_interaction(
        session=session, client_id=client_id, kind="call", at=msk(date(2026, 11, 26), 1)
    )
    late_today = interactions.plan_interaction(session=session, client_id=client_id, kind="call", at=msk(TODAY, 23, 30))
    seen_on_26th = run(session, msk(date(2026, 11, 26), 0, 30), zone, kinds=[AlertKind.AGENDA])
    assert {a.interaction_id for a in seen_on_26th} == {morning.id, night.id}
    assert [a.interaction_id for a in seen_on_26th] == [night.id, morning.id]  # by time of day
    seen_on_25th = run(session, msk(TODAY, 9), zone, kinds=[AlertKind.AGENDA])
    assert [a.interaction_id for a in seen_on_25th] == [late_today.id]
    assert seen_on_25th[0].text.startswith("23:30 call with ООО «Ромашка»")


def test_missed_is_planned_before_today_and_not_done_or_cancelled(session, client_id, now, zone) -> None:  # type: ignore[no-untyped-def]
    missed = interactions.plan_interaction(
        session=session, client_id=client_id, kind="call", at=msk(TODAY - timedelta(days=2), 10)
    )
    cancelled = interactions.plan_interaction(
        session=session, client_id=client_id, kind="call", at=msk(TODAY - timedelta(days=2), 11)
    )
    interactions.cancel(session=session, interaction_id=cancelled.id)
    done = interactions.plan_interaction(
        session=session, client_id=client_id, kind="visit", at=msk(TODAY - timedelta(days=1), 12)
    )
    interactions.mark_done(session=session, interaction_id=done.id, at=msk(TODAY - timedelta(days=1), 12))
    alerts = of_kind(run(session, now, zone), AlertKind.MISSED)
    assert [a.id for a in alerts] == [f"missed:{missed.id}"]
    assert alerts[0].days == -2 and alerts[0].severity == "high"
    # Moving it to tomorrow makes it neither missed nor today's agenda.
    interactions.reschedule(session=session, interaction_id=missed.id, at=msk(TODAY + timedelta(days=1), 10))
    assert not of_kind(run(session, now, zone), AlertKind.MISSED)


# --- meeting reports -------------------------------------------------------------------------------------------


def test_meeting_without_report_after_24_hours(session, client_id, now, zone) -> None:  # type: ignore[no-untyped-def]
    old = interactions.log_interaction(session=session, client_id=client_id, kind="visit", at=now - timedelta(hours=25))
    fresh = interactions.log_interaction(
        session=session, client_id=client_id, kind="meeting", at=now - timedelta(hours=23)
    )
    call = interactions.log_interaction(session=session, client_id=client_id, kind="call", at=now - timedelta(days=3))
    reported = interactions.log_interaction(
        session=session, client_id=client_id, kind="meeting", at=now - timedelta(days=4)
    )
    reports.save_report(session=session, interaction_id=reported.id, now=now, zone=zone, agreements="Договорились")
    ids = [a.interaction_id for a in of_kind(run(session, now, zone), AlertKind.NO_REPORT)]
    assert ids == [old.id]
    assert fresh.id not in ids and call.id not in ids
    reports.save_report(session=session, interaction_id=old.id, now=now, zone=zone, agreements="КП до пятницы")
    assert not of_kind(run(session, now, zone), AlertKind.NO_REPORT)


def test_reports_are_owed_for_two_months_then_the_meeting_is_history(session, client_id, now, zone) -> None:  # type: ignore[no-untyped-def]
    recent = interactions.log_interaction(
        session=session, client_id=client_id, kind="visit", at=now - timedelta(days=59)
    )
    interactions.log_interaction(session=session, client_id=client_id, kind="visit", at=now - timedelta(days=61))
    assert [a.interaction_id for a in of_kind(run(session, now, zone), AlertKind.NO_REPORT)] == [recent.id]


# --- tasks -----------------------------------------------------------------------------------------------------


def test_tasks_overdue_and_due_today(session, client_id, now, zone) -> None:  # type: ignore[no-untyped-def]
    late = tasks.create_task(
        session=session, title="Отправить КП", now=now, zone=zone, due_on=TODAY - timedelta(days=3), client_id=client_id
    )
    urgent = tasks.create_task(
        session=session, title="Счёт", now=now, zone=zone, due_on=TODAY - timedelta(days=1), priority="high"
    )
    today = tasks.create_task(session=session, title="Позвонить", now=now, zone=zone, due_on=TODAY)
    tasks.create_task(session=session, title="Later", now=now, zone=zone, due_on=TODAY + timedelta(days=1))
    finished = tasks.create_task(session=session, title="Done", now=now, zone=zone, due_on=TODAY - timedelta(days=5))
    tasks.complete_task(session=session, task_id=finished.id, now=now)
    alerts = by_id(run(session, now, zone))
    assert alerts[f"task:{late.id}"].kind == AlertKind.OVERDUE_TASK
    assert alerts[f"task:{late.id}"].days == -3
    assert "3 days overdue" in alerts[f"task:{late.id}"].text
    assert alerts[f"task:{urgent.id}"].severity == "critical"
    assert alerts[f"task:{today.id}"].kind == AlertKind.TASK_TODAY
    assert {a.task_id for a in alerts.values() if a.task_id} == {late.id, urgent.id, today.id}


def test_check_in_due_for_delegated_tasks_until_confirmed(session, client_id, now, zone) -> None:  # type: ignore[no-untyped-def]
    delegated = tasks.create_task(
        session=session, title="Подготовить договор", now=now, zone=zone, due_on=TODAY + timedelta(days=5),
        assignee="Пётр", check_in_at=now - timedelta(hours=1),
    )  # fmt: skip
    not_yet = tasks.create_task(
        session=session, title="Later", now=now, zone=zone, due_on=TODAY + timedelta(days=9),
        assignee="Анна", check_in_at=now + timedelta(hours=23),  # tomorrow 08:00
    )  # fmt: skip
    own = tasks.create_task(session=session, title="Own", now=now, zone=zone, due_on=TODAY + timedelta(days=5))
    tasks.update_task(session=session, task_id=own.id, check_in_at=now - timedelta(days=1))
    alerts = of_kind(run(session, now, zone), AlertKind.CHECK_IN)
    assert [a.task_id for a in alerts] == [delegated.id]
    assert "Пётр" in alerts[0].text
    tasks.confirm_check_in(session=session, task_id=delegated.id, now=now)
    assert not of_kind(run(session, now, zone), AlertKind.CHECK_IN)
    # A later check-in re-arms it once its time passes.
    later = now + timedelta(days=2)
    tasks.confirm_check_in(session=session, task_id=delegated.id, now=now, next_check_in=now + timedelta(days=1))
    assert [a.task_id for a in of_kind(run(session, later, zone), AlertKind.CHECK_IN)] == [not_yet.id, delegated.id]


def test_check_ins_later_today_are_listed_and_an_early_check_in_counts(session, client_id, now, zone) -> None:  # type: ignore[no-untyped-def]
    """The 07:00 digest lists the day's check-ins; progress heard before the check-in clears it."""
    morning = now - timedelta(hours=2)  # 07:00 Moscow
    at_ten = tasks.create_task(
        session=session, title="Счёт для Ромашки", now=morning - timedelta(days=3), zone=zone,
        due_on=TODAY + timedelta(days=5), assignee="Петров", check_in_at=now + timedelta(hours=1),
    )  # fmt: skip
    tomorrow = tasks.create_task(
        session=session, title="КП", now=morning, zone=zone, due_on=TODAY + timedelta(days=5),
        assignee="Анна", check_in_at=now + timedelta(days=1),
    )  # fmt: skip
    [alert] = of_kind(run(session, morning, zone), AlertKind.CHECK_IN)
    assert alert.task_id == at_ten.id and alert.severity == Severity.NORMAL
    assert "today at 10:00" in alert.text and "Петров" in alert.text
    digest = build_digest(run(session, morning, zone), day=TODAY, generated_at=morning, zone=zone)
    assert "Check in with Петров today at 10:00" in render_text(digest)
    # Past 10:00 with nothing heard it is late.
    [late] = of_kind(run(session, now + timedelta(hours=2), zone), AlertKind.CHECK_IN)
    assert late.severity == Severity.HIGH and "was due" in late.text
    # Петров reports at 08:00, before the 10:00 check-in: it counts, nothing is left to chase.
    early = tasks.confirm_check_in(session=session, task_id=at_ten.id, now=morning + timedelta(hours=1))
    assert early.checked_in_at == morning + timedelta(hours=1) == early.check_in_at
    assert not of_kind(run(session, now + timedelta(hours=2), zone), AlertKind.CHECK_IN)
    stored = session.get(Task, at_ten.id)
    assert stored.checked_in_at is not None and stored.checked_in_at >= stored.check_in_at
    assert [a.task_id for a in of_kind(run(session, now + timedelta(days=1, hours=1), zone), AlertKind.CHECK_IN)] == [
        tomorrow.id
    ]


# --- contracts -------------------------------------------------------------------------------------------------


def test_contract_ending_escalates_and_says_auto_renew(session, client_id, now, zone) -> None:  # type: ignore[no-untyped-def]
    def contract(number: str, days: int, **extra):  # type: ignore[no-untyped-def]
        return records.create_contract(
            session=session,
            client_id=client_id,
            number=number,
            start_on=date(2026, 1, 1),
            end_on=TODAY + timedelta(days=days),
            **extra,
        )

    far = contract("Д-95", 95)
    info = contract("Д-80", 80, auto_renew=True)
    normal = contract("Д-45", 45)
    high = contract("Д-10", 10)
    ended = contract("Д-old", -3)
    closed = contract("Д-closed", 10, status="terminated")
    alerts = by_id(of_kind(run(session, now, zone), AlertKind.CONTRACT))
    assert f"contract:{far.id}" not in alerts and f"contract:{closed.id}" not in alerts
    assert alerts[f"contract:{info.id}"].severity == "info"
    assert "renews automatically" in alerts[f"contract:{info.id}"].text
    assert alerts[f"contract:{normal.id}"].severity == "normal"
    assert "does not renew" in alerts[f"contract:{normal.id}"].text
    assert alerts[f"contract:{high.id}"].severity == "high"
    assert alerts[f"contract:{ended.id}"].severity == "critical"
    # Dismissed at 80 days, back when it crosses into the 60-day band.
    dismiss_alert(session=session, alert_id=f"contract:{info.id}", now=now, zone=zone)
    assert f"contract:{info.id}" not in by_id(run(session, now, zone))
    assert by_id(run(session, now + timedelta(days=21), zone))[f"contract:{info.id}"].severity == "normal"


def test_notice_deadline_approaching_and_passed(session, client_id, now, zone) -> None:  # type: ignore[no-untyped-def]
    # Ends in 150 days with 140 days' notice: the deadline is in 10 days.
    soon = records.create_contract(
        session=session,
        client_id=client_id,
        number="N-1",
        end_on=TODAY + timedelta(days=150),
        notice_days=140,
        auto_renew=True,
    )
    passed = records.create_contract(
        session=session, client_id=client_id, number="N-2", end_on=TODAY + timedelta(days=20), notice_days=30
    )
    far = records.create_contract(
        session=session, client_id=client_id, number="N-3", end_on=TODAY + timedelta(days=200), notice_days=60
    )
    alerts = by_id(of_kind(run(session, now, zone), AlertKind.NOTICE))
    assert set(alerts) == {f"notice:{soon.id}", f"notice:{passed.id}"}
    assert alerts[f"notice:{soon.id}"].date == TODAY + timedelta(days=10)
    assert alerts[f"notice:{soon.id}"].severity == "high"
    assert "renews automatically unless notice is given" in alerts[f"notice:{soon.id}"].text
    assert alerts[f"notice:{passed.id}"].days == -10
    assert (
        "passed" in alerts[f"notice:{passed.id}"].text
        and "unless a renewal is agreed" in alerts[f"notice:{passed.id}"].text
    )
    assert f"notice:{far.id}" not in alerts


# --- receivables -----------------------------------------------------------------------------------------------


def test_receivables_with_partial_payments_and_aging(session, client_id, now, zone) -> None:  # type: ignore[no-untyped-def]
    def invoice(number: str, days_late: int, amount: int, paid: int = 0):  # type: ignore[no-untyped-def]
        due = TODAY - timedelta(days=days_late)
        return records.create_invoice(
            session=session, client_id=client_id, number=number, issued_on=due - timedelta(days=10), due_on=due,
            amount_minor=amount, paid_minor=paid,
        )  # fmt: skip

    partial = invoice("С-1", 10, 50_000_00, paid=20_000_00)
    old = invoice("С-2", 95, 100_000_00)
    paid = invoice("С-3", 40, 10_000_00, paid=10_000_00)
    not_due = invoice("С-4", 0, 10_000_00)
    sixty = invoice("С-5", 61, 262_500_00)
    alerts = by_id(of_kind(run(session, now, zone), AlertKind.RECEIVABLE))
    assert set(alerts) == {f"invoice:{partial.id}", f"invoice:{old.id}", f"invoice:{sixty.id}"}
    assert f"invoice:{paid.id}" not in alerts and f"invoice:{not_due.id}" not in alerts
    assert alerts[f"invoice:{partial.id}"].amount_minor == 30_000_00
    assert "30 000 RUB of 50 000 RUB still owed" in alerts[f"invoice:{partial.id}"].text
    assert (alerts[f"invoice:{partial.id}"].bucket, alerts[f"invoice:{sixty.id}"].bucket) == ("1-30", "61-90")
    assert alerts[f"invoice:{old.id}"].bucket == "90+" and alerts[f"invoice:{old.id}"].severity == "critical"
    # Most urgent first: the 90+ invoice leads.
    assert of_kind(run(session, now, zone), AlertKind.RECEIVABLE)[0].invoice_id == old.id


def test_aging_bucket_edges() -> None:
    assert [aging_bucket(d) for d in (1, 30, 31, 60, 61, 90, 91, 400)] == [
        "1-30", "1-30", "31-60", "31-60", "61-90", "61-90", "90+", "90+",
    ]  # fmt: skip


# --- birthdays -------------------------------------------------------------------------------------------------


def test_birthday_across_the_year_end_with_age(session, client_id, zone) -> None:  # type: ignore[no-untyped-def]
    person = contacts.create_contact(
        session=session, client_id=client_id, full_name="Иванов Иван", birthday_md="01-02", birthday_year=1980
    )
    contacts.create_contact(session=session, client_id=client_id, full_name="Later", birthday_md="01-05")
    seen = of_kind(run(session, msk(date(2026, 12, 28), 9), zone), AlertKind.BIRTHDAY)
    assert [a.contact_id for a in seen] == [person.id]
    assert seen[0].date == date(2027, 1, 2) and seen[0].days == 5
    assert "turns 47" in seen[0].text and "02.01" in seen[0].text


def test_leap_day_birthday_shows_on_28_february_in_other_years(session, client_id, zone) -> None:  # type: ignore[no-untyped-def]
    leap = contacts.create_contact(
        session=session, client_id=client_id, full_name="Високосный", birthday_md="02-29", birthday_year=1988
    )
    on_28th = of_kind(run(session, msk(date(2027, 2, 28), 9), zone), AlertKind.BIRTHDAY)
    assert [(a.contact_id, a.date, a.days, a.severity) for a in on_28th] == [(leap.id, date(2027, 2, 28), 0, "high")]
    assert not of_kind(run(session, msk(date(2027, 3, 1), 9), zone), AlertKind.BIRTHDAY)
    in_leap_year = of_kind(run(session, msk(date(2028, 2, 27), 9), zone), AlertKind.BIRTHDAY)
    assert [a.date for a in in_leap_year] == [date(2028, 2, 29)]


def test_birthday_keys_window() -> None:
    keys = birthday_keys(date(2026, 12, 30), 3)
    assert keys == {
        "12-30": date(2026, 12, 30),
        "12-31": date(2026, 12, 31),
        "01-01": date(2027, 1, 1),
        "01-02": date(2027, 1, 2),
    }


def test_birthday_window_is_configurable(session, client_id, now, zone) -> None:  # type: ignore[no-untyped-def]
    contacts.create_contact(session=session, client_id=client_id, full_name="Далеко", birthday_md="12-05")
    assert not of_kind(run(session, now, zone), AlertKind.BIRTHDAY)
    assert of_kind(run(session, now, zone, birthday_days=10), AlertKind.BIRTHDAY)[0].days == 10


# --- silence and "called first" ---------------------------------------------------------------------------------


def test_silence_cadence_restarted_by_a_visit(session, now, zone) -> None:  # type: ignore[no-untyped-def]
    quiet = clients.create_client(session=session, name="Тишина", tier="B")  # 30 days
    interactions.log_interaction(session=session, client_id=quiet.id, kind="call", at=now - timedelta(days=40))
    never = clients.create_client(session=session, name="Новый", tier="A")
    prospect = clients.create_client(session=session, name="Prospect", status="prospect")
    custom = clients.create_client(session=session, name="Custom", tier="C", cadence_days=7)
    interactions.log_interaction(session=session, client_id=custom.id, kind="email", at=now - timedelta(days=8))
    # A cancelled or planned interaction is not a touch.
    planned = interactions.plan_interaction(
        session=session, client_id=custom.id, kind="call", at=now - timedelta(days=1)
    )
    interactions.cancel(session=session, interaction_id=planned.id)
    alerts = by_id(of_kind(run(session, now, zone), AlertKind.SILENCE))
    assert set(alerts) == {f"silence:{quiet.id}", f"silence:{never.id}", f"silence:{custom.id}"}
    assert f"silence:{prospect.id}" not in alerts
    assert alerts[f"silence:{quiet.id}"].days == -10
    assert "10 days overdue" in alerts[f"silence:{quiet.id}"].text
    assert "never been contacted" in alerts[f"silence:{never.id}"].text
    assert alerts[f"silence:{custom.id}"].days == -1
    interactions.log_interaction(session=session, client_id=quiet.id, kind="visit", at=now - timedelta(hours=2))
    assert f"silence:{quiet.id}" not in by_id(run(session, now, zone))


def test_silence_starts_the_local_day_after_the_cadence_ends(session, now, zone) -> None:  # type: ignore[no-untyped-def]
    # Tier B: every 30 days. The threshold is compared in SQL as a UTC moment: local midnight of today - 30.
    due_today = clients.create_client(session=session, name="Ровно 30 дней", tier="B")
    interactions.log_interaction(
        session=session, client_id=due_today.id, kind="call", at=msk(TODAY - timedelta(days=30), 0, 30)
    )
    late = clients.create_client(session=session, name="31 день", tier="B")
    # 23:30 in Moscow is 20:30 UTC the same day: still the 31st day back in local time.
    interactions.log_interaction(
        session=session, client_id=late.id, kind="call", at=msk(TODAY - timedelta(days=31), 23, 30)
    )
    odd_tier = clients.create_client(session=session, name="Tier from an import", tier="B")
    session.execute(text("UPDATE client SET tier = 'X' WHERE id = :id"), {"id": odd_tier.id})
    interactions.log_interaction(session=session, client_id=odd_tier.id, kind="call", at=now - timedelta(days=31))
    silent = by_id(of_kind(run(session, now, zone), AlertKind.SILENCE))
    assert f"silence:{due_today.id}" not in silent
    assert silent[f"silence:{late.id}"].days == -1
    assert "1 day overdue, last on 25.10.2026" in silent[f"silence:{late.id}"].text
    assert silent[f"silence:{odd_tier.id}"].days == -1  # an unknown tier keeps tier B's 30 days


def test_columns_read_match_the_models() -> None:
    """The engine reads through lightweight Core views (no SQLModel classes): each must name real columns."""
    from sqlmodel import SQLModel

    import amtui.models  # noqa: F401  (registers every table)
    from amtui.services.core_views import COLUMNS_READ

    for view in COLUMNS_READ:
        table = SQLModel.metadata.tables[view.name]
        for column in view.columns:
            assert column.name in table.c, f"{view.name}.{column.name} is not a column of the model"
            model_type = table.c[column.name].type
            assert column.type._type_affinity is model_type._type_affinity, f"{view.name}.{column.name}"
            if model_type._type_affinity is DateTime:
                assert column.type.timezone, f"{view.name}.{column.name} is an aware moment"


def test_a_plain_connection_reads_the_same_alerts(session, client_id, now, zone) -> None:  # type: ignore[no-untyped-def]
    """The digest passes a Connection (no ORM import); it must see exactly what a Session sees."""
    tasks.create_task(session=session, title="КП", now=now, zone=zone, due_on=TODAY - timedelta(days=3))
    due = TODAY - timedelta(days=40)
    records.create_invoice(
        session=session, client_id=client_id, number="С-1", issued_on=due, due_on=due, amount_minor=1_000_00
    )
    contacts.create_contact(session=session, client_id=client_id, full_name="Сидоров", birthday_md="11-27")
    through_session = run(session, now, zone)
    through_connection = run(session.connection(), now, zone)
    assert {a.kind for a in through_session} >= {AlertKind.OVERDUE_TASK, AlertKind.RECEIVABLE, AlertKind.BIRTHDAY}
    assert through_connection == through_session


def test_inbound_call_is_a_touch_and_is_reported(session, now, zone) -> None:  # type: ignore[no-untyped-def]
    client = clients.create_client(session=session, name="Звонит сам", tier="B")
    interactions.log_interaction(session=session, client_id=client.id, kind="call", at=now - timedelta(days=60))
    call = interactions.log_interaction(
        session=session, client_id=client.id, kind="call", at=now - timedelta(days=2), direction="inbound"
    )
    interactions.log_interaction(
        session=session, client_id=client.id, kind="call", at=now - timedelta(days=9), direction="inbound"
    )
    alerts = run(session, now, zone)
    assert not of_kind(alerts, AlertKind.SILENCE)
    called = of_kind(alerts, AlertKind.CALLED_FIRST)
    assert [a.interaction_id for a in called] == [call.id]
    assert "had to call first" in called[0].text


# --- unanswered ------------------------------------------------------------------------------------------------


def test_unanswered_after_the_local_day_ends(session, client_id, now, zone) -> None:  # type: ignore[no-untyped-def]
    yesterday = interactions.log_interaction(
        session=session,
        client_id=client_id,
        kind="email",
        at=msk(TODAY - timedelta(days=1), 23, 30),
        direction="inbound",
        needs_reply=True,
    )
    this_morning = interactions.log_interaction(
        session=session,
        client_id=client_id,
        kind="message",
        at=msk(TODAY, 0, 30),
        direction="inbound",
        needs_reply=True,
    )
    answered = interactions.log_interaction(
        session=session,
        client_id=client_id,
        kind="email",
        at=msk(TODAY - timedelta(days=3), 10),
        direction="inbound",
        needs_reply=True,
    )
    interactions.mark_replied(session=session, interaction_id=answered.id, at=msk(TODAY - timedelta(days=3), 12))
    ids = [a.interaction_id for a in of_kind(run(session, now, zone), AlertKind.UNANSWERED)]
    assert ids == [yesterday.id]
    # This morning's message (21:30 UTC yesterday) is due by the end of today, local time.
    assert this_morning.id not in ids
    tomorrow = of_kind(run(session, msk(TODAY + timedelta(days=1), 9), zone), AlertKind.UNANSWERED)
    assert {a.interaction_id for a in tomorrow} == {yesterday.id, this_morning.id}


# --- deals -----------------------------------------------------------------------------------------------------


def test_open_deals_past_expected_close(session, client_id, now, zone) -> None:  # type: ignore[no-untyped-def]
    late = records.create_deal(
        session=session,
        client_id=client_id,
        title="Поставка",
        stage="negotiation",
        amount_minor=1_000_000_00,
        expected_close=TODAY - timedelta(days=5),
    )
    won = records.create_deal(
        session=session, client_id=client_id, title="Won", stage="won", expected_close=TODAY - timedelta(days=5)
    )
    future = records.create_deal(
        session=session, client_id=client_id, title="Future", expected_close=TODAY + timedelta(days=5)
    )
    alerts = of_kind(run(session, now, zone), AlertKind.DEAL)
    assert [a.deal_id for a in alerts] == [late.id]
    assert alerts[0].amount_minor == 1_000_000_00 and "1 000 000 RUB" in alerts[0].text
    assert won.id != future.id
    records.update_deal(session=session, deal_id=late.id, today=TODAY, expected_close=TODAY + timedelta(days=7))
    assert not of_kind(run(session, now, zone), AlertKind.DEAL)


# --- snooze, dismiss and the facts changing ----------------------------------------------------------------------


def test_snooze_hides_until_the_day_then_returns(session, client_id, now, zone) -> None:  # type: ignore[no-untyped-def]
    task = tasks.create_task(session=session, title="КП", now=now, zone=zone, due_on=TODAY - timedelta(days=1))
    alert_id = f"task:{task.id}"
    snoozed = snooze_alert(session=session, alert_id=alert_id, until=TODAY + timedelta(days=2), now=now, zone=zone)
    assert snoozed.mark == "snoozed"
    assert alert_id not in by_id(run(session, now, zone))
    assert alert_id not in by_id(run(session, now + timedelta(days=1), zone))
    assert alert_id in by_id(run(session, now + timedelta(days=2), zone))
    marked = by_id(run(session, now, zone, include_marked=True))[alert_id]
    assert (marked.mark, marked.snoozed_until) == ("snoozed", TODAY + timedelta(days=2))


def test_dismissed_invoice_returns_after_a_partial_payment(session, client_id, now, zone) -> None:  # type: ignore[no-untyped-def]
    invoice = records.create_invoice(
        session=session,
        client_id=client_id,
        number="1",
        issued_on=TODAY - timedelta(days=20),
        due_on=TODAY - timedelta(days=5),
        amount_minor=100_00,
    )
    alert_id = f"invoice:{invoice.id}"
    dismiss_alert(session=session, alert_id=alert_id, now=now, zone=zone)
    assert alert_id not in by_id(run(session, now, zone))
    assert alert_id not in by_id(run(session, now + timedelta(days=3), zone))  # dismissed stays dismissed
    records.record_payment(session=session, invoice_id=invoice.id, amount_minor=40_00, paid_on=TODAY)
    back = by_id(run(session, now, zone))[alert_id]
    assert back.amount_minor == 60_00 and back.mark is None


def test_snoozed_task_returns_when_its_due_date_moves(session, client_id, now, zone) -> None:  # type: ignore[no-untyped-def]
    task = tasks.create_task(session=session, title="КП", now=now, zone=zone, due_on=TODAY - timedelta(days=2))
    alert_id = f"task:{task.id}"
    snooze_alert(session=session, alert_id=alert_id, until=TODAY + timedelta(days=7), now=now, zone=zone)
    tasks.reschedule_task(session=session, task_id=task.id, due_on=TODAY, now=now, zone=zone)
    assert by_id(run(session, now, zone))[alert_id].kind == AlertKind.TASK_TODAY
    assert restore_alert(session=session, alert_id=alert_id) is True
    assert restore_alert(session=session, alert_id=alert_id) is False


def test_unknown_alert_and_bad_snooze_date(session, client_id, now, zone) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFoundError, match="invoice:999"):
        dismiss_alert(session=session, alert_id="invoice:999", now=now, zone=zone)
    with pytest.raises(NotFoundError, match="amtui alerts"):
        dismiss_alert(session=session, alert_id="nonsense", now=now, zone=zone)
    task = tasks.create_task(session=session, title="КП", now=now, zone=zone, due_on=TODAY)
    with pytest.raises(ValidationError, match="later day"):
        snooze_alert(session=session, alert_id=f"task:{task.id}", until=TODAY, now=now, zone=zone)


def test_parse_kinds() -> None:
    assert parse_kinds(None) is None
    assert parse_kinds(["receivable", "overdue-task,birthday"]) == {
        AlertKind.RECEIVABLE, AlertKind.OVERDUE_TASK, AlertKind.BIRTHDAY,
    }  # fmt: skip
    with pytest.raises(ValidationError, match="not an alert kind"):
        parse_kinds(["invoices"])


def test_everything_is_ordered_by_urgency_and_ids_are_unique(session, client_id, now, zone) -> None:  # type: ignore[no-untyped-def]
    tasks.create_task(
        session=session, title="Urgent", now=now, zone=zone, due_on=TODAY - timedelta(days=1), priority="high"
    )
    tasks.create_task(session=session, title="Today", now=now, zone=zone, due_on=TODAY)
    contacts.create_contact(session=session, client_id=client_id, full_name="Сидоров", birthday_md="11-30")
    alerts = run(session, now, zone)
    ranks = [a.severity_rank for a in alerts]
    assert ranks == sorted(ranks)
    assert alerts[0].severity == "critical"
    assert len({a.id for a in alerts}) == len(alerts)


def test_naive_now_is_refused(session, zone) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        compute_alerts(session=session, now=datetime(2026, 11, 25, 9), zone=zone)
    assert compute_alerts(session=session, now=datetime(2026, 11, 25, 6, tzinfo=UTC), zone=zone) == []


def test_every_alert_query_is_served_by_an_index(engine, session, client_id, now, zone) -> None:  # type: ignore[no-untyped-def]
    """Without planner statistics (a user's database never ran ANALYZE) each query must still find its
    index: on the large demo an unlucky plan for "unanswered" took 40 ms instead of 0.1 ms."""
    from amtui.services.store import CoreStore, sqlite_value

    statements: list[tuple[str, Any]] = []
    read = CoreStore.rows

    def capture(store: CoreStore, sql: str, params: Any = None) -> Any:  # every statement, as it is bound
        statements.append((sql, {name: sqlite_value(value) for name, value in (params or {}).items()}))
        return read(store, sql, params)

    CoreStore.rows = capture  # type: ignore[method-assign]
    try:
        run(session, now, zone)
    finally:
        CoreStore.rows = read  # type: ignore[method-assign]
    connection = session.connection()
    plans = {
        statement: " | ".join(
            row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        )
        for statement, parameters in statements
    }
    assert len(plans) >= 14
    # ABC's year of revenue per client is most of the invoices: read on purpose in one pass over the
    # covering index that holds them in group order (migration 0013), never from the table.
    revenue = [statement for statement in plans if "sum(invoice.amount_minor)" in statement and "GROUP BY" in statement]
    assert len(revenue) == 1
    assert plans[revenue[0]] == "SCAN invoice USING COVERING INDEX ix_invoice_client_revenue"
    for statement, plan in plans.items():
        for big_table in ("interaction", "invoice", "task", "contact", "contract", "deal", "meeting_report"):
            if statement in revenue and big_table == "invoice":
                continue
            assert f"SCAN {big_table}" not in plan, f"{plan}\n{statement}"
    unanswered = next(plan for statement, plan in plans.items() if "needs_reply" in statement)
    assert "ix_interaction_needs_reply" in unanswered
    called_first = next(plan for statement, plan in plans.items() if "interaction.kind = :call" in statement)
    assert "ix_interaction_kind_direction_done" in called_first
    invoices = next(plan for statement, plan in plans.items() if "FROM invoice" in statement)
    assert "COVERING INDEX ix_invoice_unpaid_due" in invoices


def test_the_engine_pauses_the_garbage_collector_and_hands_it_back(session, client_id, now, zone) -> None:  # type: ignore[no-untyped-def]
    """The cyclic collector is off while the engine runs (its rows and alerts hold no cycles) and on again after,
    also when the run fails; left off when it was off; a caller's frozen objects stay frozen."""
    import gc

    from amtui.services import alerts as engine

    seen: list[bool] = []
    names = engine.client_names
    # The suite's own frozen heap (conftest: everything loaded at collection) is frozen again at the end:
    # `gc.unfreeze` thaws all, and the worker's later tests would have walked it in every full collection.
    suite_frozen = gc.get_freeze_count() > 0

    def watched(store: Any) -> dict[int, str]:
        seen.append(gc.isenabled())
        return names(store)

    assert gc.isenabled()
    engine.client_names = watched  # type: ignore[assignment]
    try:
        assert compute_alerts(session=session, now=now, zone=zone) is not None
        assert seen == [False] and gc.isenabled()
        gc.disable()
        compute_alerts(session=session, now=now, zone=zone)
        assert seen == [False, False] and not gc.isenabled()
        gc.enable()
        gc.freeze()
        frozen = gc.get_freeze_count()
        compute_alerts(session=session, now=now, zone=zone)
        assert gc.get_freeze_count() == frozen and gc.isenabled()
        gc.unfreeze()

        def broken(store: Any) -> dict[int, str]:
            raise RuntimeError("the names read failed")

        engine.client_names = broken  # type: ignore[assignment]
        with pytest.raises(RuntimeError, match="the names read failed"):
            compute_alerts(session=session, now=now, zone=zone)
        assert gc.isenabled()
    finally:
        engine.client_names = names  # type: ignore[assignment]
        gc.unfreeze()
        gc.enable()
        if suite_frozen:
            gc.freeze()
