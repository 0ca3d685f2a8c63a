"""Key bindings: each has an id and a description, and the config file's [keymap] remaps them."""

from __future__ import annotations

import asyncio
import importlib
import os
import pkgutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from textual.binding import Binding

import amtui.screens
from tests.conftest import FROZEN_NOW, ZONE
from tests.pilot import workers_done

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def all_bindings() -> list[tuple[str, Binding]]:
    from amtui.app import AmtuiApp
    from amtui.widgets.fast_table import FastTable

    owners: list[Any] = [AmtuiApp, FastTable]
    for module_info in pkgutil.iter_modules(amtui.screens.__path__):
        module = importlib.import_module(f"amtui.screens.{module_info.name}")
        owners.extend(
            value
            for value in vars(module).values()
            if isinstance(value, type) and value.__module__ == module.__name__ and "BINDINGS" in vars(value)
        )
    found = []
    for owner in owners:
        for binding in vars(owner)["BINDINGS"]:
            assert isinstance(binding, Binding), f"{owner.__name__}: {binding!r} is not a Binding"
            found.append((owner.__name__, binding))
    return found


def test_every_binding_has_an_id_and_a_description() -> None:
    bindings = all_bindings()
    assert len(bindings) > 60
    for owner, binding in bindings:
        assert binding.id and "." in binding.id, f"{owner}: {binding.key} has no id"
        assert binding.description, f"{owner}: {binding.key} has no description"
    # One id names one action: two keys may share it (1 and F1), two actions may not.
    actions: dict[str, set[str]] = {}
    for _, binding in bindings:
        actions.setdefault(str(binding.id), set()).add(binding.action)
    assert {binding_id: a for binding_id, a in actions.items() if len(a) > 1} == {}


def test_keymap_in_the_config_file_remaps_a_key(db_url: str) -> None:
    from amtui.app import AmtuiApp
    from amtui.config import load_settings
    from amtui.screens.alerts import AlertsScreen
    from amtui.screens.help import _keys_table
    from amtui.screens.tasks import TasksScreen

    Path(os.environ["AMTUI_CONFIG"]).write_text('[keymap]\n"app.go-alerts" = "f9"\n', encoding="utf-8")
    settings = load_settings()
    assert settings.keymap == {"app.go-alerts": "f9"}

    async def run() -> None:
        app = AmtuiApp(db_url=db_url, now=FROZEN_NOW, zone=ZONE, settings=settings)
        async with app.run_test(size=(100, 32)) as pilot:
            await pilot.pause()
            await pilot.press("4")
            await pilot.pause()
            assert isinstance(app.screen, TasksScreen)
            await pilot.press("5")  # no longer bound: the keymap moved it to F9
            await pilot.pause()
            assert isinstance(app.screen, TasksScreen)
            await pilot.press("f9")
            await pilot.pause()
            assert isinstance(app.screen, AlertsScreen)
            # The help screen lists the key the user chose.
            table = _keys_table(app.keymap)
            rows = list(zip(table.columns[0].cells, table.columns[1].cells, strict=True))
            alerts_keys = {str(key) for key, action in rows if str(action) == "Alerts"}
            assert "f9" in alerts_keys and "5" not in alerts_keys
            await workers_done(app)

    asyncio.run(run())


def test_a_bad_keymap_or_cadence_is_one_clear_error() -> None:
    from amtui.config import ConfigError, load_settings

    config = Path(os.environ["AMTUI_CONFIG"])
    config.write_text('keymap = "ctrl+n"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="keymap: expected a table"):
        load_settings()
    config.write_text("[cadence]\nD = 10\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"cadence\.D: expected a tier A, B or C"):
        load_settings()
    config.write_text("[cadence]\na = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"cadence\.a: expected 1 to 3650 days"):
        load_settings()
    config.write_text("[cadence]\na = 21\n", encoding="utf-8")
    assert load_settings().cadence_days == {"A": 21}


def test_screens_do_not_import_the_app() -> None:
    """No import circle: every screen module loads without amtui.app (the app imports the screens)."""
    code = (
        "import importlib, pkgutil, sys, amtui.screens\n"
        "for m in pkgutil.iter_modules(amtui.screens.__path__):\n"
        "    importlib.import_module('amtui.screens.' + m.name)\n"
        "assert 'amtui.app' not in sys.modules, 'a screen imported amtui.app'\n"
        "import amtui.services.workspace\n"
        "assert 'sqlalchemy' not in sys.modules and 'sqlmodel' not in sys.modules, 'workspace imported the ORM'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
