"""Domain logic: plain functions taking a keyword-only ``session``.

They return read objects (see ``schemas``), never live ORM objects, so that
the CLI and the TUI share them and nothing outside holds a session open.
"""
