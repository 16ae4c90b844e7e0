"""Rows for the GDPR tests: a contact, or one with something in every related table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pressdesk.accounts.models import Organisation
from pressdesk.contacts import services
from pressdesk.contacts.models import (
    Contact,
    ContactEmail,
    ContactList,
    ContactPhone,
    ImportJob,
    ListMembership,
    MergeSuggestion,
    Note,
    Outlet,
    Position,
)
from pressdesk.lib.text import normalise_email

EMAIL = "Marie.Dupont@ouest-france.example.fr"


def person(
    org: Organisation,
    first_name: str = "Marie",
    last_name: str = "Dupont",
    *,
    emails: Sequence[str] = (EMAIL,),
    **fields: Any,
) -> Contact:
    contact = Contact.objects.create(org=org, first_name=first_name, last_name=last_name, **fields)
    for n, address in enumerate(emails):
        ContactEmail.objects.create(
            contact=contact,
            org=org,
            email=address,
            email_normalised=normalise_email(address),
            is_primary=n == 0,
        )
    services.refresh_search([contact])
    contact.refresh_from_db()
    return contact


def full_person(org: Organisation) -> Contact:
    """Marie Dupont with a row in every table that can hold something about her."""
    contact = person(
        org,
        emails=[EMAIL, "marie@perso.example.net"],
        source_kind="import",
        source_label="cision-2026.csv",
        job_title="Journaliste énergie",
        languages=["fr"],
    )
    outlet = Outlet.objects.create(org=org, name="Ouest-France", name_normalised="ouest france")
    Position.objects.create(contact=contact, outlet=outlet, title="Rédactrice")
    ContactPhone.objects.create(contact=contact, raw="06 12 34 56 78", e164="+33612345678")
    contact.beats.set([services.beat(org, "Énergie")])
    contact.tags.set([services.tag(org, "VIP")])
    Note.objects.create(contact=contact, text="Prefers calls before 10am")
    services.add_interaction(contact, "call", "Called about the wind farm")
    services.record_changes(contact, {"job_title": ("", "Journaliste énergie")}, source_label="x")
    press_list = ContactList.objects.create(org=org, name="Énergie")
    ListMembership.objects.create(contact_list=press_list, contact=contact, source="import")
    twin = person(org, "Marie", "Dupond", emails=["m.dupond@example.org"])
    MergeSuggestion.objects.create(
        org=org, contact_a=contact, contact_b=twin, score=90, reason="name"
    )
    ImportJob.objects.create(
        org=org,
        filename="cision-2026.csv",
        file_format="csv",
        skipped=[
            {"line": 4, "field": "phone", "reason": "bad", "row": {"Email": EMAIL.upper()}},
            {"line": 9, "field": "email", "reason": "bad", "row": {"Email": "other@example.org"}},
        ],
    )
    services.refresh_search([contact])
    contact.refresh_from_db()
    return contact
