"""The TUI in Russian and Italian (issue 14): snapshots of Today, the client card and the meeting
report in each language at 100x32, and every screen in Russian without English left from the
UI vocabulary (every msgid the Russian catalog translates is looked for on every screen)."""

from __future__ import annotations

import html
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from textual.pilot import Pilot

from amtui import i18n
from amtui.app import AmtuiApp
from tests.conftest import FROZEN_NOW, ZONE
from tests.test_tui import sync
from tests.test_tui_snapshots import SIZE, demo_ids, demo_url, settle

__all__ = ["demo_url"]  # the module-scoped small demo, shared with the English snapshots

LANGUAGES = ("ru", "it", "en")


@pytest.fixture(autouse=True)
def colours(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)


def speak(monkeypatch: pytest.MonkeyPatch, language: str) -> None:
    """The interface language as ``AMTUI_LANG`` chooses it at start-up."""
    monkeypatch.setenv("AMTUI_LANG", language)
    assert i18n.set_language(None) == language


def app_for(url: str) -> AmtuiApp:
    app = AmtuiApp(db_url=url, now=FROZEN_NOW, zone=ZONE)
    app.theme = "textual-dark"
    return app


async def open_report(pilot: Pilot[Any], visit_id: int) -> None:
    """The meeting report with its agenda focused and the cursors held still (as the English snapshot)."""
    await settle(pilot)
    pilot.app.open_report(visit_id)  # type: ignore[attr-defined]
    await settle(pilot)
    for _ in range(100):
        focused = pilot.app.focused
        if focused is not None and focused.id == "report-agenda":
            break
        await pilot.pause(0.02)
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False  # type: ignore[attr-defined]
        widget.notify_style_update()
        widget.refresh()
    await settle(pilot)


