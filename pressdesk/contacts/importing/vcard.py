"""Reading vCard 2.1, 3.0 and 4.0 files as phones, Outlook, Google, Apple, Thunderbird write them.

Content lines are parsed by vobject; the physical layout around them is handled here, because
real files break vobject's reader: 2.1 quoted-printable soft line breaks, base64 photos without
folding, properties vobject refuses (PROFILE), commas in ORG values. One damaged card is reported
with its line and does not stop the others.
"""

from __future__ import annotations

import io
import quopri
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from vobject.base import ParseError, parseLine

from pressdesk.contacts.importing.reading import (
    Data,
    ReadError,
    detect_encoding,
    max_rows,
    open_data,
)

# Properties the press file keeps; every other one is listed as "not imported".
# fmt: off
USED = frozenset({
    "BEGIN", "END", "VERSION", "PRODID", "FN", "N", "EMAIL", "TEL", "ORG", "TITLE", "ROLE", "NOTE",
    "CATEGORIES", "LANG", "ADR", "URL", "X-TWITTER", "X-SOCIALPROFILE", "X-PRESSDESK-BEATS",
    "X-PRESSDESK-LANGUAGES", "X-PRESSDESK-MEDIA-TYPE",
})
# fmt: on
_SYSTEM_GROUPS = frozenset({"my contacts", "mycontacts", "starred in android", "favorites"})
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_PROPERTY = re.compile(r"^[A-Za-z0-9.-]+[;:]")
_BASE64 = frozenset({"B", "BASE64"})


@dataclass
class Card:
    """One vCard: where it starts, what the press file can use from it, and what went wrong."""

    line: int
    fields: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    ignored: set[str] = field(default_factory=set)
    error: str = ""
    original: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, value: str) -> None:
        value = value.strip()
        if value:
            self.fields.setdefault(name, []).append(value)


@dataclass(slots=True)
class _Line:
    number: int
    text: str


def read_vcards(data: Data) -> Iterator[Card]:
    """Every card of a .vcf file, in order; a card that cannot be read carries its error.

    The file is decoded and split into lines as it is read, one card at a time in memory.
    """
    encoding = detect_encoding(data)
    count = 0
    for number, lines, error in _cards(_physical_lines(data, encoding)):
        count += 1
        if count > max_rows():
            raise ReadError(
                _("The file has more than %(limit)s cards. Split it into smaller files.")
                % {"limit": number_format(max_rows(), force_grouping=True)}
            )
        card = Card(number)
        if error:
            card.error = error
        else:
            _fill(card, _logical_lines(lines, card))
        yield card
    if count == 0:
        raise ReadError(_("No vCard was found in this file (no BEGIN:VCARD line)."))


def _physical_lines(data: Data, encoding: str) -> Iterator[str]:
    # Universal newlines: CRLF (the standard), LF and CR alike.
    with io.TextIOWrapper(open_data(data), encoding=encoding, newline=None) as stream:
        for line in stream:
            yield line.removesuffix("\n")


def _cards(physical: Iterable[str]) -> Iterator[tuple[int, list[_Line], str]]:
    start, body = 0, list[_Line]()
    for index, raw in enumerate(physical, start=1):
        # Only a short line can be BEGIN or END: long ones are not copied to be compared.
        upper = raw.strip().upper() if len(raw) < 64 else ""
        if upper == "BEGIN:VCARD":
            if start:
                yield start, body, _("line %(line)s: this card has no END:VCARD") % {"line": start}
            start, body = index, []
        elif upper == "END:VCARD":
            if start:
                yield start, body, ""
            start, body = 0, []
        elif start:
            body.append(_Line(index, raw))
    if start:
        yield (
            start,
            body,
            _("line %(line)s: the file ends inside this card (no END:VCARD)") % {"line": start},
        )


