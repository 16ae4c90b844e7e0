"""Validating one row of a contact file into a normalised record, with errors and warnings.

Errors skip the row (an invalid email, a name too long for the file, nothing to identify the
person). Problems with secondary data (an unknown language, a phone number that cannot be read)
are warnings: the row is imported and the warning is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from pressdesk.contacts import validation
from pressdesk.contacts.importing import values
from pressdesk.contacts.importing.headers import IGNORE
from pressdesk.contacts.importing.reading import Row
from pressdesk.contacts.services import normalise_phone
from pressdesk.lib.text import normalise, normalise_email

# Fields whose cells can hold several values ("a@x.fr; b@y.fr").
MULTI = frozenset({"email", "phone", "mobile", "beats", "tags", "languages"})
_PHONE_LABELS = frozenset({"", "mobile", "work", "home", "fax", "pager"})
_NEUTRALISED = re.compile(r"^'(?=[=+\-@\t\r])")
_ANGLE = re.compile(r"<([^<>]+)>")


@dataclass(slots=True)
class Problem:
    """Why a row was skipped, or what was not imported from it."""

    line: int
    field: str
    reason: str
    column: str = ""
    row: dict[str, str] = dc_field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form kept on the import job and printed by the CLI."""
        return {
            "line": self.line,
            "field": self.field,
            "column": self.column,
            "reason": self.reason,
            "row": self.row,
        }


@dataclass(slots=True)
class Record:
    """A row as the press file stores it."""

    line: int
    first_name: str = ""
    last_name: str = ""
    emails: list[tuple[str, str]] = dc_field(default_factory=list)  # (as given, normalised)
    phones: list[tuple[str, str, str]] = dc_field(default_factory=list)  # (raw, e164, label)
    positions: list[tuple[str, str]] = dc_field(default_factory=list)  # (outlet, title)
    media_type: str = ""
    job_title: str = ""
    beats: list[str] = dc_field(default_factory=list)
    tags: list[str] = dc_field(default_factory=list)
    languages: list[str] = dc_field(default_factory=list)
    country: str = ""
    region: str = ""
    social: dict[str, str] = dc_field(default_factory=dict)
    notes: list[str] = dc_field(default_factory=list)
    warnings: list[Problem] = dc_field(default_factory=list)

    @property
    def name_key(self) -> str:
        """The normalised full name, for duplicate detection."""
        return normalise(f"{self.first_name} {self.last_name}")


def table_fields(row: Row, columns: list[tuple[int, str]]) -> dict[str, list[str]]:
    """The values of a table row by field, given (column index, field) pairs."""
    fields: dict[str, list[str]] = {}
    cells = row.cells
    for index, name in columns:
        if index >= len(cells) or name == IGNORE:
            continue
        cell = _NEUTRALISED.sub("", cells[index])
        if not cell:
            continue
        items = values.split_list(cell) if name in MULTI else [cell]
        fields.setdefault(name, []).extend(items)
    return fields


class _Checker:
    def __init__(self, line: int, columns: dict[str, str], original: dict[str, str]) -> None:
        self.line = line
        self.columns = columns
        self.original = original
        self.errors: list[tuple[str, str]] = []
        self.warnings: list[Problem] = []

    def error(self, name: str, reason: str) -> None:
        self.errors.append((name, reason))

    def warn(self, name: str, reason: str) -> None:
        self.warnings.append(Problem(self.line, name, reason, self.columns.get(name, "")))

    def text(self, name: str, value: str, limit: int, *, strict: bool = True) -> str:
        value = " ".join(value.split())
        if len(value) <= limit:
            return value
        if strict:
            self.error(
                name,
                _("“%(value)s…” is longer than %(limit)s characters")
                % {"value": value[:40], "limit": limit},
            )
            return ""
        self.warn(
            name,
            _("“%(value)s…” was cut to %(limit)s characters")
            % {"value": value[:40], "limit": limit},
        )
        return value[:limit]

    def problem(self) -> Problem:
        names = list(dict.fromkeys(name for name, _reason in self.errors))
        return Problem(
            self.line,
            ", ".join(names),
            "; ".join(reason for _name, reason in self.errors),
            ", ".join(self.columns.get(n, "") for n in names if self.columns.get(n)),
            self.original,
        )


