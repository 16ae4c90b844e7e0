"""The contacts' part of the global search box: contacts and outlets."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from pressdesk.accounts.models import Organisation
from pressdesk.contacts import services
from pressdesk.contacts.models import Outlet
from pressdesk.lib.text import normalise
from pressdesk.modules import SearchHit


def contacts_and_outlets(org: Organisation, query: str, limit: int) -> list[SearchHit]:
    """Contacts matching the query (best first), then outlets whose name contains it."""
    hits = []
    contacts, _count = services.quick_search(org, query, limit=limit)
    for contact in contacts:
        detail = ", ".join(
            f"{p.title} — {p.outlet.name}" if p.title else p.outlet.name
            for p in contact.current  # type: ignore[attr-defined]
        )
        hits.append(
            SearchHit(
                title=str(contact),
                url=reverse("contacts:detail", args=[org.slug, contact.pk]),
                kind=_("Contact"),
                detail=detail or contact.job_title,
            )
        )
    needle = normalise(query)
    if needle:
        outlets = Outlet.objects.for_org(org).filter(name_normalised__contains=needle)
        for outlet in outlets.order_by("name_normalised")[:limit]:
            hits.append(
                SearchHit(
                    title=outlet.name,
                    url=reverse("contacts:outlet", args=[org.slug, outlet.pk]),
                    kind=_("Outlet"),
                    detail=outlet.get_media_type_display(),
                )
            )
    return hits
