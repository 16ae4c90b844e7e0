"""Exporting contacts as CSV, XLSX or vCard 3.0, streamed so that 100,000 rows stay cheap.

CSV is UTF-8 with a BOM (so Excel reads accents), every cell quoted. The delimiter follows the
organisation's language: ";" for French (what French Excel expects on a double-click), "," for
English; callers may choose. In CSV and XLSX, a cell starting with = + - @ tab or CR gets a
leading apostrophe in CSV (our importer removes it again), and is a quote-prefixed text cell in
XLSX, so that no spreadsheet runs it as a formula.
Column headers are ones the importer recognises, so an export re-imports as the same data.

Dates: CSV writes them in ISO 8601 (2026-11-28), the one form every spreadsheet and script
reads the same whatever its locale; "28/11/2026" would read as 11 November in a US-English
spreadsheet, and "11/28/2026" not at all in a French one. XLSX writes real date cells, which
a spreadsheet sorts and filters as dates, shown as the exporting user's language writes them
(`XLSX_DATE_FORMATS`: "28/11/2026" in French; ISO 8601 otherwise).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pressdesk.accounts import audit
from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts import phones as phone_numbers
from pressdesk.contacts.models import (
    Contact,
    ContactEmail,
    ContactList,
    ContactPhone,
    Note,
    Position,
)
from pressdesk.contacts.models.contacts import LawfulBasis, SourceKind
from pressdesk.contacts.models.optout import address_hash
from pressdesk.contacts.models.outlets import MediaType
from pressdesk.contacts.services import opted_out_hashes
from pressdesk.lib import locales

CSV, XLSX, VCARD = "csv", "xlsx", "vcard"
FORMATS = (CSV, XLSX, VCARD)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    VCARD: "text/vcard; charset=utf-8",
}
EXTENSIONS = {CSV: "csv", XLSX: "xlsx", VCARD: "vcf"}
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
CHUNK = 2000
# How an XLSX date cell is shown, by the language of the user who exports (Excel's codes).
XLSX_DATE_FORMATS = {"fr": "dd/mm/yyyy"}
XLSX_DATE_FORMAT = "yyyy-mm-dd"


class ExportError(Exception):
    """An export that cannot be made; the message is for the user."""


def neutralise(value: str) -> str:
    """A cell that no spreadsheet will run as a formula (OWASP CSV injection)."""
    return "'" + value if value.startswith(_DANGEROUS) else value


def headers() -> list[str]:
    """The column headers, in the user's language; the importer recognises both languages."""
    return [
        _("First name"), _("Last name"), _("Email"), _("Phone"), _("Mobile"), _("Outlet"),
        _("Job title"), _("Media type"), _("Beats"), _("Tags"), _("Languages"), _("Country"),
        _("Region"), "X", "LinkedIn", "Mastodon", "Bluesky", _("Notes"), _("Source"),
        _("Lawful basis"), _("Created"), _("Opt-out"),
    ]  # fmt: skip


def contacts_for(org: Organisation, contact_list: ContactList | None = None) -> QuerySet[Contact]:
    """Everyone, a static list's members, or a segment's members today."""
    if contact_list is None:
        return Contact.objects.for_org(org).order_by("pk")
    if contact_list.org_id != org.pk:
        raise ExportError(_("This list belongs to another organisation."))
    if contact_list.kind == ContactList.SEGMENT:
        from pressdesk.contacts.filters import segment_contacts

        return segment_contacts(contact_list).order_by("pk")
    return (
        Contact.objects.for_org(org)
        .filter(list_memberships__contact_list=contact_list)
        .order_by("pk")
    )


@dataclass(slots=True)
class Entry:
    """One contact with its details, read with a few queries per thousand contacts."""

    first_name: str
    last_name: str
    job_title: str
    languages: list[str]
    country: str
    region: str
    social: dict[str, str]
    source_kind: str
    source_label: str
    lawful_basis: str
    created: datetime
    emails: list[str] = field(default_factory=list)
    phones: list[tuple[str, str, str]] = field(default_factory=list)  # (e164, raw, label)
    # Current positions, the latest started first: (outlet, title, media type).
    positions: list[tuple[str, str, str]] = field(default_factory=list)
    beats: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # oldest first

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


