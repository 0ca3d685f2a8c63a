"""A read-only table that renders only the rows on screen (Textual's Line API).

Textual's DataTable measures every cell it is given and renders each visible cell
through Rich's full render pipeline; with 2,000 clients a search keystroke spent
~60 ms there. This table has fixed column widths (nothing to measure), keeps the
caller's list as is and turns an item into cells only when its line is drawn, so
replacing 2,000 rows costs nothing until the ~30 visible lines are painted.

Keys and messages follow DataTable's (enter selects, arrows/page keys move the
cursor, a click on a header asks to sort by that column).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip

from amtui.i18n import N_, _
from amtui.services.sanitize import safe_display

Cell = str | Text
# An item of the caller's list becomes a row (its key and its cells) only when it is drawn.
RowMaker = Callable[[Any], tuple[str, Sequence[Cell]]]
CELL_PADDING = 1
PAD = " " * CELL_PADDING
PLAIN, EVEN, CURSOR = 0, 1, 2  # how a line is drawn: a plain row, an even row (zebra), the cursor's
MAX_KEPT = 4096  # lines kept across set_rows(reuse=True): a few screens' worth of every variant


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    width: int
    justify: str = "left"  # "right" for amounts
    # On a narrow terminal a column first shrinks to ``narrow`` (0: never), then the columns with
    # the highest ``drop`` go (0: never dropped), so that what matters is never cut off the edge.
    narrow: int = 0
    drop: int = 0


class FastTable(ScrollView, can_focus=True):
    """Rows from ``set_rows(items, make_row)``; the header line stays on top while scrolling."""

    DEFAULT_CSS = """
    FastTable {
        background: $surface;
        color: $foreground;
        height: 1fr;
        &:focus {
            background-tint: $foreground 5%;
            & > .fast-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .fast-table--header { background-tint: $foreground 5%; }
        }
        &:dark > .fast-table--even-row { background: $surface-darken-1 40%; }
        & > .fast-table--header { text-style: bold; background: $panel; color: $foreground; }
        &:ansi > .fast-table--header { background: ansi_bright_blue; color: ansi_default; }
        & > .fast-table--even-row { background: $surface-lighten-1 50%; }
        & > .fast-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"fast-table--header", "fast-table--cursor", "fast-table--even-row"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", N_("Select"), show=False, id="table.select-cursor"),
        Binding("up", "cursor_up", N_("Cursor up"), show=False, id="table.cursor-up"),
        Binding("down", "cursor_down", N_("Cursor down"), show=False, id="table.cursor-down"),
        Binding("pageup", "page_up", N_("Page up"), show=False, id="table.page-up"),
        Binding("pagedown", "page_down", N_("Page down"), show=False, id="table.page-down"),
        Binding("home", "first", N_("First row"), show=False, id="table.first"),
        Binding("end", "last", N_("Last row"), show=False, id="table.last"),
    ]

    cursor_row: reactive[int] = reactive(0, always_update=False, repaint=False, init=False)
    zebra_stripes: reactive[bool] = reactive(True)

    class RowHighlighted(Message):
        def __init__(self, table: FastTable, cursor_row: int, row_key: str | None) -> None:
            super().__init__()
            self.table, self.cursor_row, self.row_key = table, cursor_row, row_key

        @property
        def control(self) -> FastTable:
            return self.table

    class RowSelected(RowHighlighted):
        pass

    class HeaderSelected(Message):
        def __init__(self, table: FastTable, column_key: str, column_index: int) -> None:
            super().__init__()
            self.table, self.column_key, self.column_index = table, column_key, column_index

        @property
        def control(self) -> FastTable:
            return self.table

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        zebra_stripes: bool = True,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.all_columns = tuple(columns)
        # What the current width shows: the columns and, for each, its index among all the cells.
        self.columns = self.all_columns
        self._shown: tuple[int, ...] = tuple(range(len(columns)))
        self.set_reactive(FastTable.zebra_stripes, zebra_stripes)
        self._items: Sequence[Any] = ()
        self._make_row: RowMaker = _as_row
        # Made rows and drawn lines, by the item's identity (the item is kept beside them, so that an id
        # reused by a new object never finds them): a list filtered again (set_rows(reuse=True)) draws
        # the rows it showed before at no cost. A line is drawn plain, as an even row or under the cursor.
        self._rows: dict[int, tuple[Any, tuple[str, Sequence[Cell]]]] = {}
        self._lines: dict[tuple[int, int], tuple[Any, Strip]] = {}
        self._header: Strip | None = None
        self._rich_style: Style | None = None  # the widget's own style, worked out once per style change
        # (row style, cursor style) -> for each shown column, a cell's style -> the style it is drawn in.
        self._cell_styles: dict[tuple[Style, Style | None], list[dict[Any, Style]]] = {}
        self._column_meta = [Style.from_meta({"column": index}) for index in range(len(self.columns))]
        self._total_width = sum(column.width + 2 * CELL_PADDING for column in self.columns)
        self.virtual_size = Size(self._total_width, 1)

    # Narrow terminals

    def fit(self, width: int) -> None:
        """Show the columns that fit ``width`` cells: narrow columns shrink first, then low-priority ones go."""
        columns = list(self.all_columns)
        shown = list(range(len(columns)))

        def total() -> int:
            return sum(columns[index].width + 2 * CELL_PADDING for index in shown)

        for index, column in enumerate(columns):  # shrink just enough, first columns first
            excess = total() - width
            if excess <= 0:
                break
            if column.narrow and column.narrow < column.width:
                narrower = max(column.narrow, column.width - excess)
                columns[index] = Column(column.key, column.label, narrower, column.justify, 0, column.drop)
        for index in sorted((i for i, c in enumerate(columns) if c.drop), key=lambda i: -columns[i].drop):
            if total() <= width:
                break
            shown.remove(index)
        fitted = tuple(columns[index] for index in shown)
        if fitted == self.columns:
            return
        self.columns, self._shown = fitted, tuple(shown)
        self._total_width = total()
        self.virtual_size = Size(self._total_width, len(self._items) + 1)
        self._lines.clear()
        self._header = None
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        # A vertical scrollbar may take its width from the content: leave room for it.
        self.fit(event.size.width - self.styles.scrollbar_size_vertical)

    @property
    def hidden_columns(self) -> list[str]:
        """Labels of the columns the width leaves out (the screen may say so)."""
        return [column.label for column in self.all_columns if column.key not in {c.key for c in self.columns}]

    # Data

    def set_rows(self, items: Sequence[Any], make_row: RowMaker | None = None, *, reuse: bool = False) -> None:
        """Show ``items`` (kept by reference: do not change the list afterwards); cursor to the top.

        ``reuse``: the items are (some of) the objects shown before, made into the same rows (a list
        filtered or sorted again): the rows and lines already made for them are kept, and only the
        lines that now show another item are drawn again."""
        old, old_cursor, old_top = self._items, self.cursor_row, round(self.scroll_y)
        self._items = items
        if make_row is not None:
            self._make_row = make_row
        if not reuse or len(self._lines) > MAX_KEPT:
            self._rows.clear()
            self._lines.clear()
        self._set_rows_height(len(items))
        self.set_reactive(FastTable.cursor_row, 0)
        self.scroll_to(y=0, animate=False, immediate=True)
        if reuse and old_cursor == 0 and old_top == 0:
            # The top of the list often stays as it was while a search narrows it: those lines (each
            # one a pass through Textual's styles and compositor) are not drawn again.
            for index in range(min(max(len(old), len(items)), self.scrollable_content_region.height - 1)):
                if (old[index] if index < len(old) else None) is not (items[index] if index < len(items) else None):
                    self.refresh_line(index + 1)
        else:
            self.refresh()
        if items:
            self.post_message(self.RowHighlighted(self, 0, self.row_key(0)))

    def _set_rows_height(self, rows: int) -> None:
        """The virtual size for ``rows``, without laying the screen out when the scrollbars stay as they
        are: a virtual size is a reactive that arranges every widget again (and a second frame follows
        for the widgets whose updates came after the layout's), while a table of fixed height only
        scrolls further. A scrollbar shown or hidden still lays the screen out (_scroll_update sets
        show_vertical_scrollbar, a layout reactive)."""
        size = Size(self._total_width, rows + 1)
        if size == self.virtual_size:
            return
        if self.styles.auto_dimensions or not self.container_size:  # the rows decide its size / not laid out yet
            self.virtual_size = size
            return
        bar, old = self._vertical_scrollbar, self.virtual_size.height
        self.set_reactive(FastTable.virtual_size, size)
        if bar is not None and self.show_vertical_scrollbar and bar.position == 0:
            window, height = bar.window_size, bar.size.height
            if 0 < window * height <= min(old, size.height) and window < min(old, size.height):
                # The thumb stays one cell at the top (Textual's ScrollBarRender: max(1, window * height /
                # rows) cells), the bar stays shown: it is not drawn again (a pass through Rich for each of
                # its lines, ~3 ms a key at 20,000 clients), only told the new size, for dragging.
                bar.set_reactive(ScrollBar.window_virtual_size, size.height)
                return
        self._scroll_update(size)

    def restore_cursor(self, key: str | None, row: int = 0) -> None:
        """Put the cursor back on the row ``key`` (after new rows came), else on ``row``."""
        if not self._items:
            return
        if key is not None:
            with suppress(KeyError):
                self.move_cursor(row=self.get_row_index(key))
                return
        self.move_cursor(row=min(row, len(self._items) - 1))

    @property
    def items(self) -> Sequence[Any]:
        """The list given to set_rows (what the table shows)."""
        return self._items

    @property
    def row_count(self) -> int:
        return len(self._items)

    def row(self, index: int) -> tuple[str, Sequence[Cell]]:
        item = self._items[index]
        found = self._rows.get(id(item))
        if found is None or found[0] is not item:
            found = self._rows[id(item)] = (item, self._make_row(item))
        return found[1]

    def row_key(self, index: int) -> str | None:
        return self.row(index)[0] if 0 <= index < len(self._items) else None

    def get_row_at(self, index: int) -> list[Cell]:
        return list(self.row(index)[1])

    def get_row_index(self, key: str) -> int:
        for index in range(len(self._items)):
            if self.row(index)[0] == key:
                return index
        raise KeyError(key)

    @property
    def cursor_key(self) -> str | None:
        return self.row_key(self.cursor_row)

    # Cursor

    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, len(self._items) - 1))

    def watch_cursor_row(self, old: int, new: int) -> None:
        if 0 <= old < len(self._items):
            self._lines.pop((id(self._items[old]), CURSOR), None)
        self.refresh_line(old + 1)
        self.refresh_line(new + 1)
        self._scroll_cursor_into_view()
        self.post_message(self.RowHighlighted(self, new, self.row_key(new)))

    def move_cursor(self, *, row: int) -> None:
        self.cursor_row = row

    def _scroll_cursor_into_view(self) -> None:
        rows_visible = max(self.scrollable_content_region.height - 1, 1)
        top = round(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + rows_visible:
            self.scroll_to(y=self.cursor_row - rows_visible + 1, animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        self.cursor_row -= 1

    def action_cursor_down(self) -> None:
        self.cursor_row += 1

    def action_page_up(self) -> None:
        self.cursor_row -= max(self.scrollable_content_region.height - 2, 1)

    def action_page_down(self) -> None:
        self.cursor_row += max(self.scrollable_content_region.height - 2, 1)

    def action_first(self) -> None:
        self.cursor_row = 0

    def action_last(self) -> None:
        self.cursor_row = len(self._items) - 1

    def action_select_cursor(self) -> None:
        if self._items:
            self.post_message(self.RowSelected(self, self.cursor_row, self.cursor_key))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            x = offset.x + round(self.scroll_x)
            for index, column in enumerate(self.columns):
                x -= column.width + 2 * CELL_PADDING
                if x < 0:
                    self.post_message(self.HeaderSelected(self, column.key, index))
                    break
            return
        index = offset.y - 1 + round(self.scroll_y)
        if 0 <= index < len(self._items):
            self.cursor_row = index
            self.action_select_cursor()

    # Rendering

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()
        self._header = None
        self._rich_style = None
        self._cell_styles.clear()

    def watch_zebra_stripes(self) -> None:
        self._lines.clear()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_x = round(self.scroll_x)
        base = self._rich_style
        if base is None:
            base = self._rich_style = self.rich_style
        if y == 0:
            if self._header is None:
                style = self.get_component_rich_style("fast-table--header")
                labels: list[Cell] = [Text(_(column.label) if column.label else "") for column in self.all_columns]
                self._header = self._strip(labels, style)
            return self._header.crop_extend(scroll_x, scroll_x + width, base)
        index = y - 1 + round(self.scroll_y)
        if index >= len(self._items):
            return Strip.blank(width, base)
        item = self._items[index]
        kind = CURSOR if index == self.cursor_row else EVEN if self.zebra_stripes and index % 2 == 1 else PLAIN
        kept = self._lines.get((id(item), kind))
        if kept is not None and kept[0] is item:
            line = kept[1]
        else:
            if kind == CURSOR:
                style = base + self.get_component_rich_style("fast-table--cursor")
                line = self._strip(self.row(index)[1], Style(), style)
            elif kind == EVEN:
                line = self._strip(self.row(index)[1], base + self.get_component_rich_style("fast-table--even-row"))
            else:
                line = self._strip(self.row(index)[1], base)
            self._lines[(id(item), kind)] = (item, line)
        return line.crop_extend(scroll_x, scroll_x + width, base)

    def _strip(self, cells: Sequence[Cell], style: Style, over: Style | None = None) -> Strip:
        """One line: each cell cut or padded to its column; ``over`` (the cursor) wins over cell colours."""
        segments: list[Segment] = []
        if len(self._shown) < len(self.all_columns):
            cells = [cells[index] for index in self._shown if index < len(cells)]
        drawn = self._cell_styles.get((style, over))
        if drawn is None:
            drawn = self._cell_styles[(style, over)] = [{} for _ in self._column_meta]
        for column, cell, meta, styles in zip(self.columns, cells, self._column_meta, drawn, strict=False):
            if not isinstance(cell, str) and cell.spans:
                # The column in each cell's style (as DataTable does) keeps cells apart when the screen is
                # exported as SVG, so each is placed at its own column.
                segments.extend(Segment.apply_style(Segment.apply_style(self._cell(cell, column), meta), style, over))
                continue
            # The common case, one style for the whole cell: the styles a cell is drawn in are worked out
            # once (as Segment.apply_style would, then simplify()); no Rich render pass.
            raw = None if isinstance(cell, str) else cell.style
            pad_style = styles.get(None)
            if pad_style is None:
                pad_style = styles[None] = _drawn_style(style, meta, None, over)
            text_style = styles.get(raw)
            if text_style is None:
                cell_style = (Style.parse(raw) if raw else None) if isinstance(raw, str) else raw
                text_style = _drawn_style(style, meta, cell_style, over)
                styles[raw] = text_style = pad_style if text_style == pad_style else text_style
            plain = self._fit(cell if isinstance(cell, str) else cell.plain, column, cell)
            if text_style is pad_style:  # one segment, as simplify() would join them
                segments.append(Segment(PAD + plain + PAD, pad_style))
            else:
                segments += (Segment(PAD, pad_style), Segment(plain, text_style), Segment(PAD, pad_style))
        return Strip(Segment.simplify(segments), self._total_width)

    @staticmethod
    def _fit(plain: str, column: Column, cell: Cell) -> str:
        """A one-style cell's text cut or padded to the column's width."""
        width = column.width
        # A cell is one line of text as it is: no line break, no control character (U+FFFD).
        plain = safe_display(plain.replace("\n", " "), multiline=False)
        length = cell_len(plain)
        if length > width:
            plain, length = set_cell_size(plain, width - 1) + "…", width
        right = column.justify == "right" or (isinstance(cell, Text) and cell.justify == "right")
        return " " * (width - length) + plain if right else plain + " " * (width - length)

    def _cell(self, cell: Text, column: Column) -> list[Segment]:
        """A cell of several styles (spans), through Rich's render."""
        width = column.width
        text = cell.copy()
        text.no_wrap = True
        text.truncate(width, overflow="ellipsis")
        if column.justify == "right" or text.justify == "right":
            text.pad_left(width - text.cell_len)
        else:
            text.pad_right(width - text.cell_len)
        return [Segment(PAD), *text.render(self.app.console), Segment(PAD)]


def _drawn_style(style: Style, meta: Style, cell_style: Style | None, over: Style | None) -> Style:
    """What Segment.apply_style(apply_style([cell], meta), style, over) gives a segment of ``cell_style``."""
    drawn = meta + cell_style
    if style:
        drawn = style + drawn
    if over:
        drawn = drawn + over if drawn else over
    return drawn


def _as_row(item: Any) -> tuple[str, Sequence[Cell]]:
    key, cells = item
    return str(key), cells
