"""Every text column, whichever service writes it: no control characters (see services.sanitize).

A ``before_flush`` hook on every ORM session, so that a service added tomorrow is covered too:
a new record's text and an edited record's changed text are checked; text an older database
already holds is left alone until it is edited (the output side neutralises it). The importer
writes through SQLAlchemy Core and cleans its cells with the same functions.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlmodel import Session

from amtui.services.sanitize import check_text

# Derived columns: copies of a checked column (folded for search, normalised for matching).
_DERIVED_SUFFIXES = ("_folded", "_norm")


def _check_object(obj: Any, *, new: bool) -> None:
    state = inspect(obj)
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key.endswith(_DERIVED_SUFFIXES):
            continue
        if new:
            value = getattr(obj, key, None)
        else:
            added = state.attrs[key].history.added
            value = added[0] if added else None
        if isinstance(value, str):
            # A contact method's value is a phone or an e-mail: name it so.
            field = obj.kind if key == "value" and isinstance(getattr(obj, "kind", None), str) else key
            checked = check_text(value, field=field)
            if checked is not value:  # a CRLF in a multi-line field, stored as LF
                setattr(obj, key, checked)


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    for obj in session.new:
        _check_object(obj, new=True)
    for obj in session.dirty:
        _check_object(obj, new=False)


def install() -> None:
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
