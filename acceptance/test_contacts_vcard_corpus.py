"""Every vCard of the ez-vcard corpus imports with its names, emails, phones and organisations.

A small independent reader (below, not the importer's) lists what each card holds. Each card must
then be either a contact carrying all of it, or a skipped row with its line and reason; each value
the press file cannot keep (a "phone" with no digits) must be a reported warning. Nothing may go
missing silently. Run with `pytest -s` to see the per-file report.
"""

from __future__ import annotations

import quopri
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.importing import ImportOptions, run_import
from pressdesk.contacts.models import Contact
from pressdesk.lib.text import normalise, normalise_email

_LINE = re.compile(r"^(?:[A-Za-z0-9-]+\.)?(EMAIL|TEL|ORG|N|FN)((?:;[^:]*)?):(.*)$", re.IGNORECASE)
_VALID_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


@dataclass
class Card:
    line: int
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)
    family: str = ""
    given: str = ""
    full: str = ""


def _decode(params: str, value: str) -> str:
    if "QUOTED-PRINTABLE" in params.upper():
        charset = re.search(r"CHARSET=([^;:]+)", params, re.IGNORECASE)
        raw = quopri.decodestring(value.encode())
        return raw.decode(charset.group(1) if charset else "utf-8", errors="replace")
    return value


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def reference_cards(path: Path) -> list[Card]:
    """What each card holds, read naively: unfolded lines, quoted-printable joined."""
    cards: list[Card] = []
    logical: list[tuple[int, str]] = []
    for number, raw in enumerate(
        path.read_bytes().decode("utf-8", errors="replace").splitlines(), 1
    ):
        if (
            logical
            and "QUOTED-PRINTABLE" in logical[-1][1].split(":", 1)[0].upper()
            and logical[-1][1].endswith("=")
        ):
            logical[-1] = (logical[-1][0], logical[-1][1][:-1] + raw.lstrip(" \t"))
        elif raw[:1] in (" ", "\t") and logical:
            logical[-1] = (logical[-1][0], logical[-1][1] + raw[1:])
        else:
            logical.append((number, raw))
    for number, text in logical:
        if text.strip().upper() == "BEGIN:VCARD":
            cards.append(Card(number))
            continue
        match = _LINE.match(text)
        if not match or not cards:
            continue
        name, value = match.group(1).upper(), _decode(match.group(2), match.group(3))
        card = cards[-1]
        if name == "EMAIL":
            card.emails.append(_unescape(value).strip())
        elif name == "TEL":
            card.phones.append(value.strip())
        elif name == "ORG":
            card.orgs.append(_unescape(re.split(r"(?<!\\);", value)[0]).strip())
        elif name == "N":
            parts = [*re.split(r"(?<!\\);", value), "", ""]
            card.family, card.given = _unescape(parts[0]).strip(), _unescape(parts[1]).strip()
        elif name == "FN":
            card.full = " ".join(_unescape(value).split())
    return cards


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def corpus_files(root: Path) -> list[Path]:
    return sorted((root / "contacts" / "ez-vcard").glob("*.vcf"))


@pytest.fixture(scope="module")
def vcards(corpus: Path) -> list[Path]:
    files = corpus_files(corpus)
    assert len(files) >= 17, [f.name for f in files]
    return files


def find(org: Organisation, card: Card) -> Contact:
    valid = [normalise_email(e) for e in card.emails if _VALID_EMAIL.match(e)]
    contacts = Contact.objects.filter(org=org)
    if valid:
        return contacts.get(emails__email_normalised=valid[0])
    if card.family or card.given:
        return contacts.get(last_name=card.family, first_name=card.given)
    return next(c for c in contacts if normalise(c.full_name) == normalise(card.full))


@pytest.mark.django_db
def test_every_corpus_vcard_imports_intact(vcards: list[Path]) -> None:
    report = []
    for index, path in enumerate(vcards):
        org = Organisation.objects.create(name=path.stem, slug=f"corpus-{index}")
        result = run_import(org, path.read_bytes(), path.name, ImportOptions())
        cards = reference_cards(path)
        skipped = {p.line: p for p in result.skipped}
        warned = {(w.line, w.field) for w in result.warnings}
        c = result.counts
        assert c["rows"] == len(cards), path.name
        assert c["created"] + c["updated"] + c["merged"] + c["skipped"] == len(cards), path.name
        for card in cards:
            where = f"{path.name} line {card.line}"
            if card.line in skipped:
                assert skipped[card.line].reason, where
                continue
            contact = find(org, card)
            if card.family or card.given:
                assert (contact.last_name, contact.first_name) == (card.family, card.given), where
            else:
                assert normalise(contact.full_name) == normalise(card.full), where
            emails = {e.email_normalised for e in contact.emails.all()}
            for email in card.emails:
                if _VALID_EMAIL.match(email):
                    assert normalise_email(email) in emails, f"{where}: {email}"
                else:
                    assert (card.line, "email") in warned, f"{where}: {email} dropped silently"
            numbers = {digits(p.raw) for p in contact.phones.all()}
            for phone in card.phones:
                if digits(phone):
                    assert digits(phone) in numbers, f"{where}: {phone}"
                else:
                    assert (card.line, "phone") in warned, f"{where}: {phone} dropped silently"
            outlets = {normalise(p.outlet.name) for p in contact.positions.select_related("outlet")}
            for name in card.orgs:
                if name:
                    assert normalise(name) in outlets, f"{where}: {name}"
        reasons = "; ".join(f"line {p.line}: {p.field} {p.reason}" for p in result.skipped) or "-"
        notes = " ".join(result.notes) or "all properties used"
        report.append(
            f"{path.name}: {len(cards)} cards, created {c['created']}, "
            f"skipped {c['skipped']} ({reasons}), warnings {c['warnings']}; {notes}"
        )
    print("\n" + "\n".join(report))
