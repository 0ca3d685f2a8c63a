"""Alembic migrations, shipped inside the package and run from code.

``SCHEMA_HEAD`` lets every open check the schema with one plain query instead
of importing Alembic. It is read from the file names (``versions/NNNN_*.py``,
revision ``NNNN``), so a new migration needs no second edit here; a test keeps
it equal to Alembic's own head.
"""

import os


def _head() -> str:
    versions = os.path.join(os.path.dirname(__file__), "versions")
    return max(name[:4] for name in os.listdir(versions) if name[:4].isdigit() and name.endswith(".py"))


SCHEMA_HEAD = _head()
