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


def find_journalist(org_id: int, name: str) -> Contact | None:
    """The press-file contact with this full name (compared normalised), if exactly one."""
    wanted = normalise(name)
    last = name.split()[-1]
    matches = [
        c
        for c in Contact.objects.for_org(org_id).filter(last_name__iexact=last)
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
        # Someone linked this spelling ("J. Fournier") to a journalist: later articles follow.
        if suggestion.status == Byline.LINKED and suggestion.contact_id:
            linked = linked or suggestion.contact
        Byline.objects.for_org(item.org_id).filter(pk=suggestion.pk).update(
            articles=F("articles") + 1, last_item=item
        )
    return linked
