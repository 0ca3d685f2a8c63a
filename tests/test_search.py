"""Search folds case in every script, unlike SQLite's LIKE."""

from __future__ import annotations

import pytest

from amtui.services import clients, contacts
from amtui.services.search import search
from amtui.services.text import fold, name_key


@pytest.fixture
def portfolio(session):  # type: ignore[no-untyped-def]
    romashka = clients.create_client(session=session, name="ООО «Ромашка»", tax_id="7707083893")
    clients.create_client(session=session, name="Müller Straße GmbH", city="Berlin")
    clients.create_client(session=session, name="Ёлки-Палки")
    contacts.create_contact(
        session=session, client_id=romashka.id, full_name="Иванов Иван Петрович", emails=["Ivanov@Romashka.ru"],
        phones=["+7 (916) 123-45-67"],
    )  # fmt: skip
    contacts.create_contact(session=session, client_id=romashka.id, full_name="Иванова Мария")
    session.flush()
    return session


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("иванов иван", "Иванов Иван Петрович"),
        ("ИВАНОВ ИВАН", "Иванов Иван Петрович"),
        ("ромашка", "ООО «Ромашка»"),
        ('ООО "ромашка"', "ООО «Ромашка»"),
        ("STRASSE", "Müller Straße GmbH"),
        ("straße", "Müller Straße GmbH"),
        ("strasse", "Müller Straße GmbH"),
        ("MÜLLER", "Müller Straße GmbH"),
        ("елки", "Ёлки-Палки"),
        ("7707083893", "ООО «Ромашка»"),
        ("ivanov@romashka", "Иванов Иван Петрович"),
        ("9161234567", "Иванов Иван Петрович"),
    ],
)
def test_search_finds_across_scripts_and_cases(portfolio, query: str, label: str) -> None:  # type: ignore[no-untyped-def]
    labels = [hit.label for hit in search(session=portfolio, text=query)]
    assert label in labels


def test_every_word_must_match(portfolio) -> None:  # type: ignore[no-untyped-def]
    labels = {hit.label for hit in search(session=portfolio, text="иванов")}
    assert labels == {"Иванов Иван Петрович", "Иванова Мария"}
    assert [hit.label for hit in search(session=portfolio, text="иванова мария")] == ["Иванова Мария"]
    assert search(session=portfolio, text="   ") == []


def test_like_wildcards_are_literal(portfolio) -> None:  # type: ignore[no-untyped-def]
    assert search(session=portfolio, text="%") == []
    assert search(session=portfolio, text="_") == []


def test_sqlite_like_alone_would_miss_cyrillic(portfolio) -> None:  # type: ignore[no-untyped-def]
    """Why the folded column exists: SQLite folds ASCII only."""
    from sqlalchemy import text

    hits = portfolio.execute(text("SELECT count(*) FROM contact WHERE full_name LIKE '%иванов%'")).scalar()
    assert hits == 0
    assert len(search(session=portfolio, text="иванов")) == 2


def test_fold_and_name_key() -> None:
    assert fold("  ООО  «Ромашка» ") == 'ооо "ромашка"'
    assert fold("Straße") == fold("STRASSE") == "strasse"
    assert name_key("ООО «Ромашка»") == name_key("Ромашка") == "ромашка"
    assert name_key("Northwind Traders Ltd.") == "northwind traders"


def test_search_reads_real_columns_and_the_same_through_a_connection(portfolio) -> None:  # type: ignore[no-untyped-def]
    """Search reads through Core views (no SQLModel import for `amtui search`): each names a real column,
    and a plain Connection finds what the Session finds."""
    from sqlmodel import SQLModel

    import amtui.models  # noqa: F401  (registers every table)
    from amtui.services.search import COLUMNS_READ

    for view in COLUMNS_READ:
        table = SQLModel.metadata.tables[view.name]
        for column in view.columns:
            assert column.name in table.c, f"{view.name}.{column.name} is not a column of the model"
            assert column.type._type_affinity is table.c[column.name].type._type_affinity, view.name
    for query in ("иванов", "ромашка", "916 123"):
        assert search(session=portfolio.connection(), text=query) == search(session=portfolio, text=query)
