"""The demo dataset: what it guarantees relative to ``now``, determinism, refusal, speed."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine

from amtui.db import open_engine
from amtui.services import demo
from amtui.services.demo import COLUMNS, LARGE_COUNTS, DemoRefusedError, DemoSummary, build_demo
from amtui.services.text import check_inn, fold, normalise_email, normalise_phone
from amtui.services.workweek import DEFAULT_WEEK, check_in_moment
from tests.conftest import isolate

MOSCOW = ZoneInfo("Europe/Moscow")
# Wednesday 25 November 2026, 09:00 in Moscow (as in conftest).
NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
TODAY = NOW.astimezone(MOSCOW).date()


def stamp(value: datetime) -> str:
    """How SQLAlchemy stores an aware datetime in SQLite: UTC, no offset, microseconds."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def parse(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=UTC)


def local_midnight(day: date, zone: ZoneInfo = MOSCOW) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=zone).astimezone(UTC)


def build(path: Path, **kwargs: Any) -> tuple[DemoSummary, sqlite3.Connection]:
    engine = open_engine(f"sqlite:///{path}")
    try:
        summary = build_demo(engine, **{"now": NOW, **kwargs})
    finally:
        engine.dispose()
    return summary, sqlite3.connect(path)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    """Built once for the file's read-only checks (each test only reads it), in the tests' zone."""
    with pytest.MonkeyPatch.context() as patch:
        isolate(patch, tmp_path_factory.mktemp("home"))
        _summary, conn = build(tmp_path_factory.mktemp("small") / "demo.db")
    yield conn
    conn.close()


def dump(conn: sqlite3.Connection, table: str) -> list[tuple[Any, ...]]:
    return conn.execute(f'SELECT * FROM "{table}" ORDER BY 1, 2').fetchall()


# -- the small portfolio -----------------------------------------------------------


def test_small_has_about_forty_clients_mostly_cyrillic(small: sqlite3.Connection) -> None:
    names = [row[0] for row in small.execute("SELECT name FROM client")]
    assert 35 <= len(names) <= 45
    cyrillic = [name for name in names if re.search("[а-яё]", name, re.IGNORECASE)]
    assert len(cyrillic) >= 30
    assert "ООО «Ромашка»" in names and "Müller Straße GmbH" in names
    assert any(name.startswith("ИП ") for name in names)
    tiers = {row[0] for row in small.execute("SELECT DISTINCT tier FROM client")}
    assert tiers == {"A", "B", "C"}
    statuses = dict(small.execute("SELECT status, count(*) FROM client GROUP BY status").fetchall())
    assert statuses["active"] > len(names) / 2 and statuses["prospect"] >= 2 and statuses["dormant"] >= 1


def test_folded_and_normalised_columns(small: sqlite3.Connection) -> None:
    for name, folded in small.execute("SELECT name, name_folded FROM client"):
        assert folded == fold(name)
    assert small.execute("SELECT count(*) FROM client WHERE name_folded = 'müller strasse gmbh'").fetchone()[0] == 1
    for full_name, folded in small.execute("SELECT full_name, full_name_folded FROM contact"):
        assert folded == fold(full_name)
    for kind, value, norm in small.execute("SELECT kind, value, value_norm FROM contact_method"):
        assert norm == (normalise_phone(value) if kind == "phone" else normalise_email(value))
    assert small.execute("SELECT count(*) FROM contact_method WHERE value_norm LIKE '79%'").fetchone()[0] > 50


def test_every_tax_id_is_a_valid_inn(small: sqlite3.Connection) -> None:
    tax_ids = [row[0] for row in small.execute("SELECT tax_id FROM client WHERE tax_id IS NOT NULL")]
    assert len(tax_ids) >= 30
    for tax_id in tax_ids:
        assert check_inn(tax_id) == tax_id
    assert {len(tax_id) for tax_id in tax_ids} == {10, 12}  # companies and sole traders


