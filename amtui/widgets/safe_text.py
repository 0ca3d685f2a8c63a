"""User text in the TUI: never parsed as markup, never a raw control character.

Two layers, both through Textual's public API:

* User text is made safe before it becomes a ``Text`` or ``Content``: :func:`plain` (one line,
  every unsafe character shown as U+FFFD), the tables' cells (widgets/settled_table.py,
  widgets/fast_table.py), the header's title (``AmtuiApp.format_title``) and every toast
  (``AmtuiApp.notify``). Strings that widgets would parse as markup are given as ``Text`` (or to
  widgets built with ``markup=False``).
* A line filter (:class:`ControlCodeFilter`, returned by ``AmtuiApp.get_line_filters``) looks at every
  line every widget renders and drops whatever unsafe character is still there (text a screen
  shows by another path): nothing reaches the terminal that could retitle it or clear the screen.
  The characters it drops take no cell, so the layout does not move.
"""

from __future__ import annotations

import re

from rich.segment import Segment
from rich.text import Text
from textual.color import Color
from textual.filter import LineFilter

from amtui.services.sanitize import safe_display

# Everything services.sanitize calls unsafe but LF and TAB (which a widget lays out itself).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


class ControlCodeFilter(LineFilter):
    """Drop control characters, bidi controls and line separators from rendered lines.

    Each of them is zero cells wide for Rich and Textual, so dropping one keeps the line's width."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        del background
        if not any(_UNSAFE.search(segment.text) for segment in segments):
            return segments
        return [
            Segment(_UNSAFE.sub("", text), style, control) if not control and _UNSAFE.search(text) else segment
            for segment in segments
            for text, style, control in (segment,)
        ]


def plain(text: str | None, style: str = "") -> Text:
    """``text`` as it is (no markup), one line, control characters shown as U+FFFD."""
    return Text(safe_display(text or "", multiline=False), style=style)
