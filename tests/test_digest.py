"""The digest command and its formats, the alerts/today/snooze/dismiss commands, through the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from amtui.services import clients, interactions, records, tasks

TODAY = date(2026, 11, 25)


@pytest.fixture
def filled(session, now, zone) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Two overdue invoices (412 500 RUB in all), an overdue task, a birthday, a visit today."""
    romashka = clients.create_client(session=session, name="ООО «Ромашка»", tier="A")
    interactions.log_interaction(session=session, client_id=romashka.id, kind="call", at=now - timedelta(days=1))
    first = records.create_invoice(
        session=session, client_id=romashka.id, number="СЧ-1", issued_on=TODAY - timedelta(days=60),
        due_on=TODAY - timedelta(days=40), amount_minor=300_000_00,
    )  # fmt: skip
    records.create_invoice(
        session=session, client_id=romashka.id, number="СЧ-2", issued_on=TODAY - timedelta(days=20),
        due_on=TODAY - timedelta(days=3), amount_minor=150_000_00, paid_minor=37_500_00,
    )  # fmt: skip
    task = tasks.create_task(
        session=session, title="Отправить КП", now=now, zone=zone, due_on=TODAY - timedelta(days=2)
    )
    visit = interactions.plan_interaction(
        session=session, client_id=romashka.id, kind="visit", at=now + timedelta(hours=3), subject="Дегустация"
    )
    from amtui.services import contacts

    contacts.create_contact(session=session, client_id=romashka.id, full_name="Лебедева Ирина", birthday_md="11-27")
    session.commit()
    return {"client": romashka.id, "invoice": first.id, "task": task.id, "visit": visit.id}


def test_text_digest_groups_and_totals(cli, filled) -> None:  # type: ignore[no-untyped-def]
    result = cli("digest")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "amtui digest for Wednesday 25.11.2026 (Europe/Moscow)" in out
    assert "Overdue invoices: 2 overdue invoices, 412 500 RUB" in out
    assert "ООО «Ромашка»: 412 500 RUB in 2 invoices" in out
    assert "Overdue tasks: 1 overdue task" in out
    assert f"[task:{filled['task']}]" in out
    assert "\x1b[" not in out
    # Urgency order: overdue tasks and invoices come before today's agenda and birthdays.
    assert out.index("Overdue invoices") < out.index("Today's agenda") < out.index("Birthdays")


