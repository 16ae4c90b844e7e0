"""Reading what a source served into the articles it lists, by kind of source."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_datetime

from pressdesk.monitoring.models import SourceKind
from pressdesk.monitoring.polling import Found, PollOutcome


def as_datetime(value: Any) -> datetime | None:
    """A feed's date as an aware datetime, whatever form the parser gave it in."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value:
        return parse_datetime(value)
    return None


def from_feed_item(entry: Any) -> Found:
    """A feed entry as the pipeline's payload (feed content travels with it)."""
    published = as_datetime(getattr(entry, "published", None))
    url = (getattr(entry, "link", "") or getattr(entry, "id", "") or "").strip()
    payload = {
        "title": entry.title or "",
        "summary": entry.summary or "",
        "content": entry.content or "",
        "content_is_full": bool(entry.content_is_full),
        "author": entry.author or "",
        "images": list(getattr(entry, "images", None) or []),
    }
    return Found(
        url=url,
        payload=payload,
        title=entry.title or "",
        guid=entry.id or "",
        author=entry.author or "",
        published=published,
    )


def read_feed(content: bytes, url: str | None) -> PollOutcome:
    """A feed (RSS, Atom, JSON Feed; social profiles publish these too)."""
    from pressdesk.monitoring.feeds import parse_feed

    feed = parse_feed(content, url=url)
    found = [from_feed_item(entry) for entry in feed.items]
    if not found and feed.malformed:
        return PollOutcome(error=f"The feed lists no articles: {feed.malformed}")
    if not found and not getattr(feed, "kind", "x"):
        return PollOutcome(error="This address does not serve a feed.")
    return PollOutcome(found=[f for f in found if f.url], title=feed.title or "")


# A news sitemap index lists the day's sitemaps first: a poll reads this many of them.
CHILD_SITEMAPS = 3


def read_sitemap(content: bytes, url: str | None) -> PollOutcome:
    """A news sitemap (or an index of them): each entry is an article the pipeline fetches."""
    from pressdesk.lib import safe_http
    from pressdesk.monitoring.sitemaps import parse_sitemap

    sitemap = parse_sitemap(content, url=url)
    entries = list(sitemap.entries)
    for child in sitemap.sitemaps[:CHILD_SITEMAPS]:
        try:
            result = safe_http.fetch(child)
        except safe_http.FetchError:
            continue  # one missing child sitemap does not fail the source
        entries += parse_sitemap(result.content, url=result.url).entries
    if not entries and sitemap.malformed:
        return PollOutcome(error=f"The sitemap lists no articles: {sitemap.malformed}")
    found = [
        Found(
            url=e.url,
            payload={"title": e.title or ""},
            title=e.title or "",
            published=as_datetime(e.published),
        )
        for e in entries
    ]
    return PollOutcome(found=found)


def read_page(content: bytes, url: str | None) -> PollOutcome:
    """A section page: the article links it shows."""
    from pressdesk.monitoring.discovery import article_links

    links = article_links(content, url or "")
    return PollOutcome(found=[Found(url=link, payload={}) for link in links])


READERS = {
    SourceKind.FEED: read_feed,
    SourceKind.SOCIAL: read_feed,
    SourceKind.SITEMAP: read_sitemap,
    SourceKind.PAGE: read_page,
}


def read(kind: str, content: bytes, url: str | None) -> PollOutcome:
    """The articles a source's response lists."""
    return READERS[SourceKind(kind)](content, url)
