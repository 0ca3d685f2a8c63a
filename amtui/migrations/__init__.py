"""Alembic migrations, shipped inside the package and run from code.

``SCHEMA_HEAD`` lets every open check the schema with one plain query instead
of importing Alembic; a test keeps it equal to Alembic's own head.
"""

SCHEMA_HEAD = "0004"