@pytest.mark.parametrize("language", LANGUAGES)
def test_today_in_each_language(
    snap_compare: Any, demo_url: str, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    speak(monkeypatch, language)
    assert snap_compare(app_for(demo_url), terminal_size=SIZE, run_before=settle)


@pytest.mark.parametrize("language", LANGUAGES)
def test_client_card_in_each_language(
    snap_compare: Any, demo_url: str, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    speak(monkeypatch, language)
    client_id = demo_ids(demo_url)["romashka"]

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.open_client(client_id)  # type: ignore[attr-defined]
        await settle(pilot)

    assert snap_compare(app_for(demo_url), terminal_size=SIZE, run_before=run)


@pytest.mark.parametrize("language", LANGUAGES)
def test_meeting_report_in_each_language(
    snap_compare: Any, demo_url: str, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    speak(monkeypatch, language)
    visit_id = demo_ids(demo_url)["visit"]

    async def run(pilot: Pilot[Any]) -> None:
        await open_report(pilot, visit_id)

    assert snap_compare(app_for(demo_url), terminal_size=SIZE, run_before=run)


# --- no English left on a Russian screen ------------------------------------------------------------

FIELD = re.compile(r"\{\w*\}")
LETTERS = re.compile(r"[A-Za-z]")
SVG_TEXT = re.compile(r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>')


def english_phrases() -> dict[str, str]:
    """English text of the UI vocabulary -> its msgid: every msgid the Russian catalog translates
    differently. A msgid with ``{fields}`` is looked for by its longest literal piece of two words or more."""
    with open(i18n.LOCALE_DIR / "ru" / "LC_MESSAGES" / "amtui.po", "rb") as handle:
        catalog = read_po(handle)
    phrases: dict[str, str] = {}
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or message.context:
            continue
        translated = message.string if isinstance(message.string, str) else ""
        if not translated or translated == message.id or not LETTERS.search(message.id):
            continue
        pieces = [piece.strip(" ,.;:()…") for piece in FIELD.split(message.id)]
        if len(pieces) == 1:
            phrase = pieces[0]
        else:
            phrase = max(pieces, key=len)
            if len(phrase.split()) < 2:
                continue
        phrase = re.sub(r"\[/?\w\]", "", phrase)  # markup in a msgid is not shown
        if len(phrase) >= 3 and LETTERS.search(phrase):
            phrases[phrase] = message.id
    return phrases


def screen_text(app: AmtuiApp) -> str:
    """What the terminal shows, line by line (read back from Textual's SVG screenshot)."""
    rows: dict[float, list[tuple[float, str]]] = defaultdict(list)
    for match in SVG_TEXT.finditer(app.export_screenshot()):
        rows[float(match.group(2))].append((float(match.group(1)), html.unescape(match.group(3))))
    lines = []
    for y in sorted(rows):
        lines.append("".join(text for _x, text in sorted(rows[y])).replace("\xa0", " "))
    return "\n".join(lines)


_PHRASE_PATTERNS: dict[str, re.Pattern[str]] = {}


def leftovers(text: str, phrases: dict[str, str]) -> list[str]:
    found = []
    for phrase in phrases:
        # Each phrase's pattern compiled once: ~1,000 phrases overflow `re`'s cache, and compiling them
        # again for each of the 21 screens was a quarter of the walk's CPU.
        pattern = _PHRASE_PATTERNS.get(phrase)
        if pattern is None:
            pattern = _PHRASE_PATTERNS[phrase] = re.compile(rf"(?<![\w@.]){re.escape(phrase)}(?![\w@])")
        if pattern.search(text):
            found.append(phrase)
    return found


@sync
async def test_every_screen_in_russian_has_no_english_left(demo_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    speak(monkeypatch, "ru")
    phrases = english_phrases()
    assert "Receivables" in phrases and "Clients overdue for contact" in phrases  # the check has teeth
    ids = demo_ids(demo_url)
    app = app_for(demo_url)
    seen: dict[str, str] = {}
    async with app.run_test(size=SIZE) as pilot:

        async def shot(name: str) -> None:
            await settle(pilot)
            seen[name] = screen_text(app)

        await shot("today")
        for key, name in (("2", "clients"), ("3", "planner"), ("4", "tasks"), ("5", "alerts"), ("6", "portfolio")):
            await pilot.press(key)
            await shot(name)
        await pilot.press("1")
        await pilot.press("question_mark")
        await shot("help")
        await pilot.press("escape")
        await pilot.press("ctrl+p")  # the palette: amtui's actions and Textual's own commands
        await shot("palette")
        await pilot.press("escape")
        await settle(pilot)
        app.open_client(ids["romashka"])
        await shot("card")
        for key, name in (
            ("e", "client form"),
            ("a", "contact form"),
            ("k", "contract form"),
            ("d", "deal form"),
            ("i", "invoice form"),
            ("n", "note form"),
            ("t", "task form"),
            ("p", "plan form"),
            ("c", "after-call form"),
        ):
            await pilot.press(key)
            await shot(name)
            await pilot.press("escape")
            await settle(pilot)
        app.pop_screen()
        await open_report(pilot, ids["visit"])
        seen["report"] = screen_text(app)
        app.pop_screen()
        app.action_new_client()
        await shot("new client")
        await pilot.press("ctrl+s")  # the required name is missing: the validation messages
        await shot("new client, invalid")
    assert len(seen) == 21
    assert "Новый клиент" in seen["palette"] and "Тема" in seen["palette"]
    assert "Просрочено" in seen["today"] and "Справка" in seen["today"]
    assert "Дебиторская задолженность" in seen["card"] and "₽" in seen["card"]
    problems = {name: found for name, text in seen.items() if (found := leftovers(text, phrases))}
    assert not problems, f"English left on Russian screens: {problems}"


def test_the_leftover_check_finds_english() -> None:
    """The scan itself: an English label on a screen is found, the same words in a name or an address are not."""
    phrases = {"Receivables": "Receivables", "Sales this month": "Sales this month", "Open": "Open"}
    assert leftovers("Receivables 1 000 ₽", phrases) == ["Receivables"]
    assert leftovers(" Продажи за месяц [███] Sales this month", phrases) == ["Sales this month"]
    assert leftovers("OpenAI · open@company.ru · Дебиторская задолженность", phrases) == []


def test_binding_descriptions_follow_the_language_chosen_after_import(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bindings are defined once, in English, when their module is imported; the footer and the help
    translate them when they are shown, so a language chosen later still applies."""
    from amtui.screens.help import _keys_table
    from amtui.screens.today import TodayScreen
    from amtui.widgets.footer import describe

    descriptions = {binding.description for binding in TodayScreen.BINDINGS}  # type: ignore[union-attr]
    assert "Clients" in descriptions
    speak(monkeypatch, "it")
    assert describe("Clients") == "Clienti"
    speak(monkeypatch, "ru")
    assert describe("Clients") == "Клиенты" and describe("") == ""
    rows = [str(cell) for column in _keys_table().columns for cell in column._cells]
    assert "Клиенты" in rows and "Clients" not in rows


def test_screen_money_and_dates_follow_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from amtui.screens.base import long_date, money, weekday
    from amtui.vocabulary import DealKind, InteractionKind, label

    tuesday = date(2026, 12, 8)
    speak(monkeypatch, "ru")
    assert money(250_840_075, "RUB").replace("\xa0", " ") == "2 508 400,75 ₽"  # exact, never rounded
    assert long_date(tuesday) == "вт 08.12.2026" and weekday(tuesday) == "вт"
    assert label(DealKind, "renewal") == "пролонгация договора" and label(InteractionKind, "call") == "звонок"
    speak(monkeypatch, "it")
    assert money(250_840_075, "EUR").replace("\xa0", " ") == "2.508.400,75 €"
    assert long_date(tuesday) == "mar 08/12/2026" and label(DealKind, "renewal") == "rinnovo del contratto"
    speak(monkeypatch, "en")
    assert money(250_840_075, "RUB") == "2 508 400,75 RUB"  # English: the CLI's exact figure (issue 10)
    assert long_date(tuesday) == "Tuesday 08.12.2026" and label(InteractionKind, "call") == "call"


@sync
async def test_portfolio_percentages_and_report_titles_in_russian_and_italian(
    demo_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The Portfolio screen writes percentages as the language does (``2,7 %`` in Russian, ``2,7%`` in
    Italian, never ``2.7%``); the report screen says which interaction it reports on: a visit or a meeting."""
    import shutil

    from sqlalchemy import text

    from amtui.db import open_engine

    engine = open_engine(demo_url)
    with engine.connect() as connection:
        meeting = connection.execute(
            text("SELECT id FROM interaction WHERE kind = 'meeting' AND status = 'done' ORDER BY id LIMIT 1")
        ).scalar_one()
    engine.dispose()
    visit = demo_ids(demo_url)["visit"]
    titles = {"ru": ("Отчёт о визите", "Отчёт о встрече"), "it": ("Resoconto della visita", "Resoconto della riunione")}
    for language, (visit_title, meeting_title) in titles.items():
        speak(monkeypatch, language)
        # A copy each: an opened report keeps a draft (a file per database), which would be offered back.
        copy = tmp_path / f"demo-{language}.db"
        shutil.copyfile(demo_url.removeprefix("sqlite:///"), copy)
        app = app_for(f"sqlite:///{copy}")
        async with app.run_test(size=(120, 60)) as pilot:
            await settle(pilot)
            await pilot.press("6")
            await settle(pilot)
            portfolio = screen_text(app)
            sign = "\xa0%" if language == "ru" else "%"
            assert re.search(r"\d+,\d" + sign, portfolio.replace(" %", "\xa0%") if language == "ru" else portfolio)
            assert not re.search(r"\d\.\d+\s?%", portfolio), portfolio
            assert {"ru": "Категория", "it": "Fascia"}[language] in portfolio  # the ABC column's whole name
            await pilot.press("1")
            for interaction, title in ((visit, visit_title), (meeting, meeting_title)):
                await open_report(pilot, interaction)
                assert app.screen.sub_title == title
                assert title in screen_text(app)
                app.pop_screen()
                await settle(pilot)
