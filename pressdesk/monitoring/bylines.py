"""Linking an article's byline to a journalist of the press file, or suggesting one."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import F, Q

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


def suggestion(org_id: int, name: str, outlet_id: int | None) -> Byline:
    """The byline row of this name at this outlet (no outlet is one more "outlet"), created
    pending when new. Safe when two workers see the same byline at once: the unique constraints
    make one create and the other find it."""
    # outlet_id None looks up the rows of no outlet (IS NULL), and is what a new row gets.
    key: dict[str, Any] = {"name_normalised": normalise(name)[:300], "outlet_id": outlet_id}
    found, _created = Byline.objects.for_org(org_id).get_or_create(
        **key, defaults={"name": name[:300]}
    )
    return found


def at_outlet(outlet_id: int | None) -> Q:
    """Articles (or bylines) of this outlet; of no outlet when None: as link() files them."""
    return Q(outlet__isnull=True) if outlet_id is None else Q(outlet_id=outlet_id)


def link(item: Item) -> Contact | None:
    """Link the item to its first known author; suggest the unknown ones. The linked contact."""
    linked = None
    for name in names(item.author):
        contact = find_journalist(item.org_id, name)
        if contact is not None:
            linked = linked or contact
            continue
        # Someone linked this spelling ("J. Fournier") at this outlet to a journalist: later
        # articles there follow. Another paper's "J. Fournier" has a row, and a review, of its own.
        byline = suggestion(item.org_id, name, item.outlet_id)
        if byline.status == Byline.LINKED and byline.contact_id:
            linked = linked or byline.contact
        Byline.objects.for_org(item.org_id).filter(pk=byline.pk).update(
            articles=F("articles") + 1, last_item=item
        )
    return linked