def test_contacts_roles_and_people(small: sqlite3.Connection) -> None:
    per_client = small.execute(
        "SELECT c.id, count(p.id), sum(p.role = 'decision_maker') FROM client c "
        "JOIN contact p ON p.client_id = c.id GROUP BY c.id"
    ).fetchall()
    assert len(per_client) == small.execute("SELECT count(*) FROM client").fetchone()[0]
    assert sum(1 for _id, _count, deciders in per_client if deciders == 0) >= 2
    assert sum(1 for _id, count, _deciders in per_client if count == 1) >= 1
    assert max(count for _id, count, _deciders in per_client) <= 5
    assert sum(1 for _id, _count, deciders in per_client if deciders) > len(per_client) * 0.8
    notes = [row[0] for row in small.execute("SELECT personal_notes FROM contact WHERE personal_notes IS NOT NULL")]
    assert "Сын сдаёт ЕГЭ в июне; любит пионы" in notes and len(notes) >= 20
    titles = {row[0] for row in small.execute("SELECT title FROM contact")}
    assert {"Генеральный директор", "Главный бухгалтер"} <= titles
    for given, middle, family, full in small.execute(
        "SELECT given_name, middle_name, family_name, full_name FROM contact WHERE middle_name IS NOT NULL"
    ):
        assert full == f"{family} {given} {middle}"


def test_birthdays_this_week_one_today(small: sqlite3.Connection) -> None:
    keys = {(TODAY + timedelta(days=d)).strftime("%m-%d"): d for d in range(8)}
    found = [
        keys[md]
        for (md,) in small.execute("SELECT birthday_md FROM contact WHERE birthday_md IS NOT NULL")
        if md in keys
    ]
    assert len(found) >= 3 and 0 in found
    mds = [row[0] for row in small.execute("SELECT birthday_md FROM contact WHERE birthday_md IS NOT NULL")]
    assert all(re.fullmatch(r"\d\d-\d\d", md) for md in mds)
    years = small.execute(
        "SELECT sum(birthday_year IS NULL), sum(birthday_year IS NOT NULL) FROM contact WHERE birthday_md IS NOT NULL"
    ).fetchone()
    assert years[0] > 0 and years[1] > 0  # some without a year


def test_invoices_overdue_in_every_aging_bucket(small: sqlite3.Connection) -> None:
    types = {row[0] for row in small.execute("SELECT DISTINCT typeof(amount_minor) FROM invoice")}
    assert types == {"integer"}
    assert {row[0] for row in small.execute("SELECT DISTINCT typeof(paid_minor) FROM invoice")} == {"integer"}
    buckets: set[str] = set()
    for due_on, amount, paid in small.execute(
        "SELECT due_on, amount_minor, paid_minor FROM invoice WHERE paid_minor < amount_minor"
    ):
        late = (TODAY - date.fromisoformat(due_on)).days
        if late >= 1:
            buckets.add("1-30" if late <= 30 else "31-60" if late <= 60 else "61-90" if late <= 90 else "90+")
            assert 0 <= paid < amount
    assert buckets == {"1-30", "31-60", "61-90", "90+"}
    paid = small.execute(
        "SELECT count(*) FROM invoice WHERE paid_minor = amount_minor AND paid_on IS NOT NULL"
    ).fetchone()[0]
    partial = small.execute(
        "SELECT count(*) FROM invoice WHERE paid_minor > 0 AND paid_minor < amount_minor"
    ).fetchone()[0]
    assert paid > 100 and partial >= 2
    assert small.execute("SELECT count(*) FROM invoice WHERE amount_minor = 41250050").fetchone()[0] == 1
    # Nothing is paid in the future or before it was issued.
    assert (
        small.execute(
            "SELECT count(*) FROM invoice WHERE paid_on > ? OR paid_on < issued_on", (TODAY.isoformat(),)
        ).fetchone()[0]
        == 0
    )


