"""Unsubscribing from a mailing: a signed token per recipient, and what applying it does.

The token names the mailing and the ledger row and is signed (pressdesk/mailings/signing.py):
it is checked without the database, and a changed digit makes it worthless. Applying it puts
the person's addresses on the organisation's opt-out list through the contacts' own service
(the same one as their preference page), stamps the ledger row, and records the event. A second
click, or a mail provider retrying the one-click POST, changes nothing more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts import audit
from pressdesk.accounts.models import AUDIT_ACTIONS
from pressdesk.contacts import preferences, services
from pressdesk.contacts.models import Contact
from pressdesk.contacts.models.optout import OptOutReason
from pressdesk.mailings import signing
from pressdesk.mailings.models import MailEvent, Mailing, Recipient
from pressdesk.mailings.models.events import EventKind

PURPOSE = "unsubscribe"
# The link of a preview or a test send: it opens the page, which says nothing happened.
PREVIEW_TOKEN = "preview"  # noqa: S105 (a marker, not a secret)
_PAYLOAD = re.compile(r"^(\d+)-(\d+)$")

AUDIT_ACTIONS.setdefault("mailing.unsubscribe", _("Unsubscribed from a mailing"))


def token_for(mailing_id: int, recipient_id: int | None) -> str:
    """The signed token of one ledger row's unsubscribe links."""
    if recipient_id is None:
        return PREVIEW_TOKEN
    return signing.sign(PURPOSE, f"{mailing_id}-{recipient_id}")


def url_for(token: str) -> str:
    """The https link of the footer and of List-Unsubscribe (the one-click POST goes there)."""
    return settings.SITE_ROOT + reverse("mailings_public:unsubscribe", args=[token])


@dataclass(frozen=True)
class Target:
    """What a genuine token points at."""

    mailing_id: int
    recipient_id: int


def read(token: str) -> Target | None:
    """The mailing and row of a genuine token; None for a forged, changed or preview one."""
    payload = signing.unsign(PURPOSE, token)
    match = _PAYLOAD.match(payload or "")
    if match is None:
        return None
    return Target(int(match.group(1)), int(match.group(2)))


def recipient_for(token: str) -> Recipient | None:
    """The ledger row of a genuine token that still exists, with its mailing and organisation."""
    target = read(token)
    if target is None:
        return None
    # all-orgs: the signed token names the row; its organisation is read from the row itself
    return (
        Recipient.objects.select_related("mailing", "org", "contact")
        .filter(pk=target.recipient_id, mailing_id=target.mailing_id)
        .first()
    )


@transaction.atomic
def apply(
    recipient: Recipient, *, source: str = "link", reason: str = OptOutReason.UNSUBSCRIBE
) -> bool:
    """Unsubscribe this recipient: opt-out list, ledger row, event. False if already done.

    `reason` is an objection rather than an unsubscription for a spam complaint."""
    org = recipient.org
    at = timezone.now()
    stamped = (
        Recipient.objects.for_org(org)
        .filter(pk=recipient.pk, unsubscribed_at__isnull=True)
        .update(unsubscribed_at=at)
    )
    contact = None
    if recipient.contact_id is not None:
        contact = (
            Contact.objects.for_org(org)
            .select_related("org")
            .filter(pk=recipient.contact_id)
            .first()
        )
    if contact is not None:
        # The person's own service: every address they have, history and audit included.
        preferences.opt_out_everywhere(contact, reason)
    # The address this mail went to, even if the record no longer lists it.
    services.opt_out(org, recipient.address, reason, source=f"mailing {source}")
    if not stamped:
        return False
    recipient.unsubscribed_at = at
    # A complaint is recorded as what it is; a plain unsubscription keeps its usual entry.
    extra: dict[str, Any] = {} if reason == OptOutReason.UNSUBSCRIBE else {"reason": str(reason)}
    MailEvent.objects.for_org(org).create(
        org=org,
        kind=EventKind.UNSUBSCRIBE,
        mailing_id=recipient.mailing_id,
        recipient=recipient,
        contact=contact,
        occurred_at=at,
        summary=source,
    )
    audit.record(
        "mailing.unsubscribe",
        org=org,
        actor_label=preferences.PERSON_LABEL,
        obj=Mailing.objects.for_org(org).get(pk=recipient.mailing_id),
        recipient=recipient.pk,
        source=source,
        **extra,
    )
    return True


_SUBJECT = re.compile(r"unsubscribe-([A-Za-z0-9_.\-]+)")


def apply_from_subject(subject: str) -> bool:
    """For the mailto: fallback of List-Unsubscribe: apply the token a reply's subject carries."""
    match = _SUBJECT.search(subject or "")
    recipient = recipient_for(match.group(1)) if match else None
    if recipient is None:
        return False
    return apply(recipient, source="mailto")
