"""User text in the TUI: never parsed as markup, never a raw control character.

Rich's ``Text`` and Textual's ``Content`` already drop five control codes (BEL, BS, VT, FF, CR)
from every string they are built from, through one translation table each. The TUI extends both
tables once at start-up (:func:`neutralise_control_codes`), so every widget, title, toast and
table shows an ESC, a C1 control, a bidi override or a line separator as U+FFFD: a name from an
older database cannot retitle the terminal or clear the screen. Strings that widgets would parse
as markup are given as ``Text`` (or to widgets built with ``markup=False``).
"""

from __future__ import annotations

from typing import cast

from rich.text import Text

from amtui.services.sanitize import REPLACEMENT, safe_display

# Every character sanitize calls unsafe but LF and TAB (BEL, BS, VT, FF, CR stay deleted, as before).
_UNSAFE_CODES = [
    *range(0x00, 0x09),
    *range(0x0B, 0x20),
    *range(0x7F, 0xA0),
    0x2028,
    0x2029,
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
]


def neutralise_control_codes() -> None:
    """Extend rich's and Textual's control-code tables: unsafe characters become U+FFFD."""
    import rich.control
    import textual.content

    for table in (rich.control._CONTROL_STRIP_TRANSLATE, textual.content._CONTROL_STRIP_TRANSLATE):
        mapping = cast(dict[int, str | None], table)  # typed as deletions only; str.translate takes both
        for code in _UNSAFE_CODES:
            mapping.setdefault(code, REPLACEMENT)


def plain(text: str | None, style: str = "") -> Text:
    """``text`` as it is (no markup), one line, control characters shown as U+FFFD."""
    return Text(safe_display(text or "", multiline=False), style=style)
