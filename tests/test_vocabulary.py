"""One vocabulary: every list of allowed values and every alert kind's words come from amtui.vocabulary."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import click
import typer

from amtui import vocabulary
from amtui.vocabulary import (
    ALERT_KINDS,
    AlertKind,
    Channel,
    ClientStatus,
    ContactRole,
    ContractStatus,
    DealKind,
    DealStage,
    NoteTag,
    Priority,
    Tier,
    one_of,
)

PACKAGE = Path(vocabulary.__file__).parent


@functools.cache
def _root() -> click.Command:
    """The click tree of the whole app, built once (each build converts every command: ~1 s)."""
    from amtui.cli import app

    return typer.main.get_command(app)


def _command(path: tuple[str, ...]) -> click.Command:
    command: Any = _root()
    for name in path:
        command = command.get_command(click.Context(command), name)
    assert command is not None, path
    return command


def _help(path: tuple[str, ...], option: str) -> str:
    for param in _command(path).params:
        if option in getattr(param, "opts", ()):
            return str(getattr(param, "help", "") or "")
    raise AssertionError(f"{' '.join(path)} has no {option}")


def test_every_alert_kind_has_its_words_once() -> None:
    assert set(ALERT_KINDS) == set(AlertKind)
    from amtui.screens.alerts import KIND_TITLES
    from amtui.services.alerts import ID_PREFIX
    from amtui.services.digest import GROUP_TITLES

    # Each front end reads the same table: changing a title there changes the digest and the screen.
    assert GROUP_TITLES[AlertKind.RECEIVABLE] == ("Overdue invoices", "overdue invoice", "overdue invoices")
    assert KIND_TITLES["no_report"] == ALERT_KINDS[AlertKind.NO_REPORT].label == "Reports missing"
    assert ID_PREFIX[AlertKind.UNANSWERED] == "reply"
    # The today view's sections partition the kinds (birthdays: agenda on the day, "coming" before).
    sections = [vocabulary.LATE_KINDS, vocabulary.BACKLOG_KINDS, vocabulary.AGENDA_KINDS]
    assert sorted(kind for section in sections for kind in section) == sorted(AlertKind)


def test_cli_choices_are_written_from_the_enums() -> None:
    assert one_of(Tier) == "A, B or C"
    expected = {
        (("client", "add"), "--tier"): Tier,
        (("client", "add"), "--status"): ClientStatus,
        (("client", "edit"), "--status"): ClientStatus,
        (("contact", "add"), "--role"): ContactRole,
        (("contact", "add"), "--channel"): Channel,
        (("note", "add"), "--tag"): NoteTag,
        (("deal", "add"), "--stage"): DealStage,
        (("deal", "add"), "--kind"): DealKind,
        (("contract", "edit"), "--status"): ContractStatus,
        (("task", "add"), "--priority"): Priority,
        (("alerts",), "--kind"): AlertKind,
    }
    for (path, option), enum in expected.items():
        assert one_of(enum) in _help(path, option), (path, option)


def test_log_takes_the_interaction_kinds(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("log", "fax", "1")
    assert result.exit_code == 2
    assert ", ".join(repr(kind.value) for kind in vocabulary.InteractionKind) in result.output


def test_no_module_retypes_the_vocabulary() -> None:
    """The meeting-report kinds, the alert kinds and the record kinds are spelt only in amtui/vocabulary.py."""
    retyped = re.compile(
        r"""\(\s*["']visit["'],\s*["']meeting["']\s*\)|["']overdue_task["'],\s*["']check_in["']"""
        r"""|["']tasks["'],\s*["']contracts["']"""
    )
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.name != "vocabulary.py" and retyped.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_one_default_length_per_planned_kind(cli) -> None:  # type: ignore[no-untyped-def]
    """`amtui plan` and the calendar export assume the same length when none is given (was 60 vs 90 for a visit)."""
    import json

    from amtui.formats.ical import DEFAULT_MINUTES

    assert DEFAULT_MINUTES is vocabulary.PLANNED_MINUTES
    assert cli("client", "add", "ООО «Ромашка»").exit_code == 0
    for kind, minutes in vocabulary.PLANNED_MINUTES.items():
        planned = cli("plan", kind, "ромашка", "--at", "tomorrow 11:00", "--json")
        assert planned.exit_code == 0, planned.output
        assert json.loads(planned.output)["duration_min"] == minutes
