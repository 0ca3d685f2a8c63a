"""Errors the services raise for the user to read (never a traceback)."""

from __future__ import annotations


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