def test_a_year_before_the_last_for_growth_without_changing_abc(tmp_path: Path) -> None:
    """Last month against the same month a year earlier compares real invoices for most clients; the older
    year lies before ABC's trailing twelve months, so ABC says what it said without it."""
    from amtui.services.portfolio import compute_kpis, parse_period

    path = tmp_path / "demo.db"
    build(path)
    engine = open_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            october = parse_period(today=TODAY, month="2026-10")
            kpis = compute_kpis(session=connection, period=october, now=NOW, zone=MOSCOW)
    finally:
        engine.dispose()
    compared = [g for g in (*kpis.growth_up, *kpis.growth_down) if g.before_minor > 0 and g.now_minor > 0]
    assert len(compared) >= 5
    since = date(2025, 11, 26)  # the first day of ABC's twelve months to 25.11.2026
    conn = sqlite3.connect(path)
    older = conn.execute("SELECT count(*), max(issued_on) FROM invoice WHERE issued_on < ?", ("2025-11-01",))
    count, latest = older.fetchone()
    assert count > 100 and latest < since.isoformat()
    assert (
        conn.execute(
            "SELECT count(*) FROM invoice WHERE issued_on < ? AND paid_minor < amount_minor", ("2025-11-01",)
        ).fetchone()[0]
        == 0
    )


def test_planned_today_next_two_weeks_and_missed(small: sqlite3.Connection) -> None:
    start, end = local_midnight(TODAY), local_midnight(TODAY + timedelta(days=1))
    today = small.execute(
        "SELECT planned_at FROM interaction WHERE status = 'planned' AND planned_at >= ? AND planned_at < ?",
        (stamp(start), stamp(end)),
    ).fetchall()
    assert len(today) >= 3
    for (planned_at,) in today:
        assert 9 <= parse(planned_at).astimezone(MOSCOW).hour < 18  # working hours, local time
    two_weeks = small.execute(
        "SELECT count(*) FROM interaction WHERE status = 'planned' AND planned_at >= ? AND planned_at < ?",
        (stamp(end), stamp(local_midnight(TODAY + timedelta(days=15)))),
    ).fetchone()[0]
    assert two_weeks >= 10
    missed = small.execute(
        "SELECT count(*) FROM interaction WHERE status = 'planned' AND planned_at < ?", (stamp(start),)
    ).fetchone()[0]
    assert missed >= 2


def test_done_meetings_without_report_are_recent(small: sqlite3.Connection) -> None:
    rows = small.execute(
        "SELECT i.done_at FROM interaction i WHERE i.status = 'done' AND i.kind IN ('visit', 'meeting') "
        "AND NOT EXISTS (SELECT 1 FROM meeting_report r WHERE r.interaction_id = i.id)"
    ).fetchall()
    assert len(rows) >= 3
    for (done_at,) in rows:
        assert NOW - timedelta(days=10) < parse(done_at) < NOW - timedelta(hours=24)
    reported = small.execute(
        "SELECT count(*) FROM meeting_report r JOIN interaction i ON i.id = r.interaction_id WHERE i.done_at < ?",
        (stamp(NOW - timedelta(days=10)),),
    ).fetchone()[0]
    assert reported >= 20
    assert small.execute("SELECT count(*) FROM report_attendee").fetchone()[0] >= reported
    assert small.execute("SELECT count(*) FROM next_step WHERE task_id IS NOT NULL").fetchone()[0] >= 5


