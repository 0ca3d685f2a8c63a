"""Start-up paths (issue 15): the TUI without Typer or the database layer before its first screen, Today's
snapshot, commands built one module at a time, option values without pydantic; behaviour unchanged."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any, NoReturn

import pytest
from typer.testing import CliRunner, Result

from tests.conftest import FROZEN_NOW, ZONE, fresh_database
from tests.pilot import settle
from tests.test_tui import seeded as seeded  # a fixture
from tests.test_tui import sync

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def _amtui(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "amtui", *args], capture_output=True, text=True, env=env, timeout=120)


def _in_process(*args: str, env: dict[str, str]) -> Result:
    """``amtui ARGS`` run in this process (Typer's runner) on ``env``'s database and clock: for the steps
    that set up or read back what a test's real processes write, where the process is not the subject
    (an ``amtui`` process costs ~0.5-1 CPU s of imports; these ~0.05)."""
    from amtui.cli import app

    return CliRunner().invoke(app, ["--db", env["AMTUI_DB"], *args], env={"AMTUI_NOW": env["AMTUI_NOW"]})


@pytest.fixture
def env(tmp_path: Path, migrated_template: Path) -> dict[str, str]:
    environment = {**os.environ, "AMTUI_DB": str(tmp_path / "start.db"), "AMTUI_NOW": FROZEN_NOW.isoformat()}
    # What `amtui init` leaves (its own process is tested in test_cli.py and test_upgrade.py).
    fresh_database(migrated_template, tmp_path / "start.db")
    return environment


def test_the_command_line_that_opens_the_tui_is_told_apart_from_commands() -> None:
    from amtui import cli

    assert cli._tui_only([]) == (True, None)
    assert cli._tui_only(["--db", "x.db"]) == (True, "x.db")
    assert cli._tui_only(["--db=sqlite:///x.db"]) == (True, "sqlite:///x.db")
    for argv in (["--help"], ["--version"], ["--db", "x.db", "today"], ["--db"], ["today"], ["--db", "-h"]):
        assert cli._tui_only(argv)[0] is False, argv


def test_the_alert_commands_run_without_the_cyclic_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    """``amtui digest`` (and alerts, today) turn the cyclic collector off for the run (it walked the engine's
    rows for nothing); every other command keeps it."""
    import gc

    from amtui import cli
    from amtui.commands import root

    seen: dict[str, bool] = {}

    def app_for(command: str | None) -> tuple[Any, bool]:
        def run(prog_name: str) -> None:
            seen[str(command)] = gc.isenabled()
            raise SystemExit(0)

        return run, False  # not quick: the exit is raised, not taken

    monkeypatch.setattr(root, "app_for", app_for)
    try:
        digest = ["--db", "x.db", "digest", "--date", "today"]  # through Typer (a plain one would end the process)
        for argv in (digest, ["alerts", "--json"], ["today"], ["log", "call", "1"], ["--help"]):
            gc.enable()
            with pytest.raises(SystemExit):
                cli._run_command_line(argv)
    finally:
        gc.enable()
    assert seen == {"digest": False, "alerts": False, "today": False, "log": True, "None": True}


def test_a_plain_digest_runs_without_typer_and_prints_what_the_command_prints(
    cli: Any, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``amtui [--db PATH] digest [--format F] [--limit N]`` (cron's) is read and run without Typer: the same
    output in every format, the same error line and exit code; any other command line goes through Typer."""
    from amtui.commands.plain import DIGEST_FORMATS, plain_digest_options, print_digest

    db = str(db_path)
    assert plain_digest_options(["--db", db, "digest"]) == (db, "text", 25)
    assert plain_digest_options(["digest", "--limit", "0", "--format", "json"]) == (None, "json", 0)
    for typer_reads in (
        ["digest", "--help"],
        ["digest", "--limit", "-1"],
        ["digest", "--limit", "x"],
        ["digest", "--format", "TEXT"],
        ["digest", "--limit", "3", "--limit", "4"],
        ["digest", "--days", "3"],
        ["digest", "--format"],
        ["--db", "digest"],
        ["--db=x.db", "digest"],
        ["--version", "digest"],
        ["today"],
    ):
        assert plain_digest_options(typer_reads) is None, typer_reads

    def ended(code: object) -> NoReturn:
        raise SystemExit(code)

    assert cli("demo").exit_code == 0
    for fmt in DIGEST_FORMATS:
        shown = cli("digest", "--format", fmt, "--limit", "3")
        assert shown.exit_code == 0 and "Overdue invoices" in shown.output, shown.output
        with pytest.raises(SystemExit) as done:
            print_digest(db, fmt, 3, exit_now=ended)
        assert done.value.code == 0 and capsys.readouterr().out == shown.output, fmt
    with pytest.raises(SystemExit) as done:
        print_digest(str(tmp_path / "missing.db"), "text", 25, exit_now=ended)
    printed = capsys.readouterr()
    assert done.value.code == 1 and printed.out == ""
    assert printed.err.startswith("amtui: error: ") and "missing.db" in printed.err


def test_each_command_is_built_from_the_module_the_table_names() -> None:
    from amtui.commands import root

    registered = {name: module.__name__.rsplit(".", 1)[1] for name, module in root._owners().items()}
    missing = {name: module for name, module in registered.items() if root.COMMAND_MODULES.get(name) != module}
    assert not missing, f"add to COMMAND_MODULES in amtui/commands/root.py: {missing}"
    assert set(root.COMMAND_MODULES) == set(registered)


def _loaded(probe_args: list[str], env: dict[str, str], watched: tuple[str, ...]) -> list[str]:
    """Which of ``watched`` a whole ``amtui ARGS`` run imported (read as it ends, in the process)."""
    return _probe(probe_args, env, watched)[0]


def _probe(
    probe_args: list[str], env: dict[str, str], watched: tuple[str, ...]
) -> tuple[list[str], subprocess.CompletedProcess[str]]:
    """``_loaded`` and the process itself (its output: a test that reads it needs no second run)."""
    probe = (
        "import sys\n"
        "from amtui import cli\n"
        "def ended(code):\n"
        f"    loaded = sorted(m for m in {watched!r} if m in sys.modules)\n"
        "    sys.stdout.flush()\n"
        "    print('LOADED', ','.join(loaded), code, file=sys.stderr)\n"
        "    cli.os._exit(0)\n"
        "cli._exit_now = ended\n"
        f"sys.argv = ['amtui', *{probe_args!r}]\n"
        "try:\n"
        "    cli.main()\n"
        "except SystemExit as done:\n"
        "    ended(done.code)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120)
    line = next(line for line in result.stderr.splitlines() if line.startswith("LOADED"))
    loaded, code = line.split(" ")[1:3]
    assert code in ("0", "None"), result.stderr
    return [name for name in loaded.split(",") if name], result


def test_help_search_and_digest_import_no_pydantic_and_no_textual(env: dict[str, str]) -> None:
    watched = ("pydantic", "sqlmodel", "textual", "amtui.models", "sqlalchemy")
    assert _loaded(["--help"], env, watched) == []
    assert _loaded(["task", "--help"], env, watched) == []
    # Search reads through Core views.
    assert _loaded(["search", "иванов"], env, watched) == ["sqlalchemy"]
    # The engine reads in plain SQL (tests/test_engine_plain.py); a plain digest runs without Typer.
    assert _loaded(["digest"], env, (*watched, "typer")) == []
    # A quick write imports neither SQLAlchemy nor the models (tests/test_quick_writes.py), never textual.
    assert _in_process("client", "add", "ООО «Ромашка»", env=env).exit_code == 0
    assert "textual" not in _loaded(["log", "call", "1"], env, watched)


def test_option_values_read_as_typer_reads_them() -> None:
    """Typer's own messages for what amtui's conversion hands back to it, the same values otherwise."""
    from amtui.cli import app

    runner = CliRunner()
    bad_id = runner.invoke(app, ["task", "done", "abc"])
    assert bad_id.exit_code == 2
    assert "Invalid value for 'ID': Input should be a valid integer" in bad_id.output
    too_far = runner.invoke(app, ["alerts", "--days", "400"])
    assert too_far.exit_code == 2 and "Input should be less than or equal to 366" in too_far.output
    wrong_kind = runner.invoke(app, ["log", "chat", "x"])
    assert wrong_kind.exit_code == 2
    assert "'chat' is not one of 'call', 'visit', 'meeting', 'email', 'message'" in wrong_kind.output


def test_option_values_convert_without_pydantic() -> None:
    from enum import Enum

    import typer
    from typer._coercion import resolve_type_descriptor
    from typer.models import OptionInfo

    from amtui.commands import coercion

    assert coercion.install()

    class Colour(str, Enum):
        red = "red"

    def convert(annotation: Any, value: Any, **info: Any) -> Any:
        descriptor = resolve_type_descriptor(annotation, OptionInfo(**info))
        runtime = coercion._light_runtime_param(descriptor)
        assert isinstance(runtime, coercion._LightParam)
        param: Any = type("Param", (), {"multiple": False, "nargs": 1})()
        return runtime.coerce(value, param=param, ctx=None)  # type: ignore[arg-type]

    assert convert(str, "Иванов") == "Иванов"
    assert convert(int, "42") == 42 and convert(int, "-7") == -7
    assert convert(int, "5", min=0, max=366) == 5
    assert convert(Colour, "red") is Colour.red
    assert convert(list[str], ("a", "b")) == ["a", "b"]
    assert convert(str, "x", parser=str.upper) == "X"

    def refuse(value: str) -> str:
        raise typer.BadParameter(f"{value!r} is not wanted")

    with pytest.raises(typer.BadParameter, match="'x' is not wanted"):
        convert(str, "x", parser=refuse)


def test_a_mistyped_database_is_an_error_before_the_tui(env: dict[str, str], tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "typo.db"
    for args in (["--db", str(missing)], [f"--db={missing}"]):
        result = _amtui(*args, env=env)
        assert result.returncode == 1
        assert (
            result.stderr.strip() == f"amtui: error: {missing}: no such database (to create one: amtui init {missing})"
        )
        assert not missing.exists()


def test_the_tui_launcher_imports_no_typer_pydantic_or_database_layer(env: dict[str, str]) -> None:
    """`amtui` hands over to the TUI with neither Typer nor pydantic nor SQLAlchemy loaded."""
    probe = (
        "import sys\n"
        "import amtui.app\n"
        "def run_tui(url, settings=None):\n"
        "    bad = sorted(m for m in ('typer', 'pydantic', 'sqlalchemy', 'sqlmodel') if m in sys.modules)\n"
        "    print('URL', url, 'LOADED', ','.join(bad))\n"
        "amtui.app.run_tui = run_tui\n"
        "from amtui.cli import main\n"
        "sys.argv = ['amtui']\n"
        "main()\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    said = result.stdout.split()
    assert said[0] == "URL" and said[1].startswith("sqlite:///") and said[1].endswith("start.db"), said
    assert said[2:] == ["LOADED"]


def _options(screen: Any) -> list[tuple[str | None, str]]:
    from textual.widgets import OptionList

    options = screen.query_one("#today-list", OptionList)
    return [
        (option.id, str(option.prompt))
        for option in (options.get_option_at_index(i) for i in range(options.option_count))
    ]


@sync
async def test_today_shows_the_last_sessions_picture_at_once_then_reads_again(
    engine: Any, db_url: str, seeded: dict[str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from amtui.app import AmtuiApp
    from amtui.screens import today as today_module
    from amtui.services.workspace import Workspace

    kept = today_module.snapshot_path(tmp_path / "cache", db_url)
    first = AmtuiApp(db_url=db_url, now=FROZEN_NOW, zone=ZONE, today_snapshot=kept)
    async with first.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert first.screen.data is not None and first.screen.data.complete  # type: ignore[attr-defined]
        shown = _options(first.screen)
    assert kept.exists() and kept.stat().st_mode & 0o777 == 0o600
    assert any(key == f"silence:{seeded['silent']}" for key, _ in shown)
    assert str(seeded["silent"]) in json.dumps(json.loads(kept.read_text(encoding="utf-8"))["opens"])

    # Another program writes between the sessions: the kept picture shows first, then the fresh one.
    other = Workspace(db_url, now=lambda: FROZEN_NOW, zone=ZONE)
    try:
        other.plan(seeded["muller"], kind="call", at=FROZEN_NOW + timedelta(hours=3), subject="Rückruf")
    finally:
        other.close()
    monkeypatch.setattr(today_module, "RECHECK_AFTER_S", 30.0)  # hold the read back to see the snapshot
    second = AmtuiApp(db_url=db_url, now=FROZEN_NOW, zone=ZONE, today_snapshot=kept)
    async with second.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = second.screen
        assert _options(screen) == shown  # at once, before any read
        assert screen.data is None and screen.picture is not None  # type: ignore[attr-defined]
        # Enter on a kept line opens what it is about: the silent client's card.
        screen.open_target(f"silence:{seeded['silent']}")  # type: ignore[attr-defined]
        await settle(pilot)
        assert type(second.screen).__name__ == "ClientCardScreen"
        second.pop_screen()
        await pilot.pause()
        screen._recheck()  # type: ignore[attr-defined]  # what the timer does
        await settle(pilot)
        assert screen.data is not None and screen.data.complete  # type: ignore[attr-defined]
        assert any("Rückruf" in text for _, text in _options(screen))
    assert "Rückruf" in kept.read_text(encoding="utf-8")


def test_a_snapshot_of_another_day_or_unreadable_is_not_shown(tmp_path: Path) -> None:
    from amtui.screens.today import Line, TodayPicture, read_snapshot, snapshot_path, write_snapshot

    path = snapshot_path(tmp_path, "postgresql://user:secret@host/db")
    assert "secret" not in str(path)
    day = FROZEN_NOW.date()
    picture = TodayPicture(
        today=day,
        subtitle="Today",
        receivables=((("Receivables", "bold"),), (("1 RUB", ""),)),
        sales_minor=1,
        target_minor=None,
        caption="1 RUB",
        trend=(0, 1),
        trend_label="Sales by month",
        lines=(Line("Today (1)", "bold", "heading:today", True), None, Line("• call", "", "agenda:1")),
        opens={"agenda:1": "client:7"},
        complete=True,
    )
    write_snapshot(path, picture)
    assert read_snapshot(path, today=day) == picture
    assert read_snapshot(path, today=day + timedelta(days=1)) is None
    from amtui import i18n

    i18n.set_language("ru")
    assert read_snapshot(path, today=day) is None  # written in English
    i18n.set_language("en")
    assert read_snapshot(path, today=day) == picture
    path.write_text("{not json", encoding="utf-8")
    assert read_snapshot(path, today=day) is None
    assert read_snapshot(tmp_path / "missing.json", today=day) is None


def test_the_first_screen_comes_from_the_snapshot_before_the_database_layer_loads(
    tmp_path: Path, db_url: str, engine: Any
) -> None:
    """In a real process: with a kept Today the first frame is drawn before SQLAlchemy is imported."""
    from amtui.app import AmtuiApp

    kept = tmp_path / "kept.json"

    async def fill() -> None:  # the session that leaves the picture (in this process: not the subject)
        app = AmtuiApp(db_url=db_url, now=FROZEN_NOW, zone=ZONE, today_snapshot=kept)
        async with app.run_test(size=(100, 32)) as pilot:
            await settle(pilot)
            assert app.screen.data is not None and app.screen.data.complete  # type: ignore[attr-defined]

    asyncio.run(fill())
    assert kept.exists()
    script = (
        "import sys, asyncio\n"
        "from datetime import datetime\n"
        "from zoneinfo import ZoneInfo\n"
        "from pathlib import Path\n"
        "from amtui.app import AmtuiApp\n"
        "from amtui.screens import today\n"
        "now = datetime.fromisoformat(sys.argv[2])\n"
        "kept = Path(sys.argv[3])\n"
        "async def run():\n"
        "    today.RECHECK_AFTER_S = 60.0\n"
        "    app = AmtuiApp(db_url=sys.argv[1], now=now, zone=ZoneInfo('Europe/Moscow'), today_snapshot=kept)\n"
        "    async with app.run_test(size=(100, 32)) as pilot:\n"
        "        await pilot.pause()\n"
        "        shown = app.screen.picture is not None\n"
        "        return f'shown={shown} sqlalchemy={\"sqlalchemy\" in sys.modules}'\n"
        "print(asyncio.run(run()))\n"
    )
    argv = [sys.executable, "-c", script, db_url, FROZEN_NOW.isoformat(), str(kept)]
    again = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert again.stdout.strip() == "shown=True sqlalchemy=False", again.stderr