_COLUMNS = (
    "pk", "first_name", "last_name", "job_title", "languages", "country", "region", "social",
    "source_kind", "source_label", "lawful_basis", "created",
)  # fmt: skip


def _grouped(rows: Iterable[tuple[Any, ...]]) -> dict[int, list[Any]]:
    """Rows (contact_id, value) or (contact_id, *values) as {contact_id: [value or values]}."""
    out: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        out[row[0]].append(row[1] if len(row) == 2 else row[1:])
    return out


def _of(ids: list[int]) -> dict[str, Any]:
    """The filter on contact_id for a chunk of ids in increasing order.

    A range when the ids have no gap (always so for one organisation's whole file, usually so
    for bulk-imported contacts): the same rows as `IN (...)`, without Django preparing 2,000
    parameters per query.
    """
    if ids[-1] - ids[0] + 1 == len(ids):
        return {"contact_id__gte": ids[0], "contact_id__lte": ids[-1]}
    return {"contact_id__in": ids}


def entries(contacts: QuerySet[Contact]) -> Iterator[Entry]:
    """The contacts with their details, in id order, CHUNK (2,000) at a time.

    Plain value queries: prefetch_related would build a queryset per contact and relation,
    which is most of the cost of exporting 100,000 contacts.
    """
    base = contacts.order_by("pk")
    last = 0
    while True:
        batch = list(base.filter(pk__gt=last).values_list(*_COLUMNS)[:CHUNK])
        if not batch:
            return
        ids = [row[0] for row in batch]
        last = ids[-1]
        of = _of(ids)
        emails = _grouped(
            # all-orgs: these contact ids come from the scoped queryset above
            ContactEmail.objects.filter(**of)
            .order_by("contact_id", "-is_primary", "pk")
            .values_list("contact_id", "email")
        )
        phones = _grouped(
            ContactPhone.objects.filter(**of)
            .order_by("contact_id", "pk")
            .values_list("contact_id", "e164", "raw", "label")
        )
        positions = _grouped(
            Position.objects.filter(**of, end_date=None)
            .order_by("contact_id", F("start_date").desc(nulls_last=True), "-pk")
            .values_list("contact_id", "outlet__name", "title", "outlet__media_type")
        )
        beats = _grouped(
            Contact.beats.through.objects.filter(**of)
            .order_by("contact_id", "beat__name")
            .values_list("contact_id", "beat__name")
        )
        tags = _grouped(
            Contact.tags.through.objects.filter(**of)
            .order_by("contact_id", "tag__name")
            .values_list("contact_id", "tag__name")
        )
        notes = _grouped(
            Note.objects.filter(**of)
            .order_by("contact_id", "created", "pk")
            .values_list("contact_id", "text")
        )
        for pk, *values in batch:
            entry = Entry(*values)
            entry.emails, entry.phones = emails.get(pk, []), phones.get(pk, [])
            entry.positions, entry.notes = positions.get(pk, []), notes.get(pk, [])
            entry.beats, entry.tags = beats.get(pk, []), tags.get(pk, [])
            yield entry