def test_json_digest_is_stable_and_complete(cli, filled) -> None:  # type: ignore[no-untyped-def]
    result = cli("digest", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["schema"] == "amtui.digest/1"
    assert data["date"] == "2026-11-25" and data["timezone"] == "Europe/Moscow"
    groups = {group["kind"]: group for group in data["groups"]}
    receivables = groups["receivable"]
    assert receivables["totals"] == [{"currency": "RUB", "amount_minor": 412_500_00}]
    assert receivables["clients"][0]["count"] == 2
    assert {alert["bucket"] for alert in receivables["alerts"]} == {"31-60", "1-30"}
    alert = receivables["alerts"][0]
    assert set(alert) >= {"id", "kind", "severity", "date", "days", "text", "client_id", "amount_minor", "fingerprint"}
    assert data["counts"]["total"] == sum(group["count"] for group in data["groups"])
    assert groups["birthday"]["alerts"][0]["days"] == 2


def test_markdown_and_html_escape_and_carry_the_totals(cli, filled, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    md = cli("digest", "--format", "markdown")
    assert md.exit_code == 0
    assert "## Overdue invoices" in md.output and "412 500 RUB" in md.output
    target = tmp_path / "digest.html"
    result = cli("digest", "--format", "html", "--output", str(target))
    assert result.exit_code == 0 and result.output == ""
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "ООО «Ромашка»" in page and "412 500 RUB" in page
    assert "<script" not in page


def test_digest_for_another_date(cli, filled) -> None:  # type: ignore[no-untyped-def]
    result = cli("digest", "--date", "27.11.2026", "--format", "json")
    data = json.loads(result.output)
    assert data["date"] == "2026-11-27"
    birthday = next(group for group in data["groups"] if group["kind"] == "birthday")
    assert birthday["alerts"][0]["days"] == 0


def test_quiet_if_empty_prints_nothing(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "out.txt"
    result = cli("digest", "--quiet-if-empty", "--output", str(target))
    assert result.exit_code == 0 and result.output == ""
    assert not target.exists()
    loud = cli("digest")
    assert loud.exit_code == 0 and "Nothing is due" in loud.output


def test_bad_date_is_a_clear_error(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("digest", "--date", "31.02.2026")
    assert result.exit_code == 1
    assert "amtui: error: --date" in result.output and "Traceback" not in result.output


def test_alerts_kind_filter_and_json(cli, filled) -> None:  # type: ignore[no-untyped-def]
    result = cli("alerts", "--kind", "receivable", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [row["kind"] for row in rows] == ["receivable", "receivable"]
    assert rows[0]["id"] == f"invoice:{filled['invoice']}"  # the older one first
    text = cli("alerts", "--kind", "overdue-task")
    assert f"task:{filled['task']}" in text.output and "invoice:" not in text.output
    bad = cli("alerts", "--kind", "invoices")
    assert bad.exit_code == 1 and "not an alert kind" in bad.output


def test_snooze_dismiss_and_unmark_through_the_cli(cli, filled) -> None:  # type: ignore[no-untyped-def]
    task_id = f"task:{filled['task']}"
    invoice_id = f"invoice:{filled['invoice']}"
    snoozed = cli("snooze", task_id, "--until", "+2d")
    assert snoozed.exit_code == 0 and "Snoozed until 27.11.2026" in snoozed.output
    dismissed = cli("dismiss", invoice_id)
    assert dismissed.exit_code == 0 and "Dismissed" in dismissed.output
    listed = cli("alerts").output
    assert task_id not in listed and invoice_id not in listed
    assert "(snoozed until 27.11.2026)" in cli("alerts", "--all").output
    digest = json.loads(cli("digest", "--format", "json").output)
    receivables = next(group for group in digest["groups"] if group["kind"] == "receivable")
    assert receivables["count"] == 1
    assert cli("unmark", invoice_id).exit_code == 0
    assert invoice_id in cli("alerts").output
    missing = cli("dismiss", "invoice:9999")
    assert missing.exit_code == 1 and "no current alert with id 'invoice:9999'" in missing.output
    past = cli("snooze", task_id, "--until", "yesterday")
    assert past.exit_code == 1 and "later day" in past.output


def test_today_shows_the_agenda_and_what_is_late(cli, filled) -> None:  # type: ignore[no-untyped-def]
    result = cli("today")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("Today, Wednesday 25.11.2026")
    assert "12:00 visit with ООО «Ромашка»" in out  # 09:00 UTC is 12:00 in Moscow
    assert "Late (1)" in out and "Отправить КП" in out
    assert "Overdue invoices: 2 overdue invoices, 412 500 RUB" in out
    data = json.loads(cli("today", "--json").output)
    assert [a["interaction_id"] for a in data["today"]] == [filled["visit"]]
    assert [a["kind"] for a in data["coming"]] == ["birthday"]


def _amtui() -> list[str]:
    script = Path(sys.executable).with_name("amtui")
    return [str(script)] if script.exists() else [sys.executable, "-m", "amtui"]


def test_piped_digest_is_plain_text_in_a_real_process(db_path: Path, filled) -> None:  # type: ignore[no-untyped-def]
    env = {**os.environ, "AMTUI_NOW": "2026-11-25T06:00:00+00:00", "AMTUI_TZ": "Europe/Moscow"}
    env.pop("NO_COLOR", None)
    env["TERM"] = "xterm-256color"
    env["FORCE_COLOR"] = ""
    result = subprocess.run(
        [*_amtui(), "--db", str(db_path), "digest"], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "Overdue invoices: 2 overdue invoices, 412 500 RUB" in result.stdout
    assert "\x1b" not in result.stdout
    assert result.stderr == ""


def test_the_cron_digest_imports_no_orm_and_no_rich(db_path: Path, filled) -> None:  # type: ignore[no-untyped-def]
    """Cron runs the digest every morning: it reads through Core, so SQLModel, the ORM and rich
    (only for a terminal) stay unimported. bench/bench_digest.py measures what that saves."""
    probe = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from amtui.cli import app\n"
        f"result = CliRunner().invoke(app, ['--db', {str(db_path)!r}, 'digest'])\n"
        "assert result.exit_code == 0, result.output\n"
        "assert 'Overdue invoices: 2 overdue invoices, 412 500 RUB' in result.output, result.output\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlmodel', 'rich', 'textual', 'alembic')\n"
        "                or m.startswith('sqlalchemy.orm') or m.startswith('amtui.models'))\n"
        "assert not loaded, loaded\n"
    )
    env = {**os.environ, "AMTUI_NOW": "2026-11-25T06:00:00+00:00", "AMTUI_TZ": "Europe/Moscow"}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr


def test_log_a_reply_answers_the_message(cli, filled) -> None:  # type: ignore[no-untyped-def]
    cli("client", "add", "Лютик")
    asked = cli("log", "email", "ромашка", "--inbound", "--needs-reply", "--at", "24.11 10:00", "--note", "Запрос КП")
    message_id = asked.output.split()[2]
    assert f"reply:{message_id}" in {a["id"] for a in json.loads(cli("alerts", "--json").output)}
    wrong = cli("log", "email", "лютик", "--replies-to", message_id)
    assert wrong.exit_code == 1 and f"replies-to: message {message_id} is from another client" in wrong.output
    not_a_message = cli("log", "email", "ромашка", "--replies-to", str(int(message_id) - 1))
    assert not_a_message.exit_code == 1 and "not a message from the client" in not_a_message.output
    answered = cli("log", "email", "ромашка", "--replies-to", message_id, "--note", "КП отправлено")
    assert answered.exit_code == 0, answered.output
    assert f"Message {message_id} is answered." in answered.output
    assert f"reply:{message_id}" not in {a["id"] for a in json.loads(cli("alerts", "--json").output)}
    # The two refused commands wrote nothing: one reply logged, the client's own e-mails only.
    emails = [
        i for i in json.loads(cli("client", "show", "ромашка", "--json").output)["interactions"] if i["kind"] == "email"
    ]
    assert [(e["direction"], e["subject"]) for e in emails] == [("outbound", "КП отправлено"), ("inbound", "Запрос КП")]


def _digest_in(language: str, cli, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:  # type: ignore[no-untyped-def]
    from amtui import i18n

    monkeypatch.setenv("AMTUI_LANG", language)
    i18n.set_language(None)
    result = cli("digest", *args)
    assert result.exit_code == 0, result.output
    return str(result.output)


def test_digest_in_russian(cli, filled, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert _digest_in("ru", cli, monkeypatch) == (
        "Сводка amtui: среда, 25.11.2026 (Europe/Moscow)\n"
        "===============================================\n"
        "5 уведомлений (важно: 2, обычно: 3)\n"
        "\n"
        "Просроченные задачи: 1 просроченная задача\n"
        "!  Задача №1 «Отправить КП» просрочена на 2 дня (срок 23.11.2026)  [task:1]\n"
        "\n"
        "Просроченная дебиторская задолженность: 2 просроченных счёта, 412\xa0500,00\xa0₽\n"
        "   ООО «Ромашка»: 412\xa0500,00\xa0₽ по 2 счетам\n"
        "!  Счёт СЧ-1 (ООО «Ромашка»): не оплачено 300\xa0000,00\xa0₽, просрочен на 40 дней (срок 16.10.2026, 31-60)"
        "  [invoice:1]\n"
        "-  Счёт СЧ-2 (ООО «Ромашка»): не оплачено 112\xa0500,00\xa0₽ из 150\xa0000,00\xa0₽, просрочен на 3 дня"
        " (срок 22.11.2026, 1-30)  [invoice:2]\n"
        "\n"
        "Повестка на сегодня: 1 запланированный контакт\n"
        "-  12:00 визит — ООО «Ромашка»: Дегустация  [agenda:2]\n"
        "\n"
        "Дни рождения: 1 день рождения\n"
        "-  День рождения: Лебедева Ирина (ООО «Ромашка»), 27.11 (через 2 дня)  [birthday:1]\n"
    )
    markdown = _digest_in("ru", cli, monkeypatch, "--format", "markdown")
    assert "- **важно**: Задача №1 «Отправить КП» просрочена на 2 дня (срок 23.11.2026) `task:1`" in markdown
    assert "- **ООО «Ромашка»**: 412\xa0500,00\xa0₽, счетов: 2" in markdown
    html = _digest_in("ru", cli, monkeypatch, "--format", "html")
    assert '<html lang="ru">' in html and "<h2" in html and "Дни рождения</h2>" in html


def test_digest_in_italian(cli, filled, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert _digest_in("it", cli, monkeypatch) == (
        "Riepilogo amtui: mercoledì 25/11/2026 (Europe/Moscow)\n"
        "=====================================================\n"
        "5 avvisi (alto: 2, normale: 3)\n"
        "\n"
        "Attività scadute: 1 attività scaduta\n"
        "!  Attività n. 1 «Отправить КП»: in ritardo di 2 giorni (scadenza 23/11/2026)  [task:1]\n"
        "\n"
        "Crediti scaduti: 2 fatture scadute, 412.500,00\xa0RUB\n"
        "   ООО «Ромашка»: 412.500,00\xa0RUB in 2 fatture\n"
        "!  Fattura СЧ-1 di ООО «Ромашка»: 300.000,00\xa0RUB ancora da incassare, scaduta da 40 giorni"
        " (scadenza 16/10/2026, 31-60)  [invoice:1]\n"
        "-  Fattura СЧ-2 di ООО «Ромашка»: 112.500,00\xa0RUB su 150.000,00\xa0RUB ancora da incassare,"
        " scaduta da 3 giorni"
        " (scadenza 22/11/2026, 1-30)  [invoice:2]\n"
        "\n"
        "Agenda di oggi: 1 contatto in programma\n"
        "-  12:00 visita con ООО «Ромашка»: Дегустация  [agenda:2]\n"
        "\n"
        "Compleanni: 1 compleanno\n"
        "-  Compleanno di Лебедева Ирина (ООО «Ромашка») il 27/11 (tra 2 giorni)  [birthday:1]\n"
    )


def test_digest_in_english_is_unchanged_and_the_mail_subject_is_translated(cli, filled, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from amtui import i18n
    from amtui.services.digest import Digest

    english = _digest_in("en", cli, monkeypatch)
    assert english.startswith("amtui digest for Wednesday 25.11.2026 (Europe/Moscow)\n")
    assert "5 alerts: 2 high, 3 normal\n" in english
    assert "!  Task #1 «Отправить КП» is 2 days overdue (due 23.11.2026)  [task:1]" in english
    digest = Digest(day=TODAY, generated_at=datetime(2026, 11, 25, 6, tzinfo=UTC), timezone="Europe/Moscow", groups=())
    subjects = {}
    for language in ("en", "ru", "it"):
        i18n.set_language(language)
        subjects[language] = (digest.subject(), digest.headline())
    assert subjects == {
        "en": ("amtui digest 25.11.2026: 0 alerts", "Nothing is due. All clear."),
        "ru": ("Сводка amtui 25.11.2026: 0 уведомлений", "Ничего срочного. Всё в порядке."),
        "it": ("Riepilogo amtui 25/11/2026: 0 avvisi", "Nessuna scadenza. Tutto in ordine."),
    }


def test_alert_sentences_plurals_in_russian_and_italian() -> None:
    from amtui import i18n
    from amtui.services import alerts

    sentences = {}
    for language in ("ru", "it"):
        i18n.set_language(language)
        sentences[language] = [
            alerts._receivable_text("С-7", "Ромашка", 100_00, 100_00, None, "RUB", late, TODAY, "1-30")
            for late in (1, 2, 5, 21)
        ] + [alerts._ago(-22), alerts._ago(11), alerts._silence_text("Ромашка", 1, 30, "A", TODAY)]
    assert [line.split(", ", 1)[1].split(" (")[0] for line in sentences["ru"][:4]] == [
        "просрочен на 1 день", "просрочен на 2 дня", "просрочен на 5 дней", "просрочен на 21 день",
    ]  # fmt: skip
    assert sentences["ru"][4:6] == ["22 дня назад", "через 11 дней"]
    assert "просрочено на 1 день, последний контакт 25.11.2026" in sentences["ru"][6]
    assert [line.split("scaduta da ")[1].split(" (")[0] for line in sentences["it"][:4]] == [
        "1 giorno", "2 giorni", "5 giorni", "21 giorni",
    ]  # fmt: skip
    assert sentences["it"][4:6] == ["22 giorni fa", "tra 11 giorni"]
