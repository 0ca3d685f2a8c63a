"""One length limit per text field, the same for the CLI, the TUI and imports.

A column declared with ``max_length`` (a name: 300) takes at most that many
characters; a free-text column (notes, needs) at most ``MAX_TEXT_CHARS``. The
services check every record before it is stored, so a name the CLI accepts is a
name its own import accepts too (and the other way round).
"""

from __future__ import annotations

from typing import Any

from amtui.i18n import _
from amtui.services.errors import ValidationError

# A text field this long is not a name, a phone or a note: refused (imports reject the row).
MAX_TEXT_CHARS = 10_000


def text_limit(column: Any) -> int:
    """The most characters ``column`` takes (``MAX_TEXT_CHARS`` when it declares none)."""
    length = getattr(column.type, "length", None) or getattr(getattr(column.type, "impl", None), "length", None)
    return int(length) if length else MAX_TEXT_CHARS


def _is_text(column: Any) -> bool:
    """A String column, also behind SQLModel's AutoString decorator."""
    from sqlalchemy import String

    return isinstance(column.type, String) or isinstance(getattr(column.type, "impl", None), String)


def check_lengths(record: Any) -> None:
    """Raise ValidationError naming the first text field of ``record`` (an ORM row) that is too long."""
    table = record.__table__
    for column in table.columns:
        if not _is_text(column):
            continue
        value = getattr(record, column.key, None)
        if isinstance(value, str):
            limit = text_limit(column)
            if len(value) > limit:
                raise ValidationError(
                    _("{value} characters, at most {limit} expected").format(value=len(value), limit=limit),
                    field=column.key,
                )
