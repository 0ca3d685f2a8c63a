"""Parity: the TUI and the CLI show the same day, because both ask the same Workspace.

One demo database, one frozen clock (19:40 on the demo's Wednesday, when the day's calls
have passed without being logged): the ids on the TUI's Today equal those of
``amtui today --json``, the Alerts screen equals ``amtui alerts --json``, the
"overdue for contact" section equals ``amtui alerts --kind silence --json``, and a
setting (birthday window, cadence per tier) moves both front ends the same way.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from amtui.app import AmtuiApp
from tests.conftest import FROZEN_NOW, ZONE
from tests.pilot import settle

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

# 19:40 Moscow time on the demo's Wednesday.
EVENING = FROZEN_NOW + timedelta(hours=10, minutes=40)
SECTIONS = ("today", "late", "coming", "overdue_clients")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from amtui.db import open_engine
    from amtui.services.demo import build_demo

    path = tmp_path_factory.mktemp("parity") / "demo.db"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AMTUI_TZ", "Europe/Moscow")
        engine = open_engine(f"sqlite:///{path}")
        build_demo(engine, size="small", now=FROZEN_NOW)
        engine.dispose()
    return path


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Path:
    """A copy of the demo per test: nothing one test does shows in another."""
    copy = tmp_path / "demo.db"
    shutil.copyfile(demo_file, copy)
    return copy


def cli_json(db: Path, *args: str, monkeypatch: pytest.MonkeyPatch, now: datetime = EVENING) -> Any:
    from typer.testing import CliRunner

    from amtui.cli import app

    monkeypatch.setenv("AMTUI_NOW", now.isoformat())
    result = CliRunner().invoke(app, ["--db", str(db), *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def tui_today(db: Path, now: datetime = EVENING) -> dict[str, tuple[list[str], int | None]]:
    """Each section of the TUI's Today as shown: the ids of its lines and the count in its heading."""
    from textual.widgets import OptionList

    from amtui.screens.today import TodayScreen

    sections: dict[str, tuple[list[str], int | None]] = {}

    async def run() -> None:
        app = AmtuiApp(db_url=f"sqlite:///{db}", now=now, zone=ZONE)
        async with app.run_test(size=(120, 60)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, TodayScreen)
            assert screen.data is not None and screen.data.complete
            option_list = screen.query_one("#today-list", OptionList)
            current: str | None = None
            for index in range(option_list.option_count):
                option = option_list.get_option_at_index(index)
                key = option.id or ""
                if key.startswith("heading:"):
                    current = key.removeprefix("heading:")
                    title = str(option.prompt)
                    count = int(title.rsplit("(", 1)[1].rstrip(")")) if title.endswith(")") else None
                    sections[current] = ([], count)
                elif key and not key.startswith("mode:") and current is not None:
                    sections[current][0].append(key)

    asyncio.run(run())
    return sections


def tui_alerts(db: Path, now: datetime = EVENING) -> list[str]:
    """The ids of the rows of the TUI's Alerts screen."""
    from amtui.screens.alerts import AlertsScreen
    from amtui.widgets.fast_table import FastTable

    keys: list[str] = []

    async def run() -> None:
        app = AmtuiApp(db_url=f"sqlite:///{db}", now=now, zone=ZONE)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("5")
            await settle(pilot)
            assert isinstance(app.screen, AlertsScreen)
            table = app.screen.query_one("#alerts-table", FastTable)
            keys.extend(str(table.row_key(i)) for i in range(table.row_count))

    asyncio.run(run())
    return keys


