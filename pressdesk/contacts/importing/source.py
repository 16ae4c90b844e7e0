"""One interface over every file format: headers and their mapping, a preview, the rows."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.importing import headers as header_rules
from pressdesk.contacts.importing.reading import (
    CSV,
    VCARD,
    XLSX,
    Data,
    ReadError,
    Row,
    Table,
    check_size,
    detect_format,
    head,
    read_csv,
    read_xlsx,
)
from pressdesk.contacts.importing.rows import Problem
from pressdesk.contacts.importing.vcard import read_vcards
from pressdesk.contacts.models import ColumnMapping

# vCard properties and their field, to name the "column" of a problem.
_VCARD_COLUMNS = {
    "first_name": "N",
    "last_name": "N",
    "full_name": "FN",
    "email": "EMAIL",
    "phone": "TEL",
    "mobile": "TEL",
    "outlet": "ORG",
    "title": "TITLE",
    "notes": "NOTE",
    "tags": "CATEGORIES",
    "languages": "LANG",
    "country": "ADR",
    "region": "ADR",
}


@dataclass(slots=True)
class Item:
    """One row or card of a file, before validation."""

    line: int
    fields: dict[str, list[str]]
    error: str = ""
    warnings: list[Problem] = field(default_factory=list)
    raw: Row | None = None
    original: dict[str, str] = field(default_factory=dict)


@dataclass
class Source:
    """A readable contact file and how its columns map onto the press file."""

    data: Data
    filename: str
    file_format: str
    headers: list[str] = field(default_factory=list)
    mapping: dict[str, str | None] = field(default_factory=dict)
    mapping_origin: str = "auto"  # "auto", "remembered" or "given"
    encoding: str = ""
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)
    ignored_properties: Counter[str] = field(default_factory=Counter)
    # Headers of a given mapping that the file does not have.
    missing: list[str] = field(default_factory=list)

    @property
    def is_table(self) -> bool:
        return self.file_format in (CSV, XLSX)

    @property
    def unknown(self) -> list[str]:
        """Headers that no rule recognises and no mapping covers."""
        return header_rules.unknown_headers(self.mapping)

    @property
    def headers_key(self) -> str:
        return header_rules.headers_key(self.headers)

    def apply(self, mapping: dict[str, str]) -> list[str]:
        """Override the mapping of some headers (matched loosely); return the headers not found."""
        by_key = {header_rules.header_key(h): h for h in self.headers}
        missing = []
        for header, name in mapping.items():
            found = (
                header if header in self.mapping else by_key.get(header_rules.header_key(header))
            )
            if found is None:
                missing.append(header)
            else:
                self.mapping[found] = name or header_rules.IGNORE
        return missing

    def columns(self) -> dict[str, str]:
        """The first column feeding each field, to name it in problems."""
        if not self.is_table:
            return dict(_VCARD_COLUMNS)
        found: dict[str, str] = {}
        for header in self.headers:
            name = self.mapping.get(header)
            if name and name != header_rules.IGNORE:
                found.setdefault(name, header)
        return found

    def not_imported(self) -> list[str]:
        """Columns that are read but not kept (known extra columns, unknown ones left unmapped)."""
        return [h for h in self.headers if h and self.mapping.get(h) in (None, header_rules.IGNORE)]

    def _table(self) -> Table:
        return read_csv(self.data) if self.file_format == CSV else read_xlsx(self.data)

    def check_rows(self) -> None:
        """Count a table's rows, holding none of them: ReadError past the row limit, raised before
        any row is checked, planned or written."""
        if self.is_table:
            for _row in self._table().rows:
                pass

    def preview(self, count: int = 5) -> list[list[str]]:
        """The first rows, cell by cell, for the mapping step."""
        if not self.is_table:
            return []
        width = len(self.headers)
        return [
            (r.cells + [""] * width)[:width] for r in itertools.islice(self._table().rows, count)
        ]

    def items(self) -> Iterator[Item]:
        """Every row (or card) of the file with its values by field."""
        if self.is_table:
            yield from self._table_items()
        else:
            yield from self._card_items()

    def _table_items(self) -> Iterator[Item]:
        from pressdesk.contacts.importing.rows import table_fields

        columns = [
            (i, self.mapping.get(h) or header_rules.IGNORE) for i, h in enumerate(self.headers)
        ]
        columns = [(i, name) for i, name in columns if name != header_rules.IGNORE]
        for row in self._table().rows:
            yield Item(row.line, table_fields(row, columns), raw=row)

    def _card_items(self) -> Iterator[Item]:
        for card in read_vcards(self.data):
            self.ignored_properties.update(card.ignored)
            warnings = [Problem(card.line, name, reason) for name, reason in card.warnings]
            yield Item(card.line, card.fields, card.error, warnings, original=card.original)
        if self.ignored_properties:
            self.notes.append(
                _("vCard properties not imported: %(names)s.")
                % {"names": ", ".join(sorted(self.ignored_properties))}
            )

    def original(self, item: Item) -> dict[str, str]:
        """The row as the file had it, column by column, for the skipped-rows download."""
        if item.raw is None:
            return item.original
        row: dict[str, str] = {}
        for index, header in enumerate(self.headers):
            name = header or _("column %(number)s") % {"number": index + 1}
            while name in row:
                name += " "
            row[name] = item.raw.cells[index] if index < len(item.raw.cells) else ""
        return row


def open_source(
    data: Data,
    filename: str,
    file_format: str | None = None,
    *,
    org: Organisation | None = None,
    mapping: dict[str, str] | None = None,
) -> Source:
    """Open a file for import: detect its format, read its headers, work out the column mapping.

    Raises ReadError with a message for the user when the file cannot be imported at all.
    """
    check_size(len(data))
    file_format = file_format or detect_format(filename, head(data, 8192))
    source = Source(data, filename, file_format)
    if file_format == VCARD:
        return source
    if file_format not in (CSV, XLSX):
        raise ReadError(_("Unknown format %(format)s.") % {"format": file_format})
    table = source._table()
    if next(table.rows, None) is None:
        raise ReadError(_("The file has a header line but no rows."))
    source.headers = table.headers
    source.encoding, source.delimiter = table.encoding, table.delimiter
    source.notes += table.notes
    source.mapping = dict(header_rules.auto_mapping(table.headers))
    remembered = None
    if org is not None:
        remembered = (
            ColumnMapping.objects.for_org(org).filter(headers_key=source.headers_key).first()
        )
    if remembered is not None:
        source.apply(remembered.mapping)
        source.mapping_origin = "remembered"
    if mapping:
        source.missing = source.apply(mapping)
        source.mapping_origin = "given"
    return source


__all__ = ["Item", "ReadError", "Source", "open_source"]
