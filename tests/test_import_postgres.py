"""Imports on PostgreSQL: the portable write path (Core executemany), updates, and id sequences after it.

SQLite imports write through the raw sqlite3 connection; every other database goes through
SQLAlchemy Core. A throw-away server (the ``pgserver`` wheel) runs for this module.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def test_import_on_postgresql(pg_url: str, now: datetime, zone, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    from amtui.db import open_engine, session_scope
    from amtui.formats.importer import ImportOptions, import_file
    from amtui.services import clients

    engine = open_engine(pg_url)

    def run(kind: str, path: Path) -> tuple[int, int, int, int]:
        with session_scope(engine) as session:
            summary = import_file(session=session, kind=kind, path=path, options=ImportOptions(now=now, zone=zone))
        assert not summary.errors, summary.errors
        return summary.created, summary.updated, summary.unchanged, summary.rejected

    assert run("clients", FIXTURES / "clients_cp1251.csv") == (3, 0, 0, 0)
    assert run("contacts", FIXTURES / "contacts_cp1251.csv") == (2, 0, 0, 0)
    assert run("contacts", FIXTURES / "contacts_cp1251.csv") == (0, 0, 2, 0)
    visits = tmp_path / "visits.csv"
    visits.write_text(
        "client,kind,planned_at,duration,needs_reply\nРомашка,visit,2026-11-27 11:00,90,да\n", encoding="utf-8"
    )
    assert run("interactions", visits) == (1, 0, 0, 0)
    visits.write_text(
        "client,kind,planned_at,duration,needs_reply\nРомашка,visit,2026-11-27 11:00,120,нет\n", encoding="utf-8"
    )
    assert run("interactions", visits) == (0, 1, 0, 0)
    with session_scope(engine) as session:
        [(planned_at, duration, needs_reply)] = session.execute(
            text("SELECT planned_at, duration_min, needs_reply FROM interaction")
        ).all()
        assert planned_at.astimezone(zone).hour == 11 and (duration, needs_reply) == (120, False)
        assert session.execute(text("SELECT count(*) FROM contact_method")).scalar() == 4
        # Ids were written explicitly: the sequences moved past them, so the services still insert.
        added = clients.create_client(session=session, name="После импорта")
        assert added.id == 4
