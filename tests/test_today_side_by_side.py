"""Today at ten times the data (issue 15 part 2): independent reads side by side, and the indexes of 0017.

``Workspace.today_view`` reads the alert engine, the month's sales and the portfolio's receivables each on a
connection of its own in a thread of its own where that pays (PostgreSQL; here SQLite files are made to, to test
the mechanism cheaply); the TUI's quick part (agenda and
sales) is read beside the engine and handed over as soon as it is ready. What Today shows must not depend on
it: every figure equals the reads made one after the other, in one thread, as before.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from typing import Any

import pytest

from amtui.config import Settings
from amtui.services.workspace import Workspace
from tests.conftest import FROZEN_NOW, ZONE


@pytest.fixture
def demo(engine: Any) -> Any:
    from amtui.services.demo import build_demo

    build_demo(engine, size="small", now=FROZEN_NOW)
    return engine


def _workspace(engine: Any, *, side_by_side: bool) -> Workspace:
    ws = Workspace(engine=engine, now=lambda: FROZEN_NOW, zone=ZONE, settings=Settings())
    ws._side_by_side_ok = side_by_side
    return ws


def test_today_side_by_side_equals_one_after_the_other(demo: Any) -> None:
    """The whole view, the TUI's two steps and its one-read form give the same Today whether the reads run
    side by side or in one thread; the quick part handed over early equals ``today_first``."""
    serial = _workspace(demo, side_by_side=False)
    parallel = _workspace(demo, side_by_side=True)
    assert parallel._reads_side_by_side()
    expected = serial.today_view()
    assert expected.complete and expected.agenda and expected.late and expected.receivables and expected.backlog
    assert expected.sales_minor > 0 and expected.clients

    threads: list[str] = []
    original = parallel._read_tallies

    def engine_read(tally: Any) -> Any:  # which thread reads the engine: not the one that asked for Today
        threads.append(threading.current_thread().name)
        return original(tally)

    parallel._read_tallies = engine_read  # type: ignore[method-assign]
    assert parallel.today_view() == expected
    assert threads == ["amtui-read-1"]

    firsts: list[Any] = []
    assert parallel.today_view(first=firsts.append) == expected
    assert firsts == [serial.today_first()] == [parallel.today_first()]
    assert not firsts[0].complete and firsts[0].agenda == serial.today_first().agenda
    assert parallel.today_rest(parallel.today_first()) == expected == serial.today_rest(serial.today_first())
    # Without the money figures (``amtui today``): the same sections, no sales or receivables read.
    assert parallel.today_view(figures=False) == serial.today_view(figures=False)
    assert parallel.today_view(figures=False).receivables == ()


def test_side_by_side_only_where_the_database_kind_gains_from_it(demo: Any, monkeypatch: Any) -> None:
    """A SQLite file, however large, reads in one thread (measured: threads there mostly wait for each other); a
    database kind listed in ``SIDE_BY_SIDE_FROM`` reads side by side once it holds that many interactions."""
    from amtui.services import workspace

    assert "sqlite" not in workspace.SIDE_BY_SIDE_FROM and workspace.SIDE_BY_SIDE_FROM["postgresql"] > 0
    last = demo.connect().exec_driver_sql("SELECT max(id) FROM interaction").scalar()
    assert last > 0
    monkeypatch.setitem(workspace.SIDE_BY_SIDE_FROM, "postgresql", 0)
    assert not Workspace(engine=demo)._reads_side_by_side()
    monkeypatch.setitem(workspace.SIDE_BY_SIDE_FROM, "sqlite", last + 1)
    assert not Workspace(engine=demo)._reads_side_by_side()
    monkeypatch.setitem(workspace.SIDE_BY_SIDE_FROM, "sqlite", last)
    assert Workspace(engine=demo)._reads_side_by_side()


def test_an_error_in_a_read_beside_reaches_the_caller(demo: Any) -> None:
    ws = _workspace(demo, side_by_side=True)

    def broken(today: Any) -> Any:
        raise RuntimeError("the receivables read failed")

    ws._today_totals = broken  # type: ignore[assignment,method-assign]
    with pytest.raises(RuntimeError, match="the receivables read failed"):
        ws.today_view()


def test_an_in_memory_database_reads_one_after_the_other() -> None:
    from amtui.db import open_engine

    engine = open_engine("sqlite://")
    try:
        ws = Workspace(engine=engine, now=lambda: FROZEN_NOW, zone=ZONE, settings=Settings())
        assert not ws._reads_side_by_side()
        view = ws.today_view()
        assert view.complete and view.clients == 0
    finally:
        engine.dispose()


# A fresh interpreter's very first Today, read side by side: the threads must not import SQLAlchemy's ORM
# at the same moment (they met sqlalchemy.orm.exc half imported: "partially initialized module").
FIRST_READ = """
import sys
sys.setswitchinterval(1e-6)  # threads take turns as often as they can: a race shows at once
from datetime import datetime
from zoneinfo import ZoneInfo
from amtui.config import Settings
from amtui.services import workspace
from amtui.services.workspace import Workspace
workspace.SIDE_BY_SIDE_FROM["sqlite"] = 0  # the small demo read side by side (the mechanism under test)
now = datetime.fromisoformat(sys.argv[2])
ws = Workspace(sys.argv[1], now=lambda: now, zone=ZoneInfo("Europe/Moscow"), settings=Settings())
assert ws._reads_side_by_side()
firsts = []
view = ws.today_view(first=firsts.append)
assert view.complete and len(firsts) == 1 and not firsts[0].complete
print(len(view.late), view.alert_count)
"""


def test_the_first_read_of_a_process_side_by_side(demo: Any, db_path: Any) -> None:
    demo.dispose()
    expected = _workspace(demo, side_by_side=False).today_view()
    demo.dispose()
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", FIRST_READ, f"sqlite:///{db_path}", FROZEN_NOW.isoformat()],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.split() == [str(len(expected.late)), str(expected.alert_count)]


def _plans(engine: Any, job: Any) -> dict[str, str]:
    """Each statement ``job`` runs, with SQLite's plan for it."""
    from sqlalchemy import event

    statements: list[tuple[str, Any]] = []

    def capture(connection, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        statements.append((statement, parameters))

    # The alert engine's statements go through a Store (on SQLite the driver's own cursor): captured as bound.
    from amtui.services.store import CoreStore, sqlite_value

    read = CoreStore.rows

    def rows(store: CoreStore, sql: str, params: Any = None) -> Any:
        statements.append((sql, {name: sqlite_value(value) for name, value in (params or {}).items()}))
        return read(store, sql, params)

    event.listen(engine, "before_cursor_execute", capture)
    CoreStore.rows = rows  # type: ignore[method-assign]
    try:
        job()
    finally:
        CoreStore.rows = read  # type: ignore[method-assign]
        event.remove(engine, "before_cursor_execute", capture)
    with engine.connect() as connection:
        return {
            statement: " | ".join(
                row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            )
            for statement, parameters in statements
            if statement.lstrip().upper().startswith("SELECT")
        }


# sqlite_stat1 as ANALYZE wrote it at ten times the large demo (the new indexes' rows estimated alike): 20,000
# clients, 60,000 deals of which two thirds are open (six stages), 50,000 contracts (two statuses).
TEN_TIMES = [
    ("client", "ix_client_tax_id", "20000 10"),
    ("client", "ix_client_status", "20000 5000"),
    ("client", "ix_client_name_folded", "20000 1"),
    ("client", "ix_client_external_id", "20000 20000"),
    ("deal", "ix_deal_stage", "60000 10000"),
    ("deal", "ix_deal_stage_close", "60000 10000 60"),
    ("deal", "ix_deal_external_id", "60000 60000"),
    ("deal", "ix_deal_client_id", "60000 4"),
    ("contract", "ix_contract_status_notice", "50000 25000 8334"),
    ("contract", "ix_contract_status_end", "50000 25000 33 1 1 1 1 1"),
    ("contract", "ix_contract_external_id", "50000 50000"),
    ("contract", "ix_contract_client_id", "50000 3"),
]


def test_todays_late_deals_and_ending_contracts_come_from_their_indexes(demo: Any) -> None:
    """Migration 0017: the open deals past their expected close are a range of ``ix_deal_stage_close`` (not
    every open deal, nor the whole table as SQLite chose at 10x), and the ending contracts (listed and counted)
    are read from ``ix_contract_status_end`` alone; with and without planner statistics."""
    from amtui.services.workspace import TALLIED_KINDS

    ws = _workspace(demo, side_by_side=False)

    def check() -> None:
        plans = _plans(demo, lambda: ws.alerts_and_tallies(tally=TALLIED_KINDS))
        late_deals = [plan for statement, plan in plans.items() if "deal.expected_close <" in statement]
        assert late_deals == ["SEARCH deal USING INDEX ix_deal_stage_close (stage=? AND expected_close<?)"]
        contracts = [plan for statement, plan in plans.items() if "contract.end_on <=" in statement]
        assert len(contracts) == 2  # the marked ones' list and the counts per end day
        for plan in contracts:
            assert "SEARCH contract USING COVERING INDEX ix_contract_status_end (status=? AND end_on" in plan

    check()
    with demo.begin() as connection:
        connection.exec_driver_sql("ANALYZE")
        connection.exec_driver_sql("DELETE FROM sqlite_stat1 WHERE tbl IN ('client', 'deal', 'contract')")
        for table, index, stat in TEN_TIMES:
            connection.exec_driver_sql("INSERT INTO sqlite_stat1 VALUES (?, ?, ?)", (table, index, stat))
    demo.dispose()  # new connections load the statistics
    check()


@pytest.mark.parametrize("side_by_side", [False, True])
def test_the_today_screen_shows_the_quick_part_then_the_whole(
    demo: Any, db_url: str, monkeypatch: Any, side_by_side: bool
) -> None:
    """The TUI's first show of Today is one read: its quick part (agenda, sales) is shown as soon as it comes,
    then the whole view; a quick part arriving after the whole one never takes the screen back to "Loading…"."""
    import asyncio

    from amtui.app import AmtuiApp
    from amtui.screens.base import DbDone
    from amtui.screens.today import TodayScreen
    from amtui.services import workspace
    from tests.pilot import settle

    if side_by_side:
        monkeypatch.setitem(workspace.SIDE_BY_SIDE_FROM, "sqlite", 0)

    shown: list[bool] = []
    show = TodayScreen.show

    def recording(screen: TodayScreen, data: Any) -> None:
        shown.append(data.complete)
        show(screen, data)

    monkeypatch.setattr(TodayScreen, "show", recording)
    expected = _workspace(demo, side_by_side=False)
    whole, first = expected.today_view(), expected.today_first()

    async def run() -> None:
        app = AmtuiApp(db_url=db_url, now=FROZEN_NOW, zone=ZONE)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, TodayScreen)
            assert shown == [False, True]
            assert screen.data == whole
            screen.post_message(DbDone("today-first", first))  # late: the whole view stays
            await settle(pilot)
            assert shown == [False, True] and screen.data == whole

    asyncio.run(run())


def test_today_side_by_side_on_postgresql(pg_url: str, monkeypatch: Any) -> None:
    """PostgreSQL's pool gives each read its connection: the same Today side by side as one after the other."""
    from amtui.db import open_engine
    from amtui.services import workspace
    from amtui.services.demo import build_demo

    engine = open_engine(pg_url)
    try:
        build_demo(engine, size="small", now=FROZEN_NOW)
        assert not Workspace(engine=engine)._reads_side_by_side()  # the small demo: one after the other
        monkeypatch.setitem(workspace.SIDE_BY_SIDE_FROM, "postgresql", 0)
        assert Workspace(engine=engine)._reads_side_by_side()
        expected = _workspace(engine, side_by_side=False).today_view()
        parallel = _workspace(engine, side_by_side=True)
        firsts: list[Any] = []
        assert parallel.today_view(first=firsts.append) == expected == parallel.today_view()
        assert expected.complete and expected.late and expected.receivables and expected.sales_minor > 0
        assert firsts == [parallel.today_first()]
    finally:
        engine.dispose()
