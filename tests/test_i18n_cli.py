"""The command line in Russian and Italian: --help, messages, errors, money and dates, the digest,
kpi, documents in the client's language, the contact's language, the import column ``language``."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from amtui import i18n
from amtui.services.locale_format import money, plain_spaces, short_date

NUMBERS = (0, 1, 2, 5, 11, 21, 22, 25, 111)


def _amtui(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``amtui ARGS`` in a fresh process (Typer's help texts are made when the commands are defined)."""
    clean = {k: v for k, v in os.environ.items() if k not in ("AMTUI_LANG", "LC_ALL", "LC_MESSAGES", "LANG")}
    clean |= {"AMTUI_CONFIG": str(tmp_path / "config.toml"), "NO_COLOR": "1", "COLUMNS": "100"} | env
    return subprocess.run(
        [sys.executable, "-m", "amtui", *args], capture_output=True, text=True, env=clean, timeout=120, check=False
    )


# --- the language is chosen before the commands are defined --------------------------------------------------


def test_task_help_in_russian(tmp_path: Path) -> None:
    done = _amtui("task", "--help", env={"AMTUI_LANG": "ru"}, tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("Использование: amtui task [OPTIONS] COMMAND [ARGS]...")
    assert "Задачи: ваши и порученные коллегам." in out
    assert "Показать эту справку и выйти." in out
    assert "Добавить задачу; для порученной коллеге проверка" in out
    assert "Параметры" in out and "Команды" in out
    for english in ("Usage:", "Show this message", "Add a task", "Options", "Commands"):
        assert english not in out


def test_complaint_help_in_russian(tmp_path: Path) -> None:
    """The complaint commands came after the CLI was translated: their help is in the catalogs too."""
    done = _amtui("complaint", "add", "--help", env={"AMTUI_LANG": "ru"}, tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Записать жалобу, претензию, возврат, спор или акт недостачи клиента." in done.stdout
    assert "Решение обещано к" in done.stdout
    for english in ("Record a complaint", "Amount in dispute", "Resolution promised"):
        assert english not in done.stdout


def test_option_help_follows_the_config_file_then_amtui_lang(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('language = "it"\n', encoding="utf-8")
    italian = _amtui("task", "add", "--help", env={"LANG": "ru_RU.UTF-8"}, tmp_path=tmp_path)
    assert italian.returncode == 0, italian.stderr
    assert "Scadenza: 'ven', '+3d', '01.12.2026'." in italian.stdout
    assert "high, normal o low." in italian.stdout  # the allowed values keep their spelling
    russian = _amtui("task", "add", "--help", env={"AMTUI_LANG": "ru"}, tmp_path=tmp_path)
    assert "Срок: 'пт', '+3d', '01.12.2026'." in russian.stdout
    assert "high, normal или low." in russian.stdout


def test_usage_errors_in_the_interface_language(tmp_path: Path) -> None:
    done = _amtui("task", "add", env={"AMTUI_LANG": "it"}, tmp_path=tmp_path)
    assert done.returncode == 2
    assert "Uso: amtui task add [OPTIONS] {title}" in done.stderr
    assert "Prova 'amtui task add -h' per l'aiuto." in done.stderr
    assert "Errore: Manca l'argomento 'title'." in done.stderr


def test_typer_suggestions_and_option_errors_in_the_interface_language(tmp_path: Path) -> None:
    """Typer's own English around a usage error: "Did you mean", the possible options, a missing option
    value, a choice list, pydantic's number checks. The names and values in them stay as typed."""
    expected = {
        "ru": (
            "Ошибка: Нет такой команды 'tsak'. Может быть, 'task'?",
            "Нет такого параметра: --limti (возможные параметры: --client, --mine)",
            "Ошибка: Параметру '--due' нужно значение.",
            "Ошибка: Не указан аргумент 'kind'. Возможные значения:",
            "Ошибка: Неверное значение '--months': нужно целое число",
            "Ошибка: Неверное значение '--months': не меньше 1",
        ),
        "it": (
            "Errore: Comando inesistente 'tsak'. Forse intendevi 'task'?",
            "Opzione inesistente: --limti (opzioni possibili: --client, --mine)",
            "Errore: L'opzione '--due' richiede un valore.",
            "Errore: Manca l'argomento 'kind'. Valori possibili:",
            "Errore: Valore non valido per '--months': serve un numero intero",
            "Errore: Valore non valido per '--months': il minimo è 1",
        ),
    }
    calls = (
        ("tsak",), ("task", "list", "--limti", "3"), ("task", "add", "x", "--due"), ("summary",),
        ("abc", "--months", "many"), ("abc", "--months", "0"),
    )  # fmt: skip
    for language, lines in expected.items():
        for args, line in zip(calls, lines, strict=True):
            done = _amtui(*args, env={"AMTUI_LANG": language}, tmp_path=tmp_path)
            assert done.returncode == 2, (args, done.stderr)
            assert line in done.stderr, (language, args, done.stderr)
            for english in ("Did you mean", "Possible options", "requires an argument", "Choose from", "Input should"):
                assert english not in done.stderr, (language, args, done.stderr)


# --- messages and errors --------------------------------------------------------------------------------------


def test_a_bad_date_is_a_russian_error_and_nothing_is_written(cli) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language("ru")
    bad = cli("task", "add", "Позвонить", "--due", "32.13")
    assert bad.exit_code == 1 and "Traceback" not in bad.output
    assert bad.output.startswith(
        "amtui: ошибка: --due: не удаётся прочитать '32.13' как дату (месяц должен быть от 1 до 12; можно: "
        "2026-11-27, 27.11.2026, 27.11, сегодня, завтра"
    )
    assert cli("task", "list").output == "Открытых задач нет.\n"
    added = cli("task", "add", "Позвонить", "--due", "пт")
    assert added.output == "Добавлена задача 1: Позвонить, срок 27.11.2026\n"


def test_messages_in_italian(cli) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language("it")
    assert cli("client", "add", "Ferramenta Rossi S.r.l.", "--tier", "A").output == (
        "Aggiunto il cliente 1: Ferramenta Rossi S.r.l. (classe A, ogni 14 giorni)\n"
    )
    planned = cli("plan", "visit", "rossi", "--at", "ven 11:00")
    assert planned.output.startswith("In programma: visita 1 con Ferramenta Rossi S.r.l. il ")
    assert cli("planned", "list", "--days", "0").output == "Nulla in programma nei prossimi 0 giorni.\n"
    unknown = cli("client", "edit", "1", "--language", "klingon")
    assert unknown.exit_code == 1
    assert "lingua sconosciuta 'klingon' (usa una di: en, ru, it)" in unknown.output


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", ["0 дней", "1 день", "2 дня", "5 дней", "11 дней", "21 день", "22 дня", "25 дней", "111 дней"]),
        (
            "it",
            ["0 giorni", "1 giorno", "2 giorni", "5 giorni", "11 giorni", "21 giorni", "22 giorni", "25 giorni",
             "111 giorni"],
        ),
    ],
)  # fmt: skip
def test_cli_plurals(language: str, expected: list[str]) -> None:
    t = i18n.translator(language)
    overdue = [t.ngettext("{n} day overdue", "{n} days overdue", n).format(n=n) for n in NUMBERS]
    if language == "ru":
        assert overdue == [f"просрочено на {word}" for word in expected]
    else:
        assert overdue == [f"in ritardo di {word}" for word in expected]
    nothing = [
        t.ngettext("Nothing planned in the next {n} day.", "Nothing planned in the next {n} days.", n).format(n=n)
        for n in NUMBERS
    ]
    if language == "ru":
        assert nothing == [f"Ничего не запланировано на {word} вперёд." for word in expected]
    else:
        assert nothing == [
            f"Nulla in programma nel prossimo {word}." if n == 1 else f"Nulla in programma nei prossimi {word}."
            for n, word in zip(NUMBERS, expected, strict=True)
        ]
    steps = [
        t.ngettext(
            "Saved report {id} for {client}; {n} next step is a task.",
            "Saved report {id} for {client}; {n} next steps are tasks.",
            n,
        ).format(id=1, client="X", n=n)
        for n in (1, 2, 5, 21, 111)
    ]
    if language == "ru":
        assert [s.split("; ")[1] for s in steps] == [
            "1 следующий шаг стал задачей.", "2 следующих шага стали задачами.", "5 следующих шагов стали задачами.",
            "21 следующий шаг стал задачей.", "111 следующих шагов стали задачами.",
        ]  # fmt: skip
    else:
        assert [s.split("; ")[1] for s in steps] == [
            "1 passo successivo è un'attività.", "2 passi successivi sono attività.",
            "5 passi successivi sono attività.", "21 passi successivi sono attività.",
            "111 passi successivi sono attività.",
        ]  # fmt: skip


# --- money and dates --------------------------------------------------------------------------------------------


def test_money_and_dates_of_the_interface_in_three_languages() -> None:
    assert plain_spaces(money(125_000_050, "RUB", language="ru")) == "1 250 000,50 ₽"
    assert plain_spaces(money(125_000_050, "EUR", language="it")) == "1.250.000,50 €"
    assert money(125_000_050, "RUB", language="en") == "1 250 000,50 RUB"  # amtui's English, no Babel
    assert money(None, "RUB") == ""
    day = date(2026, 12, 8)
    assert [short_date(day, language=lang) for lang in ("ru", "it", "en")] == ["08.12.2026", "08/12/2026", "08.12.2026"]


def test_invoice_and_card_amounts_by_locale(cli) -> None:  # type: ignore[no-untyped-def]
    cli("client", "add", "Ферма", "--language", "ru")
    i18n.set_language("ru")
    added = cli("invoice", "add", "ферма", "СЧ-9", "1 250 000,50", "--due", "01.12.2026")
    assert plain_spaces(added.output) == "Добавлен счёт 1: СЧ-9, 1 250 000,50 ₽, срок оплаты 01.12.2026\n"
    card = plain_spaces(cli("client", "show", "ферма").output)
    assert "Дебиторская задолженность: 1 250 000,50 ₽ (просрочено 0,00 ₽)" in card
    assert "Документы на языке: Русский" in card
    assert "Периодичность:      каждые 30 дней; последний контакт никогда" in card
    i18n.set_language("it")
    listed = plain_spaces(cli("invoice", "list").output)
    assert "01/12/2026" in listed and "1.250.000,50 RUB" in listed
    assert listed.splitlines()[0].split() == ["id", "numero", "cliente", "scadenza", "importo", "da", "incassare"]


def test_the_english_digest_never_loads_babel_the_russian_one_formats_money_with_it(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("client", "add", "Ромашка")
    cli("invoice", "add", "ромашка", "СЧ-1", "412 500", "--issued", "01.09.2026", "--due", "01.10.2026")
    probe = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from amtui.cli import app\n"
        f"result = CliRunner().invoke(app, ['--db', {str(db_path)!r}, 'digest'])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(result.output)\n"
        "print('babel loaded:', 'babel.numbers' in sys.modules)\n"
    )
    env = {**os.environ, "AMTUI_NOW": "2026-11-25T06:00:00+00:00", "AMTUI_TZ": "Europe/Moscow"}
    english = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120)
    assert english.returncode == 0, english.stderr
    assert "1 overdue invoice, 412 500 RUB" in english.stdout and "babel loaded: False" in english.stdout
    russian = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env={**env, "AMTUI_LANG": "ru"}, timeout=120
    )
    assert russian.returncode == 0, russian.stderr
    assert "1 просроченный счёт, 412\xa0500,00\xa0₽" in russian.stdout and "babel loaded: True" in russian.stdout


