"""Fixtures of the engine's tests: an audience, a mailing, a real SMTP sink on loopback."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts.models import Contact, ContactEmail, ContactList, ListMembership
from pressdesk.mailings import compose, sending
from pressdesk.mailings import transport as transports
from pressdesk.mailings.models import Mailing, Recipient
from pressdesk.mailings.testing import Sink, smtp_sink


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


class LocalComposer:
    """Stands in for compose.Composer while the composer is not merged (tests only)."""

    def __init__(self, mailing: Mailing) -> None:
        self.mailing = mailing

    def message_id(self, recipient: Recipient) -> str:
        return f"<m{self.mailing.pk}.r{recipient.pk}@pressdesk.test>"

    def message(self, recipient: Recipient) -> EmailMessage:
        msg = EmailMessage()
        msg["From"] = self.mailing.sender_email or "presse@acme.test"
        msg["To"] = recipient.address
        msg["Subject"] = self.mailing.subject
        msg["Message-ID"] = self.message_id(recipient)
        msg.set_content(f"Bonjour {recipient.name},\n\n{self.mailing.body}\n")
        return msg


def composer_is_stub() -> bool:
    return "NotImplementedError" in inspect.getsource(compose.Composer.message)


@pytest.fixture(autouse=True)
def _composer(monkeypatch: pytest.MonkeyPatch) -> None:
    if composer_is_stub():
        monkeypatch.setattr(sending, "composer_for", LocalComposer)


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
