"""The alert engine in plain SQL (issue 15 part 2): one set of statements, on any connection.

The engine's reads (services/alerts.py, and the ABC, credit and stalled-deal reckonings of
services/reckoning.py) are SQL text with ``:name`` parameters run through a Store: on a SQLAlchemy
connection (the TUI, every other caller, PostgreSQL) or on a plain ``sqlite3`` connection, which is
what ``amtui digest`` and ``amtui alerts`` read on when the database is a SQLite file at the current
schema: they import no SQLAlchemy, unless a repeating series must move on first (the engine makes it).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from amtui.config import Settings
from amtui.services.alerts import alerts_and_tallies, compute_alerts
from amtui.services.workspace import TALLIED_KINDS, Workspace
from tests.conftest import FROZEN_NOW, ZONE
from tests.test_startup import _amtui, _loaded
from tests.test_startup import env as env  # a fixture
from tests.test_today_tally import _mark_some
from tests.test_today_tally import demo as demo  # a fixture

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

WATCHED = ("pydantic", "sqlmodel", "textual", "amtui.models", "sqlalchemy")


def _typed(alerts: list[Any]) -> None:
    """Days are dates and moments aware UTC datetimes, whatever the driver handed back."""
    for alert in alerts:
        assert type(alert.date) is date, alert
        assert alert.at is None or alert.at.tzinfo is UTC, alert
        assert alert.snoozed_until is None or type(alert.snoozed_until) is date, alert


@pytest.mark.parametrize("days", [0, 3, 45, 100])
def test_a_plain_connection_computes_what_a_sqlalchemy_connection_computes(demo: Any, db_path: Path, days: int) -> None:
    """Every alert (marked ones too), the open ones and Today's tallies, read on a plain sqlite3 connection,
    equal those read on the engine's connection, on days that move invoices, contracts and deals along."""
    ws = Workspace(engine=demo, now=lambda: FROZEN_NOW, zone=ZONE, settings=Settings())
    _mark_some(ws)
    at = FROZEN_NOW + timedelta(days=days)
    with demo.connect() as connection:
        marked = compute_alerts(session=connection, now=at, zone=ZONE, include_marked=True)
        shown = compute_alerts(session=connection, now=at, zone=ZONE)
        rest, tallies = alerts_and_tallies(session=connection, now=at, zone=ZONE, tally=TALLIED_KINDS)
    assert len(marked) > len(shown) > 30
    if days == 0:
        assert {a.kind for a in marked} >= {"receivable", "contract", "silence", "credit", "abc", "agenda", "birthday"}
    _typed(marked)
    with contextlib.closing(sqlite3.connect(db_path)) as plain:
        assert compute_alerts(session=plain, now=at, zone=ZONE, include_marked=True) == marked
        assert compute_alerts(session=plain, now=at, zone=ZONE) == shown
        assert alerts_and_tallies(session=plain, now=at, zone=ZONE, tally=TALLIED_KINDS) == (rest, tallies)
    assert [a.fingerprint for a in marked if a.mark] and all(a.snoozed_until or a.mark for a in marked if a.mark)


def test_a_quick_workspace_reads_without_the_engine_unless_a_series_is_due(demo: Any, db_url: str) -> None:
    """The quick workspace's alerts equal the engine's; a repeating task past due makes it open the engine,
    which makes the next occurrence first (as before), and then nothing is due."""
    settings = Settings()
    full = Workspace(engine=demo, now=lambda: FROZEN_NOW, zone=ZONE, settings=settings)
    quick = Workspace(db_url=db_url, quick_reads=True, now=lambda: FROZEN_NOW, zone=ZONE, settings=settings)
    assert quick.alerts() == full.alerts() and quick.alerts(include_marked=True) == full.alerts(include_marked=True)
    assert quick.alerts_and_tallies(tally=TALLIED_KINDS) == full.alerts_and_tallies(tally=TALLIED_KINDS)
    assert quick._engine is None, "read on the plain connection"
    today = FROZEN_NOW.astimezone(ZONE).date()
    # Weekly from 9 days ago: its latest occurrence is past due, so the series must move on (to the next
    # slot from today on, as before).
    first = full.add_task(title="Сверка «Ромашка»", due_on=today - timedelta(days=9), every="week")
    moved = Workspace(db_url=db_url, quick_reads=True, now=lambda: FROZEN_NOW, zone=ZONE, settings=settings)
    alerts = moved.alerts()
    assert moved._engine is not None, "a due series is made by the engine"
    titles = [a.text for a in alerts if a.task_id is not None and "Сверка" in a.text]
    assert titles, "the past-due occurrence is an alert"
    with demo.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT occurrence, due_on FROM task WHERE series_id = ? ORDER BY occurrence", (first.id,)
        ).fetchall()
    assert rows == [(1, str(today - timedelta(days=9))), (3, str(today + timedelta(days=5)))]
    again = Workspace(db_url=db_url, quick_reads=True, now=lambda: FROZEN_NOW, zone=ZONE, settings=settings)
    assert again.alerts() == alerts and again._engine is None
    moved.close()