def _logical_lines(lines: list[_Line], card: Card) -> Iterator[tuple[int, str]]:
    """Unfold continuation lines, join quoted-printable soft breaks and skip base64 photo bodies.

    A value's pieces are collected in a list and joined once: appending to a string would copy it
    at every line, and a value folded over 100,000 lines would take minutes.
    """
    number, parts = 0, list[str]()
    qp = binary = False
    for line in lines:
        text = line.text
        if parts and qp and parts[-1].endswith("="):
            # A soft line break: the value goes on, on the next physical line.
            parts[-1] = parts[-1][:-1]
            parts.append(text[1:] if text[:1] in " \t" else text)
            continue
        if text[:1] in (" ", "\t") and parts:
            parts.append(text[1:])
            if len(parts) < 4:
                # A property name folded before its value: its parameters are complete only now.
                qp = _is_qp("".join(parts))
            continue
        if not text.strip():
            binary = False
            continue
        if not _PROPERTY.match(text):
            if not binary:
                card.warnings.append(
                    ("", _("line %(line)s: unreadable line ignored") % {"line": line.number})
                )
            continue
        if parts:
            yield number, "".join(parts)
        number, parts = line.number, [text]
        qp = _is_qp(text)
        binary = bool(
            re.search(r";(?:ENCODING=)?(?:B|BASE64)[;:]", text.split(":", 1)[0] + ":", re.I)
        )
    if parts:
        yield number, "".join(parts)


def _is_qp(text: str) -> bool:
    head = text.split(":", 1)[0].upper()
    return "QUOTED-PRINTABLE" in head


