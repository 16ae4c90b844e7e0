"""Mailings in the global search box, found by subject or name (accents and case ignored)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from pressdesk.accounts.models import Organisation
from pressdesk.lib.text import fold
from pressdesk.mailings.models import Mailing
from pressdesk.mailings.models.mailing import MailingState
from pressdesk.modules import SearchHit

# The most recent mailings searched: folding in Python keeps "energie" matching "Énergie" on
# SQLite and PostgreSQL alike, and an office sends a few thousand mailings at most.
RECENT = 5000


def mailings(org: Organisation, query: str, limit: int) -> list[SearchHit]:
    """Mailings whose subject or name contains every word of the query."""
    words = [w for w in fold(query).split() if w]
    if not words:
        return []
    hits = []
    recent = Mailing.objects.for_org(org).order_by("-created", "-pk")
    for mailing in recent.only("pk", "name", "subject", "state")[:RECENT]:
        text = fold(f"{mailing.subject} {mailing.name}")
        if all(w in text for w in words):
            hits.append(
                SearchHit(
                    title=str(mailing),
                    url=reverse("mailings:mailing", args=[org.slug, mailing.pk]),
                    kind=_("Mailing"),
                    detail=str(MailingState(mailing.state).label),
                )
            )
            if len(hits) >= limit:
                break
    return hits
