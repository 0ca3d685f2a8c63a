"""One label per stored value (amtui.vocabulary.LABELS), in every language, and the CLI and the TUI
showing the same word for it: a client's card in Russian, Italian and English, read on both."""

from __future__ import annotations

import inspect
import re
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest

from amtui import i18n, vocabulary
from amtui.vocabulary import (
    LABELS,
    VERBATIM,
    ClientStatus,
    ComplaintKind,
    ComplaintStatus,
    ContactRole,
    ContractStatus,
    DealKind,
    DealStage,
    InteractionKind,
    InteractionStatus,
    NoteTag,
    TaskStatus,
    label,
)

PACKAGE = Path(vocabulary.__file__).parent
ENUMS = [
    item
    for _name, item in inspect.getmembers(vocabulary, inspect.isclass)
    if issubclass(item, StrEnum) and item is not StrEnum and item.__module__ == vocabulary.__name__
]


def test_every_value_of_every_enum_has_one_label_translated_in_every_language() -> None:
    assert len(ENUMS) >= 19 and ContactRole in ENUMS and ComplaintStatus in ENUMS  # the walk has teeth
    for enum in ENUMS:
        if enum in VERBATIM:
            assert all(label(enum, item.value, "ru") == item.value for item in enum)
            continue
        assert enum in LABELS, f"{enum.__name__} has no labels in amtui.vocabulary.LABELS"
        assert set(LABELS[enum]) == {item.value for item in enum}, enum.__name__
        for language in ("ru", "it"):
            catalog: dict[Any, Any] = i18n._catalog(language)._catalog  # type: ignore[attr-defined]
            for item in enum:
                context, message = LABELS[enum][item.value]
                key = f"{context}\x04{message}" if context else message
                assert catalog.get(key), f"{enum.__name__}.{item.name}: {key!r} not translated into {language}"
                assert label(enum, item.value, language)
        for item in enum:
            assert label(enum, item.value, "en")


def test_one_english_word_gets_the_word_and_gender_of_what_it_names() -> None:
    assert label(ClientStatus, "lost", "ru") == "ушедший" and label(DealStage, "lost", "ru") == "проиграна"
    assert label(TaskStatus, "open", "ru") == "открыта" and label(TaskStatus, "done", "ru") == "выполнена"
    assert label(InteractionStatus, "done", "ru") == "выполнено"
    assert label(ContractStatus, "active", "ru") == "действующий" and label(ClientStatus, "active", "ru") == "активный"
    assert label(DealStage, "negotiation", "it") == "trattativa" and label(DealKind, "renewal", "it") == (
        "rinnovo del contratto"
    )
    assert label(InteractionKind, "email", "ru") == "письмо"  # the interaction; the channel is e-mail
    assert label(DealStage, "unknown-stage", "ru") == "unknown-stage" and label(DealStage, None) == ""


def test_no_second_vocabulary_table_in_the_front_ends() -> None:
    """The CLI, the TUI, the alert sentences and the digest use amtui.vocabulary.label: nobody else marks
    a stored value's word (a second table drifts: the TUI and the CLI said different words before)."""
    from amtui.commands import records, render
    from amtui.screens import base, client_card, planner
    from amtui.services import alerts, digest

    assert render.label is records.label is client_card.label is planner.label is vocabulary.label
    assert alerts.label is digest.label is vocabulary.label
    assert not hasattr(base, "word") and not hasattr(base, "_vocabulary")
    own_table = re.compile(
        r'pgettext\("vocabulary"'
        r'|"(negotiation|cross_sell|in_progress|gatekeeper)":\s*N_\("(negotiation|cross|in progress|gatekeeper)'
    )
    for folder in ("commands", "screens", "services"):
        for path in sorted((PACKAGE / folder).glob("*.py")):
            assert not own_table.search(path.read_text(encoding="utf-8")), path


# --- the same words on the command line and on the screen ---------------------------------------------------------


@pytest.fixture
def crowded_client(cli) -> Any:  # type: ignore[no-untyped-def]
    """A client whose card holds one value of most enums: status, role, deal, complaint, note, visit (and a
    contract, whose status only the CLI card shows)."""
    i18n.set_language("en")
    for args in (
        ("client", "add", "Ромашка", "--status", "dormant"),
        ("contact", "add", "ромашка", "Иван Петров", "--role", "gatekeeper"),
        ("contract", "add", "ромашка", "Д-1", "--end", "31.12.2027", "--start", "01.01.2026"),
        ("deal", "add", "ромашка", "Продление", "--kind", "renewal", "--stage", "negotiation"),
        ("complaint", "add", "ромашка", "Бой стекла", "--kind", "claim"),
        ("complaint", "edit", "1", "--status", "in_progress"),
        ("note", "add", "ромашка", "Смотрят на конкурента", "--tag", "competitor"),
        ("plan", "visit", "ромашка", "--at", "02.12.2026 11:00"),  # next week: in the weekly summary's plan
    ):
        done = cli(*args)
        assert done.exit_code == 0, (args, done.output)
    return cli


CARD_WORDS = (
    (ClientStatus, "dormant"),
    (ContactRole, "gatekeeper"),
    (DealKind, "renewal"),
    (DealStage, "negotiation"),
    (ComplaintKind, "claim"),
    (ComplaintStatus, "in_progress"),
    (NoteTag, "competitor"),
    (InteractionKind, "visit"),
)


@pytest.mark.parametrize("language", ["ru", "it", "en"])
def test_the_cli_card_and_the_tui_card_show_the_same_words(
    crowded_client: Any, db_path: Path, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    from amtui.app import AmtuiApp
    from tests.conftest import FROZEN_NOW, ZONE
    from tests.test_tui_i18n import screen_text
    from tests.test_tui_snapshots import settle

    monkeypatch.setenv("AMTUI_LANG", language)
    i18n.set_language(None)
    words = {label(enum, value) for enum, value in CARD_WORDS}
    if language != "en":
        assert not words & {value.replace("_", " ") for _enum, value in CARD_WORDS}  # translated, all of them
    cli_card = crowded_client("client", "show", "ромашка").output
    assert "Traceback" not in cli_card
    on_cli = {word for word in words if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", cli_card)}
    complaint = crowded_client("complaint", "show", "1").output
    assert label(ComplaintKind, "claim") in complaint and label(ComplaintStatus, "in_progress") in complaint
    summary = crowded_client("summary", "week").output
    assert re.search(rf"02\.12\.2026 11:00  {label(InteractionKind, 'visit')} ", summary), summary

    import asyncio

    async def tui_card() -> str:
        app = AmtuiApp(db_url=f"sqlite:///{db_path}", now=FROZEN_NOW, zone=ZONE)
        async with app.run_test(size=(140, 90)) as pilot:
            await settle(pilot)
            app.open_client(1)
            await settle(pilot)
            return screen_text(app)

    tui_text = asyncio.run(tui_card())
    on_tui = {word for word in words if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", tui_text)}
    # Every word on both, not only "the same set": a card that dropped a section would fail here.
    assert on_cli == words, f"missing on the CLI card: {words - on_cli}\n{cli_card}"
    assert on_tui == words, f"missing on the TUI card: {words - on_tui}\n{tui_text}"
