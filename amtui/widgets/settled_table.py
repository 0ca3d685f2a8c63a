"""A DataTable whose header keeps up with its columns after the rows are refilled.

DataTable measures new rows only when it is idle. A frame drawn between the refill and
that measurement renders the header at the old column widths and caches it under a key
the measurement does not change, so the header stayed misaligned with its rows until
something else cleared the caches (the client card's snapshot caught it in about one
run in five). This table redraws once more after the measurement that follows a change,
through public methods only (``notify_style_update`` drops the rendered-line caches).

A ``str`` cell is shown as it is: DataTable would parse it as markup, and a task "Fix [/] bracket"
crashed the client card. Every cell this table is given as ``str`` becomes a ``Text``, with any
control character an older database holds shown as U+FFFD.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from amtui.services.sanitize import safe_display


def _plain(cell: Any) -> Any:
    return Text(safe_display(cell)) if isinstance(cell, str) else cell


class SettledTable(DataTable):  # type: ignore[type-arg]
    _unsettled = False

    def add_column(self, *args: Any, **kwargs: Any) -> Any:
        self._unsettled = True
        return super().add_column(*args, **kwargs)

    def add_row(self, *cells: Any, **kwargs: Any) -> Any:
        self._unsettled = True
        return super().add_row(*map(_plain, cells), **kwargs)

    def add_rows(self, rows: Iterable[Iterable[Any]]) -> Any:
        self._unsettled = True
        return super().add_rows([[_plain(cell) for cell in row] for row in rows])

    def clear(self, *args: Any, **kwargs: Any) -> Any:
        self._unsettled = True
        return super().clear(*args, **kwargs)

    def update_cell(self, row_key: Any, column_key: Any, value: Any, **kwargs: Any) -> None:
        self._unsettled = True
        super().update_cell(row_key, column_key, _plain(value), **kwargs)

    def update_cell_at(self, coordinate: Any, value: Any, **kwargs: Any) -> None:
        self._unsettled = True
        super().update_cell_at(coordinate, _plain(value), **kwargs)

    def on_idle(self) -> None:
        # Runs before DataTable's own idle handler (subclass first): redraw after it has measured.
        if self._unsettled:
            self._unsettled = False
            self.call_later(self._redraw)

    def _redraw(self) -> None:
        self.notify_style_update()
        self.refresh()
