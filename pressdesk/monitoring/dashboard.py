"""Monitoring on the organisation's dashboard, and its clippings in the global search box."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pressdesk.accounts.access import OrgRequest
from pressdesk.accounts.models import Organisation
from pressdesk.accounts.roles import can
from pressdesk.lib.text import search_words
from pressdesk.modules import SearchHit
from pressdesk.monitoring import alerts, review
from pressdesk.monitoring.models import Byline, Clipping, Health, Item, Source, Verdict

TOP_QUERIES = 5


def spikes(org: Organisation, now: Any = None) -> list[dict[str, Any]]:
    """Queries whose last 24 hours are above their usual daily volume (as spike alerts judge)."""
    now = now or timezone.now()
    day = now - timedelta(days=1)
    history_start = day - timedelta(days=alerts.SPIKE_HISTORY_DAYS)
    clippings = Clipping.objects.for_org(org)
    today = dict(
        clippings.filter(created__gte=day)
        .values("query_id")
        .annotate(n=Count("id"))
        .values_list("query_id", "n")
    )
    if not today:
        return []
    before = dict(
        clippings.filter(created__gte=history_start, created__lt=day, query_id__in=list(today))
        .values("query_id")
        .annotate(n=Count("id"))
        .values_list("query_id", "n")
    )
    found: list[dict[str, Any]] = []
    days = alerts.SPIKE_HISTORY_DAYS
    for query_id, count in today.items():
        total = before.get(query_id, 0)
        usual = total / days
        # The same mean as the spike alert's day-by-day history, from one count.
        if alerts.is_spike(count, [total] + [0] * (days - 1)):
            found.append({"query_id": query_id, "today": count, "usual": round(usual, 1)})
    names = dict(
        clippings.filter(query_id__in=[s["query_id"] for s in found])
        .values_list("query_id", "query__name")
        .distinct()
    )
    for spike in found:
        spike["name"] = names.get(spike["query_id"], "")
    return sorted(found, key=lambda s: -s["today"])


def glance(org: Organisation) -> dict[str, Any]:
    """Every figure of the card, for one organisation."""
    unread = Clipping.objects.for_org(org).filter(verdict=Verdict.UNREAD)
    by_query = list(
        unread.values("query__name")
        .annotate(n=Count("id"))
        .order_by("-n", "query__name")[:TOP_QUERIES]
    )
    return {
        "to_triage": unread.count(),
        "by_query": by_query,
        "spikes": spikes(org),
        "quarantined": review.quarantined(org).count(),
        "bylines": Byline.objects.for_org(org).filter(status=Byline.PENDING).count(),
        "failing": Source.objects.for_org(org)
        .filter(active=True, health__in=[Health.FAILING, Health.SILENT])
        .count(),
    }


def card(request: OrgRequest) -> dict[str, Any]:
    """The dashboard card's context."""
    return {**glance(request.org), "can_edit": can(request.membership.role, "edit")}


def clippings(org: Organisation, query: str, limit: int) -> list[SearchHit]:
    """Clipped articles whose headline or kept text has every word of the query, newest first."""
    wanted = search_words(query)
    if not wanted:
        return []
    found = Item.objects.for_org(org).filter(clippings__isnull=False)
    for word in wanted:
        found = found.filter(search_text__contains=word)
    hits = []
    for item in found.select_related("outlet").distinct().order_by("-collected", "-id")[:limit]:
        detail = ", ".join(
            part
            for part in (
                item.outlet.name if item.outlet else "",
                date_format(timezone.localtime(item.published), "SHORT_DATE_FORMAT")
                if item.published
                else "",
            )
            if part
        )
        hits.append(
            SearchHit(
                title=item.title or item.url,
                url=reverse("monitoring:inbox", args=[org.slug]) + f"?item={item.pk}&verdict=all",
                kind=_("Clipping"),
                detail=detail,
            )
        )
    return hits
