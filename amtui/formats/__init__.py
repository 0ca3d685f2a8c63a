"""Imports and exports: CSV, XLSX, vCard, iCalendar and JSON files as people really have them.

Nothing here imports textual; format libraries (openpyxl, vobject, icalendar)
are imported inside the functions that need them.
"""

from __future__ import annotations

from amtui.vocabulary import RECORD_KINDS as KINDS  # noqa: F401  (the kinds of records files hold)
