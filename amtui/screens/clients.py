"""Clients: the portfolio as a table with search-as-you-type, filters and sorting."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date
from itertools import compress, repeat
from operator import and_, attrgetter, contains, or_
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Header, Input, Select, Static
from textual.worker import get_current_worker

from amtui.i18n import N_, _
from amtui.screens.base import DbDone, DbFailed, DbMixin, QuickResume, ReloadsWhenStale, local, money
from amtui.vocabulary import ClientStatus, choices, label
from amtui.widgets.fast_table import Cell, Column, FastTable
from amtui.widgets.footer import StableFooter
from amtui.widgets.search_input import SearchInput

if TYPE_CHECKING:
    from amtui.services.schemas import ClientSummary
    from amtui.services.workspace import Workspace

# Fixed widths: the table never measures cells; amounts are right-aligned.
COLUMNS: tuple[Column, ...] = (
    Column("name", N_("Name"), 26, narrow=18),
    Column("tier", N_("Tier"), 4),
    Column("status", N_("Status"), 8, drop=2),
    Column("city", N_("City"), 10, narrow=8, drop=1),
    Column("last", N_("Last"), 8),
    Column("due", N_("Due in"), 6, justify="right"),
    Column("receivables", N_("Receivables"), 17, justify="right"),
    Column("deals", N_("Deals"), 5, justify="right"),
)
FAR_FUTURE = date(9999, 12, 31)
# The clients are kept in the name order (the stored folded name, then the id: the name index's order,
# so the first rows can be read first); a stable sort on another column keeps that order for ties.
SORT_KEYS: dict[str, Callable[[ClientSummary], Any] | None] = {
    "name": None,
    "tier": lambda c: c.tier,
    "status": lambda c: c.status,
    "city": lambda c: (c.city or "").casefold(),
    "last": lambda c: c.last_touch_at.timestamp() if c.last_touch_at else 0.0,
    "due": lambda c: c.next_contact_due or FAR_FUTURE,
    "receivables": lambda c: c.receivables_minor,
    "deals": lambda c: c.open_deals,
}
TIERS = [(N_("Tier A"), "A"), (N_("Tier B"), "B"), (N_("Tier C"), "C")]
# Read first on the first visit, before the whole portfolio: more rows than a tall terminal shows.
FIRST_ROWS = 120
KEPT_QUERIES = 16  # answers of the search box's last queries kept (each up to two lists of every client)


class ClientsScreen(QuickResume, ReloadsWhenStale, DbMixin, Screen):
    CSS_PATH = Path(__file__).with_suffix(".tcss")
    heap_frozen: ClassVar[bool] = False  # the objects loaded by the first whole portfolio (see loaded())
    SEARCH_PAUSE = 0.25  # seconds the database search waits, so that a keystroke's frame comes first
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", N_("Search"), key_display="/", id="clients.search"),
        Binding("enter", "open", N_("Open card"), show=False, id="clients.open"),
        Binding("s", "sort", N_("Sort"), id="clients.sort"),
        Binding("S", "reverse", N_("Reverse"), key_display="S", id="clients.reverse"),
        Binding("a", "add_client", N_("Add client"), id="clients.add-client"),
        Binding("n", "new_call", N_("Call"), id="clients.new-call"),
        Binding("v", "new_visit", N_("Visit"), id="clients.new-visit"),
        Binding("escape", "back", N_("Back/clear"), show=False, id="clients.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.clients: list[ClientSummary] = []
        self.folded: list[str] = []
        self.shown: list[ClientSummary] = []
        self.sort_column = "name"
        self.sort_reverse = False
        self.today = date.today()
        self.has_loaded = False
        # Clients found through their people, phones, e-mails or tax id: id -> what matched.
        self.found_query = ""
        self.found: dict[int, str] = {}
        self.applied: tuple[str | None, ...] = (None, None, None)
        self.searching = False
        # The rows to show are new objects, or today changed: the table makes their rows afresh.
        self.new_rows = True
        # The clients (and their keys) each of the last queries' words found: see _word_matches().
        self.matched: dict[tuple[str, ...], tuple[list[ClientSummary], list[str]]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="clients-filters"):
            yield SearchInput(placeholder=_("Name, person, phone, e-mail, INN…"), id="clients-search")
            yield Select([(_(name), value) for name, value in TIERS], prompt=_("Tier"), id="clients-tier")
            yield Select(choices(ClientStatus), prompt=_("Status"), id="clients-status")
            yield Select([], prompt=_("Segment"), id="clients-segment")
        yield Static("", id="clients-empty", markup=False)
        yield FastTable(COLUMNS, id="clients-table")
        yield Static(_("Loading…"), id="clients-status-line")
        yield StableFooter()

    def on_mount(self) -> None:
        self.sub_title = _("Clients")
        # The rows are filtered as the value changes, before the input's Changed message makes its way
        # to the screen: the frame that echoes the key shows the filtered rows too (the message came
        # after a frame was drawn for the echo alone, and the rows waited for the next one).
        self.watch(self.query_one("#clients-search", Input), "value", self.search_typed, init=False)
        self.query_one("#clients-table", FastTable).focus()

    def reload(self) -> None:
        if self.has_loaded:
            self.load("clients", self._read_all)
        else:  # the first visit: the rows a user sees first, then the whole portfolio
            self._first_visit(self.workspace.version)

    @work(thread=True, group="load", exclusive=True)
    def _first_visit(self, version: int) -> None:
        """The first rows in the name order (read for them alone, ~10 ms at any size) shown while the
        whole portfolio (~0.3 s at 20,000 clients) is read, in the same worker, one after the other."""
        self._finish("clients-first", lambda ws: (ws.first_clients(FIRST_ROWS), ws.today()), "", -1)
        if not get_current_worker().is_cancelled:
            self._finish("clients", self._read_all, "", version)

    @classmethod
    def _read_all(cls, workspace: Workspace) -> tuple[list[ClientSummary], date, list[str]]:
        """In the worker: the whole portfolio in the name order, and its search keys."""
        clients = workspace.client_list()
        clients.sort(key=attrgetter("id"))  # ties of the name: by id (two stable sorts, no key tuples)
        clients.sort(key=attrgetter("name_folded"))
        return clients, workspace.today(), cls._search_keys(clients)

    @on(DbDone)
    def done(self, message: DbDone) -> None:
        if message.request == "search":
            query, hits = message.result
            self.searching = False
            if query != self.query_one("#clients-search", Input).value:
                self.start_search()  # typed on meanwhile: search what is there now
                return
            self.found_query = query
            self.found = {}
            for hit in hits:
                if hit.client_id is not None and (hit.kind == "contact" or hit.matched != "name"):
                    self.found.setdefault(hit.client_id, hit.sentence)
            self.refilter()
            return
        if message.request == "clients-first":
            self.first_loaded(message.result)
            return
        self.loaded(message.result)

    @on(DbFailed)
    def failed(self, message: DbFailed) -> None:
        if message.request == "search":  # the in-memory filter still stands
            self.searching = False
            message.prevent_default()

    def start_search(self) -> None:
        """One database search at a time (never cancelled): the next one starts when it answers."""
        query = self.query_one("#clients-search", Input).value
        if not self.searching and len(query.strip()) >= 3:
            self.searching = True
            self.search_database(query)

    @work(thread=True, group="search")
    def search_database(self, query: str) -> None:
        """People, phones in any formatting, e-mails and tax ids: the workspace's search, off the UI thread."""
        # The keystroke's filtered rows are drawn first: a search started at once held the GIL while the
        # frame was made (70 ms a keystroke on the large demo, 40 without). Keys typed meanwhile only
        # filter; the search that follows this one takes the latest text (done()).
        time.sleep(self.SEARCH_PAUSE)
        self._finish("search", lambda ws: (query, ws.search(query, limit=200)), "", -1)

    def first_loaded(self, result: tuple[list[ClientSummary] | None, date]) -> None:
        """The first rows, until the whole portfolio arrives: the status line keeps saying "Loading…"."""
        clients, today = result
        if self.has_loaded or not clients:  # the whole list came first (kept by the workspace)
            return
        self.clients, self.today = clients, today
        self.folded = self._search_keys(clients)
        self.new_rows = True
        self.matched.clear()
        self.refilter()

    @staticmethod
    def _search_keys(clients: list[ClientSummary]) -> list[str]:
        """What the search box matches: the stored folded name, city and segment (each city and segment
        folded once: a portfolio repeats them)."""
        from amtui.services.text import fold

        folded: dict[str | None, str] = {None: ""}
        keys = []
        for client in clients:
            city, segment = client.city, client.segment
            city_key = folded.get(city)
            if city_key is None:
                city_key = folded[city] = fold(city)
            segment_key = folded.get(segment)
            if segment_key is None:
                segment_key = folded[segment] = fold(segment)
            name_key = client.name_folded or fold(client.name)
            keys.append(" ".join(part for part in (name_key, city_key, segment_key) if part))
        return keys

    def loaded(self, result: tuple[list[ClientSummary], date, list[str]]) -> None:
        clients, today, keys = result
        if self.has_loaded and clients == self.clients and today == self.today:
            return
        self.has_loaded = True
        self.clients, self.today, self.folded = clients, today, keys
        self.new_rows = True
        self.matched.clear()
        segments = sorted({c.segment for c in clients if c.segment})
        select: Select[str] = self.query_one("#clients-segment", Select)
        current = select.value
        select.set_options([(Text(s), s) for s in segments])  # a segment is not markup
        if current in segments:
            select.value = current
        table = self.query_one("#clients-table", FastTable)
        cursor, cursor_key = table.cursor_row, table.cursor_key
        self.refilter()
        # New data (another program wrote, or the whole list after the first rows): the same client stays
        # under the cursor, found by id (the table would make every row's cells on its way to it).
        wanted = int(cursor_key) if cursor_key else None
        index = next((i for i, client in enumerate(self.shown) if client.id == wanted), None)
        if index is None:
            table.restore_cursor(None, cursor)
        else:
            table.move_cursor(row=index)
        if not ClientsScreen.heap_frozen:
            # Typing in the search box ran a full collection every ~8 keys at 20,000 clients (~150 ms of
            # CPU each: the collector walked the ~200k objects of Textual, SQLAlchemy and the portfolio,
            # which live as long as the app). Out of its sight, a full collection walks only what came
            # after them. Once per process, as `amtui summary` does for its own.
            import gc

            gc.freeze()
            ClientsScreen.heap_frozen = True

    # Filtering and sorting happen in memory: a keystroke never waits for the database.

    def search_typed(self) -> None:
        self.refilter()
        self.start_search()

    @on(Select.Changed)
    def filters_changed(self) -> None:
        if self._filters() != self.applied:  # set_options on new data re-posts the same choice
            self.refilter()

    def _filters(self) -> tuple[str | None, ...]:
        return (
            self._filter_value("#clients-tier"),
            self._filter_value("#clients-status"),
            self._filter_value("#clients-segment"),
        )

    def _filter_value(self, widget_id: str) -> str | None:
        value = self.query_one(widget_id, Select).value
        return None if value is Select.NULL else str(value)

    def refilter(self) -> None:
        from amtui.services.text import fold

        query = self.query_one("#clients-search", Input).value
        words = fold(query).split()
        found = self.found if query == self.found_query and words else {}
        self.applied = self._filters()
        tier, status, segment = self.applied
        clients, keys = self.clients, self.folded
        if words and not found:
            matches = list(self._word_matches(tuple(words)))
        elif words:  # each word in the row's key, or the client found through its people, phones, e-mails, tax id
            mask: Iterator[bool] = map(contains, keys, repeat(words[0]))
            for word in words[1:]:
                mask = map(and_, mask, map(contains, keys, repeat(word)))
            mask = map(or_, mask, map(found.__contains__, map(attrgetter("id"), clients)))
            matches = list(compress(clients, mask))
        else:
            matches = list(clients)
        if tier is not None or status is not None or segment is not None:
            matches = [
                client
                for client in matches
                if (tier is None or client.tier == tier)
                and (status is None or client.status == status)
                and (segment is None or client.segment == segment)
            ]
        key = SORT_KEYS[self.sort_column]
        if key is not None:
            matches.sort(key=key, reverse=self.sort_reverse)
        elif self.sort_reverse:
            matches.reverse()
        self.shown = matches
        self.render_rows()

    def _word_matches(self, words: tuple[str, ...]) -> list[ClientSummary]:
        """The clients (in the name order) whose search key holds every word; not to be changed.

        The last queries' answers are kept (until new data comes): a key erased finds its answer again,
        and a query that refines a kept one (typed on: each of its words holds the kept query's word at
        the same place) tests only the clients that one kept. Each word's test runs in C (map, compress:
        no Python step per client)."""
        kept = self.matched.get(words)
        if kept is not None:
            return kept[0]
        clients, keys = self.clients, self.folded
        for old, (old_clients, old_keys) in self.matched.items():
            if len(old) <= len(words) and len(old_clients) < len(clients) and all(map(contains, words, old)):
                clients, keys = old_clients, old_keys
        for word in words:
            mask = list(map(contains, keys, repeat(word)))
            clients, keys = list(compress(clients, mask)), list(compress(keys, mask))
        if len(self.matched) >= KEPT_QUERIES:
            del self.matched[next(iter(self.matched))]
        self.matched[words] = (clients, keys)
        return clients

    def render_rows(self) -> None:
        """Hand the whole filtered list to the table: it makes cells only for the lines it draws."""
        # The same clients filtered or sorted again: the lines drawn for them before are drawn again.
        self.query_one("#clients-table", FastTable).set_rows(self.shown, self.make_row, reuse=not self.new_rows)
        self.new_rows = False
        arrow = "↓" if self.sort_reverse else "↑"
        # One line of fixed height: no layout pass needed for new text.
        line = _("{shown} of {total} clients · sorted by {column} {arrow}").format(
            shown=len(self.shown),
            total=len(self.clients),
            column=_(self._column_label(self.sort_column)).lower(),
            arrow=arrow,
        )
        found = self.found if self.found_query else {}
        # Only when there are such clients: the list may hold all 20,000.
        matched = [found[i] for i in map(attrgetter("id"), self.shown) if i in found] if found else []
        if matched and self.query_one("#clients-search", Input).value == self.found_query:
            line = _("{shown} of {total} · found {what}").format(
                shown=len(self.shown), total=len(self.clients), what=matched[0]
            ) + (" " + _("(+{n} more)").format(n=len(matched) - 1) if len(matched) > 1 else "")
        if not self.has_loaded:  # the first rows only: the whole portfolio is on its way
            line = _("Loading…")
        elif not self.clients:
            line = _("No clients yet: press a to add one (or import a file: amtui import clients FILE)")
        empty = self.query_one("#clients-empty", Static)
        empty.display = self.has_loaded and not self.clients
        if empty.display:
            from amtui.screens.today import EMPTY_HINT

            empty.update("\n".join([_("No clients yet. To start:"), *("  " + _(hint) for hint in EMPTY_HINT)]))
        self.query_one("#clients-status-line", Static).update(Text(line), layout=False)

    @staticmethod
    def _column_label(key: str) -> str:
        return next((column.label for column in COLUMNS if column.key == key), key)

    def make_row(self, client: ClientSummary) -> tuple[str, list[Cell]]:
        due = (client.next_contact_due - self.today).days if client.next_contact_due else None
        late = due is not None and due < 0
        owed = Text(money(client.receivables_minor, client.currency), style="red" if client.overdue_minor else "")
        # Text, not str: a "[" in a client's name is not markup.
        return str(client.id), [
            Text(client.name),
            Text(client.tier),
            Text(label(ClientStatus, client.status)),
            Text(client.city or ""),
            Text(local(client.last_touch_at, self.workspace.zone, "%d.%m.%y") or _("never")),
            Text(f"{due:+d}" if due is not None else "", style="bold red" if late else ""),
            owed,
            Text(str(client.open_deals or "")),
        ]

    @on(FastTable.HeaderSelected)
    def header_selected(self, event: FastTable.HeaderSelected) -> None:
        column = event.column_key
        if column == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = column, False
        self.refilter()

    @on(FastTable.RowSelected)
    def row_selected(self, event: FastTable.RowSelected) -> None:
        if event.row_key:
            self.amtui.open_client(int(event.row_key))

    def selected_client_id(self) -> int | None:
        key = self.query_one("#clients-table", FastTable).cursor_key
        return int(key) if key else None

    def action_open(self) -> None:
        client_id = self.selected_client_id()
        if client_id is not None:
            self.amtui.open_client(client_id)

    def action_search(self) -> None:
        self.query_one("#clients-search", Input).focus()

    def action_sort(self) -> None:
        keys = [column.key for column in COLUMNS]
        self.sort_column = keys[(keys.index(self.sort_column) + 1) % len(keys)]
        self.sort_reverse = False
        self.refilter()

    def action_reverse(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self.refilter()

    def action_add_client(self) -> None:
        self.amtui.action_new_client()

    def action_new_call(self) -> None:
        self.amtui.action_new("call", client_id=self.selected_client_id())

    def action_new_visit(self) -> None:
        self.amtui.action_new("visit", client_id=self.selected_client_id())

    def action_back(self) -> None:
        search = self.query_one("#clients-search", Input)
        if search.value:
            search.value = ""
        self.query_one("#clients-table", FastTable).focus()

    @on(Input.Submitted)
    def search_submitted(self) -> None:
        self.query_one("#clients-table", FastTable).focus()