def assert_same_day(db: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[dict[str, Any]]]:
    """The TUI's Today equals the CLI's, section by section; returns the CLI's sections."""
    from amtui.screens.today import MAX_AGENDA, MAX_BIRTHDAYS, MAX_LATE, MAX_OVERDUE_CLIENTS

    today = cli_json(db, "today", monkeypatch=monkeypatch)
    silence = cli_json(db, "alerts", "--kind", "silence", monkeypatch=monkeypatch)
    expected = {
        "today": [a["id"] for a in today["today"]],
        "late": [a["id"] for a in today["late"]],
        "coming": [a["id"] for a in today["coming"]],
        "overdue_clients": [a["id"] for a in silence],
    }
    limits = {"today": MAX_AGENDA, "late": MAX_LATE, "coming": MAX_BIRTHDAYS, "overdue_clients": MAX_OVERDUE_CLIENTS}
    shown = tui_today(db)
    for section in SECTIONS:
        ids, count = shown.get(section, ([], 0))
        # A long section shows a screenful and says how many there are in all.
        assert ids == expected[section][: limits[section]], section
        assert count == len(expected[section]), section
    return {"today": today["today"], "late": today["late"], "coming": today["coming"], "silence": silence}


def test_today_on_both_front_ends_is_the_same_day(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cli = assert_same_day(demo, monkeypatch)
    kinds = {section: {a["kind"] for a in alerts} for section, alerts in cli.items()}
    # What the TUI used to leave out: tasks due today, passed notices, late deals, calls whose time has passed.
    assert "task_today" in kinds["today"]
    assert any(a["kind"] == "task_today" and "Ромашк" in a["text"] for a in cli["today"])
    assert {"notice", "deal"} <= kinds["late"]
    assert any(a["kind"] == "notice" and a["days"] < 0 and "Ромашка" in a["text"] for a in cli["late"])
    assert any("time has passed, not logged yet" in a["text"] for a in cli["today"])
    # 25 before issue 13, plus the demo's promise due today (task #27, a meeting's next step): rule 19,
    # and the demo's complaints: due tomorrow, overdue, stale, a delegated one's check-in, a follow-up call.
    assert len(cli["late"]) == 31
    assert [a["id"] for a in cli["late"] if a["kind"] == "promise"] == ["promise:27"]
    complaint_kinds = [a["kind"] for a in cli["late"] if a["kind"].startswith("complaint")]
    assert sorted(complaint_kinds) == ["complaint"] * 3 + ["complaint_check_in", "complaint_follow_up"]


def test_overdue_for_contact_is_the_silence_alerts(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never-contacted active clients count; prospects and dormant clients do not."""
    from sqlalchemy import select

    from amtui.db import open_engine, session_scope
    from amtui.models import Client
    from amtui.services import clients

    engine = open_engine(f"sqlite:///{demo}")
    with session_scope(engine) as session:
        fresh = clients.create_client(session=session, name="Никогда не звонили", tier="A", status="active")
        prospect = clients.create_client(session=session, name="Проспект", tier="A", status="prospect")
        dormant = session.scalars(select(Client.id).where(Client.status == "dormant")).first()
    engine.dispose()
    cli = assert_same_day(demo, monkeypatch)
    silent = {a["client_id"] for a in cli["silence"]}
    assert fresh.id in silent
    assert prospect.id not in silent
    assert dormant is None or dormant not in silent


def test_alerts_screen_equals_amtui_alerts(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cli = [a["id"] for a in cli_json(demo, "alerts", monkeypatch=monkeypatch)]
    shown = tui_alerts(demo)
    assert len(shown) == len(cli) > 30
    # The screen groups by kind; the set and the number of rows are the engine's.
    assert sorted(shown) == sorted(cli)


def test_a_setting_moves_both_front_ends_the_same_way(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = assert_same_day(demo, monkeypatch)
    config = Path(os.environ["AMTUI_CONFIG"])  # the isolated config of conftest
    config.write_text("birthday_days = 14\n\n[cadence]\nA = 7\nB = 10\nC = 20\n", encoding="utf-8")
    after = assert_same_day(demo, monkeypatch)
    # A longer window brings birthdays further ahead; a shorter cadence makes more clients wait.
    assert len(after["coming"]) > len(before["coming"])
    assert max(a["days"] for a in after["coming"]) > 7
    assert len(after["silence"]) > len(before["silence"])
    # The TUI's Alerts screen follows the settings too.
    assert sorted(tui_alerts(demo)) == sorted(a["id"] for a in cli_json(demo, "alerts", monkeypatch=monkeypatch))
