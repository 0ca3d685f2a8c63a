"""The two ways the tests open an existing amtui SQLite file: the ORM's unit of work and the quick commands'
plain ``sqlite3`` connection (tests/test_quick_writes.py and tests/test_card_reads.py compare them)."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def plain_connection(url: str) -> Iterator[sqlite3.Connection]:
    """:func:`amtui.db.quick_connection` on ``url``, committed when the block ends without an error."""
    from amtui.db import quick_connection

    connection = quick_connection(url)
    assert connection is not None
    try:
        with connection:
            yield connection
    finally:
        connection.close()


@contextlib.contextmanager
def orm_session(url: str) -> Iterator[Any]:
    """An ORM session on ``url`` (one unit of work), its engine disposed afterwards."""
    from amtui.db import make_engine, session_scope

    engine = make_engine(url, create=False)
    try:
        with session_scope(engine) as session:
            yield session
    finally:
        engine.dispose()
