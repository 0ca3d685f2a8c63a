"""Alembic environment: the engine comes from the caller (see runner.py)."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import amtui.models  # noqa: F401  (registers every table on SQLModel.metadata)

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        raise RuntimeError("amtui migrations run through amtui.db.upgrade(engine)")
    with engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            # Python's sqlite3 opens transactions before DML only: without this, every CREATE/DROP
            # would commit on its own and an interrupted upgrade would leave half a schema. SQLite
            # DDL is transactional: the whole upgrade commits once, with the revision stamp.
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # SQLite cannot ALTER most columns: batch mode rebuilds tables instead.
            render_as_batch=True,
            compare_type=True,
            transaction_per_migration=False,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