# --- the digest in three languages (hand-built data) -----------------------------------------------------------


def test_digest_markdown_html_and_subject_in_italian(cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cli("client", "add", "Ferramenta Rossi S.r.l.", "--language", "it")
    cli("invoice", "add", "rossi", "F-7", "1250000,50", "--issued", "01.09.2026", "--due", "01.10.2026")
    monkeypatch.setenv("AMTUI_LANG", "it")
    i18n.set_language(None)
    markdown = cli("digest", "--format", "markdown").output
    assert markdown.splitlines()[0] == "# Riepilogo amtui: mercoledì 25/11/2026 (Europe/Moscow)"
    assert "## Crediti scaduti" in markdown
    assert "_1 fattura scaduta, 1.250.000,50\xa0RUB_" in markdown
    assert "- **Ferramenta Rossi S.r.l.**: 1.250.000,50\xa0RUB, fatture: 1" in markdown
    html = cli("digest", "--format", "html").output
    assert '<html lang="it">' in html and "<h2" in html and "Crediti scaduti</h2>" in html
    assert "scaduta da 55 giorni" in html


# --- kpi and summary --------------------------------------------------------------------------------------------


def test_kpi_in_russian(cli) -> None:  # type: ignore[no-untyped-def]
    cli("client", "add", "Ромашка")
    cli("invoice", "add", "ромашка", "СЧ-1", "412 500", "--issued", "02.11.2026", "--due", "20.12.2026")
    i18n.set_language("ru")
    out = plain_spaces(cli("kpi").output)
    assert out.startswith("KPI за 2026-11 (01.11.2026-30.11.2026, идёт: день 25 из 30)")
    assert "Деньги" in out and "выставлено" in out and "412 500,00 ₽" in out
    assert "Как я работаю" in out and "входящие звонки" in out
    for english in ("Money", "invoiced", "How I work", "inbound calls"):
        assert english not in out


def test_percentages_with_the_decimal_comma_and_spacing_of_the_language(cli) -> None:  # type: ignore[no-untyped-def]
    """Percentages as each language writes them: ``25,0 %`` (ru, a no-break space), ``25,0%`` (it),
    ``25.0%`` (en): kpi, summary, the deal list, abc, the credit warning."""
    cli("client", "add", "Ромашка")
    cli("client", "edit", "ромашка", "--credit-limit", "250 000")
    cli("invoice", "add", "ромашка", "СЧ-1", "100 000", "--issued", "02.11.2025", "--due", "20.12.2025")
    cli("deal", "add", "ромашка", "Склад", "--probability", "40")
    for name, amount in (("Лютик", "10 000"), ("Василёк", "5 000")):  # three clients with revenue: abc ranks
        cli("client", "add", name)
        cli("invoice", "add", name, f"{name}-1", amount, "--issued", "02.06.2026", "--due", "20.06.2026")
    expected = {
        "ru": ("25,0\xa0%", "40\xa0%", "90,0\xa0%", "A: первые 80\xa0%, B: до 95\xa0%"),
        "it": ("25,0%", "40%", "90,0%", "A: primi 80%, B: fino a 95%"),
        "en": ("25.0%", "40%", "90.0%", "A: first 80%, B: to 95%"),
    }
    for number, (language, (growth, chance, used, share)) in enumerate(expected.items(), 2):
        i18n.set_language(language)
        added = cli("invoice", "add", "ромашка", f"СЧ-{number}", "125 000" if number == 2 else "0,01",
                    "--issued", "02.11.2026", "--due", "20.12.2026")  # fmt: skip
        assert added.exit_code == 0, added.output
        if number == 2:  # 225 000 of 250 000: the warning band
            assert f", {used} " in added.output, added.output
        kpi = cli("kpi").output
        assert f" {growth}" in kpi, kpi
        assert f" {growth}" in cli("summary", "month").output
        assert re.search(rf" {re.escape(chance)}(\s|$)", cli("deal", "list").output)
        abc = cli("abc").output
        assert share in abc, abc
        assert re.search(r" 89[.,]3\xa0?%", abc), abc
        if language != "en":  # no English decimal point left in a percentage; in Russian, no % glued on
            assert not re.search(r"\d\.\d+\s?%" + (r"|\d%" if language == "ru" else ""), kpi), kpi


def test_counts_and_decimals_grouped_as_the_language_writes_them(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The backup's size and the import's notes in Russian: ``1 101 824 байт`` (no-break spaces, not
    ``1,101,824``), ``кодировка utf-8, разделитель ';'``; English keeps ``1,101,824 bytes``."""
    cli("client", "add", "Ромашка")
    i18n.set_language("ru")
    russian = cli("backup", str(tmp_path / "copy-ru.db")).output
    assert re.search(r"\(\d{1,3}(\xa0\d{3})+ байт\)", russian), russian
    table = tmp_path / "clients.csv"
    table.write_text("name;tier\nЛютик;Z\n", encoding="utf-8")
    refused = cli("import", "clients", str(table)).output
    assert "(кодировка utf-8, разделитель ';')" in refused and "delimiter" not in refused
    i18n.set_language("en")
    english = cli("backup", str(tmp_path / "copy-en.db")).output
    assert re.search(r"\(\d{1,3}(,\d{3})+ bytes\)", english), english


# --- documents in the client's language ---------------------------------------------------------------------------


def test_an_italian_report_from_a_russian_interface(cli) -> None:  # type: ignore[no-untyped-def]
    cli("client", "add", "Ferramenta Rossi S.r.l.", "--language", "it")
    cli("contact", "add", "rossi", "Giulia Bianchi", "--decision-maker")
    cli("log", "visit", "rossi")
    i18n.set_language("ru")
    written = cli(
        "report", "write", "1", "--agenda", "Forniture 2027", "--agreements", "Prova a gennaio",
        "--attendee", "bianchi", "--step", "Inviare l'offerta; ; ven",
    )  # fmt: skip
    assert written.exit_code == 0, written.output
    assert written.output.startswith("Отчёт 1 для Ferramenta Rossi S.r.l. сохранён; 1 следующий шаг стал задачей.")
    shown = cli("report", "show", "1", "--markdown").output
    assert shown.startswith("# Resoconto della visita: Ferramenta Rossi S.r.l.")
    for heading in ("Partecipanti", "Accordi", "Prossimi passi"):
        assert heading in shown
    for russian in ("Отчёт", "Участники", "Договорённости", "Следующие шаги"):
        assert russian not in shown
    assert "Prova a gennaio" in shown and "Giulia Bianchi" in shown


def test_contact_language_from_the_command_line(cli) -> None:  # type: ignore[no-untyped-def]
    cli("client", "add", "Ferramenta Rossi S.r.l.", "--language", "it")
    added = cli("contact", "add", "rossi", "John Smith", "--language", "EN", "--json")
    assert added.exit_code == 0, added.output
    assert json.loads(added.output)["language"] == "en"
    edited = cli("contact", "edit", "rossi", "smith", "--language", "ru", "--json")
    assert json.loads(edited.output)["language"] == "ru"
    cleared = cli("contact", "edit", "rossi", "smith", "--language", "", "--json")
    assert json.loads(cleared.output)["language"] is None  # the client's again
    i18n.set_language("ru")
    bad = cli("contact", "edit", "rossi", "smith", "--language", "de")
    assert bad.exit_code == 1 and "amtui: ошибка: language: неизвестный язык 'de'" in bad.output
    assert json.loads(cli("contact", "list", "rossi", "--json").output)[0]["language"] is None


def test_import_reads_a_language_column_for_clients_and_contacts(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    clients_csv = tmp_path / "clients.csv"
    clients_csv.write_text(
        "Наименование;Город;Язык\nFerramenta Rossi S.r.l.;Milano;Italiano\nООО «Ромашка»;Москва;ru\nAcme Ltd;London;\n",
        encoding="utf-8",
    )
    imported = cli("import", "clients", str(clients_csv))
    assert imported.exit_code == 0, imported.output
    languages = {
        name: json.loads(cli("client", "show", str(number), "--json").output)["client"]["language"]
        for number, name in enumerate(("Ferramenta Rossi S.r.l.", "ООО «Ромашка»", "Acme Ltd"), start=1)
    }
    assert languages == {"Ferramenta Rossi S.r.l.": "it", "ООО «Ромашка»": "ru", "Acme Ltd": None}
    contacts_csv = tmp_path / "contacts.csv"
    contacts_csv.write_text(
        "client,full name,language\n"
        "Ferramenta Rossi S.r.l.,Giulia Bianchi,\n"
        "Ferramenta Rossi S.r.l.,John Smith,English\n",
        encoding="utf-8",
    )
    assert cli("import", "contacts", str(contacts_csv)).exit_code == 0
    people = {p["full_name"]: p["language"] for p in json.loads(cli("contact", "list", "rossi", "--json").output)}
    assert people == {"Giulia Bianchi": None, "John Smith": "en"}
    bad = tmp_path / "bad.csv"
    bad.write_text("name,language\nNuova S.p.A.,it\nKlingon Corp,klingon\n", encoding="utf-8")
    refused = cli("import", "clients", str(bad))
    assert refused.exit_code == 1
    assert f"{bad}:3: language: 'klingon': one of ru, it, en" in refused.output
    assert "Nuova S.p.A." not in cli("client", "list").output  # nothing written
