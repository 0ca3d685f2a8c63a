"""Shared fixtures: a real SQLite file per test, a frozen clock, an isolated config."""

from __future__ import annotations

import gc
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

# Wednesday 25 November 2026, 09:00 in Moscow.
FROZEN_NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Moscow")
# Real files exported by other programs, kept beside the repository (never copied into it).
SAMPLES = Path(os.environ.get("AMTUI_SAMPLES", Path(__file__).resolve().parents[1].parent / "shared" / "samples"))


# No animations in Pilot runs: a scroll or a toast lands at once instead of being played frame by
# frame (read by textual.constants on its import, so before any test module imports Textual).
os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")


def _quicker_idle_checks() -> None:
    """Pilot waits for the app to go idle twice per key pressed and once per pause: it sleeps in 20 ms
    slices until one slice used under 1 ms of CPU (textual._wait). Typing a form's 60 characters so
    cost seconds of sleeping. 5 ms slices with the same CPU share (5 %) find the same idle moment sooner."""
    import textual._wait as wait

    wait.SLEEP_GRANULARITY = 0.005
    wait.SLEEP_IDLE = wait.SLEEP_GRANULARITY / 20


_quicker_idle_checks()


def _one_click_tree_per_app() -> None:
    """Typer's CliRunner converts the whole Typer app into click commands on every ``invoke`` (every
    command's signature: ~0.15 s, for each of the suite's ~600 in-process commands). The app is built
    once per process (``amtui.commands.root.app``), so its click tree is too: convert each app once."""
    import typer.testing

    convert = typer.testing._get_command
    converted: dict[int, tuple[Any, Any]] = {}

    def get_command(app: Any) -> Any:
        kept = converted.get(id(app))
        if kept is None or kept[0] is not app:
            kept = converted[id(app)] = (app, convert(app))
        return kept[1]

    typer.testing._get_command = get_command  # type: ignore[attr-defined]


_one_click_tree_per_app()


def _bytecode_written() -> None:
    """With PYTHONDONTWRITEBYTECODE=1 (this machine's and CI's environment) every `amtui` process a test
    starts (~1 test in 5 starts some) compiled every amtui module it imported again: ~0.2 of its ~1 CPU s.
    The run writes bytecode as Python does by default (``__pycache__`` folders, ignored by git), so the
    first process compiles a module and the others, the workers and the next runs read it. Set here, in
    the process that starts the xdist workers, before they start: they and their children inherit it.
    (A shared PYTHONPYCACHEPREFIX instead cost more than it saved: under a prefix Python ignores the
    dependencies' and the standard library's own bytecode and compiled all of them again for each run.)"""
    if os.environ.pop("PYTHONDONTWRITEBYTECODE", None) is not None:
        sys.dont_write_bytecode = False


_bytecode_written()


def pytest_configure(config: pytest.Config) -> None:
    # pytest-xdist declares it too; declared here for runs without the plugin (`-p no:xdist`, --strict-markers).
    config.addinivalue_line("markers", "xdist_group(name): tests that share one pytest-xdist worker")


def pytest_collection_finish(session: pytest.Session) -> None:
    """Everything the tests import is loaded now (Textual, SQLAlchemy, amtui: ~200k objects that live
    as long as the process). Freeze them out of the cyclic collector, which otherwise walked them in
    every older-generation pass, and collect the youngest generation less often: ~1 s of every 8 s of
    CPU in the Pilot tests went to the collector."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


# Test files in the order they start (pytest-xdist hands tests out in this order): the costliest first,
# so that the last minute is not one worker finishing a long Pilot file while the other idles. A
# run's own timings (kept in .pytest_cache) replace this list; it is the order on a fresh clone and in CI.
SLOW_FILES = (
    "test_tui_forms.py",
    "test_tui_day.py",
    "test_tui_i18n.py",
    "test_tui_capture.py",
    "test_tui.py",
    "test_tui_find.py",
    "test_upgrade.py",
    "test_tui_hostile.py",
    "test_tui_snapshots.py",
    "test_demo.py",
    "test_concurrency.py",
    "test_import.py",
)
_FILE_SECONDS = "amtui/file-seconds"


def _file_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups (--dist loadgroup)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The PostgreSQL tests go to one worker (with `--dist loadgroup`, as dev.py runs the suite): each
    # worker that ran one started its own throw-away server (initdb and start, ~3 s).
    for item in items:
        if "pg_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("postgres"))
    cache = getattr(config, "cache", None)
    measured: dict[str, float] = (cache.get(_FILE_SECONDS, None) if cache is not None else None) or {}

    def cost(item: pytest.Item) -> float:
        name = _file_of(item.nodeid)
        if name in measured:
            return float(measured[name])
        base = name.rsplit("/", 1)[-1]
        return float(len(SLOW_FILES) - SLOW_FILES.index(base)) * 100 if base in SLOW_FILES else 0.0

    # A stable sort: each file's tests stay together and in their order (module fixtures are built once).
    items.sort(key=lambda item: -cost(item))


_seconds_by_file: dict[str, float] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _seconds_by_file[_file_of(report.nodeid)] = _seconds_by_file.get(_file_of(report.nodeid), 0.0) + report.duration


def pytest_sessionfinish(session: pytest.Session) -> None:
    cache = getattr(session.config, "cache", None)
    # The whole run's timings, kept by the main process (xdist workers see only their share).
    if cache is None or hasattr(session.config, "workerinput") or session.config.option.keyword:
        return
    kept = cache.get(_FILE_SECONDS, None) or {}
    kept.update((name, round(seconds, 2)) for name, seconds in _seconds_by_file.items())
    cache.set(_FILE_SECONDS, kept)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the user's config or database, and all run in Moscow time."""
    isolate(monkeypatch, tmp_path_factory.mktemp("home"))


