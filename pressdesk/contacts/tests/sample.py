"""Sample press-file rows for tests: a contact or an outlet in one call."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pressdesk.accounts.models import Organisation
from pressdesk.contacts import services
from pressdesk.contacts.models import Contact, ContactEmail, Outlet, Position
from pressdesk.lib.text import normalise


def outlet(org: Organisation, name: str = "Ouest-France", **fields: Any) -> Outlet:
    fields.setdefault("media_type", "regional_daily")
    return Outlet.objects.create(org=org, name=name, name_normalised=normalise(name), **fields)


def contact(
    org: Organisation,
    first_name: str = "Marie",
    last_name: str = "Dupont",
    *,
    emails: Sequence[str] = (),
    at: Outlet | None = None,
    title: str = "",
    beats: Sequence[str] = (),
    tags: Sequence[str] = (),
    **fields: Any,
) -> Contact:
    person = Contact.objects.create(org=org, first_name=first_name, last_name=last_name, **fields)
    for n, address in enumerate(emails):
        ContactEmail.objects.create(contact=person, org=org, email=address, is_primary=n == 0)
    if at is not None:
        Position.objects.create(contact=person, outlet=at, title=title)
    person.beats.set([services.beat(org, b) for b in beats])
    person.tags.set([services.tag(org, t) for t in tags])
    services.refresh_search([person])
    person.refresh_from_db()
    return person
