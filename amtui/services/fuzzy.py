"""Nearest names for a typo: ``рамашка`` -> ООО «Ромашка», ``гормов`` -> Громов.

Both front ends answer "no client matches" with the closest names (rapidfuzz's
weighted ratio over the folded names). A word mixing Latin look-alikes into
Cyrillic (``ромашкa`` with a Latin ``a``) is read in the word's main script first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from amtui.i18n import _
from amtui.services.text import fold

T = TypeVar("T")

# Latin letters that look like Cyrillic ones (and back): a pasted or mistyped letter.
_LATIN_TO_CYRILLIC = str.maketrans("aceopxykmhtb", "асеорхукмнтв")
_CYRILLIC_TO_LATIN = str.maketrans("асеорхукмнтв", "aceopxykmhtb")

# Below this score (0-100) a name is not offered.
CUTOFF = 60.0


def _script_fixed(word: str) -> str:
    """A word written mostly in Cyrillic with a few Latin look-alikes (or the reverse), in one script."""
    cyrillic = sum(1 for ch in word if "\u0400" <= ch <= "\u04ff")
    latin = sum(1 for ch in word if "a" <= ch <= "z")
    if cyrillic and latin:
        return word.translate(_LATIN_TO_CYRILLIC if cyrillic >= latin else _CYRILLIC_TO_LATIN)
    return word


def fix_script(text: str) -> str:
    """The folded text with every mixed-script word written in its main script."""
    return " ".join(_script_fixed(word) for word in fold(text).split())


def nearest(
    text: str, choices: Iterable[tuple[T, str]], *, limit: int = 3, cutoff: float = CUTOFF
) -> list[tuple[T, str]]:
    """The ``limit`` choices ``(key, name)`` whose names are nearest to ``text``, best first."""
    from rapidfuzz import fuzz, process, utils

    query = fix_script(text)
    if not query:
        return []
    items: Sequence[tuple[T, str]] = list(choices)
    folded = [fix_script(name) for _, name in items]
    found = process.extract(
        query, folded, scorer=fuzz.WRatio, processor=utils.default_process, limit=limit, score_cutoff=cutoff
    )
    return [items[index] for _, _, index in found]


def did_you_mean(text: str, names: Iterable[str], *, limit: int = 3) -> str:
    """``"; did you mean: A, B?"`` or "" when nothing is near."""
    found = nearest(text, ((name, name) for name in names), limit=limit)
    return _("; did you mean: {names}?").format(names=", ".join(name for name, _score in found)) if found else ""