def validate(
    line: int,
    fields: dict[str, list[str]],
    *,
    columns: dict[str, str] | None = None,
    original: dict[str, str] | None = None,
    default_region: str = "FR",
) -> tuple[Record | None, Problem | None]:
    """(record, None) for a good row, (None, problem) for a row that must be skipped."""
    check = _Checker(line, columns or {}, original or {})
    record = Record(line)
    first = check.text("first_name", " ".join(fields.get("first_name", [])), 100)
    last = check.text("last_name", " ".join(fields.get("last_name", [])), 100)
    if not first and not last and fields.get("full_name"):
        first, last = values.split_full_name(" ".join(fields["full_name"][0].split()))
        first, last = check.text("full_name", first, 100), check.text("full_name", last, 100)
    record.first_name, record.last_name = first, last
    _emails(check, record, fields.get("email", []))
    _geography(check, record, fields)
    _phones(check, record, fields, default_region)
    _positions(check, record, fields)
    _lists(check, record, fields)
    for network in ("x", "linkedin", "mastodon", "bluesky"):
        if fields.get(network):
            record.social[network] = check.text(
                network,
                values.social_handle(network, validation.social_handle(fields[network][0])),
                validation.HANDLE_MAX,
                strict=False,
            )
    notes = (n.replace("\r\n", "\n").replace("\r", "\n").strip() for n in fields.get("notes", []))
    record.notes = [n for n in notes if n]
    if not check.errors and not (first or last or record.emails):
        check.error("", _("no name and no email address"))
    if check.errors:
        return None, check.problem()
    record.warnings = check.warnings
    return record, None


def _emails(check: _Checker, record: Record, items: list[str]) -> None:
    """Valid addresses go on the record. An invalid one skips the row, unless the row has a valid
    address too: then the person is imported and the bad extra address is a warning."""
    seen = set()
    invalid = []
    for item in items:
        address = item.strip()
        angle = _ANGLE.search(address)
        if angle:
            address = angle.group(1)
        address = address.removeprefix("mailto:").strip()
        try:
            if len(address) > 254:
                raise ValidationError("too long")
            validate_email(address)
        except ValidationError:
            invalid.append(_("“%(value)s” is not a valid address") % {"value": item[:80]})
            continue
        normalised = normalise_email(address)
        if normalised not in seen:
            seen.add(normalised)
            record.emails.append((address, normalised))
    for reason in invalid:
        if record.emails:
            check.warn("email", reason + _("; not imported"))
        else:
            check.error("email", reason)


def _geography(check: _Checker, record: Record, fields: dict[str, list[str]]) -> None:
    if fields.get("country"):
        code = values.country_code(fields["country"][0])
        if code:
            record.country = code
        else:
            check.warn(
                "country",
                _("“%(value)s” is not a country we know; not imported")
                % {"value": fields["country"][0]},
            )
    region = (fields.get("region") or fields.get("city") or [""])[0]
    record.region = check.text("region", region, 100, strict=False)


def _phones(check: _Checker, record: Record, fields: dict[str, list[str]], region: str) -> None:
    items = [("mobile", v) for v in fields.get("mobile", [])] + [
        ("", v) for v in fields.get("phone", [])
    ]
    seen = set()
    for default_label, item in items:
        label, sep, number = item.partition("|")
        if not sep or label not in _PHONE_LABELS:
            label, number = default_label, item
        number = number.strip()
        name = "mobile" if default_label else "phone"
        if not re.search(r"\d", number) or len(number) > 50:
            check.warn(
                name, _("“%(value)s” is not a phone number; not imported") % {"value": number[:60]}
            )
            continue
        e164 = normalise_phone(number, record.country or region)
        if not e164:
            check.warn(
                name,
                _("“%(value)s” could not be read as a phone number; kept as given")
                % {"value": number},
            )
        key = e164 or number
        if key not in seen:
            seen.add(key)
            record.phones.append((number, e164, label))


def _positions(check: _Checker, record: Record, fields: dict[str, list[str]]) -> None:
    outlets = fields.get("outlet", [])
    titles = fields.get("title", [])
    for index in range(max(len(outlets), len(titles))):
        outlet = check.text("outlet", outlets[index] if index < len(outlets) else "", 200)
        title = check.text(
            "title",
            titles[index] if index < len(titles) else (titles[0] if len(titles) == 1 else ""),
            200,
        )
        if title and not record.job_title:
            record.job_title = title
        if outlet and all(normalise(outlet) != normalise(o) for o, _t in record.positions):
            record.positions.append((outlet, title))
    if fields.get("media_type"):
        kind = values.media_type(fields["media_type"][0])
        if kind:
            record.media_type = kind
        else:
            check.warn(
                "media_type",
                _("“%(value)s” is not a media type we know; not imported")
                % {"value": fields["media_type"][0]},
            )


def _lists(check: _Checker, record: Record, fields: dict[str, list[str]]) -> None:
    for name, target in (("beats", record.beats), ("tags", record.tags)):
        seen = set()
        for item in fields.get(name, []):
            # Google's system groups ("* myContacts", "* starred") are not tags.
            if item.startswith("* "):
                continue
            item = check.text(name, item, 100, strict=False)
            key = normalise(item)
            if item and key not in seen:
                seen.add(key)
                target.append(item)
    for item in fields.get("languages", []):
        code = values.language_code(item)
        if not code:
            check.warn(
                "languages",
                _("“%(value)s” is not a language we know; not imported") % {"value": item},
            )
        elif code not in record.languages:
            record.languages.append(code)