def test_tasks_overdue_today_and_delegated_check_ins(small: sqlite3.Connection) -> None:
    today = TODAY.isoformat()
    overdue = small.execute("SELECT count(*) FROM task WHERE status = 'open' AND due_on < ?", (today,)).fetchone()[0]
    due_today = small.execute("SELECT count(*) FROM task WHERE status = 'open' AND due_on = ?", (today,)).fetchone()[0]
    assert overdue >= 2 and due_today >= 2
    waiting = small.execute(
        "SELECT count(*) FROM task WHERE status = 'open' AND assignee IS NOT NULL "
        "AND check_in_at < ? AND checked_in_at IS NULL",
        (stamp(NOW),),
    ).fetchone()[0]
    assert waiting >= 2
    assignees = {row[0] for row in small.execute("SELECT DISTINCT assignee FROM task WHERE assignee IS NOT NULL")}
    assert {"Петров (логистика)", "Анна Смирнова"} <= assignees
    # check_in_at is what `amtui task add` sets: the working day 35 % of the way from created_at
    # to the due day, at 10:00 Moscow time (never a weekend, a holiday or the night).
    delegated = small.execute("SELECT created_at, due_on, check_in_at FROM task WHERE assignee IS NOT NULL").fetchall()
    assert len(delegated) >= 5
    for created_at, due_on, check_in_at in delegated:
        created = parse(created_at)
        assert parse(check_in_at) == check_in_moment(created, date.fromisoformat(due_on), MOSCOW)
        local = parse(check_in_at).astimezone(MOSCOW)
        assert DEFAULT_WEEK.is_working_day(local.date()) and 9 <= local.hour < 18, local
    assert (
        small.execute("SELECT count(*) FROM task WHERE assignee IS NULL AND check_in_at IS NOT NULL").fetchone()[0] == 0
    )
    done = small.execute("SELECT created_at, completed_at FROM task WHERE status = 'done'").fetchall()
    assert done and all(completed and created <= completed <= stamp(NOW) for created, completed in done)


def test_silence_inbound_and_unanswered(small: sqlite3.Connection) -> None:
    rows = small.execute(
        "SELECT c.name, c.tier, c.cadence_days, "
        "(SELECT max(done_at) FROM interaction WHERE client_id = c.id AND status = 'done') "
        "FROM client c WHERE c.status = 'active'"
    ).fetchall()
    cadence = {"A": 14, "B": 30, "C": 90}
    never = [name for name, _tier, _cadence, last in rows if last is None]
    assert never == ["ООО «Уральские самоцветы»"]
    silent = [
        name
        for name, tier, days, last in rows
        if last is not None and parse(last) < NOW - timedelta(days=(days or cadence[tier]) + 1)
    ]
    assert len(silent) >= 3
    called_first = small.execute(
        "SELECT count(*) FROM interaction "
        "WHERE kind = 'call' AND direction = 'inbound' AND status = 'done' AND done_at > ?",
        (stamp(NOW - timedelta(days=7)),),
    ).fetchone()[0]
    assert called_first >= 2
    unanswered = small.execute(
        "SELECT count(*) FROM interaction "
        "WHERE needs_reply = 1 AND replied_at IS NULL AND direction = 'inbound' AND done_at < ?",
        (stamp(local_midnight(TODAY)),),
    ).fetchone()[0]
    assert unanswered >= 2
    replied = small.execute(
        "SELECT count(*) FROM interaction WHERE needs_reply = 1 AND replied_at > done_at"
    ).fetchone()[0]
    assert replied >= 1
    subjects = {row[0] for row in small.execute("SELECT subject FROM interaction WHERE status = 'done'")}
    assert any(re.search("[а-я]", subject or "") for subject in subjects)
    first = small.execute("SELECT min(done_at) FROM interaction WHERE status = 'done'").fetchone()[0]
    assert parse(first) < NOW - timedelta(days=300)  # a year of history


