"""A journalist's recent articles, for their page in the press file (a contact-page panel)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from pressdesk.accounts.access import OrgRequest
from pressdesk.monitoring.models import Clipping, Item, Stage

RECENT = 10
BEATS = 8


def recent_articles(org: Any, contact: Any, limit: int = RECENT) -> list[Item]:
    """The contact's latest articles collected (bylines linked to them), with their clippings."""
    items: list[Item] = list(
        Item.objects.for_org(org)
        .filter(author_contact=contact, stage=Stage.DONE)
        .select_related("outlet")
        .annotate(clipping_count=Count("clippings"))
        .order_by("-published", "-collected", "-id")[:limit]
    )
    queries: dict[int, list[str]] = {}
    for item_id, name in (
        Clipping.objects.for_org(org)
        .filter(item_id__in=[item.pk for item in items])
        .order_by("query__name")
        .values_list("item_id", "query__name")
    ):
        queries.setdefault(item_id, []).append(name)
    for item in items:
        item.matched_queries = queries.get(item.pk, [])  # type: ignore[attr-defined]
    return items


def panel(request: OrgRequest, contact: Any) -> dict[str, Any] | None:
    """The panel's context; nothing for a contact who never signed a collected article."""
    articles = recent_articles(request.org, contact)
    if not articles:
        return None
    total = Item.objects.for_org(request.org).filter(author_contact=contact).count()
    return {"articles": articles, "total": total, "beats": beats(request.org, contact)}


def beats(org: Any, contact: Any, limit: int = BEATS) -> list[tuple[str, int]]:
    """What the journalist writes about, as monitoring sees it: the watch queries their articles
    matched, with how many articles each, the most frequent first."""
    rows = (
        Clipping.objects.for_org(org)
        .filter(item__author_contact=contact, item__stage=Stage.DONE)
        .values("query__name")
        .annotate(articles=Count("item", distinct=True))
        .order_by("-articles", "query__name")[:limit]
    )
    return [(row["query__name"], row["articles"]) for row in rows]


def move_on_merge(sender: Any, keep: Any, other: Any, **kwargs: Any) -> None:
    """Two contacts merged (contacts.duplicates): the articles and bylines of the one deleted go
    to the one kept, instead of losing their journalist."""
    from pressdesk.monitoring.models import Byline

    Item.objects.for_org(keep.org_id).filter(author_contact=other).update(author_contact=keep)
    Byline.objects.for_org(keep.org_id).filter(contact=other).update(contact=keep)