def isolate(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """The tests' environment (see ``isolated_env``); also for module-scoped fixtures, built before it."""
    monkeypatch.setenv("AMTUI_TZ", "Europe/Moscow")
    monkeypatch.setenv("AMTUI_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("NO_COLOR", "1")
    # English whatever the developer's locale; tests of other languages set it themselves.
    monkeypatch.setenv("AMTUI_LANG", "en")
    for name in ("AMTUI_DB", "AMTUI_DATABASE_URL", "AMTUI_NOW", "AMTUI_REGION", "AMTUI_HOLIDAYS"):
        monkeypatch.delenv(name, raising=False)
    from amtui import config, i18n

    config._config_timezone.cache_clear()
    config.work_week.cache_clear()
    i18n.set_language(None)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "amtui.db"


@pytest.fixture
def db_url(db_path: Path) -> str:
    return f"sqlite:///{db_path}"


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database on the current schema, made once per test process: each test starts from a copy
    (running the migrations for every test cost 1-3 s each on a busy 2-core machine)."""
    from amtui.db import open_engine

    path = tmp_path_factory.mktemp("template") / "template.db"
    open_engine(f"sqlite:///{path}").dispose()  # closing the last connection folds the WAL into the file
    return path


def fresh_database(template: Path, db_path: Path) -> None:
    """``db_path`` as ``amtui init`` leaves it: the current schema, no rows, private."""
    if not db_path.exists():
        shutil.copyfile(template, db_path)
        db_path.chmod(0o600)


@pytest.fixture
def engine(db_url: str, db_path: Path, migrated_template: Path):  # type: ignore[no-untyped-def]
    from amtui.db import open_engine

    fresh_database(migrated_template, db_path)
    engine = open_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine) -> Iterator:  # type: ignore[no-untyped-def]
    """One unit of work, committed at the end of the test."""
    from amtui.db import session_scope

    with session_scope(engine) as session:
        yield session


@pytest.fixture
def now() -> datetime:
    return FROZEN_NOW


@pytest.fixture
def zone() -> ZoneInfo:
    return ZONE


@pytest.fixture
def samples() -> Path:
    """The real third-party files. Their quirks are covered everywhere by the team's own fixtures
    (tests/fixtures/quirks); the real files run when present, and must be present in CI."""
    if SAMPLES.is_dir():
        return SAMPLES
    if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
        pytest.fail(f"CI: the real sample files are missing at {SAMPLES} (set AMTUI_SAMPLES to their folder)")
    pytest.skip(f"real sample files not found at {SAMPLES}: set AMTUI_SAMPLES to their folder to run these")


@pytest.fixture
def cli(db_path: Path, monkeypatch: pytest.MonkeyPatch, migrated_template: Path):  # type: ignore[no-untyped-def]
    """Run ``amtui --db <tmp> ARGS`` in-process with a frozen clock; returns the Result."""
    from typer.testing import CliRunner

    from amtui.cli import app

    monkeypatch.setenv("AMTUI_NOW", FROZEN_NOW.isoformat())
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        # A named database must exist (a mistyped --db is an error): a fresh one, as `amtui init` makes.
        fresh_database(migrated_template, db_path)
        return runner.invoke(app, ["--db", str(db_path), *args], input=input)

    return invoke


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Any]:
    """A throw-away PostgreSQL server (the ``pgserver`` wheel: a real build, no system package)."""
    root = tempfile.mkdtemp(prefix="amtui-pg-")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_RUNTIME_DIR", root)  # pgserver keeps its lock files there
        import pgserver

        server = pgserver.get_server(f"{root}/data", cleanup_mode="delete")
        try:
            yield server
        finally:
            server.cleanup()


@pytest.fixture
def pg_url(pg_server: Any, request: pytest.FixtureRequest) -> str:
    """A new, empty database on that server for each test."""
    name = "amtui_" + re.sub(r"\W+", "_", request.node.name).lower()[:50]
    pg_server.psql(f"DROP DATABASE IF EXISTS {name};")
    pg_server.psql(f"CREATE DATABASE {name};")
    return str(pg_server.get_uri(name)).replace("postgresql://", "postgresql+psycopg://", 1)