def test_contracts_deals_targets_notes(small: sqlite3.Connection) -> None:
    def ending_within(days: int, *, auto_renew: bool) -> int:
        return small.execute(
            "SELECT count(*) FROM contract WHERE status = 'active' AND end_on >= ? AND end_on <= ? AND auto_renew = ?",
            (TODAY.isoformat(), (TODAY + timedelta(days=days)).isoformat(), auto_renew),
        ).fetchone()[0]

    assert ending_within(30, auto_renew=False) >= 1 and ending_within(30, auto_renew=True) >= 1
    assert ending_within(60, auto_renew=True) >= 2 and ending_within(90, auto_renew=False) >= 3
    assert {row[0] for row in small.execute("SELECT DISTINCT notice_days FROM contract")} >= {30, 60}
    kinds = {row[0] for row in small.execute("SELECT DISTINCT kind FROM deal")}
    stages = {row[0] for row in small.execute("SELECT DISTINCT stage FROM deal")}
    assert kinds == {"new", "upsell", "cross_sell", "renewal"}
    assert stages == {"lead", "qualified", "proposal", "negotiation", "won", "lost"}
    stale = small.execute(
        "SELECT count(*) FROM deal WHERE stage NOT IN ('won', 'lost') AND expected_close < ?", (TODAY.isoformat(),)
    ).fetchone()[0]
    assert stale >= 2
    periods = [date.fromisoformat(row[0]) for row in small.execute("SELECT period FROM sales_target ORDER BY period")]
    assert len(periods) == 16 and all(day.day == 1 for day in periods)
    assert periods[0] == date(2025, 11, 1) and periods[-1] == date(2027, 2, 1)
    tags = {row[0] for row in small.execute("SELECT DISTINCT tag FROM note")}
    assert tags == {"general", "competitor", "need", "personal"}


def test_nothing_done_or_created_in_the_future(small: sqlite3.Connection) -> None:
    now = stamp(NOW)
    for table, columns in COLUMNS.items():
        for column in ("created_at", "done_at", "replied_at", "sent_at", "completed_at", "checked_in_at"):
            if column in columns:
                late = small.execute(f'SELECT count(*) FROM "{table}" WHERE "{column}" > ?', (now,)).fetchone()[0]
                assert late == 0, (table, column)


def test_rows_are_consistent(small: sqlite3.Connection) -> None:
    assert small.execute("PRAGMA foreign_key_check").fetchall() == []
    assert small.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # Every stored time has SQLAlchemy's format, so that string comparisons in SQL work.
    pattern = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}")
    for (value,) in small.execute("SELECT done_at FROM interaction WHERE done_at IS NOT NULL"):
        assert pattern.fullmatch(value)
    bad_links = small.execute(
        "SELECT count(*) FROM interaction_contact ic JOIN interaction i ON i.id = ic.interaction_id "
        "JOIN contact p ON p.id = ic.contact_id WHERE p.client_id != i.client_id"
    ).fetchone()[0]
    assert bad_links == 0
    assert small.execute("SELECT count(*) FROM sqlite_stat1").fetchone()[0] > 0  # ANALYZE ran


def test_read_back_through_the_models(tmp_path: Path) -> None:
    from sqlmodel import Session, select

    from amtui.models import Client, Interaction, Invoice

    engine = open_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    build_demo(engine, now=NOW)
    with Session(engine) as session:
        interaction = session.exec(select(Interaction).where(Interaction.status == "done")).first()
        assert interaction is not None and interaction.done_at is not None
        assert interaction.done_at.tzinfo is not None and interaction.done_at < NOW
        invoice = session.exec(select(Invoice)).first()
        assert invoice is not None and isinstance(invoice.amount_minor, int) and isinstance(invoice.due_on, date)
        assert (
            session.exec(select(Client).where(Client.name_folded == fold("ООО «ЁЛОЧКА»"))).one().name == "ООО «Ёлочка»"
        )
    engine.dispose()


# -- determinism and the fast path -------------------------------------------------


def test_same_seed_and_now_give_identical_rows(tmp_path: Path) -> None:
    _s1, first = build(tmp_path / "one.db")
    _s2, second = build(tmp_path / "two.db")
    for table in COLUMNS:
        assert dump(first, table) == dump(second, table), table
    _s3, other = build(tmp_path / "three.db", seed=7)
    assert dump(first, "contact") != dump(other, "contact")