def _params(raw: list[list[str]]) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for item in raw:
        name = item[0].upper()
        values = [v for value in item[1:] for v in str(value).split(",")]
        if not values:
            # vCard 2.1 bare parameters: TEL;CELL;PREF, EMAIL;INTERNET, ENCODING shortcuts.
            if name in {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"}:
                params.setdefault("ENCODING", []).append(name)
            else:
                params.setdefault("TYPE", []).append(name.lower())
            continue
        params.setdefault(name, []).extend(v.lower() if name == "TYPE" else v for v in values)
    return params


def _decode_value(value: str, params: dict[str, list[str]], card: Card, number: int) -> str | None:
    encoding = {e.upper() for e in params.get("ENCODING", [])}
    if encoding & _BASE64:
        return None
    if "QUOTED-PRINTABLE" in encoding:
        charset = (params.get("CHARSET") or ["utf-8"])[0]
        raw = quopri.decodestring(value.encode("utf-8"))
        try:
            return raw.decode(charset)
        except LookupError:
            charset = "utf-8"
        except UnicodeDecodeError:
            pass
        card.warnings.append(
            (
                "",
                _("line %(line)s: characters that could not be read were replaced")
                % {"line": number},
            )
        )
        return raw.decode(charset, errors="replace")
    return value


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def _components(text: str) -> list[str]:
    """Split a structured value (N, ORG, ADR) on unescaped semicolons, then unescape each part."""
    return [_unescape(part) for part in re.split(r"(?<!\\);", text)]


def _fill(card: Card, lines: Iterator[tuple[int, str]]) -> None:
    orgs: list[str] = []
    titles: list[str] = []
    roles: list[str] = []
    fn = ""
    for number, text in lines:
        try:
            name, raw_params, value, _group = parseLine(text)
        except ParseError:
            card.warnings.append(
                ("", _("line %(line)s: unreadable property ignored") % {"line": number})
            )
            continue
        name = name.upper()
        if name not in USED:
            card.ignored.add(name)
            continue
        params = _params(raw_params)
        decoded = _decode_value(value, params, card, number)
        if decoded is None:
            card.ignored.add(name)
            continue
        if name == "FN":
            fn = _unescape(decoded).strip()
        elif name == "N":
            parts = [*_components(decoded), "", ""]
            card.add("last_name", parts[0])
            card.add("first_name", parts[1])
        elif name == "EMAIL":
            target = 0 if "pref" in params.get("TYPE", []) or params.get("PREF") else None
            _add_ordered(card, "email", _unescape(decoded), target)
        elif name == "TEL":
            _add_phone(card, decoded, params)
        elif name == "ORG":
            orgs.append(_components(decoded)[0].strip())
        elif name == "TITLE":
            titles.append(_unescape(decoded).strip())
        elif name == "ROLE":
            roles.append(_unescape(decoded).strip())
        elif name == "NOTE":
            card.add("notes", _unescape(decoded))
        elif name == "CATEGORIES":
            for tag in re.split(r"(?<!\\),", decoded):
                if _unescape(tag).strip().lower() not in _SYSTEM_GROUPS:
                    card.add("tags", _unescape(tag))
        elif name == "LANG":
            card.add("languages", _unescape(decoded))
        elif name == "X-PRESSDESK-MEDIA-TYPE":
            card.add("media_type", _unescape(decoded))
        elif name in {"X-PRESSDESK-BEATS", "X-PRESSDESK-LANGUAGES"}:
            # Our own export's extensions: beats and languages have no standard vCard 3.0 property.
            field_name = "beats" if name == "X-PRESSDESK-BEATS" else "languages"
            for value in re.split(r"(?<!\\),", decoded):
                card.add(field_name, _unescape(value))
        elif name == "ADR":
            _add_address(card, decoded)
        elif name in {"URL", "X-TWITTER", "X-SOCIALPROFILE"}:
            _add_social(card, name, _unescape(decoded), params)
    if fn and not card.fields.get("first_name") and not card.fields.get("last_name"):
        card.add("full_name", fn)
    _pair_positions(card, orgs, titles or roles)
    card.original = {
        "FN": fn,
        "EMAIL": ", ".join(card.fields.get("email", [])),
        "TEL": ", ".join(p.split("|", 1)[-1] for p in card.fields.get("phone", [])),
        "ORG": ", ".join(o for o in orgs if o),
        "TITLE": ", ".join(t for t in titles if t),
    }


def _add_ordered(card: Card, name: str, value: str, position: int | None) -> None:
    value = value.strip()
    if not value:
        return
    values = card.fields.setdefault(name, [])
    if position is None:
        values.append(value)
    else:
        values.insert(position, value)


def _add_phone(card: Card, value: str, params: dict[str, list[str]]) -> None:
    value = _unescape(value).strip()
    if value.lower().startswith("tel:"):
        value = value[4:]
    number, _sep, extension = value.partition(";ext=")
    number = number + (f" ext. {extension}" if extension else "")
    types = params.get("TYPE", [])
    label = next((t for t in ("cell", "fax", "pager", "work", "home") if t in types), "")
    label = {"cell": "mobile"}.get(label, label)
    # "label|number": the label travels with the value to the row validator.
    _add_ordered(
        card, "phone", f"{label}|{number}", 0 if "pref" in types or params.get("PREF") else None
    )


def _add_address(card: Card, value: str) -> None:
    parts = _components(value) + [""] * 7
    locality, region, country = parts[3].strip(), parts[4].strip(), parts[6].strip()
    if "country" not in card.fields and country:
        card.add("country", country)
    if "region" not in card.fields and (region or locality):
        card.add("region", region or locality)


def _add_social(card: Card, name: str, value: str, params: dict[str, list[str]]) -> None:
    lowered = value.lower()
    types = params.get("TYPE", [])
    if (
        name == "X-TWITTER"
        or "twitter" in types
        or "x" in types
        or "twitter.com/" in lowered
        or "//x.com/" in lowered
    ):
        card.add("x", value)
    elif "linkedin" in types or "linkedin.com/" in lowered:
        card.add("linkedin", value)
    elif "bsky.app/" in lowered or "bluesky" in types:
        card.add("bluesky", value)
    elif "mastodon" in types:
        card.add("mastodon", value)
    else:
        card.ignored.add(name)


def _pair_positions(card: Card, orgs: list[str], titles: list[str]) -> None:
    """ORG and TITLE come in pairs (several jobs); a title without an outlet stays the job title."""
    for index in range(max(len(orgs), len(titles))):
        org = orgs[index] if index < len(orgs) else ""
        title = titles[index] if index < len(titles) else ""
        if org:
            card.fields.setdefault("outlet", []).append(org)
            card.fields.setdefault("title", []).append(title)
        elif title:
            card.fields.setdefault("title", []).append(title)
            card.fields.setdefault("outlet", []).append("")
