"""Mailings, contacts and ledger rows for the compose tests, written with the models directly."""

from __future__ import annotations

from typing import Any

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts.models import Contact, ContactEmail
from pressdesk.contacts.models.contacts import Position
from pressdesk.contacts.models.outlets import Outlet
from pressdesk.contacts.services import beat
from pressdesk.mailings.models import Mailing, Recipient
from pressdesk.mailings.models.mailing import MailingKind

BODY = (
    "{{ greeting }},\n\nNous lançons **notre offre** : voir [le site](https://example.org/offre).\n"
)


def contact(
    org: Organisation,
    first: str = "Jeanne",
    last: str = "Dupont",
    email: str = "jeanne@example.org",
    *,
    outlet: str = "Ouest-France",
    title: str = "Rédactrice en chef",
    beats: tuple[str, ...] = ("énergie",),
) -> Contact:
    """A journalist with one address, a current position and beats."""
    person = Contact.objects.for_org(org).create(org=org, first_name=first, last_name=last)
    if email:
        ContactEmail.objects.for_org(org).create(
            org=org, contact=person, email=email, is_primary=True
        )
    if outlet:
        where = Outlet.objects.for_org(org).create(org=org, name=outlet)
        Position.objects.create(contact=person, outlet=where, title=title)
    for name in beats:
        person.beats.add(beat(org, name))
    return person


def mailing(org: Organisation, by: User | None = None, **fields: Any) -> Mailing:
    """A free-text draft mailing (override any field)."""
    values: dict[str, Any] = {
        "kind": MailingKind.FREE,
        "subject": "Notre offre pour {{ outlet }}",
        "body": BODY,
        "sender_name": "Service presse Acme",
        "sender_email": "presse@acme.example",
        "reply_to": "replies@acme.example",
        "language": "fr",
        "created_by": by,
        **fields,
    }
    return Mailing.objects.for_org(org).create(org=org, **values)


def recipient(
    mailing: Mailing, person: Contact | None, address: str = "", name: str = ""
) -> Recipient:
    """A ledger row, as the engine's freeze writes it."""
    if person is not None:
        address = address or person.emails.order_by("-is_primary", "pk")[0].email
        name = name or person.full_name
    return Recipient.objects.for_org(mailing.org_id).create(
        org=mailing.org,
        mailing=mailing,
        contact=person,
        address=address,
        address_key=address.strip().lower(),
        name=name,
    )
