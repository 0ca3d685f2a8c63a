"""vCard 2.1, 3.0 and 4.0 files (phones' and mail programs' address books) as contact records.

The file is read as a stream, one card at a time: memory stays flat and the
work per card does not depend on where it is in the file. Folded lines are
joined on bytes before decoding, so a multi-byte character split by the fold
survives; each card is read on its own so one broken card is one bad row, not a
failed file. vobject is the parser: the common card is read with its line
grammar and its properties' behaviours but without its object tree (10x
faster, the same values; see "The common card" below), anything unusual with
``vobject.readOne`` (bench/bench_vcard.py, bench/RESULTS.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from functools import partial
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


def _unparsable_line(text: str) -> tuple[int, str] | None:
    """The first line (number, text) vobject would fail to parse while reading the card, found without
    vobject's exponential regex (``_VOBJECT_LINE``), or None: vobject is given no line it would hang on.
    Lines after the card's END, or after a line where vobject stops with another error, are not read."""
    import io

    from vobject.base import getLogicalLines

    open_components: list[str] = []
    for line, number in getLogicalLines(io.StringIO(text), False):
        match = _VOBJECT_LINE.match(line)
        if match is None:
            return number, line
        name, value = match.group(1).replace("_", "-").upper(), match.group(2)
        if name == "BEGIN":
            open_components.append(value.upper())
        elif name == "END":
            if not open_components or value.upper() != open_components.pop() or not open_components:
                return None  # the card ends here, or vobject stops here with its own error
        elif name == "PROFILE" and open_components and value != open_components[-1]:
            return None  # vobject refuses a second profile here
    return None


def _text(value: Any) -> str:
    if value.__class__ is str:
        return value.strip()  # type: ignore[no-any-return]
    if isinstance(value, list):
        value = ";".join(str(part) for part in value)
    return str(value or "").strip()


def _decode(data: bytes, encoding: str) -> str:
    if b"\n " in data or b"\n\t" in data:
        data = _FOLD.sub(b"", data)
    try:  # a fold may have split a UTF-8 character: the file as a whole did not decode, the card does
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode(encoding, errors="replace")


# ``_BEGIN_LINE`` on each line of a block of whole lines (``$`` before its line feed).
_BEGIN_LINES = re.compile(rb"^BEGIN:VCARD[ \t\r\f\v]*$", re.IGNORECASE | re.MULTILINE)
_BLOCK_BYTES = 1 << 20


def _card_blocks(path: Path) -> Iterator[tuple[int, str]]:
    """``(line, card text)`` read from the file one card at a time (lines before the first card are
    skipped, as vCard readers do). The file is read a block of whole lines at a time, and the cards
    found in each block by one pattern (the lines of a card are not looked at one by one); memory
    holds a block and a card. UTF-16 files, rare, are read whole."""
    encoding = detect_encoding(path)
    if encoding.startswith("utf-16"):
        yield from _cards(_read_text(path))
        return
    card: list[bytes] | None = None  # the card being read (its bytes so far), from line ``start``
    start = 0
    line = 1  # the number of the first line of ``lines``
    carry = b""
    first = True
    with path.open("rb") as handle:
        while True:
            block = handle.read(_BLOCK_BYTES)
            data = carry + block if carry else block
            if block:
                cut = data.rfind(b"\n") + 1
                if cut == 0:  # no whole line yet
                    carry = data
                    continue
                lines, carry = (data, b"") if cut == len(data) else (data[:cut], data[cut:])
            else:
                lines, carry = data, b""
            if first:  # the first line, whole
                first = False
                if lines.startswith(_UTF8_BOM):
                    lines = lines[len(_UTF8_BOM) :]
            at = counted = 0
            for match in _BEGIN_LINES.finditer(lines):
                begin = match.start()
                if card is not None:
                    card.append(lines[at:begin])
                    yield start, _decode(b"".join(card), encoding)
                line += lines.count(b"\n", counted, begin)
                counted = begin
                card, start, at = [], line, begin
            if card is not None:  # lines before the first card are skipped
                card.append(lines[at:])
            line += lines.count(b"\n", counted)
            if not block:
                break
    if card:
        yield start, _decode(b"".join(card), encoding)