def rows(
    org: Organisation, contacts: QuerySet[Contact], *, dates: bool = False
) -> Iterator[list[Any]]:
    """One row of text cells per contact, headers first; not yet neutralised.

    Dates are ISO 8601 text, or with `dates` (for write_xlsx) `date` values."""
    optout = opted_out_hashes(org)
    media = {str(value): str(label) for value, label in MediaType.choices}
    sources = {str(value): str(label) for value, label in SourceKind.choices}
    bases = {str(value): str(label) for value, label in LawfulBasis.choices}
    yes = _("yes")
    display, is_mobile = phone_numbers.display, _is_mobile
    here = timezone.get_current_timezone()
    yield headers()
    for c in entries(contacts):
        position = c.positions[0] if c.positions else ("", "", "")
        created = c.created.astimezone(here).date()
        yield [
            c.first_name,
            c.last_name,
            ", ".join(c.emails),
            ", ".join(display(e164, raw) for e164, raw, label in c.phones if not is_mobile(label)),
            ", ".join(display(e164, raw) for e164, raw, label in c.phones if is_mobile(label)),
            position[0],
            c.job_title or position[1],
            media.get(position[2], ""),
            ", ".join(c.beats),
            ", ".join(c.tags),
            locales.language_names(c.languages),
            locales.country_name(c.country) if c.country else "",
            c.region,
            *((c.social or {}).get(n, "") for n in ("x", "linkedin", "mastodon", "bluesky")),
            "\n\n".join(c.notes),
            c.source_label or sources.get(c.source_kind, c.source_kind),
            bases.get(c.lawful_basis, c.lawful_basis),
            created if dates else created.isoformat(),
            yes if optout and any(address_hash(e) in optout for e in c.emails) else "",
        ]


def _is_mobile(label: str) -> bool:
    # Labels typed before numbers were read as kinds ("Mobile", "Portable") count too.
    return label == phone_numbers.MOBILE or phone_numbers.label_key(label) == phone_numbers.MOBILE


def delimiter_for(org: Organisation) -> str:
    """The CSV delimiter a spreadsheet in the organisation's language expects."""
    return ";" if org.language == "fr" else ","


class _Line:
    """A file-like sink that hands back what csv.writer wrote, one row at a time."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def take(self) -> str:
        text, self.text = self.text, ""
        return text


def csv_chunks(table: Iterable[list[str]], delimiter: str = ";") -> Iterator[bytes]:
    """A CSV file, UTF-8 with BOM, every cell quoted and neutralised, in chunks of bytes."""
    line = _Line()
    writer = csv.writer(line, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    yield "\ufeff".encode()
    buffer: list[str] = []
    dangerous = _DANGEROUS
    for row in table:
        # neutralise(), inlined: this runs for every cell of 100,000 rows.
        writer.writerow([("'" + cell) if cell.startswith(dangerous) else cell for cell in row])
        buffer.append(line.take())
        if len(buffer) >= 500:
            yield "".join(buffer).encode("utf-8")
            buffer = []
    if buffer:
        yield "".join(buffer).encode("utf-8")


def write_xlsx(
    table: Iterable[Sequence[str | date]], out: IO[bytes], title: str | None = None
) -> None:
    """An XLSX workbook, every cell a string or a real date cell, written in constant memory.

    A cell that starts like a formula ("+33 6…", "=SUM…") is stored as text with Excel's
    "quote prefix" style: shown as typed, with no apostrophe, and still text when edited. A
    `date` is a date cell, shown in the active language's format (XLSX_DATE_FORMATS); a
    `datetime` must be naive (local time: spreadsheets have no time zones) and shows its time too.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title or _("Contacts"))

    shown = XLSX_DATE_FORMATS.get((get_language() or "").split("-")[0], XLSX_DATE_FORMAT)

    def cell(value: str | date) -> str | WriteOnlyCell:
        if isinstance(value, date):
            day = WriteOnlyCell(sheet, value=value)
            day.number_format = f"{shown} hh:mm" if isinstance(value, datetime) else shown
            return day
        value = _ILLEGAL_XML.sub("", value)
        if not value.startswith(_DANGEROUS):
            return value
        text = WriteOnlyCell(sheet, value=value)
        text.data_type = "s"  # not "f": openpyxl would otherwise write "=…" as a formula
        text.quotePrefix = True
        return text

    for row in table:
        sheet.append([cell(value) for value in row])
    workbook.save(out)


# Every line break str.splitlines() knows (and so may other readers), and the other controls.
_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")


def _escape(text: str) -> str:
    """A property value as RFC 6350 §3.4 writes it: backslash, comma, semicolon and every kind
    of line break escaped, other control characters dropped, so no value can start a property
    or a card of its own."""
    text = text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return _BREAKS.sub("\\\\n", _CONTROLS.sub("", text))


