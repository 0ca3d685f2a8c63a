"""A DataTable whose header keeps up with its columns after the rows are refilled.

DataTable measures new rows only when it is idle. A frame drawn between the refill and
that measurement renders the header at the old column widths and caches it under a key
the measurement does not change, so the header stayed misaligned with its rows until
something else cleared the caches (the client card's snapshot caught it in about one
run in five). This table redraws once more after the measurement that follows a change,
through public methods only (``notify_style_update`` drops the rendered-line caches).
"""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable


class SettledTable(DataTable):  # type: ignore[type-arg]
    _unsettled = False

    def add_column(self, *args: Any, **kwargs: Any) -> Any:
        self._unsettled = True
        return super().add_column(*args, **kwargs)

    def add_row(self, *args: Any, **kwargs: Any) -> Any:
        self._unsettled = True
        return super().add_row(*args, **kwargs)

    def add_rows(self, *args: Any, **kwargs: Any) -> Any:
        self._unsettled = True
        return super().add_rows(*args, **kwargs)

    def clear(self, *args: Any, **kwargs: Any) -> Any:
        self._unsettled = True
        return super().clear(*args, **kwargs)

    def update_cell(self, *args: Any, **kwargs: Any) -> None:
        self._unsettled = True
        super().update_cell(*args, **kwargs)

    def update_cell_at(self, *args: Any, **kwargs: Any) -> None:
        self._unsettled = True
        super().update_cell_at(*args, **kwargs)

    def on_idle(self) -> None:
        # Runs before DataTable's own idle handler (subclass first): redraw after it has measured.
        if self._unsettled:
            self._unsettled = False
            self.call_later(self._redraw)

    def _redraw(self) -> None:
        self.notify_style_update()
        self.refresh()
