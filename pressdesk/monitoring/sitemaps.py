"""News sitemaps and sitemap indexes: the articles a site lists, with title, date and language.

Read with defusedxml (gzip-compressed sitemaps too, with a cap). An index yields the URLs of its
sitemaps for the caller to fetch; a sitemap yields its entries, with the Google News tags
(`news:title`, `news:publication_date`, `news:language`) when present, `lastmod` otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from pressdesk.monitoring.sanitise import plain, safe_link
from pressdesk.monitoring.xmlsafe import XmlRefused, child_text, local, parse_xml


@dataclass
class SitemapEntry:
    """One article a sitemap lists."""

    url: str
    title: str
    published: datetime | None  # aware, UTC
    language: str | None


@dataclass
class Sitemap:
    """A read sitemap: its entries, the sitemaps an index points to, or why it is unreadable."""

    entries: list[SitemapEntry] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    malformed: str | None = None


def w3c_datetime(value: str) -> datetime | None:
    """A W3C datetime ("2026-11-28", "2026-11-28T08:00:00+01:00", "…Z") in UTC, or None."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _plain_text_sitemap(data: bytes, base: str | None) -> Sitemap:
    """sitemaps.org's text format: one URL a line."""
    lines = data.decode("utf-8", "replace").splitlines()
    links = [safe_link(line.strip(), base) for line in lines if line.strip()]
    if not links or None in links:
        return Sitemap(malformed="neither an XML sitemap nor a list of URLs")
    return Sitemap(entries=[SitemapEntry(url, "", None, None) for url in links if url])


def parse_sitemap(data: bytes, url: str | None = None) -> Sitemap:
    """Read a sitemap, news sitemap or sitemap index (never raises)."""
    base = safe_link(url or "", None)
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] not in (b"<", b"\x1f"):
        return _plain_text_sitemap(stripped, base) if stripped else Sitemap(malformed="empty")
    try:
        root = parse_xml(stripped)
    except XmlRefused as exc:
        return Sitemap(malformed=exc.reason)
    kind = local(root.tag)
    if kind == "sitemapindex":
        found = [
            safe_link(child_text(node, "loc"), base)
            for node in root
            if local(node.tag) == "sitemap"
        ]
        return Sitemap(sitemaps=[link for link in found if link])
    if kind != "urlset":
        return Sitemap(malformed=f"not a sitemap (its root element is <{kind}>)")
    entries = []
    seen: set[str] = set()
    for node in root:
        if local(node.tag) != "url":
            continue
        link = safe_link(child_text(node, "loc"), base)
        if not link or link in seen:
            continue
        seen.add(link)
        published = w3c_datetime(child_text(node, "publication_date")) or w3c_datetime(
            child_text(node, "lastmod")
        )
        language = child_text(node, "language").lower() or None
        entries.append(SitemapEntry(link, plain(child_text(node, "title")), published, language))
    return Sitemap(entries=entries)
