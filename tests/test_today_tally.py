"""Today's backlog counted in the database (issue 15 part 2) equals the backlog made from every alert.

Today shows receivables, ending contracts, clients who called first, credit, stalled deals and ABC
suggestions only as one line each (count, money per currency). ``alerts_and_tallies`` counts the first
three in SQL with the engine's own queries and alert-building code, and builds only their marked alerts
to subtract the snoozed and dismissed ones. The reference here is the old way, written out in the test:
every alert built by ``compute_alerts``, then grouped by ``build_digest``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from amtui.config import Settings
from amtui.services.alerts import TALLIED_IN_SQL, Alert, Tally, alerts_and_tallies, compute_alerts
from amtui.services.digest import GROUP_TITLES, build_digest
from amtui.services.workspace import SUMMARISED_KINDS, TALLIED_KINDS, BacklogLine, Workspace
from amtui.vocabulary import AlertKind
from tests.conftest import FROZEN_NOW, ZONE


def _reference_backlog(alerts: list[Alert], now: datetime) -> tuple[BacklogLine, ...]:
    """The backlog as Today made it before: a digest of every backlog alert, one line per group."""
    digest = build_digest(
        [a for a in alerts if a.kind in SUMMARISED_KINDS],
        day=now.astimezone(ZONE).date(),
        generated_at=now,
        zone=ZONE,
        per_client=False,
    )
    return tuple(BacklogLine(g.kind, GROUP_TITLES[AlertKind(g.kind)][0], g.count, g.summary()) for g in digest.groups)


def _reference_tally(kind: str, alerts: list[Alert]) -> Tally | None:
    """A kind's count, worst severity and money per currency, from its alerts, without Tally.of."""
    items = [a for a in alerts if a.kind == kind]
    if not items:
        return None
    totals: dict[str, int] = {}
    for a in items:
        if a.amount_minor is not None and a.currency:
            totals[a.currency] = totals.get(a.currency, 0) + a.amount_minor
    worst = min(items, key=lambda a: a.severity_rank).severity
    return Tally(kind, len(items), worst, tuple(sorted(totals.items())))


@pytest.fixture
def demo(engine: Any) -> Any:
    from amtui.services.demo import build_demo

    build_demo(engine, size="small", now=FROZEN_NOW)
    ws = Workspace(engine=engine, now=lambda: FROZEN_NOW, zone=ZONE, settings=Settings())
    clients = [c.id for c in ws.client_list()[:4]]
    for hours, client_id in enumerate(clients, start=2):  # more clients who had to call first
        ws.log(client_id, kind="call", direction="inbound", at=FROZEN_NOW - timedelta(hours=hours * 13))
    return engine


def _mark_some(ws: Workspace) -> dict[str, str]:
    """Marks on receivables, contracts and called-first alerts: dismissed, snoozed ahead, a snooze that has
    run out, a mark whose facts changed since; returns alert id -> what was done."""
    alerts = ws.alerts()
    done: dict[str, str] = {}
    today = ws.today()
    for kind in (AlertKind.RECEIVABLE, AlertKind.CONTRACT, AlertKind.CALLED_FIRST):
        found = [a for a in alerts if a.kind == kind]
        assert len(found) >= 4, kind
        ws.dismiss_alert(found[0].id)
        ws.snooze_alert(found[1].id, today + timedelta(days=3))
        ws.snooze_alert(found[2].id, today + timedelta(days=1))  # back tomorrow
        ws.dismiss_alert(found[3].id)
        done |= {found[0].id: "dismissed", found[1].id: "snoozed", found[2].id: "snoozed a day", found[3].id: "stale"}
    with ws.engine.begin() as connection:
        stale = [key for key, what in done.items() if what == "stale"]
        for key in stale:
            connection.execute(text("UPDATE alert_mark SET fingerprint = 'changed' WHERE alert_id = :id"), {"id": key})
        # A mark of an alert that no longer exists, and one whose id is not a number.
        connection.execute(
            text(
                "INSERT INTO alert_mark (alert_id, state, fingerprint, updated_at) VALUES (:id, 'dismissed', 'x', :at)"
            ),
            [{"id": "invoice:999999", "at": FROZEN_NOW}, {"id": "invoice:abc", "at": FROZEN_NOW}],
        )
    return done


@pytest.mark.parametrize("days", [0, 1, 3, 20, 45, 70, 100])
def test_tallies_equal_the_alerts_they_stand_for(demo: Any, days: int) -> None:
    """Each counted kind, on days that move invoices across the aging buckets and contracts across the
    bands, with marks that hide (dismissed, snoozed) and do not (a snooze run out from the next day on,
    stale, unknown): the tally made in SQL equals the one made from every alert, and the other alerts are
    exactly compute_alerts' others."""
    ws = Workspace(engine=demo, now=lambda: FROZEN_NOW, zone=ZONE, settings=Settings())
    _mark_some(ws)
    at = FROZEN_NOW + timedelta(days=days)
    with demo.connect() as connection:
        every = compute_alerts(session=connection, now=at, zone=ZONE)
        rest, tallies = alerts_and_tallies(session=connection, now=at, zone=ZONE, tally=TALLIED_KINDS)
    assert [a for a in every if a.kind not in TALLIED_KINDS] == rest
    for kind in TALLIED_KINDS:
        assert tallies.get(kind) == _reference_tally(kind, every), (kind, days)
    if days == 0:
        for kind in TALLIED_IN_SQL:  # the demo has them all, hidden ones subtracted
            assert tallies[kind].count > 1
        assert len(tallies[AlertKind.RECEIVABLE].totals) >= 2  # money in more than one currency


def test_today_shows_what_every_alert_made_it_show(demo: Any) -> None:
    """The Today view (backlog lines, alert count, the listed sections) equals the one made from all
    alerts, before and after marks, and a mark's hidden alert is no longer counted."""
    ws = Workspace(engine=demo, now=lambda: FROZEN_NOW, zone=ZONE, settings=Settings())
    for step in ("unmarked", "marked"):
        if step == "marked":
            before = ws.today_view()
            _mark_some(ws)
        view = ws.today_view()
        every = ws.alerts()
        assert view.backlog == _reference_backlog(every, FROZEN_NOW), step
        assert view.alert_count == len(every), step
        ids = {a.id for a in every}
        for section in (view.agenda, view.late, view.coming, view.overdue_clients):
            assert {a.id for a in section} <= ids
    counts = {line.kind: line.count for line in view.backlog}
    old = {line.kind: line.count for line in before.backlog}
    # Three hidden per counted kind (a dismissal, two snoozes); the mark whose facts changed shows.
    for kind in TALLIED_IN_SQL:
        assert counts[kind] == old[kind] - 3, kind
    assert view.alert_count == before.alert_count - 3 * len(TALLIED_IN_SQL)


def test_an_empty_database_has_no_backlog(engine: Any) -> None:
    ws = Workspace(engine=engine, now=lambda: FROZEN_NOW, zone=ZONE, settings=Settings())
    view = ws.today_view()
    assert view.backlog == () and view.alert_count == 0 and view.clients == 0
