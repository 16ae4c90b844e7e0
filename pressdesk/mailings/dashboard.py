"""Mailings at a glance, for the organisation's dashboard: what is leaving now and how the last
sends did (sent, bounced, replied)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from pressdesk.accounts.access import OrgRequest
from pressdesk.accounts.roles import can
from pressdesk.mailings.models import Mailing
from pressdesk.mailings.models.ledger import Bounce, Outcome
from pressdesk.mailings.models.mailing import MailingState

LAST_SENT = 3
ACTIVE = (MailingState.SENDING, MailingState.PAUSED, MailingState.HELD)


def card(request: OrgRequest) -> dict[str, Any] | None:
    """The card's context: mailings sending now and the last ones sent, with their counts."""
    org = request.org
    mailings = Mailing.objects.for_org(org).annotate(
        n_recipients=Count("recipients", distinct=True),
        n_sent=Count("recipients", filter=Q(recipients__outcome=Outcome.SENT), distinct=True),
        n_bounced=Count("recipients", filter=~Q(recipients__bounce=Bounce.NONE), distinct=True),
        n_replied=Count(
            "recipients", filter=Q(recipients__replied_at__isnull=False), distinct=True
        ),
    )
    active = list(mailings.filter(state__in=ACTIVE).order_by("-started_at", "-pk")[:LAST_SENT])
    sent = list(
        mailings.filter(state=MailingState.SENT).order_by("-finished_at", "-pk")[:LAST_SENT]
    )
    return {
        "active": active,
        "last_sent": sent,
        "scheduled": Mailing.objects.for_org(org).filter(state=MailingState.SCHEDULED).count(),
        "can_send": can(request.membership.role, "send"),
    }
