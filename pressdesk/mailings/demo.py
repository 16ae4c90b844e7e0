"""The demo's mailings: the solar farm release sent to the regional press a week ago, with what
came back (a hard and a soft bounce, replies, one row whose fate is unknown), and a draft
invitation waiting for its check. Written as the engine leaves them, so the pages have a story."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from pressdesk.accounts.models import Membership, Organisation
from pressdesk.accounts.roles import Role
from pressdesk.contacts.models import ContactEmail, ContactList
from pressdesk.lib.text import normalise_email
from pressdesk.mailings.models import Mailing, Recipient
from pressdesk.mailings.models.ledger import Bounce, Outcome
from pressdesk.mailings.models.mailing import MailingKind, MailingState
from pressdesk.releases.models import Release, ReleaseState
from pressdesk.work.models import WorkState

REGIONAL = "Presse régionale Centre-Val de Loire"
INVITED = "Invités — inauguration du parc éolien"
SENT_DAYS_AGO = 7
INVITATION = """\
Bonjour {{ first_name }},

Nous avons le plaisir de vous inviter à l'inauguration du parc éolien de Sainte-Maure,
le jeudi 4 juin à 11 h, en présence des sociétaires de la coopérative.

Merci de nous confirmer votre venue par retour de mail."""


def _list(org: Organisation, name: str) -> ContactList | None:
    return ContactList.objects.for_org(org).filter(name=name).first()


def load(org: Organisation) -> None:
    """Add a sent mailing with its results and a draft invitation to the demo organisation."""
    officer = (
        Membership.objects.for_org(org).filter(role=Role.PRESS_OFFICER).select_related("user")
    ).first()
    by = officer.user if officer else None
    release = (
        Release.objects.for_org(org)
        .filter(state=ReleaseState.PUBLISHED, template="fr-FR")
        .order_by("pk")
        .first()
    )
    regional = _list(org, REGIONAL)
    if release is None or regional is None:
        return
    sent_at = timezone.now() - timedelta(days=SENT_DAYS_AGO)
    mailing = Mailing.objects.create(
        org=org,
        kind=MailingKind.RELEASE,
        release=release,
        name="Parc solaire — presse régionale",
        subject=release.title,
        body="Bonjour {{ first_name }},\n\nVoici notre communiqué sur la mise en service du parc.",
        sender_name="Julien Petit — ECVL",
        sender_email="presse@ecvl.example",
        reply_to="presse@ecvl.example",
        state=MailingState.SENT,
        frozen_at=sent_at,
        started_at=sent_at,
        finished_at=sent_at + timedelta(minutes=2),
        created=sent_at - timedelta(hours=2),
        created_by=by,
        sent_by=by,
    )
    mailing.lists.set([regional])
    emails = (
        ContactEmail.objects.for_org(org)
        .filter(contact__list_memberships__contact_list=regional, is_primary=True)
        .select_related("contact")
        .order_by("contact__last_name", "contact_id")
    )
    rows = []
    for n, email in enumerate(emails[:24]):
        person = email.contact
        at = sent_at + timedelta(seconds=5 * n)
        row = Recipient(
            org=org,
            mailing=mailing,
            contact=person,
            address=email.email,
            address_key=normalise_email(email.email),
            name=person.full_name,
            outcome=Outcome.SENT,
            state=WorkState.DONE,
            sent_at=at,
            finished_at=at,
            message_id=f"<m{mailing.pk}.demo{n}@ecvl.example>",
            smtp_reply="250 2.0.0 Ok: queued",
        )
        if n == 1:
            row.bounce, row.bounced_at = Bounce.HARD, at + timedelta(minutes=3)
            row.bounce_reason = "550 5.1.1 Adresse inconnue : cette boîte n’existe plus"
        elif n == 4:
            row.bounce, row.bounced_at = Bounce.SOFT, at + timedelta(minutes=10)
            row.bounce_reason = "452 4.2.2 Boîte aux lettres pleine"
        elif n in (2, 7, 11):
            row.replied_at = at + timedelta(hours=3 + n)
        elif n == 9:
            row.away_until = (sent_at + timedelta(days=10)).date()
        elif n == 13:
            # The worker was stopped between the server's answer and its own record.
            row.state, row.outcome, row.smtp_reply, row.finished_at = (
                WorkState.INTERRUPTED,
                Outcome.SENDING,
                "",
                None,
            )
            row.sent_at = None
        rows.append(row)
    Recipient.objects.for_org(org).bulk_create(rows)

    invited = _list(org, INVITED)
    draft = Mailing.objects.create(
        org=org,
        kind=MailingKind.FREE,
        name="Invitation — inauguration du parc éolien",
        subject="Invitation : inauguration du parc éolien de Sainte-Maure, jeudi 4 juin",
        body=INVITATION,
        sender_name="Julien Petit — ECVL",
        sender_email="presse@ecvl.example",
        reply_to="presse@ecvl.example",
        created_by=by,
    )
    if invited is not None:
        draft.lists.set([invited])
