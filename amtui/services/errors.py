"""Errors the services raise for the user to read (never a traceback)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import overload

from amtui.vocabulary import member, one_of


class AmtuiError(Exception):
    """Base class: the message is meant for the user as it is."""


class NotFoundError(AmtuiError):
    pass


class AmbiguousError(AmtuiError):
    def __init__(self, message: str, candidates: list[str]) -> None:
        super().__init__(message)
        self.candidates = candidates


class ValidationError(AmtuiError):
    """Bad input; ``field`` names what was wrong."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.reason = message


@overload
def check_choice(value: str, enum: type[StrEnum], field: str, aliases: Mapping[str, str] | None = None) -> str: ...


@overload
def check_choice(value: None, enum: type[StrEnum], field: str, aliases: Mapping[str, str] | None = None) -> None: ...


@overload
def check_choice(
    value: str | None, enum: type[StrEnum], field: str, aliases: Mapping[str, str] | None = None
) -> str | None: ...


def check_choice(
    value: str | None, enum: type[StrEnum], field: str, aliases: Mapping[str, str] | None = None
) -> str | None:
    """``value`` as a value of ``enum`` (see :func:`amtui.vocabulary.member`); None stays None."""
    if value is None:
        return None
    found = member(enum, value, aliases)
    if found is None:
        raise ValidationError(f"{value!r}: {field} is {one_of(enum)}", field=field)
    return found
