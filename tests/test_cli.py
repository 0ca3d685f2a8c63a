"""The quick commands, through Typer's runner and as a real process."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FROZEN_NOW, fresh_database


def test_client_add_show_list_edit(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("client", "add", "ООО «Ромашка»", "--tier", "A", "--city", "Москва", "--inn", "7707083893")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Added client 1: ООО «Ромашка» (tier A, every 14 days)")
    assert cli("client", "add", "Müller Straße GmbH", "--city", "Berlin").exit_code == 0
    shown = cli("client", "show", "ромашка")
    assert shown.exit_code == 0
    assert "ООО «Ромашка»  [tier A, active]" in shown.output and "INN / tax id:  7707083893" in shown.output
    assert "! No contacts: who do we talk to?" in shown.output
    listed = cli("client", "list", "--tier", "A")
    assert "Ромашка" in listed.output and "Müller" not in listed.output
    edited = cli("client", "edit", "STRASSE", "--tier", "C", "--cadence", "60", "--json")
    data = json.loads(edited.output)
    assert data["tier"] == "C" and data["cadence_days"] == 60 and data["name"] == "Müller Straße GmbH"


def test_json_output_for_scripts(cli) -> None:  # type: ignore[no-untyped-def]
    created = json.loads(cli("client", "add", "Ромашка", "--json").output)
    assert created["id"] == 1 and created["tier"] == "B"
    contact = json.loads(
        cli("contact", "add", "1", "Иванов Иван", "--phone", "+7 916 000-00-00", "--phone", "+7 495 111-11-11",
            "--email", "i@r.ru", "--birthday", "12.03", "--decision-maker", "--json").output
    )  # fmt: skip
    assert contact["role"] == "decision_maker" and contact["birthday_md"] == "03-12"
    assert [p["value"] for p in contact["phones"]] == ["+7 916 000-00-00", "+7 495 111-11-11"]
    logged = json.loads(cli("log", "call", "ромашка", "--contact", "иванов", "--inbound", "--json").output)
    assert logged["direction"] == "inbound" and logged["done_at"] == FROZEN_NOW.isoformat()
    planned = json.loads(cli("plan", "visit", "ромашка", "--at", "пт 11:00", "--duration", "1h30m", "--json").output)
    assert planned["planned_at"] == "2026-11-27T08:00:00+00:00" and planned["duration_min"] == 90
    task = json.loads(
        cli("task", "add", "Отправить КП", "--client", "ромашка", "--assignee", "Петров", "--due", "+20d",
            "--json").output
    )  # fmt: skip
    assert task["due_on"] == "2026-12-15" and task["assignee"] == "Петров" and task["check_in_at"]
    done = json.loads(cli("task", "done", str(task["id"]), "--json").output)
    assert done["status"] == "done"
    hits = json.loads(cli("search", "ИВАНОВ", "--json").output)
    assert [(h["kind"], h["label"]) for h in hits] == [("contact", "Иванов Иван")]


def test_quick_entries_print_a_confirmation(cli) -> None:  # type: ignore[no-untyped-def]
    cli("client", "add", "Ромашка")
    assert cli("log", "visit", "ромашка", "--note", "Обсудили поставки").output.splitlines() == [
        "Logged visit 1 with Ромашка at 25.11.2026 09:00",
        "Write the meeting report: amtui report write 1",
    ]
    planned = cli("plan", "call", "ромашка", "--at", "tomorrow 10:00")
    assert planned.output.strip() == "Planned call 2 with Ромашка on 26.11.2026 10:00 (30 min)"
    task = cli("task", "add", "Счёт", "--due", "fri")
    assert task.output.strip() == "Added task 1: Счёт, due 27.11.2026"


def test_ambiguous_client_lists_candidates_and_fails(cli) -> None:  # type: ignore[no-untyped-def]
    cli("client", "add", "Ромашка-Трейд", "--city", "Казань")
    cli("client", "add", "ООО «Ромашка»", "--city", "Москва")
    result = cli("log", "call", "ромаш")
    assert result.exit_code == 1
    assert "amtui: error: 'ромаш' matches 2 clients" in result.output
    assert "1: Ромашка-Трейд (Казань)" in result.output and "2: ООО «Ромашка» (Москва)" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("plan", "call", "ромашка", "--at", "31.02.2026"), "--at: cannot read '31.02.2026' as a date"),
        (("task", "add", "X", "--due", "someday"), "--due: cannot read 'someday' as a date"),
        (("contact", "add", "ромашка", "X", "--birthday", "31.02"), "--birthday: '31.02' is not a real date"),
        (("contact", "add", "ромашка", "X", "--email", "nope"), "email: 'nope' is not an e-mail address"),
        (("client", "add", "Y", "--inn", "123"), "--inn: '123' is not an INN"),
        (("client", "add", "Y", "--tier", "Z"), "tier: 'Z': tier is A, B or C"),
        (("task", "done", "99"), "no task with id 99"),
        (("client", "show", "нет такого"), "no client matches 'нет такого'"),
        (
            ("plan", "call", "ромашка", "--at", "fri", "--duration", "forever"),
            "--duration: cannot read 'forever' as a duration",
        ),
    ],
)
def test_bad_input_is_one_clear_line_and_writes_nothing(cli, db_path: Path, args, message: str) -> None:  # type: ignore[no-untyped-def]
    cli("client", "add", "Ромашка")
    before = _row_counts(db_path)
    result = cli(*args)
    assert result.exit_code == 1, result.output
    assert f"amtui: error: {message}" in result.output
    assert "Traceback" not in result.output
    assert _row_counts(db_path) == before


def test_bad_date_error_shows_accepted_forms(cli) -> None:  # type: ignore[no-untyped-def]
    cli("client", "add", "Ромашка")
    result = cli("plan", "visit", "ромашка", "--at", "next tuesday-ish")
    assert "accepted: 2026-11-27, 27.11.2026, 27.11, today, tomorrow, +3d, +2w, fri, пт" in result.output


def _row_counts(db_path: Path) -> dict[str, int]:
    import sqlite3

    with sqlite3.connect(db_path) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}


def test_version_and_help(cli) -> None:  # type: ignore[no-untyped-def]
    from amtui import __version__

    assert cli("--version").output.strip() == f"amtui {__version__}"
    help_text = cli("--help").output
    for command in ("client", "contact", "log", "plan", "task", "search", "demo", "backup", "db"):
        assert f"  {command} " in help_text


def test_db_status_and_upgrade(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    from amtui.db import make_engine, upgrade

    upgrade(make_engine(f"sqlite:///{db_path}"), "0001")
    status = cli("db", "status")
    from amtui.migrations import SCHEMA_HEAD

    assert f"Schema:   0001 (current: {SCHEMA_HEAD})" in status.output and "Needs an upgrade" in status.output
    upgraded = cli("db", "upgrade")
    assert upgraded.exit_code == 0 and f"Upgraded 0001 → {SCHEMA_HEAD}." in upgraded.output
    assert (db_path.parent / f"amtui.db.before-{SCHEMA_HEAD}.bak").exists()
    assert json.loads(cli("db", "status", "--json").output)["up_to_date"] is True


def test_backup_command(cli, db_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("client", "add", "Ромашка")
    target = tmp_path / "copy.db"
    result = cli("backup", str(target))
    assert result.exit_code == 0 and "Backup written" in result.output
    import sqlite3

    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT name FROM client").fetchall() == [("Ромашка",)]


def _run(*args: str, env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "amtui", *args], capture_output=True, text=True, env=env, input=stdin, timeout=60
    )


@pytest.fixture
def process_env(tmp_path: Path, migrated_template: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["AMTUI_DB"] = str(tmp_path / "proc.db")
    env["AMTUI_NOW"] = FROZEN_NOW.isoformat()
    # What `amtui init` leaves (its own process run is tested below and in test_upgrade.py).
    fresh_database(migrated_template, tmp_path / "proc.db")
    return env


def test_real_process_round_trip_with_env_database(process_env: dict[str, str], tmp_path: Path) -> None:
    added = _run("client", "add", "ООО «Ромашка»", "--tier", "A", env=process_env)
    assert added.returncode == 0, added.stderr
    assert (tmp_path / "proc.db").exists()
    listed = _run("client", "list", env=process_env)
    assert "ООО «Ромашка»" in listed.stdout and "\x1b[" not in listed.stdout
    # --db beats AMTUI_DB.
    other = tmp_path / "other.db"
    missing = _run("--db", str(other), "client", "list", env=process_env)
    assert (missing.returncode, missing.stdout) == (1, "") and "no such database" in missing.stderr
    assert not other.exists()
    # Once made, the named database is the one used (in this process: init's and list's own
    # processes are tested below, in test_upgrade.py and test_card_reads.py).
    from typer.testing import CliRunner

    from amtui.cli import app

    assert CliRunner().invoke(app, ["init", str(other)], env=process_env).exit_code == 0
    assert "No clients yet" in CliRunner().invoke(app, ["--db", str(other), "client", "list"], env=process_env).stdout
    failed = _run("client", "show", "nothing", env=process_env)
    assert failed.returncode == 1
    assert failed.stderr.strip() == "amtui: error: no client matches 'nothing'"
    assert failed.stdout == ""


def test_a_command_exits_quickly_but_closes_the_database_and_flushes_everything(
    process_env: dict[str, str], tmp_path: Path
) -> None:
    """A finished command skips the interpreter's teardown (cli._exit_now): the database must still be
    closed cleanly (no WAL file left behind) and long output must arrive whole."""
    names = [f"Клиент {number:04d}" for number in range(300)]
    csv_path = tmp_path / "many.csv"
    csv_path.write_text("name;city\n" + "".join(f"{name};Казань\n" for name in names), encoding="utf-8")
    imported = _run("import", "clients", str(csv_path), env=process_env)
    assert imported.returncode == 0, imported.stderr
    database = tmp_path / "proc.db"
    assert not Path(f"{database}-wal").exists() and not Path(f"{database}-shm").exists()
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM client").fetchone()[0] == 300
    listed = _run("client", "list", "--json", env=process_env)
    assert listed.returncode == 0
    assert sorted(row["name"] for row in json.loads(listed.stdout)) == names  # ~60 kB of JSON, all of it
    refused = _run("contract", "edit", "7", "--end", "+1d", env=process_env)
    assert (refused.returncode, refused.stderr.strip()) == (1, "amtui: error: no contract with id 7")


def test_commands_never_import_textual_and_help_skips_the_orm(process_env: dict[str, str]) -> None:
    probe = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from amtui.cli import app\n"
        "r = CliRunner().invoke(app, ['--help'])\n"
        "assert r.exit_code == 0\n"
        "assert 'sqlmodel' not in sys.modules and 'sqlalchemy' not in sys.modules, 'help imported the ORM'\n"
        "for args in (['client', 'add', 'X'], ['client', 'list'], ['search', 'x'], ['task', 'list']):\n"
        "    r = CliRunner().invoke(app, args)\n"
        "    assert r.exit_code == 0, r.output\n"
        "assert 'textual' not in sys.modules, 'a CLI command imported textual'\n"
        "assert 'alembic' not in sys.modules, 'opening an up-to-date database imported alembic'\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=process_env, timeout=60)
    assert result.returncode == 0, result.stderr


def test_domain_layers_never_import_textual() -> None:
    probe = (
        "import sys, pkgutil, importlib\n"
        "import amtui.models, amtui.services, amtui.formats\n"
        "for package in (amtui.models, amtui.services, amtui.formats):\n"
        "    for info in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_meeting_report_from_the_command_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("client", "add", "Ромашка")
    cli("contact", "add", "ромашка", "Иванов Иван", "--decision-maker")
    cli("log", "visit", "ромашка")
    written = cli(
        "report", "write", "1", "--agenda", "Поставки 2027", "--agreements", "Пилот в январе",
        "--attendee", "иванов", "--step", "Отправить КП; ; fri", "--step", "Логистика; Петров; +2w",
        "--step", "Подумать",
    )  # fmt: skip
    assert written.exit_code == 0, written.output
    assert "2 next steps are tasks" in written.output
    tasks = json.loads(cli("task", "list", "--json").output)
    assert {(t["title"], t["assignee"], t["due_on"]) for t in tasks} == {
        ("Отправить КП", None, "2026-11-27"),
        ("Логистика", "Петров", "2026-12-09"),
    }
    target = tmp_path / "report.md"
    cli("report", "show", "1", "--markdown", "-o", str(target))
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Visit report: Ромашка, 25.11.2026 09:00")
    assert "**Attendees:** Иванов Иван" in text and "- Логистика (Петров, 09.12.2026)" in text
    assert cli("report", "sent", "1").output.strip() == "Report 1 marked as sent."
    missing = cli("report", "show", "99")
    assert missing.exit_code == 1
    assert "amtui: error: interaction 99 has no report yet: amtui report write 99" in missing.output


def test_contracts_invoices_payments_deals_notes_targets(cli) -> None:  # type: ignore[no-untyped-def]
    cli("client", "add", "Ромашка")
    contract = cli("contract", "add", "ромашка", "Д-17", "--end", "+45d", "--auto-renew", "--notice", "30",
                   "--value", "1 200 000,00")  # fmt: skip
    assert contract.output.strip() == "Added contract 1: Д-17 with Ромашка, ends 09.01.2027"
    invoice = cli("invoice", "add", "ромашка", "С-101", "412 500,50", "--issued", "01.10.2026", "--due", "31.10.2026")
    assert invoice.output.strip() == "Added invoice 1: С-101, 412 500,50 RUB, due 31.10.2026"
    paid = cli("invoice", "pay", "1", "100 000")
    assert paid.output.strip() == "Payment recorded on С-101; 312 500,50 RUB left to pay."
    listed = cli("invoice", "list", "--unpaid")
    assert "312 500,50 RUB" in listed.output and "25d late" in listed.output
    assert "more than what is owed" in cli("invoice", "pay", "1", "400 000").output
    assert cli("invoice", "pay", "1").output.strip() == "Payment recorded on С-101; nothing left to pay."
    deal = json.loads(cli("deal", "add", "ромашка", "Допродажа сервиса", "--kind", "upsell", "--amount", "250 000",
                          "--close", "31.12.2026", "--json").output)  # fmt: skip
    assert deal["amount_minor"] == 25_000_000 and deal["kind"] == "upsell"
    won = json.loads(cli("deal", "stage", str(deal["id"]), "won", "--json").output)
    assert won["stage"] == "won" and won["closed_on"] == "2026-11-25"
    assert "[competitor]" in cli("note", "add", "ромашка", "Лютик демпингует", "--tag", "competitor").output
    assert cli("target", "set", "01.12.2026", "5 000 000").output.strip() == "Target for 12.2026: 5 000 000 RUB"
    card = cli("client", "show", "ромашка").output
    assert "Д-17" in card and "45 days left, auto-renews" in card and "[competitor] Лютик демпингует" in card


def test_contact_edit_and_planned_items(cli) -> None:  # type: ignore[no-untyped-def]
    cli("client", "add", "Ромашка")
    cli("contact", "add", "ромашка", "Иванов Иван", "--phone", "+7 916 000-00-00")
    edited = json.loads(
        cli("contact", "edit", "ромашка", "иванов", "--title", "Директор", "--phone", "+7 495 111-11-11",
            "--birthday", "29.02", "--decision-maker", "--json").output
    )  # fmt: skip
    assert edited["title"] == "Директор" and edited["role"] == "decision_maker"
    assert [p["value"] for p in edited["phones"]] == ["+7 916 000-00-00", "+7 495 111-11-11"]
    assert edited["birthday_md"] == "02-29"
    cli("plan", "visit", "ромашка", "--at", "tomorrow 11:00")
    cli("plan", "call", "ромашка", "--at", "fri 15:00")
    listed = cli("planned", "list")
    assert "26.11.2026 11:00  → visit" in listed.output and "27.11.2026 15:00  → call" in listed.output
    # A visit moved: rule 19 asks whether the client was told (issue 13); not answered, a reminder task.
    assert cli("planned", "move", "1", "--at", "пн 12:00").output.strip().splitlines() == [
        "Moved visit 1 with Ромашка to 30.11.2026 12:00",
        "Notice: the client was promised this: visit: 26.11.2026 11:00 -> 30.11.2026 12:00",
        "Was the client told? Assumed not (--told if they were).",
        "Added task 1: Tell the client: visit moves from 26.11.2026 11:00 to 30.11.2026 12:00, due today",
    ]
    assert cli("planned", "cancel", "2").output.strip() == "Cancelled call 2 with Ромашка"
    done = cli("planned", "done", "1", "--note", "Договорились о пилоте")
    assert done.output.splitlines() == ["Done: visit 1 with Ромашка", "Write the meeting report: amtui report write 1"]
    assert "Nothing planned" in cli("planned", "list").output
    shown = cli("client", "show", "ромашка").output
    assert "visit (no report): Договорились о пилоте" in shown and "[cancelled]" in shown


def test_a_run_builds_only_the_named_commands_module() -> None:
    from amtui import cli

    assert cli._subcommand(["--db", "x.db", "client", "show", "1"]) == "client"
    assert cli._subcommand(["--db", "digest"]) is None  # "digest" is the --db value here
    assert cli._subcommand(["--version"]) is None
    owners = cli._owners()
    assert owners["digest"] is cli.alerts and owners["client"] is cli.clients and owners["import"] is cli.transfer
    every_command = {info.name for info in cli.app.registered_commands} | {
        info.name for info in cli.app.registered_groups
    }
    assert set(owners) == every_command


def test_renew_and_close_contracts_move_deals_and_delete_with_yes(cli) -> None:  # type: ignore[no-untyped-def]
    """What the alerts ask for ("renew or close it", "move the date or close it") from the command line."""
    cli("client", "add", "Ромашка")
    cli("contact", "add", "ромашка", "Иванов Иван")
    cli("contract", "add", "ромашка", "Д-17", "--start", "01.01.2026", "--end", "+20d", "--notice", "10")
    cli("contract", "add", "ромашка", "Д-18", "--end", "+60d")
    cli("deal", "add", "ромашка", "Фасовка", "--stage", "proposal", "--close", "20.11.2026", "--amount", "250 000")

    def alert_ids() -> set[str]:
        return {a["id"] for a in json.loads(cli("alerts", "--json").output)}

    assert {"contract:1", "notice:1", "contract:2", "deal:1"} <= alert_ids()
    listed = cli("contract", "list").output
    assert "Д-17" in listed and "20d" in listed and "05.12.2026" in listed  # notice by end - 10 days

    renewed = cli("contract", "edit", "1", "--end", "31.12.2027", "--auto-renew")
    assert renewed.exit_code == 0, renewed.output
    assert renewed.output.strip() == "Contract 1: Д-17 with Ромашка, active, ends 31.12.2027"
    closed = json.loads(cli("contract", "edit", "2", "--status", "expired", "--json").output)
    assert closed["status"] == "expired" and closed["end_on"] == "2027-01-24"
    moved = cli("deal", "edit", "1", "--close", "+30d", "--probability", "60")
    assert moved.output.strip() == "Deal 1: Фасовка with Ромашка, proposal, expected 25.12.2026"
    assert not {"contract:1", "notice:1", "contract:2", "deal:1"} & alert_ids()
    assert "25.12.2026" in cli("deal", "list", "--open").output

    # Bad edits say why and change nothing.
    before = cli("contract", "list", "--json").output
    backwards = cli("contract", "edit", "1", "--end", "01.12.2025")
    assert backwards.exit_code == 1
    assert "end: the contract would end (01.12.2025) before it starts (01.01.2026)" in backwards.output
    assert cli("contract", "edit", "1", "--status", "closed").exit_code == 1
    assert "nothing to change" in cli("contract", "edit", "1").output
    assert "probability is 0 to 100" in cli("deal", "edit", "1", "--probability", "140").output
    assert cli("contract", "list", "--json").output == before

    # Deleting asks; with no terminal to ask on, a script must say --yes.
    refused = cli("deal", "delete", "1")
    assert refused.exit_code == 1 and "without --yes" in refused.output
    assert "No deals." not in cli("deal", "list").output
    assert cli("deal", "delete", "1", "--yes").output.strip() == "Deleted deal 'Фасовка' with Ромашка."
    assert cli("deal", "list").output.strip() == "No deals."
    assert cli("contract", "delete", "2", "-y").output.strip() == "Deleted contract Д-18 with Ромашка."
    assert cli("contact", "delete", "ромашка", "иванов", "-y").output.strip() == "Deleted Иванов Иван at Ромашка."
    assert cli("contact", "list", "ромашка").output.strip() == "No contacts yet."
    missing = cli("contract", "delete", "99", "-y")
    assert missing.exit_code == 1 and "no contract with id 99" in missing.output


def test_drop_a_task_no_longer_needed_and_bring_it_back(cli) -> None:  # type: ignore[no-untyped-def]
    cli("task", "add", "Позвонить в «Нефтемаш»", "--due", "20.11.2026")
    cli("task", "add", "Отправить КП", "--due", "+3d")
    assert "task:1" in {a["id"] for a in json.loads(cli("alerts", "--json").output)}
    dropped = cli("task", "cancel", "1")
    assert dropped.output.strip() == "Cancelled task 1: Позвонить в «Нефтемаш» (amtui task reopen 1 undoes it)"
    assert "task:1" not in {a["id"] for a in json.loads(cli("alerts", "--json").output)}
    assert [t["id"] for t in json.loads(cli("task", "list", "--json").output)] == [2]
    again = cli("task", "cancel", "1")
    assert again.exit_code == 1 and "task 1 is cancelled, not open" in again.output
    assert cli("task", "reopen", "1").output.strip() == "Reopened task 1: Позвонить в «Нефтемаш»"
    assert "task:1" in {a["id"] for a in json.loads(cli("alerts", "--json").output)}
    assert "is open already" in cli("task", "reopen", "1").output
