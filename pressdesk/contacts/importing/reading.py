"""Reading contact files as they come: CSV from Excel, Google, Outlook and vendors; XLSX; vCard.

Every reader yields rows with the physical line (or sheet row) where the row starts, so that
problems can be reported as "line 14". A file that cannot be read at all raises ReadError with a
message for the user; nothing is stored in that case.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO, TextIO

import charset_normalizer
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from pressdesk.lib import uploads

CSV, XLSX, VCARD = "csv", "xlsx", "vcard"
FORMATS = (CSV, XLSX, VCARD)
_EXTENSIONS = {
    ".csv": CSV,
    ".txt": CSV,
    ".tsv": CSV,
    ".tab": CSV,
    ".xlsx": XLSX,
    ".xlsm": XLSX,
    ".vcf": VCARD,
    ".vcard": VCARD,
}
_DELIMITERS = (";", ",", "\t", "|")
# Python's csv module refuses longer fields; no contact field comes near it.
MAX_FIELD_CHARS = csv.field_size_limit()


def max_bytes() -> int:
    """The largest file an import accepts."""
    return int(getattr(settings, "CONTACTS_IMPORT_MAX_BYTES", 50 * 1024 * 1024))


def max_rows() -> int:
    """The most rows an import accepts."""
    return int(getattr(settings, "CONTACTS_IMPORT_MAX_ROWS", 200_000))


class ReadError(Exception):
    """A file that cannot be read as contacts; the message is for the user."""


class FileData:
    """A contact file on disk, read in pieces rather than loaded whole (the CLI, the worker)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.size = self.path.stat().st_size

    def __len__(self) -> int:
        return self.size

    def open(self) -> BinaryIO:
        """The file, from its start."""
        return self.path.open("rb")


# Bytes in memory (a web upload, a test) or a file on disk.
Data = bytes | FileData
_CHUNK = 1024 * 1024


def open_data(data: Data) -> BinaryIO:
    """The data as a binary stream (bytes are not copied)."""
    return data.open() if isinstance(data, FileData) else io.BytesIO(data)


def head(data: Data, size: int) -> bytes:
    """The first bytes of the data."""
    if isinstance(data, FileData):
        with data.open() as handle:
            return handle.read(size)
    return data[:size]


def _chunks(data: Data) -> Iterator[bytes]:
    with open_data(data) as handle:
        while chunk := handle.read(_CHUNK):
            yield chunk


def text_stream(data: Data, encoding: str) -> TextIO:
    """The data as text, decoded as it is read, line ends kept as they are (for csv)."""
    return io.TextIOWrapper(open_data(data), encoding=encoding, newline="")


@dataclass(slots=True)
class Row:
    line: int
    cells: list[str]


@dataclass
class Table:
    """A tabular file: its headers, and its rows read lazily."""

    headers: list[str]
    header_line: int
    rows: Iterator[Row]
    encoding: str = ""
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)


def detect_format(filename: str, head: bytes) -> str:
    """The format of a file from its first bytes, else its extension; ReadError if unsupported."""
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReadError(
            _("This is an old Excel file (.xls). Open it in Excel and save it as .xlsx or CSV.")
        )
    if head.startswith(b"PK\x03\x04"):
        return XLSX
    # NUL bytes dropped: UTF-16 (little- or big-endian, with or without a BOM) reads as ASCII.
    sample = head[:4096].replace(b"\x00", b"").lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").upper()
    if sample.startswith(b"BEGIN:VCARD"):
        return VCARD
    suffix = Path(filename).suffix.lower()
    if suffix in _EXTENSIONS and _EXTENSIONS[suffix] != XLSX:
        return _EXTENSIONS[suffix]
    if suffix in {
        ".pdf",
        ".doc",
        ".docx",
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".zip",
        ".ods",
        ".numbers",
    }:
        raise ReadError(_("Files of this type cannot be imported. Use CSV, XLSX or vCard (.vcf)."))
    return CSV


def check_size(size: int) -> None:
    """Refuse empty and oversized files before reading them."""
    if size == 0:
        raise ReadError(_("The file is empty."))
    if size > max_bytes():
        raise ReadError(too_large(size))


def too_large(size: int) -> str:
    """The message for a file over the size limit ("at least" the size when it was cut off)."""
    limit = min(max_bytes(), uploads.max_bytes())
    return _(
        "The file is too large (%(size)s MB); the limit is %(limit)s MB. "
        "Split it into smaller files."
    ) % {"size": round(size / 1048576, 1), "limit": round(limit / 1048576)}


