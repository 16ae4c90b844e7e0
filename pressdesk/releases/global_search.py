"""Releases in the global search box. Members only (the box is behind login), so drafts and
embargoed releases are found too: the embargo keeps releases from the public, not from the team.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from pressdesk.accounts.models import Organisation
from pressdesk.lib.text import fold
from pressdesk.modules import SearchHit
from pressdesk.releases.models import Release
from pressdesk.releases.states import effective_state, state_label


def releases(org: Organisation, query: str, limit: int) -> list[SearchHit]:
    """Releases whose title contains every word of the query (accents and case ignored)."""
    words = [w for w in fold(query).split() if w]
    if not words:
        return []
    hits = []
    # Titles are short and an organisation has thousands of releases at most: folding in Python
    # keeps "energie" matching "Énergie" on SQLite and PostgreSQL alike; the 5,000 most recently
    # changed are searched.
    recent = Release.objects.for_org(org).order_by("-updated", "-pk")
    for release in recent.only("pk", "title", "state", "visible_from")[:5000]:
        title = fold(release.title)
        if all(w in title for w in words):
            hits.append(
                SearchHit(
                    title=release.title,
                    url=reverse("releases:detail", args=[org.slug, release.pk]),
                    kind=_("Release"),
                    detail=state_label(effective_state(release)),
                )
            )
            if len(hits) >= limit:
                break
    return hits
