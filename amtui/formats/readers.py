"""Reading tabular files as they come: the encoding, the delimiter and the format are detected.

A reader yields ``(line, cells)`` rows after a header row; ``line`` is the
physical line of the row's start in the file (1-based, the header is line 1),
or the spreadsheet row number, so that error messages point where the user looks.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any

from amtui.services.errors import AmtuiError
from amtui.services.limits import MAX_TEXT_CHARS

SNIFF_BYTES = 64 * 1024
CHUNK_BYTES = 1024 * 1024
BOM_BLOCK_CHARS = 64 * 1024  # lines read at once by the CSV reader (see _without_bom)
# A field this long is not a name or a phone: the row is rejected, the file still read.
MAX_FIELD_CHARS = MAX_TEXT_CHARS
# Zip bombs: refuse a spreadsheet that would inflate beyond this, or by this ratio.
MAX_XLSX_UNCOMPRESSED = 512 * 1024 * 1024
MAX_XLSX_RATIO = 200
# Excel's own sheet size is 1,048,576 rows; a table of more than 1,000 columns is not a client list.
MAX_XLSX_ROWS = 1_048_576
MAX_XLSX_COLUMNS = 1_000

csv.field_size_limit(16 * 1024 * 1024)


class FileFormatError(AmtuiError):
    """The file cannot be read as data at all (one clear message, nothing imported)."""


@dataclass
class Table:
    """A header and a stream of rows; ``progress()`` reports how far reading has come (0..1)."""

    path: Path
    format: str
    headers: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)
    _position: Any = None
    _size: int = 0

    def progress(self) -> float:
        if self._position is None or not self._size:
            return 0.0
        try:
            return min(self._position() / self._size, 1.0)
        except (OSError, ValueError):
            return 0.0


def sniff_format(path: Path) -> str:
    """``csv``, ``xlsx``, ``vcard``, ``ical`` or ``json`` by content (extensions lie), else a clear error."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except IsADirectoryError:
        raise FileFormatError(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise FileFormatError(f"{path}: {exc.strerror}") from None
    if not head.strip():
        raise FileFormatError(f"{path}: the file is empty")
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileFormatError(f"{path}: an old Excel (.xls) file; save it as .xlsx or CSV in Excel and import that")
    text = _decode_head(head).lstrip("\ufeff \r\n\t").upper()
    if text.startswith("BEGIN:VCARD"):
        return "vcard"
    if text.startswith("BEGIN:VCALENDAR"):
        return "ical"
    if _looks_like_json(text):
        return "json"
    for signature, name in ((b"%PDF", "a PDF"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image")):
        if head.startswith(signature):
            raise FileFormatError(f"{path}: {name}, not a data file (CSV, XLSX, JSON, vCard or iCalendar)")
    return "csv"


def _looks_like_json(text: str) -> bool:
    """A JSON array or object opening (a CSV header like ``[Name],[City]`` does not)."""
    if not text.startswith(("[", "{")):
        return False
    rest = text[1:].lstrip(" \r\n\t")
    if text[0] == "{":
        return rest[:1] in ('"', "}")
    return rest[:1] in ("{", "[", "]", '"', "-") or rest[:1].isdigit() or rest.startswith(("TRUE", "FALSE", "NULL"))


def _decode_head(head: bytes) -> str:
    encoding = _bom_encoding(head) or _utf16_without_bom(head)
    if encoding:
        return head.decode(encoding, errors="ignore")
    return head.decode("latin-1")


def _bom_encoding(head: bytes) -> str | None:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text without a BOM: every other byte of ASCII text is NUL."""
    sample = head[:2048]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > half * 0.4 and even_nuls < half * 0.1:
        return "utf-16-le"
    if even_nuls > half * 0.4 and odd_nuls < half * 0.1:
        return "utf-16-be"
    return None


def detect_encoding(path: Path) -> str:
    """BOM, then UTF-16 by NULs, then UTF-8 if the whole file decodes, else cp1251 or cp1252.

    The UTF-8 check streams the whole file (a file can be ASCII for megabytes and
    then hold one cp1251 name); cp1251 and cp1252 are told apart by how high bytes
    group: Russian words are runs of them, accents in Latin text stand alone.
    """
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
        encoding = _bom_encoding(head) or _utf16_without_bom(head)
        if encoding:
            return encoding
        if b"\x00" in head:
            raise FileFormatError(f"{path}: a binary file, not text (CSV, XLSX, JSON, vCard or iCalendar)")
        decoder: Any = codecs.getincrementaldecoder("utf-8")()
        chunk = head
        sample = b""
        lines = 1
        while chunk:
            _refuse_nul(path, chunk, lines)
            if decoder is not None:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    sample = chunk
                    decoder = None  # not UTF-8; read on for NUL bytes only
            lines += chunk.count(b"\n")
            chunk = handle.read(CHUNK_BYTES)
        if decoder is not None:
            try:
                decoder.decode(b"", final=True)
                return "utf-8"
            except UnicodeDecodeError:
                sample = head
    return "cp1251" if _looks_cyrillic(sample) else "cp1252"


def _refuse_nul(path: Path, chunk: bytes, first_line: int) -> None:
    """A NUL byte anywhere in a single-byte or UTF-8 text file is binary data, not a name: refuse the file."""
    at = chunk.find(b"\x00")
    if at >= 0:
        line = first_line + chunk.count(b"\n", 0, at)
        raise FileFormatError(f"{path}:{line}: a NUL byte (binary data) in a text file; nothing imported")


def check_no_nul(path: Path, encoding: str) -> None:
    """The NUL check of ``detect_encoding`` for a file whose encoding the user named."""
    if encoding.replace("_", "-").lower().startswith(("utf-16", "utf16", "utf-32", "utf32")):
        return
    with path.open("rb") as handle:
        lines = 1
        while chunk := handle.read(CHUNK_BYTES):
            _refuse_nul(path, chunk, lines)
            lines += chunk.count(b"\n")


def _looks_cyrillic(sample: bytes) -> bool:
    high = paired = 0
    for index, byte in enumerate(sample):
        if byte >= 0xC0:
            high += 1
            if (index > 0 and sample[index - 1] >= 0xC0) or (index + 1 < len(sample) and sample[index + 1] >= 0xC0):
                paired += 1
    return high > 0 and paired / high > 0.5


def detect_delimiter(text: str) -> str:
    """``,``, ``;``, tab or ``|``: the one that splits the first lines most consistently."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t|").delimiter
    except csv.Error:
        pass
    header = lines[0]
    counts = {delimiter: header.count(delimiter) for delimiter in (",", ";", "\t", "|")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


class _CountingReader(io.RawIOBase):
    """Counts the bytes read so that the progress bar knows where we are."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        buffer[: len(data)] = data
        self.position += len(data)
        return len(data)

    def close(self) -> None:
        self.raw.close()
        super().close()


def read_csv(path: Path, *, encoding: str | None = None, delimiter: str | None = None) -> Table:
    if encoding:
        check_no_nul(path, encoding)
    encoding = encoding or detect_encoding(path)
    with path.open("r", encoding=encoding, errors="replace", newline="") as handle:
        head_text = handle.read(SNIFF_BYTES)
    delimiter = delimiter or detect_delimiter(head_text.lstrip("\ufeff"))
    counting = _CountingReader(path.open("rb"))
    text = io.TextIOWrapper(io.BufferedReader(counting, CHUNK_BYTES), encoding=encoding, newline="")
    reader = csv.reader(_without_bom(text), delimiter=delimiter)
    try:
        headers = next(reader)
    except StopIteration:
        text.close()
        raise FileFormatError(f"{path}: the file is empty") from None
    except (csv.Error, UnicodeDecodeError) as exc:
        text.close()
        raise FileFormatError(f"{path}: line 1: cannot read the header: {exc}") from None
    headers = [header.strip() for header in headers]
    if not any(headers):
        text.close()
        raise FileFormatError(f"{path}: the first line is empty; it should name the columns")
    table = Table(path=path, format="csv", headers=headers, rows=iter(()), encoding=encoding, delimiter=delimiter)
    table.rows = _csv_rows(path, reader, text, headers, table.notes)
    table._position = lambda: counting.position
    table._size = path.stat().st_size
    return table


def _without_bom(handle: IO[str]) -> Iterator[str]:
    """Lines without U+FEFF: a byte order mark inside a file (files joined with ``cat``) is not text.
    Looked for in blocks of lines, so the common file's lines pass without a step of Python each."""
    return itertools.chain.from_iterable(_blocks_without_bom(handle))


def _blocks_without_bom(handle: IO[str]) -> Iterator[list[str]]:
    while block := handle.readlines(BOM_BLOCK_CHARS):
        if "\ufeff" in "".join(block):
            block = [line.replace("\ufeff", "") for line in block]
        yield block


def _csv_rows(
    path: Path, reader: Any, handle: IO[str], headers: list[str], notes: list[str]
) -> Iterator[tuple[int, list[Any]]]:
    """The rows after the header; byte order marks inside the file (files joined with ``cat``) are
    dropped, and a line repeating the header is skipped with a note, not imported as a record."""
    line = reader.line_num + 1
    header_key = [header.casefold() for header in headers]
    first_header = header_key[0] if header_key else ""
    repeated: list[int] = []
    try:
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise FileFormatError(f"{path}:{line}: cannot read the row: {exc}") from None
            except UnicodeDecodeError as exc:
                raise FileFormatError(f"{path}:{line}: not readable as {exc.encoding}") from None
            if cells and any(cells):
                if (
                    cells[0].strip().casefold() == first_header
                    and len(cells) == len(headers)
                    and [cell.strip().casefold() for cell in cells] == header_key
                ):
                    repeated.append(line)
                else:
                    yield line, cells
            line = reader.line_num + 1
    finally:
        handle.close()
    if repeated:
        shown = ", ".join(str(number) for number in repeated[:10]) + (" ..." if len(repeated) > 10 else "")
        notes.append(f"the header line repeated at line {shown}: skipped")


def check_zip(path: Path) -> None:
    """Refuse archives that are not spreadsheets or that would inflate absurdly (zip bombs).

    The sizes come from the zip directory: nothing is decompressed to find them.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileFormatError(f"{path}: a damaged or truncated XLSX/zip file ({exc})") from None
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or not any(name.startswith("xl/") for name in names):
        raise FileFormatError(f"{path}: a zip archive, but not an Excel workbook (.xlsx)")
    total = sum(entry.file_size for entry in entries)
    compressed = sum(entry.compress_size for entry in entries) or 1
    if total > MAX_XLSX_UNCOMPRESSED or (total / compressed > MAX_XLSX_RATIO and total > 10 * 1024 * 1024):
        raise FileFormatError(
            f"{path}: refusing to open: it would unpack to {total // (1024 * 1024)} MB "
            f"from {compressed // 1024} KB (a zip bomb?)"
        )


def read_xlsx(path: Path, *, sheet: str | None = None) -> Table:
    check_zip(path)
    import warnings

    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on broken files
        raise FileFormatError(f"{path}: cannot read the workbook: {exc}") from None
    if sheet is not None:
        if sheet not in workbook.sheetnames:
            workbook.close()
            raise FileFormatError(f"{path}: no sheet {sheet!r}; sheets: {', '.join(workbook.sheetnames)}")
        candidates = [workbook[sheet]]
    else:
        candidates = [workbook[name] for name in workbook.sheetnames]
    for worksheet in candidates:
        # The <dimension> a file declares can claim A1:XFD1048576: read the rows and cells present.
        worksheet.reset_dimensions()
        rows = _bounded_rows(path, worksheet.title, worksheet.iter_rows(values_only=True))
        for number, values in enumerate(rows, start=1):
            if values and any(value not in (None, "") for value in values):
                headers = [_cell_text(value).strip() for value in values]
                while headers and not headers[-1]:
                    headers.pop()
                table = Table(path=path, format="xlsx", headers=headers, rows=iter(()))
                table.notes.append(f"sheet {worksheet.title!r}")
                table.rows = _xlsx_rows(workbook, rows, number)
                return table
    workbook.close()
    raise FileFormatError(f"{path}: the workbook has no data" + (f" on sheet {sheet!r}" if sheet else ""))


def _bounded_rows(path: Path, title: str, rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """The sheet's rows, a clear error past Excel's own limits (a hand-made file can claim more)."""
    for number, values in enumerate(rows, start=1):
        if number > MAX_XLSX_ROWS:
            raise FileFormatError(f"{path}: sheet {title!r} goes on past row {MAX_XLSX_ROWS:,}, more than Excel holds")
        if len(values) > MAX_XLSX_COLUMNS:
            last = max((index for index, value in enumerate(values) if value not in (None, "")), default=-1) + 1
            if last > MAX_XLSX_COLUMNS:
                raise FileFormatError(
                    f"{path}: sheet {title!r} row {number}: a cell in column {last:,}; "
                    f"at most {MAX_XLSX_COLUMNS:,} columns are read"
                )
            values = values[:MAX_XLSX_COLUMNS]
        yield values


def _xlsx_rows(workbook: Any, rows: Iterator[tuple[Any, ...]], header_row: int) -> Iterator[tuple[int, list[Any]]]:
    try:
        for number, values in enumerate(rows, start=header_row + 1):
            if values and any(value not in (None, "") for value in values):
                yield number, [_cell_value(value) for value in values]
    finally:
        workbook.close()


def _cell_value(value: Any) -> Any:
    """Keep typed cells typed (numbers, dates); integral floats become ints (Excel stores 42 as 42.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date()
    if isinstance(value, str):
        return value.strip()
    return value


def _cell_text(value: Any) -> str:
    value = _cell_value(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


JSON_WHITESPACE = " \t\r\n"
_LONG_NUMBER = re.compile(r"\d{1000}")


def _long_number_at(buffer: str, position: int) -> int:
    found = _LONG_NUMBER.search(buffer, position)
    return found.start() if found else position


def read_json_records(path: Path, *, encoding: str | None = None) -> Iterator[tuple[int, int, Any]]:
    """``(record number, line, record)`` for each element of a JSON array, streamed.

    The file is decoded a chunk at a time and each element parsed on its own, so memory
    stays flat however many records the file holds. A file that is not valid JSON, or
    not an array, is one clear error with the line where reading stopped.
    """
    encoding = encoding or detect_encoding(path)
    decoder = json.JSONDecoder()
    with path.open("r", encoding=encoding, errors="strict", newline="") as handle:
        buffer = ""
        position = 0
        line = 1  # the line of buffer[position]
        at_end = False

        def more() -> bool:
            nonlocal buffer, position, at_end
            if at_end:
                return False
            try:
                # At least as much again as is held: a record longer than a chunk costs O(n), not O(n^2).
                chunk = handle.read(max(CHUNK_BYTES, len(buffer) - position))
            except UnicodeDecodeError as exc:
                raise FileFormatError(f"{path}:{line}: not readable as {exc.encoding}") from None
            if not chunk:
                at_end = True
                return False
            buffer = buffer[position:] + chunk
            position = 0
            return True

        def skip_space() -> str:
            """The next significant character ('' at the end of the file)."""
            nonlocal position, line
            while True:
                while position < len(buffer) and buffer[position] in JSON_WHITESPACE:
                    if buffer[position] == "\n":
                        line += 1
                    position += 1
                if position < len(buffer):
                    return buffer[position]
                if not more():
                    return ""

        def fail(reason: str, at_line: int | None = None) -> FileFormatError:
            return FileFormatError(f"{path}:{at_line or line}: not valid JSON: {reason}")

        first = skip_space()
        if first.startswith("\ufeff"):
            position += 1
            first = skip_space()
        if first != "[":
            if first == "{":
                raise FileFormatError(
                    f"{path}:{line}: a JSON object; expected a list of records: [{{...}}, {{...}}] "
                    "(what amtui export --format json writes)"
                )
            raise fail(f"expected '[' (a list of records), found {first!r}" if first else "the file is empty")
        position += 1
        number = 0
        expect_value = True
        while True:
            following = skip_space()
            if following == "]" and (number == 0 or not expect_value):
                position += 1
                break
            if not following:
                raise fail("the file ends inside the list (truncated?)")
            if not expect_value:
                if following != ",":
                    raise fail(f"expected ',' or ']' after record {number}, found {following!r}")
                position += 1
                expect_value = True
                continue
            while True:
                try:
                    record, end = decoder.raw_decode(buffer, position)
                except RecursionError:
                    raise fail(f"record {number + 1} is nested too deeply (lists or objects in each other)") from None
                except json.JSONDecodeError as exc:
                    # Maybe the record goes on in the next chunk; only at the end of the file is it an error.
                    if more():
                        continue
                    if not buffer[exc.pos :].strip(JSON_WHITESPACE):
                        raise fail(f"the file ends inside record {number + 1} (truncated?)") from None
                    raise fail(exc.msg, line + buffer.count("\n", position, exc.pos)) from None
                except ValueError:
                    # int() refuses numbers of more than sys.get_int_max_str_digits() digits.
                    at = line + buffer.count("\n", position, _long_number_at(buffer, position))
                    raise fail(f"record {number + 1} holds a number of thousands of digits", at) from None
                if end >= len(buffer) and more():
                    continue  # a number or word cut at the chunk's end: decode it whole
                break
            number += 1
            yield number, line, record
            line += buffer.count("\n", position, end)
            position = end
            expect_value = False
        if skip_space():
            raise fail(f"unexpected {buffer[position]!r} after the list")


def open_table(path: Path, *, sheet: str | None = None, encoding: str | None = None) -> Table:
    """A tabular file (CSV or XLSX), sniffed by content."""
    kind = sniff_format(path)
    if kind == "xlsx":
        return read_xlsx(path, sheet=sheet)
    if kind == "csv":
        return read_csv(path, encoding=encoding)
    raise FileFormatError(f"{path}: a {kind} file, not a table; it is read only for contacts (vCard) or interactions")