class _RejectCells(Mapping[str, str]):
    """The card's fields as text for a rejects file, made only for a card that is rejected."""

    __slots__ = ("fields",)

    def __init__(self, fields: dict[str, Any]) -> None:
        self.fields = fields

    def __getitem__(self, key: str) -> str:
        return _text(self.fields[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)


def read_vcards(path: Path, *, whole_tree: bool = False) -> Iterator[tuple[int, dict[str, Any], Mapping[str, Any]]]:
    """``(line, contact fields, the same for a rejects file)`` per card. ``whole_tree`` has vobject build
    every card's whole tree (``vobject.readOne``), as before the common card's shorter way (see below):
    the same values, for tests and bench/bench_vcard.py."""
    import vobject

    found = False
    for line, block in _card_blocks(path):
        found = True
        # The card as it is when nothing in it needs cleaning (the common card), else cleaned (``None``
        # from a card with a quoted-printable value or a photo), else vobject's whole tree.
        properties = None if whole_tree else _read_properties(block)
        if properties is None:
            cleaned = _clean_lines(block)
            properties = None if whole_tree else _read_properties(cleaned)
        if properties is None:  # anything unusual: vobject builds the whole card (and names what is wrong)
            try:
                unparsable = _unparsable_line(cleaned)
                if unparsable is not None:
                    raise vobject.base.ParseError(f"Failed to parse line: {unparsable[1]}", unparsable[0])
                card = vobject.readOne(cleaned)
            except Exception as exc:  # vobject raises ParseError and assorted others on broken cards
                yield (
                    line,
                    {"_broken": f"cannot read the card: {str(exc).splitlines()[0][:200]}"},
                    {"card": block[:200]},
                )
                continue
            properties = _tree_properties(card, cleaned)
        values = card_values(properties)
        yield line, values, _RejectCells(values)
    if not found:
        raise FileFormatError(f"{path}: no BEGIN:VCARD found; not a vCard file")


# --- The common card, read with vobject's own pieces but without its object tree ---------------------
#
# ``vobject.readOne`` builds a Component and a ContentLine per line (~110 attribute hooks per card),
# decodes every line, copies each structured one before transforming it and unescapes text one character
# at a time: ~80 % of the time of a vCard import. ``_read_properties`` runs the same steps on what we keep.
# A line whose text before its first colon matches ``_HEAD`` (a name, unquoted parameters), the common
# line, is a line of vobject's grammar whose value is the text after that colon (tested against
# ``parseLine``); the heads of a file repeat, so each is looked up in ``_HEADS`` once matched. Any other
# line is parsed by vobject's ``parseLine`` (a line it cannot parse sends the card to ``vobject.readOne``,
# which rejects it with its own message). Values are decoded as the behaviour vobject gives the property
# in a VCARD (looked up in vobject's registry) decodes them, except that a text keeps its whole text
# (``_unescape``: vobject keeps what comes before the first unescaped comma, and Outlook does not escape
# them). A card where the tree would do more is read by ``vobject.readOne``: a fold vobject unfolds, a
# nested or unnamed component, no END, an ENCODING, BASE64 or QUOTED-PRINTABLE parameter on any line
# (vobject decodes those on every line, and may fail); its texts are taken whole too
# (``_tree_properties``). A card with a line ``_clean_lines`` would change (a photo, a quoted-printable
# value) is cleaned first. Structured values with no backslash skip vobject's character-by-character
# unescaping (``_split`` gives what it gives). tests/test_vcard_reader.py proves both ways give the same
# values and broken cards on a mixed corpus, odd cards and the real samples, and ``_split``/``_fields``/
# the decoders the same values as vobject's functions (texts: as a reference that keeps the commas).

_WANTED = frozenset({"fn", "n", "org", "title", "role", "tel", "email", "bday", "note", "uid"})
# Parameters vobject decodes on every line (and ``_clean_lines`` on some), as ``_QP_PARAM`` matches them.
_UNUSUAL = re.compile(r"ENCODING|BASE64|QUOTED-PRINTABLE", re.IGNORECASE)
_BINARY_NAMES = frozenset({"photo", "logo", "sound", "key"})  # ``_BINARY`` for a line whose head matches ``_HEAD``
_LINE_END = re.compile(r"\r\n|\r|\n")  # vobject's line ends (not str.splitlines(): not U+2028, NEL, VT...)
_NAME = r"[a-zA-Z0-9_-]+"
# The language of vobject's ``line_re`` (``vobject.base.parseLine``), written so that a line outside it fails
# at once: vobject's own pattern backtracks exponentially on such a line ("X" + ";a=b,c" * 12 + " " takes
# 25 s, one more parameter 4x that), so a line is given to vobject only once it matches this. (An unquoted
# parameter value here stops at "=", where vobject's may run on: the same lines, one way to read each.)
_VALUE = r'(?:"[^"]*"|[^";:,=]*)'
_VOBJECT_LINE = re.compile(rf"(?:{_NAME}\.)?({_NAME});?(?:;{_NAME}(?:[=,]{_VALUE})*)*:(.*)", re.DOTALL)
_BEHAVIORS: dict[str, tuple[Any, str]] = {}


class _Line:
    """What vobject's behaviours read and write on a content line, without ContentLine's attribute hooks."""

    __slots__ = ("encoded", "isNative", "singletonparams", "value")

    def __init__(self, value: str) -> None:
        self.value: Any = value
        self.singletonparams: list[str] = []  # BASE64 and QUOTED-PRINTABLE send the card to vobject
        self.encoded = True
        self.isNative = False


def _split(value: str, separator: str) -> list[str]:
    """``vobject.icalendar.stringToTextValues(value, separator)`` for a value without a backslash."""
    parts = value.split(separator)
    if len(parts) > 1 and not parts[-1]:
        parts.pop()  # vobject drops one empty value after a trailing separator
    return parts


def _fields(value: str) -> list[Any]:
    """``vobject.vcard.splitFields(value)``: ``;``-separated fields, each a string or a ``,`` list."""
    if "\\" in value:
        from vobject.vcard import splitFields

        return splitFields(value)  # type: ignore[no-any-return]
    if "," not in value:
        return _split(value, ";")
    fields: list[Any] = []
    for field in _split(value, ";"):
        parts = _split(field, ",")
        fields.append(parts[0] if len(parts) == 1 else parts)
    return fields


def _kind(behavior: Any) -> str:
    """What a behaviour does to a value: ``text`` (vobject's two text behaviours: unescape; vobject keeps
    only ``stringToTextValues(value)[0]``, we keep the whole text), ``name`` or ``org`` (``splitFields``
    into a ``Name`` or a list), ``raw`` (no behaviour) or ``other`` (run it)."""
    from vobject.icalendar import TextBehavior
    from vobject.vcard import NameBehavior, OrgBehavior, VCardTextBehavior

    if behavior is None:
        return "raw"
    if behavior in (NameBehavior, OrgBehavior):
        return "name" if behavior is NameBehavior else "org"
    if any(behavior.decode.__func__ is text.decode.__func__ for text in (VCardTextBehavior, TextBehavior)):
        return "text"
    return "other"


def _behavior(name: str) -> tuple[Any, str]:
    """The behaviour vobject gives a ``name`` line inside a VCARD (``VBase.autoBehavior``) and its kind."""
    if name not in _BEHAVIORS:
        from vobject.base import getBehavior
        from vobject.vcard import VCard3_0

        known = VCard3_0.knownChildren.get(name.upper())
        behavior = getBehavior(name, known[2]) if known is not None else VCard3_0.defaultBehavior
        _BEHAVIORS[name] = (behavior, _kind(behavior))
    return _BEHAVIORS[name]


_ESCAPE = re.compile(r"\\(.?)", re.DOTALL)
_ESCAPED = {"n": "\n", "N": "\n", "\\": "\\", ";": ";", ",": ",", '"': '"'}


def _unescaped(match: re.Match[str]) -> str:
    char = match.group(1)
    return _ESCAPED.get(char) or "\\" + char


def _unescape(raw: str) -> str:
    """A text value's whole text: vobject's unescaping (``stringToTextValues``: ``\\n`` a new line, ``\\,``
    ``\\;`` ``\\\\`` ``\\"`` the character, any other backslash kept) without splitting at an unescaped comma
    (vCard 2.1 writers such as Outlook do not escape them: ``FN:Doe, John`` is "Doe, John", where vobject
    keeps "Doe"), and a backslash at the end kept (vobject makes it "\\eof")."""
    return _ESCAPE.sub(_unescaped, raw)


def _native(name: str, raw: str) -> Any:
    behavior, kind = _behavior(name)
    if kind == "raw":
        return raw
    if kind == "text":
        return _text_value(raw)
    if kind == "name":
        return _name_value(raw)
    if kind == "org":
        return _fields(raw)  # OrgBehavior.transformToNative
    line = _Line(raw)
    behavior.decode(line)
    if behavior.hasNative:
        line = behavior.transformToNative(line)
    return line.value


def _text_value(raw: str) -> str:
    return _unescape(raw) if "\\" in raw else raw  # the whole text, unescaped commas included


def _name_value(raw: str) -> Any:
    from vobject.vcard import Name

    return Name(*_fields(raw)[:5])  # NameBehavior.transformToNative: family, given, additional, prefix, suffix


# ``_native`` of the properties we keep, by the kind of their behaviour (see test_vcard_reader.py).
_DECODERS: dict[str, Callable[[str], Any]] = {}


def _load_decoders() -> None:
    by_kind = {"text": _text_value, "name": _name_value, "org": _fields}
    for key in _WANTED:
        decoder = by_kind.get(_behavior(key)[1])
        if decoder is not None:
            _DECODERS[key] = decoder


def _tree_properties(card: Any, text: str) -> dict[str, list[Any]]:
    """The values of vobject's tree of ``text`` by lower-case property name, a text property's value its
    whole text (``_unescape`` of the line as vobject read it: vobject's own decoding kept only the part
    before an unescaped comma). A line with an ENCODING or BASE64 parameter keeps vobject's value."""
    import io

    from vobject.base import ContentLine, getLogicalLines, parseLine

    properties = {key: [child.value for child in children] for key, children in card.contents.items()}
    lines: dict[int, str] | None = None
    for key, children in card.contents.items():
        if key not in _WANTED:
            continue
        for index, child in enumerate(children):
            if not isinstance(child, ContentLine) or child.encoded or _kind(child.behavior) != "text":
                continue
            if lines is None:  # numbered as vobject numbered them when it read the card
                lines = {number: line for line, number in getLogicalLines(io.StringIO(text), False)}
            line = lines.get(child.lineNumber)
            if line is None:
                continue
            _, params, raw, _ = parseLine(line, child.lineNumber)
            if not any(_UNUSUAL.search(";".join(param)) for param in params):
                properties[key][index] = _unescape(raw)
    return properties


# Each line's text before its first colon ("TEL;TYPE=WORK") -> what the line is, for ``_read_properties``:
# a property we keep (its lower-case name), ``_SKIP`` (a line to pass over), ``_END``, or ``_TREE`` (the
# card needs cleaning or vobject's tree). Cards repeat a few heads: a dict lookup instead of a pattern.
_SKIP, _END, _TREE = "", "end", "!"
_HEAD = re.compile(rf"(?:{_NAME}\.)?({_NAME})((?:;{_NAME}(?:=[^\";:,]*(?:,[^\";:,]*)*)?)*)")
_HEADS: dict[str, str] = {}
_HEADS_MAX = 4096


def _head(head: str) -> str | None:
    """What a line whose text before its first colon is ``head`` is (see ``_HEADS``); None when the head
    is outside ``_HEAD`` (the line is read by vobject's own ``parseLine``, or the card by its tree)."""
    found = _HEADS.get(head)
    if found is not None:
        return found
    match = _HEAD.fullmatch(head)
    if match is None:
        return None
    name, params = match.groups()
    key = name.lower()
    if (params and _UNUSUAL.search(params)) or key in _BINARY_NAMES or key == "begin" or key == "profile":
        found = _TREE
    elif key in _WANTED or key == _END:
        found = key
    else:
        found = _SKIP
    if len(_HEADS) < _HEADS_MAX and len(head) <= 200:
        _HEADS[head] = found
    return found


def _read_properties(text: str) -> dict[str, list[Any]] | None:
    """The values ``card_values`` reads, by lower-case property name, as ``_tree_properties`` gives them;
    None when the card needs the tree (see above), or cleaning (``_clean_lines``: a line it would drop or
    decode; ``_BINARY`` and ``_UNUSUAL`` find at least every line it changes).

    A line whose text before its first colon matches ``_HEAD`` (a name, unquoted parameters: no colon
    can come before the one that ends them) is a line of vobject's grammar, and vobject's value is the
    text after that colon (tests/test_vcard_reader.py: ``parseLine`` gives the same on every such line
    of a small alphabet); any other line is parsed by ``parseLine``."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        lines = _LINE_END.split(text) if "\r" in text else text.split("\n")
    else:
        lines = text.split("\n")
    if lines[0].upper() != "BEGIN:VCARD":
        return None
    found: dict[str, list[str]] = {}
    heads = _HEADS
    number = 1
    try:
        for line in lines[1:]:
            number += 1
            head, colon, value = line.partition(":")
            kind = heads.get(head) if colon else None
            if kind is None:
                if not line:
                    continue  # vobject skips empty lines
                kind = _head(head) if colon else None
                if kind is None:
                    if line[0] in " \t" or _BINARY.match(line) or _UNUSUAL.search(line):
                        return None  # a fold, a photo, an encoded value: see read_vcards
                    if not _VOBJECT_LINE.match(line):
                        return None  # a line vobject cannot parse: its tree names it
                    from vobject.base import parseLine

                    name, _, value, _ = parseLine(line, number)  # may raise: vobject rejects the card
                    kind = name.lower()
                    if kind not in _WANTED and kind != _END:
                        if kind == "begin" or kind == "profile":
                            return None
                        continue
            if not kind:  # _SKIP
                continue
            if kind == _END:
                if value.upper() != "VCARD":
                    return None
                break
            if kind == _TREE:
                return None
            values = found.get(kind)
            if values is None:
                found[kind] = [value]
            else:
                values.append(value)
        else:
            return None  # never closed
    except Exception:  # vobject reads the card again and names what is wrong
        return None
    decoders = _DECODERS
    if not decoders:
        _load_decoders()
    return {key: list(map(decoders.get(key) or partial(_native, key), values)) for key, values in found.items()}


def _as_units(org: Any) -> list[Any]:
    return org if isinstance(org, list) else [org]


def _first(found: list[Any]) -> str:
    value = found[0]
    return value.strip() if value.__class__ is str else _text(value)  # type: ignore[no-any-return]


def _texts(found: list[Any]) -> list[str]:
    texts = [value.strip() if value.__class__ is str else _text(value) for value in found]
    return texts if all(texts) else [text for text in texts if text]


def card_values(properties: dict[str, list[Any]]) -> dict[str, Any]:
    """Contact fields from a card's values by lower-case property name (native values, as vobject's
    ``Component.contents`` holds them: ``N`` a ``vobject.vcard.Name``, ``ORG`` a list)."""
    get = properties.get
    values: dict[str, Any] = {}
    found = get("fn")
    if found and (text := _first(found)):
        values["full_name"] = text
    found = get("n")
    if found:
        name = found[0]
        for field, part in (("given_name", name.given), ("middle_name", name.additional), ("family_name", name.family)):
            text = part.strip() if part.__class__ is str else _text(" ".join(part) if isinstance(part, list) else part)
            if text:
                values[field] = text
    found = get("org")
    if found:
        # An unescaped comma makes vobject split a unit into a list ("ORG:Acme, Inc." is [["Acme", " Inc."]]):
        # the user's text again, not a crash.
        units = [",".join(map(str, unit)) if isinstance(unit, list) else str(unit) for unit in _as_units(found[0])]
        parts = [text for text in (unit.strip() for unit in units) if text]
        if parts:
            values["client"] = parts[0]
        if len(parts) > 1:
            values["department"] = " / ".join(parts[1:])
    found = get("title")
    if found and (text := _first(found)):
        values["title"] = text
    else:
        found = get("role")
        if found and (text := _first(found)):
            values["title"] = text
    found = get("tel")
    if found and (phones := _texts(found)):
        values["phone"] = [phone[4:] if phone.lower().startswith("tel:") else phone for phone in phones]
    found = get("email")
    if found and (emails := _texts(found)):
        values["email"] = emails
    found = get("bday")
    if found and (text := _first(found)):
        values["birthday"] = text
    found = get("note")
    if found and (notes := _texts(found)):
        values["personal_notes"] = "\n".join(dict.fromkeys(notes))
    found = get("uid")
    if found and (text := _first(found)):
        values["external_id"] = text[:200]
    return values
