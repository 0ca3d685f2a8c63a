"""done interactions by kind and time, with their client: the summary's "calls and visits by client" index-only

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 05:20:00

``ix_interaction_status_kind_done`` (status, kind, done_at) gains ``client_id`` as its last column, under the
same name: every read it served it still serves (the columns before are the same), and the monthly summary's
count of calls, visits and meetings per client (2,651 groups over 7,400 rows on the large demo) no longer
looks each row up in the table for its client.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_interaction_status_kind_done"


def upgrade() -> None:
    op.drop_index(NAME, table_name="interaction")
    op.create_index(NAME, "interaction", ["status", "kind", "done_at", "client_id"])
    bind = op.get_bind()
    # Statistics where the database has them (see 0004 and 0012); a database without stays without.
    if (
        bind.dialect.name == "sqlite"
        and bind.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first() is not None
    ):
        op.execute("ANALYZE interaction")


def downgrade() -> None:
    op.drop_index(NAME, table_name="interaction")
    op.create_index(NAME, "interaction", ["status", "kind", "done_at"])
