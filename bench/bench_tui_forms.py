"""Speed of the client card and its forms on the large demo, beside bare Textual screens in the same run.

Run from the repository root:

    .venv/bin/python bench/bench_tui_forms.py            # builds the large demo in a temp dir
    .venv/bin/python bench/bench_tui_forms.py --db PATH  # reuse a database built with `amtui demo --size large`

In-process (App.run_test, headless, 100x32), medians of --rounds, for the client with the most interactions:
- open the card: push -> its data read in a thread worker and shown; baseline: a bare Screen with
  four DataTables filled from a plain sqlite3 read of the same client's rows in a thread worker;
- open the contact form from the card (key a); baseline: a bare ModalScreen with seven Inputs;
- record a payment: form submitted -> written -> the card read again and shown; baseline: a plain
  sqlite3 UPDATE of the invoice followed by the bare card's reload.
Every measurement ends with the same settle step (workers done, two idle pauses), so ratios compare like with like.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Moscow")


async def settle(pilot: Any) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def busiest_client(path: Path) -> tuple[int, int]:
    """The client with the most interactions, and one of its unpaid invoices."""
    with sqlite3.connect(path) as con:
        client_id = con.execute(
            "SELECT i.client_id FROM interaction i JOIN invoice v ON v.client_id = i.client_id "
            "AND v.paid_minor + 200 < v.amount_minor GROUP BY i.client_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
        invoice_id = con.execute(
            "SELECT id FROM invoice WHERE client_id = ? AND paid_minor + 200 < amount_minor ORDER BY id LIMIT 1",
            (client_id,),
        ).fetchone()[0]
    return int(client_id), int(invoice_id)


def bare_app(path: Path, client_id: int) -> Any:
    from textual.app import App, ComposeResult
    from textual.containers import VerticalScroll
    from textual.screen import ModalScreen, Screen
    from textual.widgets import DataTable, Footer, Header, Input, Static

    queries = {
        "people": "SELECT full_name, title, role, birthday_md FROM contact WHERE client_id = ?",
        "timeline": "SELECT done_at, kind, status, subject FROM interaction WHERE client_id = ? "
        "AND status != 'planned' ORDER BY done_at DESC LIMIT 30",
        "money": "SELECT number, issued_on, amount_minor, paid_minor FROM invoice WHERE client_id = ?",
        "deals": "SELECT title, stage, amount_minor, probability FROM deal WHERE client_id = ?",
    }

    class BareCard(Screen[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            with VerticalScroll():
                yield Static("facts")
                for name in queries:
                    yield DataTable(id=name)
            yield Footer()

        def on_mount(self) -> None:
            for name in queries:
                self.query_one(f"#{name}", DataTable).add_columns("a", "b", "c", "d")
            self.reload()

        def reload(self) -> None:
            def read() -> None:
                with sqlite3.connect(path) as con:
                    rows = {name: con.execute(sql, (client_id,)).fetchall() for name, sql in queries.items()}
                self.app.call_from_thread(self.show, rows)

            self.run_worker(read, thread=True)

        def show(self, rows: dict[str, list[tuple[Any, ...]]]) -> None:
            for name, found in rows.items():
                table = self.query_one(f"#{name}", DataTable)
                table.clear()
                table.add_rows([tuple(str(v) for v in row) for row in found])

    class BareForm(ModalScreen[None]):
        def compose(self) -> ComposeResult:
            with VerticalScroll():
                for index in range(7):
                    yield Static(f"label {index}")
                    yield Input()

    class Bare(App[None]):
        def open_card(self) -> None:
            self.push_screen(BareCard())

        def open_form(self) -> None:
            self.push_screen(BareForm())

    return Bare()


async def run_bare(path: Path, client_id: int, invoice_id: int, rounds: int) -> dict[str, list[float]]:
    app = bare_app(path, client_id)
    times: dict[str, list[float]] = {"card": [], "form": [], "payment": []}
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        for _ in range(rounds):
            began = time.perf_counter()
            app.open_card()
            await settle(pilot)
            times["card"].append(time.perf_counter() - began)
            card = app.screen
            began = time.perf_counter()
            app.open_form()
            await settle(pilot)
            times["form"].append(time.perf_counter() - began)
            app.pop_screen()
            await settle(pilot)
            began = time.perf_counter()
            with sqlite3.connect(path) as con:
                con.execute("UPDATE invoice SET paid_minor = paid_minor + 1 WHERE id = ?", (invoice_id,))
            card.reload()
            await settle(pilot)
            times["payment"].append(time.perf_counter() - began)
            app.pop_screen()
            await settle(pilot)
    return times


async def run_amtui(url: str, client_id: int, invoice_id: int, rounds: int) -> dict[str, list[float]]:
    from textual.widgets import DataTable, Input

    from amtui.app import AmtuiApp
    from amtui.screens.client_card import ClientCardScreen
    from amtui.screens.forms import ContactForm, PaymentForm

    app = AmtuiApp(db_url=url, now=NOW, zone=ZONE)
    times: dict[str, list[float]] = {"card": [], "form": [], "payment": []}
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        for _ in range(rounds):
            began = time.perf_counter()
            app.open_client(client_id)
            await settle(pilot)
            times["card"].append(time.perf_counter() - began)
            card = app.screen
            assert isinstance(card, ClientCardScreen) and card.data is not None
            began = time.perf_counter()
            await pilot.press("a")
            await settle(pilot)
            times["form"].append(time.perf_counter() - began)
            assert isinstance(app.screen, ContactForm)
            await pilot.press("escape")
            await settle(pilot)
            table = card.query_one("#card-money", DataTable)
            table.focus()
            table.move_cursor(row=table.get_row_index(f"invoice:{invoice_id}"))
            await pilot.press("m")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, PaymentForm)
            form.query_one("#f-amount").query_one(Input).value = "0,01"
            began = time.perf_counter()
            await pilot.press("ctrl+s")
            await settle(pilot)
            while app.screen is not card or card.is_stale():
                await settle(pilot)
            times["payment"].append(time.perf_counter() - began)
            app.pop_screen()
            await settle(pilot)
    return times


def ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="a database built with `amtui demo --size large` (default: build one)")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.db is None:
        from amtui.db import open_engine
        from amtui.services.demo import build_demo

        path = Path(tempfile.mkdtemp(prefix="amtui-bench-forms-")) / "large.db"
        engine = open_engine(f"sqlite:///{path}")
        build_demo(engine, size="large", now=NOW)
        engine.dispose()
        print(f"built the large demo: {path}")
    else:
        path = args.db.resolve()
    client_id, invoice_id = busiest_client(path)
    bare = asyncio.run(run_bare(path, client_id, invoice_id, args.rounds))
    amtui = asyncio.run(run_amtui(f"sqlite:///{path}", client_id, invoice_id, args.rounds))
    print(f"client {client_id}, invoice {invoice_id}, {args.rounds} rounds, medians in ms")
    print(f"{'what':<44}{'bare':>8}{'amtui':>8}{'ratio':>8}")
    for key, label in (
        ("card", "open the client card (read + show)"),
        ("form", "open the contact form"),
        ("payment", "record a payment, card shown again"),
    ):
        print(f"{label:<44}{ms(bare[key]):8.1f}{ms(amtui[key]):8.1f}{ms(amtui[key]) / ms(bare[key]):8.2f}x")


if __name__ == "__main__":
    main()
