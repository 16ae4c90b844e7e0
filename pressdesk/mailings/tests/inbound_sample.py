"""A sent mailing and incoming messages for the inbound tests, without the engine."""

from __future__ import annotations

from pathlib import Path

from django.utils import timezone

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.models import Contact
from pressdesk.mailings.models import Mailing, Recipient
from pressdesk.mailings.models.ledger import Outcome
from pressdesk.mailings.models.mailing import MailingKind, MailingState
from pressdesk.work.models import WorkState

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def sent_mailing(org: Organisation, contacts: list[Contact], subject: str = "Lancement") -> Mailing:
    """A mailing already sent to these contacts (their first address), Message-IDs included."""
    mailing = Mailing.objects.create(
        org=org, kind=MailingKind.FREE, subject=subject, name=subject, state=MailingState.SENT
    )
    for person in contacts:
        address = person.emails.all()[0].email
        row = Recipient.objects.create(
            org=org,
            mailing=mailing,
            contact=person,
            address=address,
            address_key=address.lower(),
            name=person.full_name,
            outcome=Outcome.SENT,
            state=WorkState.DONE,
            sent_at=timezone.now(),
        )
        row.message_id = message_id(row)
        row.save(update_fields=["message_id"])
    return mailing


def message_id(row: Recipient) -> str:
    return f"<m{row.mailing_id}.r{row.pk}.0a1b2c3d@{row.org.slug}.example>"


def reply(
    to: Recipient,
    body: str = "Merci, je viens volontiers.",
    *,
    msg_id: str = "<reply-1@radio.example>",
    sender: str = "",
) -> bytes:
    """A person's reply threaded back to a ledger row."""
    return (
        f"From: {sender or to.address}\r\n"
        f"To: press@acme.example\r\n"
        f"Subject: Re: {to.mailing.subject}\r\n"
        f"Date: Mon, 02 Nov 2026 09:00:00 +0100\r\n"
        f"Message-ID: {msg_id}\r\n"
        f"In-Reply-To: {to.message_id}\r\n"
        f"References: {to.message_id}\r\n"
        f"MIME-Version: 1.0\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        f"{body}\r\n\r\nLe 1 nov. 2026, Presse a écrit :\r\n> Bonjour\r\n"
    ).encode()


def with_headers(raw: bytes, **headers: str) -> bytes:
    """A recorded message with headers added on top (Message_ID= → Message-ID:)."""
    top = "".join(f"{k.replace('_', '-')}: {v}\r\n" for k, v in headers.items())
    return top.encode() + raw


def quoting(raw: bytes, row: Recipient) -> bytes:
    """A recorded bounce whose quoted original carries this row's Message-ID."""
    return raw.replace(
        b"Subject: Communiqu", f"Message-ID: {row.message_id}\nSubject: Communiqu".encode(), 1
    )
