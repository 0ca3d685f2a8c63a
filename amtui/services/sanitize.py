"""Control characters in user text: refused on entry, stripped from imports, neutralised on output.

One definition of what is unsafe, shared by every way text comes in (CLI arguments and TUI forms
through the services, CSV/XLSX/JSON/vCard/.ics through the importer) and every way it goes out
(terminal, mail, TUI). Unsafe are: C0 controls (ESC, BEL, NUL, CR...) and DEL, C1 controls (NEL,
CSI...), the bidi embeddings, overrides and isolates (U+202A-202E, U+2066-2069: they reorder what
a reader sees) and the Unicode line and paragraph separators (U+2028, U+2029). A tab and a line
feed are text in a field that holds several lines (notes, agreements); everywhere else they are not.

Pure Python, no third-party import: the CLI's output guard and the importer use it too.
"""

from __future__ import annotations

import re

from amtui.services.errors import ValidationError

# Everything unsafe in a one-line field (names, titles, subjects, numbers...).
_BIDI_AND_SEPARATORS = "\u2028\u2029\u202a-\u202e\u2066-\u2069"
_UNSAFE_CLASS = "\x00-\x1f\x7f-\x9f" + _BIDI_AND_SEPARATORS
UNSAFE_LINE = re.compile(f"[{_UNSAFE_CLASS}]")
# In a multi-line field a tab and a line feed are fine.
UNSAFE_MULTILINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# Every way of breaking a line: CRLF first so that it counts as one break.
LINE_BREAKS = re.compile("\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")

# Fields (by column name, whatever the table) that hold several lines of text.
MULTILINE_FIELDS = frozenset(
    {"address", "agenda", "agreements", "needs", "notes", "other_attendees", "outcome", "personal_notes", "text"}
)

_NAMES = {
    0x00: "NUL",
    0x07: "BEL",
    0x08: "BS",
    0x09: "TAB",
    0x0A: "LF",
    0x0B: "VT",
    0x0C: "FF",
    0x0D: "CR",
    0x1B: "ESC",
    0x7F: "DEL",
    0x85: "NEL",
    0x9B: "CSI",
    0x2028: "LINE SEPARATOR",
    0x2029: "PARAGRAPH SEPARATOR",
    0x202A: "LRE",
    0x202B: "RLE",
    0x202C: "PDF",
    0x202D: "LRO",
    0x202E: "RLO",
    0x2066: "LRI",
    0x2067: "RLI",
    0x2068: "FSI",
    0x2069: "PDI",
}


def describe(char: str) -> str:
    """``U+001B ESC``: how a notice names a character."""
    code = ord(char)
    name = _NAMES.get(code)
    return f"U+{code:04X} {name}" if name else f"U+{code:04X}"


def is_multiline(field: str | None) -> bool:
    return field in MULTILINE_FIELDS


def find_unsafe(text: str, *, multiline: bool = False) -> re.Match[str] | None:
    return (UNSAFE_MULTILINE if multiline else UNSAFE_LINE).search(text)


def check_text(value: str, *, field: str, multiline: bool | None = None) -> str:
    """``value`` as typed, or a ValidationError naming the field, the character and where it is.

    The same rule as an import's (:func:`clean_text`), but typed text is refused, not changed: a
    CRLF or a lone CR in a multi-line field is read as a line feed (what a pasted Windows text
    holds); anything else unsafe is an error.
    """
    if multiline is None:
        multiline = is_multiline(field)
    cleaned, removed = clean_text(value, multiline=multiline)
    if not removed:
        return cleaned
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    found = find_unsafe(value, multiline=multiline)
    assert found is not None
    what = "a line break" if LINE_BREAKS.fullmatch(found.group()) else "a control character"
    raise ValidationError(
        f"contains {what} ({describe(found.group())}) at position {found.start() + 1}; "
        "control characters, bidi overrides and line breaks are not allowed here",
        field=field,
    )


def clean_text(value: str, *, multiline: bool = False) -> tuple[str, list[str]]:
    """``value`` made safe, and what was taken out (``["U+001B ESC", ...]``, empty when nothing).

    Line breaks become a line feed in a multi-line field and a space elsewhere; every other
    unsafe character is removed. For imports, which report the change as a warning.
    """
    pattern = UNSAFE_MULTILINE if multiline else UNSAFE_LINE
    if multiline and "\r" in value:  # Windows line ends in a note: not worth a warning
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if pattern.search(value) is None:
        return value, []
    removed: list[str] = []
    for char in pattern.findall(value):
        label = describe(char)
        if label not in removed:
            removed.append(label)
    value = LINE_BREAKS.sub("\n" if multiline else " ", value)
    if not multiline:
        value = value.replace("\t", " ")
    value = pattern.sub("", value)
    return (value if multiline else value.strip()), removed


def clean_notice(removed: list[str]) -> str:
    return "removed " + ", ".join(removed) + " (control characters, bidi overrides and line breaks are not kept)"


# --- output ------------------------------------------------------------------------------------

REPLACEMENT = "\ufffd"
_DISPLAY_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# A CRLF line end (a CSV or vCard written to standard output) is harmless; a lone CR overwrites the line.
_DISPLAY_UNSAFE_CRLF = re.compile("\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + _BIDI_AND_SEPARATORS + "]")
_DISPLAY_UNSAFE_LINE = UNSAFE_LINE


def safe_display(text: str, *, multiline: bool = True) -> str:
    """Text to print on a terminal, in a mail or a TUI: every unsafe character shown as U+FFFD.

    Defence in depth: entry refuses these characters, but an older database may hold them. With
    ``multiline`` a line feed, a CRLF and a tab stay (a note's lines, a CSV's rows); without, they
    become U+FFFD too.
    """
    pattern = _DISPLAY_UNSAFE_CRLF if multiline else _DISPLAY_UNSAFE_LINE
    if pattern.search(text) is None:
        return text
    return pattern.sub(REPLACEMENT, text)


def json_safe(encoded: str) -> str:
    """JSON text with every unsafe character written as a ``\\uXXXX`` escape (same data, no raw control)."""
    if _DISPLAY_UNSAFE.search(encoded) is None:
        return encoded
    return _DISPLAY_UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", encoded)


_EXPORT_UNSAFE = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")


def export_text(text: str) -> str:
    """A text value for a vCard or an iCalendar file, before the format's own escaping.

    Every way of breaking a line (CRLF, CR, VT, FF, NEL, U+2028, U+2029) becomes one line feed,
    which RFC 6350 and RFC 5545 write as ``\\n``: no value can start a new property line in any
    reader. Both RFCs forbid the other control characters in text: they are shown as U+FFFD.
    """
    if LINE_BREAKS.search(text) is not None:
        text = LINE_BREAKS.sub("\n", text)
    if _EXPORT_UNSAFE.search(text) is not None:
        text = _EXPORT_UNSAFE.sub(REPLACEMENT, text)
    return text
