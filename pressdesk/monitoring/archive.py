"""The archive: every article collected, searched with the watch-query language.

A draft query is run over stored articles in chunks (streamed, so any size of archive or export
works in bounded memory). Articles kept without full text (no licence) are matched on what is
kept: headline, feed summary and short extract.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from pressdesk.accounts.models import Organisation
from pressdesk.monitoring.models import Item, Stage
from pressdesk.monitoring.query import Document, Matcher, Query, parse

CHUNK = 500


def stored_text(item: Item) -> str:
    """The text kept for an article: full text under a licence, else summary and extract."""
    if item.full_text_kept and item.text:
        return item.text
    return "\n\n".join(part for part in (item.summary, item.extract) if part)


def document(item: Item) -> Document:
    """A stored article as the matcher reads it."""
    outlet = item.outlet
    return Document(
        text=stored_text(item),
        title=item.title,
        lang=item.language or None,
        outlet=outlet.name if outlet else "",
        media_type=outlet.media_type if outlet else "",
    )


@dataclass
class Hit:
    item: Item
    spans: list[dict[str, Any]]
    explanation: str


def articles(
    org: Organisation, *, since: datetime | None = None, until: datetime | None = None
) -> QuerySet[Item]:
    """The organisation's processed articles, newest first, optionally within dates."""
    found = Item.objects.for_org(org).filter(stage=Stage.DONE).select_related("outlet", "source")
    if since:
        found = found.filter(collected__gte=since)
    if until:
        found = found.filter(collected__lt=until)
    return found.order_by("-collected", "-id")


def search(
    org: Organisation,
    query: Query | str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = None,
) -> Iterator[Hit]:
    """Stored articles matching the query, newest first; QuerySyntaxError for a bad one."""
    parsed = parse(query) if isinstance(query, str) else query
    matcher = Matcher({"q": parsed})
    found = 0
    for item in articles(org, since=since, until=until).iterator(chunk_size=CHUNK):
        for match in matcher.match(document(item)):
            spans = [
                {"field": s.field, "start": s.start, "end": s.end, "term": s.term}
                for s in match.spans
            ]
            yield Hit(item, spans, match.explanation)
            found += 1
            break
        if limit is not None and found >= limit:
            return
