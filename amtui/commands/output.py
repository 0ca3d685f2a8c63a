"""What a command prints reaches the terminal without control characters.

A name holding ``ESC ] 0 ; ... BEL`` would retitle the window, ``ESC [ 2 J`` clear the screen.
Entry refuses such text, but an older database may already hold it, so every command's standard
output and error go through :class:`SafeStream`, which shows each control character, bidi override
and line separator as U+FFFD (line feeds and tabs stay). amtui itself writes colour only through
rich, and a rich console is given the stream underneath (:func:`raw_stream`): the text it draws is
made safe before it is handed over.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from amtui.services.sanitize import safe_display


class SafeStream(io.TextIOBase):
    """A text stream that writes ``safe_display(text)`` to the stream it wraps."""

    def __init__(self, raw: TextIO) -> None:
        super().__init__()
        self.raw = raw

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # click probes for a binary stream with write(b"")
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self.raw.write(safe_display(text))
        return len(text)

    def flush(self) -> None:
        self.raw.flush()

    def isatty(self) -> bool:
        return self.raw.isatty()

    def fileno(self) -> int:
        return self.raw.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.raw.encoding

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return self.raw.errors

    def __getattr__(self, name: str) -> Any:  # buffer, mode, name...
        return getattr(self.raw, name)


def raw_stream(stream: TextIO) -> TextIO:
    """The stream under a :class:`SafeStream` (for rich, which writes its own escape codes)."""
    return stream.raw if isinstance(stream, SafeStream) else stream


@contextmanager
def guarded_output() -> Iterator[None]:
    """Standard output and error made safe for the duration (nested uses are no-ops)."""
    saved = sys.stdout, sys.stderr
    if not isinstance(sys.stdout, SafeStream):
        sys.stdout = SafeStream(sys.stdout)
    if not isinstance(sys.stderr, SafeStream):
        sys.stderr = SafeStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