def test_digest_and_alerts_import_no_sqlalchemy_and_print_what_the_engine_prints(env: dict[str, str]) -> None:
    """Whole processes on the small demo: no SQLAlchemy, SQLModel, pydantic or textual; the text, JSON and
    alert list are those computed in-process on the engine's connection."""
    from amtui.db import open_engine
    from amtui.services.digest import alert_to_dict, build_digest, render_text

    made = _amtui("demo", env=env)
    assert made.returncode == 0, made.stderr
    assert _loaded(["digest"], env, WATCHED) == []
    assert _loaded(["digest", "--format", "json"], env, WATCHED) == []
    assert _loaded(["alerts", "--json", "--all"], env, WATCHED) == []
    engine = open_engine(f"sqlite:///{env['AMTUI_DB']}")
    try:
        now = datetime.fromisoformat(env["AMTUI_NOW"])
        ws = Workspace(engine=engine, now=lambda: now, zone=ZONE, settings=Settings())
        alerts = ws.alerts()
        digest = build_digest(alerts, day=now.astimezone(ZONE).date(), generated_at=now, zone=ZONE)
        listed = ws.alerts(include_marked=True)
    finally:
        engine.dispose()
    assert len(alerts) > 50
    text = _amtui("digest", env=env)
    assert text.returncode == 0 and text.stdout == render_text(digest), text.stderr
    printed = _amtui("alerts", "--json", "--all", env=env)
    assert json.loads(printed.stdout) == [alert_to_dict(a) for a in listed]


def test_the_per_client_lines_are_cut_at_the_limit_like_the_alerts() -> None:
    """A morning mail lists at most ``--limit`` clients with overdue invoices (the largest debts first),
    then how many more, in text, Markdown, HTML and on a terminal; the JSON keeps every client."""
    import io

    from rich.console import Console

    from amtui.services.alerts import Alert
    from amtui.services.digest import build_digest, render_html, render_json, render_markdown, render_rich
    from amtui.services.digest import render_text as text_of
    from amtui.vocabulary import AlertKind, Severity

    today = FROZEN_NOW.astimezone(ZONE).date()

    def owed(number: int) -> Alert:
        return Alert(
            id=f"invoice:{number}", kind=AlertKind.RECEIVABLE, severity=Severity.HIGH, date=today - timedelta(days=40),
            days=-40, sentence=(lambda n=number: f"Invoice {n}", ()), facts=(), client_id=number,
            client_name=f"Клиент {number:02d}", amount_minor=1000 * number, currency="RUB",
        )  # fmt: skip

    alerts = [owed(number) for number in range(1, 31)]
    digest = build_digest(alerts, day=today, generated_at=FROZEN_NOW, zone=ZONE)
    text = text_of(digest, limit=4)
    assert [line.strip()[:9] for line in text.splitlines() if "in 1 invoice" in line] == [
        "Клиент 30",
        "Клиент 29",
        "Клиент 28",
        "Клиент 27",
    ]
    assert "   ... and 26 more clients" in text and "Клиент 26" not in text
    assert "... and 26 more: amtui alerts --kind receivable" in text
    assert "Клиент 26" in text_of(digest, limit=0) and "more clients" not in text_of(digest, limit=30)
    markdown = render_markdown(digest, limit=4)
    assert "- ... and 26 more clients" in markdown
    assert markdown.count("**Клиент") == 4
    html = render_html(digest, limit=4)
    assert "<li>... and 26 more clients</li>" in html and html.count("<strong>Клиент") == 4
    out = io.StringIO()
    render_rich(digest, Console(file=out, width=120, color_system=None), limit=4)
    assert "... and 26 more clients" in out.getvalue() and "Клиент 26" not in out.getvalue()
    assert len(json.loads(render_json(digest))["groups"][0]["clients"]) == 30
    assert digest.counts() == {"total": 30, "critical": 0, "high": 30, "normal": 0, "info": 0}