def _param(text: str) -> str:
    """A parameter value (TYPE=…) reduced to the letters, digits and dashes RFC 6350 allows."""
    return re.sub(r"[^A-Za-z0-9-]", "", text)[:30] or "other"


def _fold(line: str) -> str:
    """Fold a content line at 75 octets without cutting a UTF-8 character (RFC 6350 §3.2)."""
    if len(line) <= 75 and len(line.encode("utf-8")) <= 75:
        return line + "\r\n"  # most lines: no need to walk them character by character
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out) + "\r\n"


def vcard_chunks(contacts: QuerySet[Contact]) -> Iterator[bytes]:
    """vCard 3.0 cards, in chunks of bytes."""
    buffer: list[str] = []
    for c in entries(contacts):
        buffer.append(vcard(c))
        if len(buffer) >= 200:
            yield "".join(buffer).encode("utf-8")
            buffer = []
    if buffer:
        yield "".join(buffer).encode("utf-8")


def vcard(c: Entry) -> str:
    """One contact as a vCard 3.0."""
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:{_escape(c.last_name)};{_escape(c.first_name)};;;",
        f"FN:{_escape(c.full_name or '-')}",
    ]
    for index, (outlet, title, _kind) in enumerate(c.positions):
        lines.append(f"ORG:{_escape(outlet)}")
        lines.append(f"TITLE:{_escape(title or (c.job_title if index == 0 else ''))}")
    if not c.positions and c.job_title:
        lines.append(f"TITLE:{_escape(c.job_title)}")
    if c.positions and c.positions[0][2]:
        lines.append(f"X-PRESSDESK-MEDIA-TYPE:{_escape(c.positions[0][2])}")
    for index, email in enumerate(c.emails):
        lines.append(f"EMAIL;TYPE=INTERNET{',PREF' if index == 0 else ''}:{_escape(email)}")
    for e164, raw, label in c.phones:
        kind = {"mobile": "CELL", "fax": "FAX", "home": "HOME", "pager": "PAGER"}.get(
            phone_numbers.label_key(label), "WORK"
        )
        lines.append(f"TEL;TYPE={kind}:{_escape(e164 or raw)}")
    if c.region or c.country:
        lines.append(f"ADR;TYPE=WORK:;;;;{_escape(c.region)};;{_escape(c.country)}")
    if c.tags:
        lines.append("CATEGORIES:" + ",".join(_escape(t) for t in c.tags))
    if c.beats:
        lines.append("X-PRESSDESK-BEATS:" + ",".join(_escape(b) for b in c.beats))
    if c.languages:
        lines.append("X-PRESSDESK-LANGUAGES:" + ",".join(_escape(x) for x in c.languages))
    for network, handle in sorted((c.social or {}).items()):
        lines.append(f"X-SOCIALPROFILE;TYPE={_param(network)}:{_escape(str(handle))}")
    lines += [f"NOTE:{_escape(text)}" for text in c.notes]
    lines.append("END:VCARD")
    return "".join(_fold(line) for line in lines)


def record_export(
    org: Organisation,
    *,
    file_format: str,
    count: int,
    scope: str,
    file_name: str = "",
    by: User | None = None,
    actor_label: str = "",
    request: Any = None,
) -> None:
    """Audit-log an export: who, what, how many, which format, into which file."""
    audit.record(
        "contacts.export",
        org=org,
        actor=by,
        actor_label=actor_label,
        request=request,
        format=file_format,
        count=count,
        scope=scope,
        file=file_name,
    )


def filename(org: Organisation, file_format: str, scope: str = "") -> str:
    """A download name such as "acme-contacts-journalistes.csv"."""
    from django.utils.text import slugify
    from django.utils.timezone import localdate

    parts = [org.slug, "contacts", slugify(scope) if scope else "", localdate().isoformat()]
    return "-".join(p for p in parts if p) + "." + EXTENSIONS[file_format]


def csv_text(table: Iterable[list[str]], delimiter: str = ";") -> str:
    """A whole CSV as text, for small tables (the skipped rows of an import)."""
    return b"".join(csv_chunks(table, delimiter)).decode("utf-8")
