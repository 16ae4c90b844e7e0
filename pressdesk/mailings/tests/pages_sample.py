"""Mailings made for the page tests: drafts through the services, and sent mailings with a ledger
written as the engine leaves it (so a results page has every kind of row to show)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts.models import Contact, ContactList, ListMembership, OptOut
from pressdesk.contacts.models.optout import OptOutReason, address_hash
from pressdesk.contacts.tests import sample
from pressdesk.mailings import services
from pressdesk.mailings.models import Exclusion, Mailing, Recipient
from pressdesk.mailings.models.ledger import Bounce, ExclusionReason, Outcome
from pressdesk.mailings.models.mailing import MailingKind, MailingState
from pressdesk.work.models import WorkState


def press_list(org: Organisation, name: str = "Presse régionale") -> ContactList:
    """A list of three journalists, one of whom objected to being mailed."""
    regional = ContactList.objects.create(org=org, name=name)
    people = [
        sample.contact(org, "Marie", "Dupont", emails=["marie@ouest.example"]),
        sample.contact(org, "Paul", "Martin", emails=["paul@centre.example"]),
        sample.contact(org, "Zoé", "Refus", emails=["zoe@refus.example"]),
    ]
    for person in people:
        ListMembership.objects.create(contact_list=regional, contact=person)
    OptOut.objects.create(
        org=org, address_hash=address_hash("zoe@refus.example"), reason=OptOutReason.OBJECTION
    )
    return regional


def draft(org: Organisation, by: User, **fields: object) -> Mailing:
    """A free-text draft to the regional list."""
    fields.setdefault("lists", [press_list(org)])
    return services.create_mailing(
        org, by, kind=MailingKind.FREE, subject="Visite du parc solaire", body="Bonjour", **fields
    )


def sent(org: Organisation, subject: str = "Parc solaire : mise en service") -> Mailing:
    """A sent mailing whose ledger holds one row of each fate, and one person left out."""
    at = timezone.now() - timedelta(days=1)
    mailing = Mailing.objects.create(
        org=org,
        kind=MailingKind.FREE,
        subject=subject,
        state=MailingState.SENT,
        frozen_at=at,
        started_at=at,
        finished_at=at,
    )
    fates: list[tuple[str, dict[str, object]]] = [
        ("Anne Livrée", {}),
        ("Bruno Dur", {"bounce": Bounce.HARD, "bounce_reason": "550 5.1.1 Utilisateur inconnu"}),
        ("Chloé Pleine", {"bounce": Bounce.SOFT, "bounce_reason": "452 4.2.2 Boîte pleine"}),
        ("Denis Répond", {"replied_at": at + timedelta(hours=2)}),
        ("Émile Clic", {"clicked_at": at + timedelta(hours=1)}),
        ("Fanny Partie", {"unsubscribed_at": at + timedelta(hours=1)}),
        ("Gaston Refusé", {"outcome": Outcome.FAILED, "smtp_reply": "550 Relais refusé"}),
        ("Hélène Inconnue", {"outcome": Outcome.SENDING, "state": WorkState.INTERRUPTED}),
    ]
    for n, (name, extra) in enumerate(fates):
        first, last = name.split()
        person = sample.contact(org, first, last, emails=[f"p{n}@{org.slug}.example"])
        values: dict[str, object] = {
            "outcome": Outcome.SENT,
            "state": WorkState.DONE,
            "sent_at": at,
            **extra,
        }
        Recipient.objects.create(
            org=org,
            mailing=mailing,
            contact=person,
            address=f"p{n}@{org.slug}.example",
            address_key=f"p{n}@{org.slug}.example",
            name=name,
            **values,
        )
    left_out = Contact.objects.create(org=org, first_name="Irène", last_name="Sansmail")
    Exclusion.objects.create(
        org=org, mailing=mailing, contact=left_out, reason=ExclusionReason.NO_EMAIL
    )
    return mailing
