"""A DataTable whose header keeps up with its columns after the rows are refilled.

DataTable measures new rows only when it is idle. A frame drawn between the refill and
that measurement renders the header at the old column widths and caches it under a key
the measurement does not change, so the header stayed misaligned with its rows until
something else cleared the caches (the client card's snapshot caught it in about one
run in five). This table redraws once more after each measurement. It touches
DataTable's private caches: textual is pinned (8.2.8) and the card snapshot guards it.
"""

from __future__ import annotations

from textual.widgets import DataTable


class SettledTable(DataTable):  # type: ignore[type-arg]
    def on_idle(self) -> None:
        # Runs before DataTable's own idle handler (subclass first): redraw after it has measured.
        if self._require_update_dimensions or self._updated_cells:
            self.call_later(self._redraw)

    def _redraw(self) -> None:
        self._clear_caches()
        self.refresh()
