"""Colleagues tasks are delegated to: the distinct assignee names, one person per name.

A colleague is known by name: "Петров" and "Петров (логистика)" are one person (what is
in brackets says which Петров, it is not part of the name), so a new task for "петров"
goes to the name already in use. Names are compared folded (case, ``ё``/``е``, spaces).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from amtui.services.store import store_of
from amtui.services.text import fold
from amtui.vocabulary import TaskStatus

_NOTE_RE = re.compile(r"\s*[(\[].*?[)\]]\s*")


@dataclass(frozen=True, slots=True)
class ColleagueRead:
    name: str  # the name in use: the most used spelling, with its note in brackets
    other_names: tuple[str, ...]  # other spellings found on tasks
    open_tasks: int
    tasks: int


def colleague_key(name: str) -> str:
    """``"Петров (логистика)"`` -> ``"петров"``: the name without notes in brackets, folded."""
    return fold(_NOTE_RE.sub(" ", name)) or fold(name)


def list_colleagues(*, session: Any) -> list[ColleagueRead]:
    """Everyone a task was ever delegated to, one entry per person, by name (``session``: see
    :func:`amtui.services.store.store_of`; ``amtui task add --assignee`` reads it without the ORM)."""
    rows = store_of(session).rows(
        "SELECT assignee, count(*), sum(CASE WHEN status = :open THEN 1 ELSE 0 END) FROM task"
        " WHERE assignee IS NOT NULL GROUP BY assignee",
        {"open": TaskStatus.OPEN.value},
    )
    people: dict[str, list[tuple[str, int, int]]] = {}
    for name, total, still_open in rows:
        people.setdefault(colleague_key(name), []).append((name, int(total), int(still_open or 0)))
    found = []
    for spellings in people.values():
        # The most used spelling; on a tie the longer (it says more: "Петров (логистика)").
        spellings.sort(key=lambda item: (-item[1], -len(item[0]), item[0]))
        found.append(
            ColleagueRead(
                name=spellings[0][0],
                other_names=tuple(name for name, _, _ in spellings[1:]),
                open_tasks=sum(item[2] for item in spellings),
                tasks=sum(item[1] for item in spellings),
            )
        )
    found.sort(key=lambda person: (-person.open_tasks, fold(person.name)))
    return found


def resolve_colleague(*, session: Any, name: str) -> str:
    """The name in use for the person ``name`` means, or ``name`` itself (cleaned) for a new colleague."""
    cleaned = " ".join(name.split())
    key = colleague_key(cleaned)
    for person in list_colleagues(session=session):
        if colleague_key(person.name) == key:
            return person.name
    return cleaned


def complete_colleague(names: list[str], incomplete: str) -> list[str]:
    """Names that start with what was typed (folded), or contain it when none start with it."""
    typed = fold(incomplete)
    starting = [name for name in names if fold(name).startswith(typed)]
    return starting or [name for name in names if typed in fold(name)]
