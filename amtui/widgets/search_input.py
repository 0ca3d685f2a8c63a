"""An Input whose typing never lays the screen out again.

Textual's Input sets its virtual size to the width of its text on every change, and a virtual size
is a reactive that lays the whole screen out (every widget arranged again, then a second frame for
the widgets whose updates came after the layout's). The input's height is fixed and its width
only scrolls its text, so the new size is set without the layout: the keystroke's frame repaints
the input and what the change redrew, nothing else (Clients' search box, ~5 ms a key at 20,000
clients). Relies on Input._watch_value (textual is pinned), checked by tests/test_tui_clients_first.py.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.widgets import Input

from amtui.widgets.keys_in_order import OrderedInput


class SearchInput(OrderedInput):
    def _watch_value(self, value: str) -> None:
        size = Size(self.content_width, 1)
        if size != self.virtual_size and not self.styles.auto_dimensions:
            self.set_reactive(Input.virtual_size, size)  # Input's own watcher then finds it unchanged
        super()._watch_value(value)