def test_fast_path_stores_what_sqlalchemy_would(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The SQLite bulk path writes strings itself; it must match SQLAlchemy's typed inserts. The typed
    path's chunks made small (an odd size, so that chunk ends fall inside tables) prove that chunking
    loses no row, which only the large build's tables are long enough to show at the real size."""
    _summary, fast = build(tmp_path / "fast.db")
    engine = open_engine(f"sqlite:///{tmp_path / 'typed.db'}")
    monkeypatch.setattr(demo, "_INSERT_CHUNK", 97)
    demo._build(engine, size="small", now=NOW, force=False, seed=2026, fast=False)
    engine.dispose()
    typed = sqlite3.connect(tmp_path / "typed.db")
    for table in COLUMNS:
        assert dump(fast, table) == dump(typed, table), table


def test_data_follows_now_and_zone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Late evening in New York is already the next day in UTC: 'today' is the local date."""
    zone = ZoneInfo("America/New_York")
    monkeypatch.setenv("AMTUI_TZ", "America/New_York")
    now = datetime(2027, 3, 1, 4, 30, tzinfo=UTC)  # 28 Feb 2027 23:30 in New York
    today = now.astimezone(zone).date()
    _summary, conn = build(tmp_path / "ny.db", now=now)
    start, end = local_midnight(today, zone), local_midnight(today + timedelta(days=1), zone)
    planned = conn.execute(
        "SELECT planned_at FROM interaction WHERE status = 'planned' AND planned_at >= ? AND planned_at < ?",
        (stamp(start), stamp(end)),
    ).fetchall()
    assert len(planned) >= 3
    assert all(parse(value).astimezone(zone).date() == today for (value,) in planned)
    assert (
        conn.execute("SELECT count(*) FROM contact WHERE birthday_md = ?", (today.strftime("%m-%d"),)).fetchone()[0]
        >= 1
    )
    assert conn.execute("SELECT count(*) FROM interaction WHERE done_at > ?", (stamp(now),)).fetchone()[0] == 0


def test_columns_match_the_tables() -> None:
    tables = demo._tables()
    for name, columns in COLUMNS.items():
        table = tables[name]
        assert set(columns) <= set(table.columns.keys()), name
        required = {c.name for c in table.columns if not c.nullable and c.default is None and not c.primary_key}
        assert required <= set(columns), (name, required - set(columns))


def test_bad_arguments() -> None:
    zone = MOSCOW
    with pytest.raises(ValueError, match="timezone-aware"):
        demo.generate("small", now=datetime(2026, 1, 1), zone=zone, seed=1, fast=True)
    with pytest.raises(ValueError, match="unknown demo size"):
        demo.generate("huge", now=NOW, zone=zone, seed=1, fast=True)  # type: ignore[arg-type]


# -- refusing and replacing --------------------------------------------------------


def test_refuses_a_database_with_data(engine: Engine, db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO client (name, name_folded, tier, status, currency, created_at, updated_at) "
            "VALUES ('Моя фирма', 'моя фирма', 'A', 'active', 'RUB', '2026-01-01 00:00:00.000000', "
            "'2026-01-01 00:00:00.000000')"
        )
    with pytest.raises(DemoRefusedError, match="--force") as refused:
        build_demo(engine, now=NOW)
    assert "already holds data" in str(refused.value)
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT name FROM client").fetchall() == [("Моя фирма",)]
    assert conn.execute("SELECT count(*) FROM interaction").fetchone()[0] == 0


def test_force_replaces_everything(engine: Engine, db_path: Path) -> None:
    first = build_demo(engine, now=NOW)
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO alert_mark (alert_id, state, fingerprint, updated_at) "
            "VALUES ('x:1', 'dismissed', 'f', '2026-01-01 00:00:00.000000')"
        )
    with pytest.raises(DemoRefusedError):
        build_demo(engine, now=NOW)
    second = build_demo(engine, now=NOW + timedelta(days=3), force=True)
    assert second.counts["client"] == first.counts["client"] == 43  # 40 + 3 Italian clients
    conn = sqlite3.connect(db_path)
    for table, count in second.counts.items():
        assert conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == count, table
    assert conn.execute("SELECT count(*) FROM alert_mark").fetchone()[0] == 0
    assert conn.execute("SELECT count(DISTINCT name) FROM client").fetchone()[0] == 43


def test_connection_settings_and_indexes_survive(engine: Engine, db_path: Path) -> None:
    def indexes() -> list[tuple[str, str]]:
        with sqlite3.connect(db_path) as conn:
            return conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name").fetchall()

    before = indexes()
    build_demo(engine, now=NOW)
    assert indexes() == before
    with engine.connect() as conn:  # the pooled connection the demo used
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -2000


def test_a_failed_build_leaves_the_database_as_it_was(
    engine: Engine, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite3.connect(db_path) as conn:
        before = conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
    original: Callable[..., None] = demo._insert
    calls = 0

    def failing(*args: Any, **kwargs: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 5:
            raise RuntimeError("disk on fire")
        original(*args, **kwargs)

    monkeypatch.setattr(demo, "_insert", failing)
    with pytest.raises(RuntimeError, match="disk on fire"):
        build_demo(engine, now=NOW)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall() == before
        assert conn.execute("SELECT count(*) FROM client").fetchone()[0] == 0
    with engine.connect() as pooled:
        assert pooled.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    monkeypatch.setattr(demo, "_insert", original)
    assert build_demo(engine, now=NOW).counts["client"] == 43


def test_default_now_is_the_current_time(engine: Engine, db_path: Path) -> None:
    summary = build_demo(engine)
    assert summary.seconds > 0 and summary.total_rows == sum(summary.counts.values())
    conn = sqlite3.connect(db_path)
    latest = conn.execute("SELECT max(done_at) FROM interaction").fetchone()[0]
    assert datetime.now(UTC) - timedelta(days=2) < parse(latest) <= datetime.now(UTC)


# -- the benchmark portfolio --------------------------------------------------------


@pytest.mark.slow
def test_large_build_counts() -> None:
    """The large size's rows, checked as generated: inserting 630,000 rows into SQLite took two thirds
    of this test's 17 CPU seconds and proved nothing the small build does not (the same insert path,
    chunking included: test_fast_path_stores_what_sqlalchemy_would); bench/bench_demo.py times it."""
    rows = demo.generate("large", now=NOW, zone=MOSCOW, seed=2026, fast=True)

    def column(table: str, name: str) -> list[Any]:
        index = COLUMNS[table].index(name)
        return [row[index] for row in rows[table]]

    for table, count in LARGE_COUNTS.items():
        assert len(rows[table]) == count, table
    assert sum(len(table_rows) for table_rows in rows.values()) > 500_000
    # What PRAGMA foreign_key_check would say: every reference points at a generated row.
    for name, table in demo._tables().items():
        for foreign_key in table.foreign_keys:
            target = foreign_key.column
            if foreign_key.parent.name not in COLUMNS[name]:
                continue  # not generated: NULL in every row
            known = set(column(target.table.name, target.name))
            missing = {value for value in column(name, foreign_key.parent.name) if value is not None} - known
            assert not missing, (name, foreign_key.parent.name, sorted(missing)[:5])
    assert {type(amount) for amount in column("invoice", "amount_minor")} == {int}
    assert all(check_inn(tax_id) for tax_id in column("client", "tax_id"))
    assert not [at for at in column("interaction", "done_at") if at is not None and at > stamp(NOW)]


@pytest.mark.parametrize(
    ("zone_name", "now"),
    [
        ("Europe/Moscow", datetime(2026, 12, 31, 20, 59, tzinfo=UTC)),  # 23:59 on New Year's Eve
        ("Europe/Moscow", datetime(2028, 2, 29, 7, 0, tzinfo=UTC)),  # a leap day
        ("Europe/Berlin", datetime(2027, 3, 28, 1, 30, tzinfo=UTC)),  # clocks go forward today
        ("Europe/Berlin", datetime(2027, 10, 31, 0, 30, tzinfo=UTC)),  # clocks go back today
        ("Pacific/Kiritimati", datetime(2027, 1, 1, 0, 0, tzinfo=UTC)),  # UTC+14
        ("Pacific/Pago_Pago", datetime(2027, 1, 1, 0, 0, tzinfo=UTC)),  # UTC-11
        ("Asia/Kolkata", datetime(2027, 6, 6, 12, 0, 5, 123456, tzinfo=UTC)),  # +05:30, odd seconds
    ],
)
def test_guarantees_hold_for_any_now_and_zone(zone_name: str, now: datetime) -> None:
    zone = ZoneInfo(zone_name)
    today = now.astimezone(zone).date()
    rows = demo.generate("small", now=now, zone=zone, seed=2026, fast=False)

    def column(table: str, name: str) -> list[Any]:
        index = COLUMNS[table].index(name)
        return [row[index] for row in rows[table]]

    assert today.strftime("%m-%d") in column("contact", "birthday_md")
    planned_today = [
        at
        for at, status in zip(column("interaction", "planned_at"), column("interaction", "status"), strict=True)
        if status == "planned" and at.astimezone(zone).date() == today
    ]
    assert len(planned_today) >= 3
    assert all(9 <= at.astimezone(zone).hour < 18 for at in planned_today)
    for table, columns in COLUMNS.items():
        for name in ("created_at", "done_at", "replied_at", "sent_at", "completed_at", "checked_in_at"):
            if name in columns:
                assert all(value is None or value <= now for value in column(table, name)), (table, name)
    for created, due, check_in, assignee in zip(
        column("task", "created_at"),
        column("task", "due_on"),
        column("task", "check_in_at"),
        column("task", "assignee"),
        strict=True,
    ):
        if assignee is not None:
            assert check_in == check_in_moment(created, due, zone)
            # On a working day in working hours, unless the task was set too late for one before it is due.
            assert DEFAULT_WEEK.is_working_time(check_in, zone) or check_in == datetime.combine(
                due, time(10), tzinfo=zone
            )
    late = [
        (today - due).days
        for due, amount, paid in zip(
            column("invoice", "due_on"), column("invoice", "amount_minor"), column("invoice", "paid_minor"), strict=True
        )
        if paid < amount and due < today
    ]
    assert min(late) <= 30 and any(31 <= d <= 60 for d in late) and any(61 <= d <= 90 for d in late) and max(late) > 90


def test_italian_clients_with_italian_people_and_addresses(small: sqlite3.Connection) -> None:
    rows = small.execute("SELECT id, name, city, address, currency FROM client WHERE language = 'it'").fetchall()
    assert {row[1] for row in rows} == {
        "Ferramenta Rossi S.r.l.", "Bianchi Alimentari S.p.A.", "Logistica Esposito & Figli S.r.l.",
    }  # fmt: skip
    assert {row[2] for row in rows} == {"Milano", "Bologna", "Napoli"}
    assert all(row[3].startswith(("Via ", "Corso ")) and row[4] == "EUR" for row in rows)
    people = small.execute(
        "SELECT full_name, title FROM contact WHERE client_id IN (SELECT id FROM client WHERE language = 'it')"
    ).fetchall()
    assert len(people) == 9 and ("Amministratore delegato" in {title for _name, title in people})
    assert all(name.split()[0] in {"Giulia", "Marco", "Francesca", "Luca", "Chiara", "Niccolò"} for name, _t in people)
    touched = small.execute(
        "SELECT count(*) FROM interaction WHERE client_id IN (SELECT id FROM client WHERE language = 'it')"
    ).fetchone()[0]
    assert touched >= 6
    # Russian clients write in the interface language; the other foreign ones get English documents.
    assert small.execute("SELECT count(*) FROM client WHERE language IS NULL").fetchone()[0] == 37
