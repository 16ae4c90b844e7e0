"""Fixtures of the engine's tests: an audience, a mailing, a real SMTP sink on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.conftest import login
from pressdesk.contacts.models import Contact, ContactEmail, ContactList, ListMembership
from pressdesk.mailings import transport as transports
from pressdesk.mailings.models import Mailing
from pressdesk.mailings.testing import Sink, smtp_sink
from pressdesk.tests.conftest import cli, migrated_var  # noqa: F401  (fixtures)
from pressdesk.work.tests.conftest import site  # noqa: F401  (fixture)


def people(org: Organisation, count: int, *, prefix: str = "p", **fields: Any) -> list[Contact]:
    """`count` journalists with one address each, written in bulk."""
    made = Contact.objects.bulk_create(
        [
            Contact(org=org, first_name=f"Prénom{n}", last_name=f"{prefix.upper()}{n}", **fields)
            for n in range(count)
        ]
    )
    ContactEmail.objects.bulk_create(
        [
            ContactEmail(
                org=org,
                contact=c,
                email=f"{prefix}{n}@exemple.fr",
                email_normalised=f"{prefix}{n}@exemple.fr",
                is_primary=True,
            )
            for n, c in enumerate(made)
        ]
    )
    return made


def static_list(org: Organisation, name: str, contacts: list[Contact]) -> ContactList:
    """A static list of these contacts."""
    found = ContactList.objects.create(org=org, name=name)
    ListMembership.objects.bulk_create(
        [ListMembership(contact_list=found, contact=c) for c in contacts]
    )
    return found


def free_mailing(
    org: Organisation, user: User | None, *lists: ContactList, **fields: Any
) -> Mailing:
    """A free-text draft to these lists."""
    from pressdesk.mailings import services

    fields.setdefault("subject", "Invitation presse")
    fields.setdefault("body", "Bonjour {{ first_name }},")
    return services.create_mailing(org, user, kind="free", lists=list(lists), **fields)


@pytest.fixture
def sink(settings: Any) -> Iterator[Sink]:
    """A real SMTP server on 127.0.0.1, set as the engine's EMAIL_URL."""
    with smtp_sink() as running:
        settings.EMAIL_URL = running.url
        settings.EMAIL_TIMEOUT = 5
        transports.close_all()
        try:
            yield running
        finally:
            transports.close_all()


@pytest.fixture
def as_sam(client: Client, sam: User) -> Client:
    """The spokesperson: reads mailings, may not send them."""
    return login(client, sam)
