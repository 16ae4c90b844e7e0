"""Linking an article's byline to a journalist of the press file, or suggesting one."""

from __future__ import annotations

import re

from django.db.models import F

from pressdesk.contacts.models import Contact
from pressdesk.lib.text import normalise
from pressdesk.monitoring.models import Byline, Item

# "Marie Dupont et Jean Martin", "By A and B", "Marie Dupont, à Lyon" …
_SPLIT = re.compile(r"\s*(?:,|;|&|\bet\b|\band\b|\bwith\b|\bavec\b)\s*", re.IGNORECASE)
_PREFIX = re.compile(r"^\s*(?:by|par|de)\s+", re.IGNORECASE)
# RSS 2.0 puts an email first: "news@example.org (John Smith)".
_EMAIL_NAME = re.compile(r"^\s*\S+@\S+\s*\((?P<name>[^)]+)\)\s*$")
_NOT_PEOPLE = {"afp", "reuters", "ap", "la redaction", "redaction", "staff", "the editors"}


def names(byline: str) -> list[str]:
    """The people named in a byline, without agencies and "by"/"par"."""
    found = []
    email_name = _EMAIL_NAME.match(byline or "")
    if email_name:
        byline = email_name.group("name")
    for part in _SPLIT.split(_PREFIX.sub("", byline or "")):
        part = part.strip(" .-")
        words = part.split()
        if 2 <= len(words) <= 5 and normalise(part) not in _NOT_PEOPLE:
            found.append(part)
    return found


# Family names that start with a particle: "Jean de La Fontaine", "Anna van der Berg".
_PARTICLES = {"de", "du", "des", "d'", "le", "la", "van", "von", "der", "den", "di", "da", "del"}


def split_name(name: str) -> tuple[str, str]:
    """(first name, last name) of a byline's name: the last word is the family name, with the
    particles before it ("Jean de La Fontaine" → "Jean", "de La Fontaine")."""
    words = name.split()
    if len(words) < 2:
        return "", name.strip()
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _PARTICLES:
        start -= 1
    return " ".join(words[:start]), " ".join(words[start:])


def same_outlet(byline: Byline, item: Item) -> bool:
    """Whether an article may be the byline's: seen at the same outlet, or either is unknown."""
    return byline.outlet_id is None or item.outlet_id in (None, byline.outlet_id)


def find_journalist(org_id: int, name: str) -> Contact | None:
    """The press-file contact with this full name (compared normalised), if exactly one."""
    wanted = normalise(name)
    # The last word, not the whole family name: "de La Fontaine" ends with "Fontaine".
    last = name.split()[-1]
    matches = [
        c
        for c in Contact.objects.for_org(org_id).filter(last_name__iendswith=last)
        if normalise(f"{c.first_name} {c.last_name}") == wanted
    ]
    return matches[0] if len(matches) == 1 else None


def link(item: Item) -> Contact | None:
    """Link the item to its first known author; suggest the unknown ones. The linked contact."""
    linked = None
    for name in names(item.author):
        contact = find_journalist(item.org_id, name)
        if contact is not None:
            linked = linked or contact
            continue
        suggestion, _created = Byline.objects.for_org(item.org_id).get_or_create(
            name_normalised=normalise(name)[:300],
            defaults={"name": name[:300], "outlet_id": item.outlet_id},
        )
        # Someone linked this spelling ("J. Fournier") to a journalist: later articles follow,
        # but only at the outlet it was seen at (another paper's J. Fournier is someone else).
        if (
            suggestion.status == Byline.LINKED
            and suggestion.contact_id
            and same_outlet(suggestion, item)
        ):
            linked = linked or suggestion.contact
        Byline.objects.for_org(item.org_id).filter(pk=suggestion.pk).update(
            articles=F("articles") + 1, last_item=item
        )
    return linked
