"""the language of a client's documents (and optionally of a contact)

Revision ID: 0008
Revises: 0006 (was 0004 until issue 12's 0006 landed; 0005 and 0007 to come)
Create Date: 2026-12-01 22:00:00

``client.language`` and ``contact.language``: ru, it or en; NULL means the interface language
(for a contact: the client's). Helpers wrote 0005-0007 in parallel: the merge renumbers.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0008"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Adding a nullable column needs no table rebuild, even in SQLite.
    op.add_column("client", sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True))
    op.add_column("contact", sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contact") as batch:
        batch.drop_column("language")
    with op.batch_alter_table("client") as batch:
        batch.drop_column("language")