def decode(data: Data) -> tuple[str, str]:
    """(text, encoding) of a text file: UTF-8 with or without BOM, UTF-16, cp1252, latin-1…"""
    encoding = detect_encoding(data)
    with text_stream(data, encoding) as stream:
        return stream.read(), encoding


def detect_encoding(data: Data) -> str:
    """The encoding of a text file, checked over the whole file a piece at a time: ReadError for
    a file that is not text, is empty, or does not decode as its byte order mark says."""
    check_size(len(data))
    first = head(data, 65536)
    if first.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text" export: UTF-16 with a BOM, tab-separated.
        encoding = "utf-16"
    elif (utf16 := _utf16_without_bom(first, len(data))) is not None:
        encoding = utf16
    else:
        encoding = _guess(data, first)
    _check_text(data, encoding)
    return encoding


def _check_text(data: Data, encoding: str) -> None:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    offset, sample, blank = 0, "", True
    try:
        for chunk in _chunks(data):
            text = decoder.decode(chunk)
            offset += len(chunk)
            if "\x00" in text:
                raise ReadError(_("This does not look like a text file: it contains NUL bytes."))
            if len(sample) < 65536:
                sample += text[: 65536 - len(sample)]
            blank = blank and not text.strip()
        blank = blank and not decoder.decode(b"", final=True).strip()
    except UnicodeDecodeError as e:
        raise ReadError(
            _("The file says it is %(encoding)s but is not (byte %(position)s).")
            % {
                "encoding": encoding.upper().removesuffix("-SIG"),
                "position": offset + e.start,
            }
        ) from e
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\r\n\x0c")
    if controls > max(8, len(sample) // 100):
        raise ReadError(_("This does not look like a text file: it contains binary data."))
    if blank:
        raise ReadError(_("The file is empty."))


def _decodes_as(data: Data, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        for chunk in _chunks(data):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _utf16_without_bom(data: bytes, size: int) -> str | None:
    """ "utf-16-le" or "utf-16-be" for UTF-16 text without a byte order mark, else None.

    Contact files are mostly Latin letters, digits and punctuation: in UTF-16 every other byte of
    those is NUL, the second of each pair in little-endian order, the first in big-endian.
    """
    sample = data[:4096]
    sample = sample[: len(sample) // 2 * 2]
    pairs = len(sample) // 2
    if pairs < 2 or size % 2:
        return None
    high_first = sample[0::2].count(0)
    high_second = sample[1::2].count(0)
    for encoding, nuls, others in (
        ("utf-16-le", high_second, high_first),
        ("utf-16-be", high_first, high_second),
    ):
        if nuls >= pairs * 0.6 and others == 0:
            try:
                data[:4096].decode(encoding)
            except UnicodeDecodeError:
                # The sample may end inside a surrogate pair; the whole file is checked later.
                if size <= 4096:
                    return None
            return encoding
    return None


def _guess(data: Data, first: bytes) -> str:
    if b"\x00" in first and first.count(b"\x00") > len(first) // 4:
        raise ReadError(_("This does not look like a text file: it contains NUL bytes."))
    if _decodes_as(data, "utf-8"):
        return "utf-8"
    # Excel on Windows saves "CSV" in cp1252 (a superset of latin-1 for letters like é, œ, €).
    if _decodes_as(data, "cp1252"):
        return "cp1252"
    best = charset_normalizer.from_bytes(head(data, 200_000)).best()
    if best is not None:
        try:
            if _decodes_as(data, best.encoding):
                return str(best.encoding)
        except LookupError:
            pass
    return "latin-1"


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first records into the most columns, most consistently."""
    sample = text[:65536]
    best, best_score = ",", -1.0
    for delimiter in _DELIMITERS:
        try:
            records = [r for r in _head_records(sample, delimiter) if any(c.strip() for c in r)]
        except csv.Error:
            continue
        if not records or len(records[0]) < 2:
            continue
        width = len(records[0])
        same = sum(1 for r in records if len(r) == width) / len(records)
        score = width * same
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _head_records(sample: str, delimiter: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    records = []
    for record in reader:
        records.append(record)
        if len(records) >= 20:
            break
    # The last record of a cut sample may be incomplete.
    return records[:-1] if len(records) > 2 else records


def read_csv(data: Data) -> Table:
    """A CSV (or tab-separated) file as a Table; the delimiter and encoding are detected.

    Rows are decoded and read as they are asked for: the file's text is never held whole.
    """
    encoding = detect_encoding(data)
    with text_stream(data, encoding) as stream:
        delimiter = _sniff_delimiter(stream.read(65536))
    rows = _csv_rows(data, encoding, delimiter)
    headers, header_line = _headers(rows)
    return Table(headers, header_line, rows, encoding=encoding, delimiter=delimiter)


def _csv_rows(data: Data, encoding: str, delimiter: str) -> Iterator[Row]:
    with text_stream(data, encoding) as stream:
        yield from _csv_records(stream, delimiter)


def _csv_records(stream: TextIO, delimiter: str) -> Iterator[Row]:
    reader = csv.reader(stream, delimiter=delimiter, strict=False)
    end = 0
    limit = max_rows()
    count = 0
    while True:
        start = end + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            if "field larger than field limit" in str(e):
                raise ReadError(
                    _(
                        "Line %(line)s: a cell is longer than %(limit)s characters. "
                        "This is not a contact file."
                    )
                    % {"line": start, "limit": number_format(MAX_FIELD_CHARS, force_grouping=True)}
                ) from e
            raise ReadError(_("Line %(line)s: %(error)s") % {"line": start, "error": e}) from e
        end = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        count += 1
        if count > limit + 1:
            raise ReadError(
                _("The file has more than %(limit)s rows. Split it into smaller files.")
                % {"limit": number_format(limit, force_grouping=True)}
            )
        yield Row(start, [c.strip() for c in cells])


def _headers(rows: Iterator[Row]) -> tuple[list[str], int]:
    first = next(rows, None)
    if first is None:
        raise ReadError(_("The file is empty."))
    filled = [c for c in first.cells if c]
    if len(filled) == 1 and len(first.cells) == 1:
        return first.cells, first.line
    if len(filled) == 1:
        # A title line above the real headers ("Export du 12/03/2025"): skip it.
        second = next(rows, None)
        if second is not None and sum(1 for c in second.cells if c) > 1:
            return second.cells, second.line
        if second is not None:
            raise ReadError(_("No header line was found at the top of the file."))
    return first.cells, first.line


def read_xlsx(data: Data) -> Table:
    """The first sheet of an XLSX workbook as a Table; line numbers are sheet rows."""
    check_size(len(data))
    _check_zip(data)
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(open_data(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds on damaged files
        raise ReadError(_("This Excel file cannot be read: %(error)s") % {"error": e}) from e
    sheet = workbook.worksheets[0] if workbook.worksheets else None
    if sheet is None:
        raise ReadError(_("The workbook has no sheet."))
    rows = _xlsx_rows(sheet)
    headers, header_line = _headers(rows)
    return Table(headers, header_line, rows, notes=_other_sheets(workbook))


def _other_sheets(workbook: object) -> list[str]:
    names = [ws.title for ws in getattr(workbook, "worksheets", [])[1:]]
    if not names:
        return []
    return [
        _("Only the first sheet was read; other sheets: %(names)s.") % {"names": ", ".join(names)}
    ]


def _check_zip(data: Data) -> None:
    """Refuse zip bombs: too much uncompressed data, or an absurd compression ratio."""
    try:
        archive = zipfile.ZipFile(open_data(data))
    except zipfile.BadZipFile as e:
        raise ReadError(_("This file is not a valid XLSX workbook.")) from e
    total = sum(info.file_size for info in archive.infolist())
    limit = int(getattr(settings, "CONTACTS_IMPORT_MAX_XLSX_BYTES", 300 * 1024 * 1024))
    if total > limit or total > 200 * max(len(data), 1):
        raise ReadError(
            _(
                "This workbook expands to %(size)s MB when opened, "
                "which is more than an import accepts."
            )
            % {"size": round(total / 1048576)}
        )
    if "xl/workbook.xml" not in archive.namelist():
        raise ReadError(_("This file is not a valid XLSX workbook."))


def _xlsx_rows(sheet: object) -> Iterator[Row]:
    limit = max_rows()
    count = 0
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):  # type: ignore[attr-defined]
        cells = [_cell_text(v) for v in values]
        if not any(cells):
            continue
        count += 1
        if count > limit + 1:
            raise ReadError(
                _("The sheet has more than %(limit)s rows. Split it into smaller files.")
                % {"limit": number_format(limit, force_grouping=True)}
            )
        if any(len(c) > MAX_FIELD_CHARS for c in cells):
            raise ReadError(
                _(
                    "Row %(line)s: a cell is longer than %(limit)s characters. "
                    "This is not a contact file."
                )
                % {"line": number, "limit": number_format(MAX_FIELD_CHARS, force_grouping=True)}
            )
        yield Row(number, cells)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        # Phone numbers typed into Excel become numbers: 612345678.0 → "612345678".
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()