@pytest.mark.parametrize("days", [0, 0.15, 1, 20, 45, 70, 100])
def test_the_digest_counted_in_the_database_equals_the_digest_of_every_alert(demo: Any, days: float) -> None:
    """The kinds the digest sums up (receivables, contracts, notices, birthdays, late deals, tasks; and by their
    moments the agenda, missed, no-report, unanswered, called-first and check-in: only their first alerts built)
    give the same digest as every alert built: each group's count, worst severity, money, per-client list and
    first lines, the headline, in text, Markdown and HTML; with marks that hide (dismissed, snoozed), one run out
    and one stale, on days that move invoices across the aging buckets, contracts across the bands and birthdays
    out of the window, and at a moment of the day when half the agenda has passed (high, then normal)."""
    from amtui.services.alerts import DIGEST_SUMMARIZED, alerts_and_summaries
    from amtui.services.digest import build_digest, render_html, render_markdown
    from amtui.services.digest import render_text as text_of

    ws = Workspace(engine=demo, now=lambda: FROZEN_NOW, zone=ZONE, settings=Settings())
    _mark_some(ws)
    counted_kinds = ("deal", "birthday", "notice", "overdue_task", "task_today")
    by_moment = ("agenda", "missed", "no_report", "unanswered", "called_first", "check_in")
    for kind in counted_kinds + by_moment:  # one dismissed, one snoozed
        found = [a for a in ws.alerts() if a.kind == kind]
        assert len(found) >= 2, kind
        ws.dismiss_alert(found[0].id)
        ws.snooze_alert(found[-1].id, FROZEN_NOW.astimezone(ZONE).date() + timedelta(days=2))
    at = FROZEN_NOW + timedelta(days=days)
    day = at.astimezone(ZONE).date()
    with demo.connect() as connection:
        every = compute_alerts(session=connection, now=at, zone=ZONE)
        full = build_digest(every, day=day, generated_at=at, zone=ZONE)
        for limit in (1, 2, 3, 25):
            alerts, summaries = alerts_and_summaries(session=connection, now=at, zone=ZONE, limit=limit)
            assert alerts == [a for a in every if a.kind not in DIGEST_SUMMARIZED]
            assert set(summaries) == {a.kind for a in every if a.kind in DIGEST_SUMMARIZED}
            counted = build_digest(alerts, day=day, generated_at=at, zone=ZONE, summaries=summaries)
            assert counted.counts() == full.counts() and counted.headline() == full.headline()
            for group, reference in zip(counted.groups, full.groups, strict=True):
                assert (group.kind, group.severity, group.count, group.totals, group.clients) == (
                    reference.kind,
                    reference.severity,
                    reference.count,
                    reference.totals,
                    reference.clients[:limit],  # only the clients shown, and how many in all
                )
                assert (group.client_total or len(group.clients)) == len(reference.clients), (group.kind, limit)
                assert group.alerts[:limit] == reference.alerts[:limit], (group.kind, limit)
            for render in (text_of, render_markdown, render_html):
                assert render(counted, limit=limit) == render(full, limit=limit), (render, limit)
    if days == 0:
        assert summaries["receivable"].count > 3 and summaries["receivable"].client_count > 3
        assert summaries["contract"].count >= 2  # four of the demo's six are marked, one of them stale


def test_the_digest_command_prints_the_digest_of_every_alert(cli: Any) -> None:
    """``amtui digest`` (text, the first --limit alerts of each group) against the JSON digest (every alert)."""
    made = cli("demo")
    assert made.exit_code == 0, made.output
    shown = cli("digest", "--limit", "2")
    assert shown.exit_code == 0, shown.output
    listed = cli("alerts", "--json")
    every = json.loads(listed.output)
    assert len(every) > 30
    assert "Overdue invoices: " in shown.output and "... and " in shown.output
    full = cli("digest", "--format", "json")
    groups = {group["kind"]: group for group in json.loads(full.output)["groups"]}
    assert sum(group["count"] for group in groups.values()) == len(every)
    for kind in ("receivable", "contract"):
        ids = [alert["id"] for alert in groups[kind]["alerts"]]
        assert all(f"[{alert_id}]" in shown.output for alert_id in ids[:2]), kind
        assert not any(f"[{alert_id}]" in shown.output for alert_id in ids[2:]), kind


def test_moments_stored_with_an_offset_are_put_in_order_as_utc_moments(demo: Any) -> None:
    """The kinds summed up by their moments sort the stored text as it is (UTC, no offset); a column where some
    moment was written with an offset (another program, an older version) is sorted as UTC moments instead:
    the digest still equals the digest of every alert."""
    from amtui.services.alerts import alerts_and_summaries
    from amtui.services.digest import build_digest

    with demo.connect() as connection:
        called = [a for a in compute_alerts(session=connection, now=FROZEN_NOW, zone=ZONE) if a.kind == "called_first"]
    assert len(called) >= 3
    moved = called[1]  # the same moment, written in Moscow time with its offset
    assert moved.at is not None
    local = moved.at.astimezone(ZONE).isoformat(sep=" ")
    with demo.begin() as connection:
        connection.exec_driver_sql("UPDATE interaction SET done_at = ? WHERE id = ?", (local, moved.interaction_id))
    day = FROZEN_NOW.astimezone(ZONE).date()
    with demo.connect() as connection:
        every = compute_alerts(session=connection, now=FROZEN_NOW, zone=ZONE)
        assert [a.id for a in every if a.kind == "called_first"] == [a.id for a in called]
        full = build_digest(every, day=day, generated_at=FROZEN_NOW, zone=ZONE)
        for limit in (1, 2, 3):
            alerts, summaries = alerts_and_summaries(session=connection, now=FROZEN_NOW, zone=ZONE, limit=limit)
            counted = build_digest(alerts, day=day, generated_at=FROZEN_NOW, zone=ZONE, summaries=summaries)
            assert counted.counts() == full.counts()
            for group, reference in zip(counted.groups, full.groups, strict=True):
                assert (group.kind, group.count, group.by_severity) == (
                    reference.kind,
                    reference.count,
                    reference.by_severity,
                )
                assert group.alerts[:limit] == reference.alerts[:limit], (group.kind, limit)
