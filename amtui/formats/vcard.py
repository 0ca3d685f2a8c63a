"""vCard 2.1, 3.0 and 4.0 files (phones' and mail programs' address books) as contact records.

The file is read as a stream, one card at a time: memory stays flat and the
work per card does not depend on where it is in the file (100k cards take 5x
what 20k take). Folded lines are joined on bytes before decoding, so a
multi-byte character split by the fold survives; each card is parsed on its own
(``vobject.readOne``) so one broken card is one bad row, not a failed file.
Nearly all the time per card is vobject's own parsing (bench/bench_vcard.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from amtui.formats.readers import FileFormatError, detect_encoding

_FOLD = re.compile(rb"\r?\n[ \t]")
_FOLD_TEXT = re.compile(r"\r?\n[ \t]")
_BEGIN = re.compile(r"^BEGIN:VCARD\s*$", re.IGNORECASE | re.MULTILINE)
_BEGIN_LINE = re.compile(rb"BEGIN:VCARD\s*$", re.IGNORECASE)
_UTF8_BOM = b"\xef\xbb\xbf"


def _read_text(path: Path) -> str:
    encoding = detect_encoding(path)
    data = path.read_bytes()
    if encoding.startswith("utf-16"):
        return _FOLD_TEXT.sub("", data.decode(encoding, errors="replace").lstrip("\ufeff"))
    unfolded = _FOLD.sub(b"", data)
    try:
        return unfolded.decode("utf-8-sig")
    except UnicodeDecodeError:
        return unfolded.decode(encoding, errors="replace")


_QP_PARAM = re.compile(r";(?:ENCODING=)?QUOTED-PRINTABLE", re.IGNORECASE)
_CHARSET_PARAM = re.compile(r";CHARSET=([\w-]+)", re.IGNORECASE)
_NEEDS_CLEANING = re.compile(r"QUOTED-PRINTABLE|PHOTO|LOGO|SOUND|KEY", re.IGNORECASE)
_BINARY = re.compile(r"^(?:[\w-]+\.)?(?:PHOTO|LOGO|SOUND|KEY)[;:]", re.IGNORECASE)


def _clean_lines(text: str) -> str:
    """Decode vCard 2.1 quoted-printable values ourselves (soft breaks, bad bytes replaced, not fatal)
    and drop photos and other binary blobs we do not keep."""
    import quopri

    if not _NEEDS_CLEANING.search(text):
        return text  # most cards: no quoted-printable, no photo
    lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
    kept: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if _BINARY.match(line):
            while index < len(lines) and lines[index].strip() and ":" not in lines[index][:40]:
                index += 1  # vCard 2.1 base64 continuation lines
            continue
        head, colon, value = line.partition(":")
        if colon and _QP_PARAM.search(head):
            while value.endswith("=") and index < len(lines):
                value = value[:-1] + lines[index]
                index += 1
            charset_match = _CHARSET_PARAM.search(head)
            charset = charset_match.group(1) if charset_match else "utf-8"
            try:
                decoded = quopri.decodestring(value.encode("latin-1", errors="replace")).decode(charset, "replace")
            except LookupError:
                decoded = quopri.decodestring(value.encode("latin-1", errors="replace")).decode("utf-8", "replace")
            head = _CHARSET_PARAM.sub("", _QP_PARAM.sub("", head))
            value = decoded.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
            line = f"{head}:{value}"
        kept.append(line)
    return "\n".join(kept) + "\n"


def _cards(text: str) -> Iterator[tuple[int, str]]:
    """``(line, card text)``; lines are counted from the previous card on, so reading is linear."""
    starts = [match.start() for match in _BEGIN.finditer(text)]
    line, counted = 1, 0
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        line += text.count("\n", counted, start)
        counted = start
        yield line, text[start:end]


def _value(component: Any, name: str) -> Any:
    # The first child of that name, from vobject's own dict (its attribute lookup costs ~5x more).
    children = component.contents.get(name.lower())
    return children[0].value if children else None


def _text(value: Any) -> str:
    if isinstance(value, list):
        value = ";".join(str(part) for part in value)
    return str(value or "").strip()


def _decode(data: bytes, encoding: str) -> str:
    unfolded = _FOLD.sub(b"", data)
    try:  # a fold may have split a UTF-8 character: the file as a whole did not decode, the card does
        return unfolded.decode("utf-8")
    except UnicodeDecodeError:
        return unfolded.decode(encoding, errors="replace")


def _card_blocks(path: Path) -> Iterator[tuple[int, str]]:
    """``(line, card text)`` read from the file one card at a time (lines before the first card are
    skipped, as vCard readers do). UTF-16 files, rare, are read whole."""
    encoding = detect_encoding(path)
    if encoding.startswith("utf-16"):
        yield from _cards(_read_text(path))
        return
    card: list[bytes] = []
    start = 0
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(_UTF8_BOM):
                raw = raw[len(_UTF8_BOM) :]
            if _BEGIN_LINE.match(raw):
                if card:
                    yield start, _decode(b"".join(card), encoding)
                card, start = [raw], number
            elif card:
                card.append(raw)
    if card:
        yield start, _decode(b"".join(card), encoding)


def read_vcards(path: Path) -> Iterator[tuple[int, dict[str, Any], dict[str, Any]]]:
    """``(line, contact fields, the same for a rejects file)`` per card."""
    import vobject

    found = False
    for line, block in _card_blocks(path):
        found = True
        try:
            card = vobject.readOne(_clean_lines(block))
        except Exception as exc:  # vobject raises ParseError and assorted others on broken cards
            yield line, {"_broken": f"cannot read the card: {str(exc).splitlines()[0][:200]}"}, {"card": block[:200]}
            continue
        values = card_values(card)
        yield line, values, {key: _text(value) for key, value in values.items()}
    if not found:
        raise FileFormatError(f"{path}: no BEGIN:VCARD found; not a vCard file")


def card_values(card: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    full_name = _text(_value(card, "fn"))
    if full_name:
        values["full_name"] = full_name
    name = _value(card, "n")
    if name is not None:
        for field, part in (("given_name", name.given), ("middle_name", name.additional), ("family_name", name.family)):
            text = _text(" ".join(part) if isinstance(part, list) else part)
            if text:
                values[field] = text
    orgs = card.contents.get("org", [])
    if orgs:
        org = orgs[0].value
        parts = [part.strip() for part in (org if isinstance(org, list) else [org]) if str(part).strip()]
        if parts:
            values["client"] = parts[0]
        if len(parts) > 1:
            values["department"] = " / ".join(parts[1:])
    title = _text(_value(card, "title"))
    if title:
        values["title"] = title
    role = _text(_value(card, "role"))
    if role and "title" not in values:
        values["title"] = role
    phones = [_text(tel.value) for tel in card.contents.get("tel", []) if _text(tel.value)]
    phones = [phone[4:] if phone.lower().startswith("tel:") else phone for phone in phones]
    if phones:
        values["phone"] = phones
    emails = [_text(email.value) for email in card.contents.get("email", []) if _text(email.value)]
    if emails:
        values["email"] = emails
    birthday = _text(_value(card, "bday"))
    if birthday:
        values["birthday"] = birthday
    notes = [_text(note.value) for note in card.contents.get("note", []) if _text(note.value)]
    if notes:
        values["personal_notes"] = "\n".join(dict.fromkeys(notes))
    uid = _text(_value(card, "uid"))
    if uid:
        values["external_id"] = uid[:200]
    return values
