"""The contact page's "Mailings" section: what this person was sent and what came back."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from pressdesk.accounts.access import OrgRequest
from pressdesk.accounts.roles import can
from pressdesk.contacts.models import Contact
from pressdesk.mailings.models import ContactCorrection, Recipient
from pressdesk.mailings.models.ledger import Bounce, Outcome

SHOWN = 20


def outcome(row: Recipient) -> str:
    """What happened to one message, in words: the most telling fact first."""
    if row.replied_at:
        return _("Replied")
    if row.bounce == Bounce.HARD:
        return _("Hard bounce")
    if row.bounce == Bounce.SOFT:
        return _("Soft bounce")
    if row.unsubscribed_at:
        return _("Unsubscribed")
    if row.away_until and row.away_until >= timezone.localdate():
        return _("Away")
    return str(Outcome(row.outcome).label)


def context(request: OrgRequest, contact: Contact) -> dict[str, Any] | None:
    """The section's rows, or None when the person was never mailed and nothing is pending."""
    rows = list(
        Recipient.objects.for_org(request.org)
        .filter(contact=contact)
        .select_related("mailing")
        .order_by("-sent_at", "-pk")[:SHOWN]
    )
    pending = ContactCorrection.objects.for_org(request.org).filter(
        contact=contact, state=ContactCorrection.PROPOSED
    )
    proposals = pending.count() if can(request.membership.role, "edit") else 0
    if not rows and not proposals:
        return None
    return {
        "rows": [{"row": r, "outcome": outcome(r)} for r in rows],
        "proposals": proposals,
    }
