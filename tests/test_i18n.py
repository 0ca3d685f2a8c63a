"""Three languages: the choice of language, plurals, the catalogs, locale formatting, Italian date words."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import pytest

from amtui import i18n
from amtui.services import dates
from amtui.services.errors import ValidationError
from amtui.services.locale_format import format_date, format_datetime, format_money, format_number, plain_spaces

ROOT = Path(__file__).resolve().parents[1]


def _tools_i18n():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("tools_i18n", ROOT / "tools" / "i18n.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- which language -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "config_text", "expected"),
    [
        ({"AMTUI_LANG": "it", "LANG": "ru_RU.UTF-8"}, 'language = "ru"\n', "it"),
        ({"LANG": "it_IT.UTF-8"}, 'language = "ru"\n', "ru"),
        ({"LANG": "it_IT.UTF-8"}, "", "it"),
        ({"LC_ALL": "ru_RU.UTF-8", "LANG": "it_IT.UTF-8"}, "", "ru"),
        ({"LC_MESSAGES": "ru_RU.UTF-8", "LANG": "it_IT.UTF-8"}, "", "ru"),
        ({"LC_ALL": "C.UTF-8", "LANG": "ru_RU.UTF-8"}, "", "en"),  # the first one set decides, as in gettext
        ({"LANG": "de_DE.UTF-8"}, "", "en"),
        ({}, "", "en"),
        ({"AMTUI_LANG": "klingon"}, 'language = "it"\n', "it"),
    ],
)
def test_the_language_comes_from_env_then_config_then_locale(
    env: dict[str, str], config_text: str, expected: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("AMTUI_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = tmp_path / "config.toml"
    config.write_text(config_text, encoding="utf-8")
    monkeypatch.setenv("AMTUI_CONFIG", str(config))
    assert i18n.detect_language() == expected
    assert i18n.set_language(None) == expected
    assert i18n._("Next steps") == {"en": "Next steps", "ru": "Следующие шаги", "it": "Prossimi passi"}[expected]


def test_a_document_language_does_not_change_the_interface_language() -> None:
    i18n.set_language("ru")
    assert i18n.translator("it")._("Attendees") == "Partecipanti"
    assert i18n._("Attendees") == "Участники"
    assert i18n.translator(None)._("Attendees") == "Участники"
    assert i18n.parse_language("IT") == "it" and i18n.parse_language("ru_RU") == "ru"
    with pytest.raises(ValidationError, match="неизвестный язык 'de'"):  # the interface is Russian
        i18n.parse_language("de")


# --- plurals ------------------------------------------------------------------------------------


def test_russian_plurals() -> None:
    numbers = (0, 1, 2, 5, 11, 21, 22, 25, 111)
    assert [i18n.days(n, "ru") for n in numbers] == [
        "0 дней", "1 день", "2 дня", "5 дней", "11 дней", "21 день", "22 дня", "25 дней", "111 дней",
    ]  # fmt: skip
    assert [i18n.days(n, "ru") for n in (12, 14, 102, 104, 112)] == [
        "12 дней", "14 дней", "102 дня", "104 дня", "112 дней",
    ]  # fmt: skip


def test_italian_and_english_plurals() -> None:
    numbers = (0, 1, 2, 5, 11, 21, 22, 25, 111)
    assert [i18n.days(n, "it") for n in numbers] == [
        "0 giorni", "1 giorno", "2 giorni", "5 giorni", "11 giorni", "21 giorni", "22 giorni", "25 giorni",
        "111 giorni",
    ]  # fmt: skip
    assert [i18n.days(n, "en") for n in (0, 1, 2, 21)] == ["0 days", "1 day", "2 days", "21 days"]


# --- catalogs -----------------------------------------------------------------------------------


def test_catalogs_are_complete_and_compiled() -> None:
    """Every string marked in the code is in each catalog, translated, and compiled into its .mo:
    after marking or changing a string, run ``.venv/bin/python tools/i18n.py all``."""
    assert _tools_i18n().problems() == []


def test_the_check_notices_a_stale_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tools = _tools_i18n()
    import shutil

    locale = tmp_path / "locale"
    shutil.copytree(ROOT / "amtui" / "locale", locale)
    monkeypatch.setattr(tools, "LOCALE", locale)
    po = locale / "it" / "LC_MESSAGES" / "amtui.po"
    # A translation changed in the .po but not compiled, and a marked string dropped from the catalog.
    text = po.read_text(encoding="utf-8").replace('msgstr "Accordi"', 'msgstr "Intese"')
    text = text.replace('msgid "Place"\nmsgstr "Luogo"\n', "")
    po.write_text(text, encoding="utf-8")
    found = "\n".join(tools.problems())
    assert "'Agreements' is 'Accordi', the .po says 'Intese'" in found
    assert "'Place' is marked in the code but not in the catalog" in found


def test_importing_i18n_does_not_import_babel_and_the_translation_works() -> None:
    code = (
        "import sys, os; os.environ['AMTUI_LANG'] = 'ru'; from amtui import i18n; "
        "print(i18n.days(22)); print('babel' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.split("\n")[:2] == ["22 дня", "False"]


# --- locale formatting ---------------------------------------------------------------------------


def test_money_by_locale_exact_from_minor_units() -> None:
    assert plain_spaces(format_money(125_000_050, "RUB", language="ru")) == "1 250 000,50 ₽"
    assert plain_spaces(format_money(125_000_050, "EUR", language="it")) == "1.250.000,50 €"
    assert format_money(125_000_050, "EUR", language="en") == "€1,250,000.50"
    # Exact beyond a float's digits: 90 071 992 547 409 93 kopecks.
    assert plain_spaces(format_money(9_007_199_254_740_993, "RUB", language="ru")) == "90 071 992 547 409,93 ₽"
    assert plain_spaces(format_money(-5, "RUB", language="ru")) == "-0,05 ₽"
    assert format_money(1500, "JPY", language="en") == "¥1,500"  # no minor unit


def test_numbers_by_locale() -> None:
    assert plain_spaces(format_number(1250000, language="ru")) == "1 250 000"
    assert format_number(1250000, language="it") == "1.250.000"
    assert format_number(1250000, language="en") == "1,250,000"
    assert format_number(Decimal("12.5"), language="it", decimals=2) == "12,50"


def test_dates_by_locale(zone) -> None:  # type: ignore[no-untyped-def]
    day = date(2026, 12, 8)
    assert format_date(day, language="ru") == "вт 08.12.2026"
    assert format_date(day, language="it") == "mar 08/12/2026"
    assert format_date(day, language="en") == "Tue 08.12.2026"
    assert format_date(day, language="it", weekday=False) == "08/12/2026"
    moment = datetime(2026, 12, 8, 7, 30, tzinfo=zone).astimezone(zone)
    assert format_datetime(moment, zone, language="ru") == "вт 08.12.2026 07:30"
    i18n.set_language("it")
    assert format_date(day) == "mar 08/12/2026"


# --- Italian words in typed dates ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("oggi", date(2026, 11, 25)),
        ("domani", date(2026, 11, 26)),
        ("dopodomani", date(2026, 11, 27)),
        ("ieri", date(2026, 11, 24)),
        ("lun", date(2026, 11, 30)),
        ("mar", date(2026, 12, 1)),
        ("mer", date(2026, 11, 25)),  # today is a Wednesday: a weekday means the next one, today included
        ("gio", date(2026, 11, 26)),
        ("ven", date(2026, 11, 27)),
        ("sab", date(2026, 11, 28)),
        ("dom", date(2026, 11, 29)),
        ("lunedì", date(2026, 11, 30)),
        ("Venerdì", date(2026, 11, 27)),
        ("venerdi", date(2026, 11, 27)),
        ("domenica", date(2026, 11, 29)),
        ("пт", date(2026, 11, 27)),
        ("fri", date(2026, 11, 27)),
        ("завтра", date(2026, 11, 26)),
    ],
)
def test_italian_words_read_as_dates_whatever_the_interface_language(typed: str, expected: date) -> None:
    i18n.set_language("ru")
    assert dates.parse_date(typed, today=date(2026, 11, 25)) == expected


def test_italian_weekday_with_a_time(now, zone) -> None:  # type: ignore[no-untyped-def]
    moment = dates.parse_datetime("ven 11:00", now=now, zone=zone)
    assert moment.astimezone(zone).replace(tzinfo=None) == datetime.combine(date(2026, 11, 27), time(11, 0))
    moment = dates.parse_datetime("domani 9.30", now=now, zone=zone)
    assert moment.astimezone(zone).replace(tzinfo=None) == datetime(2026, 11, 26, 9, 30)


def test_the_config_file_language_is_a_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from amtui.config import ConfigError, load_settings

    config = tmp_path / "config.toml"
    monkeypatch.setenv("AMTUI_CONFIG", str(config))
    config.write_text('language = "it"\n', encoding="utf-8")
    assert load_settings().language == "it"
    config.write_text('language = "klingon"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="language: expected ru, it or en, got 'klingon'"):
        load_settings()
