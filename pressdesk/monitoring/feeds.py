"""Reading feeds: RSS 0.9x/1.0/2.0 and Atom (feedparser), JSON Feed; every field sanitised.

The XML is first read by defusedxml, so that entity bombs and external entities are refused
before feedparser sees them. Text fields come out as plain text, summaries and contents as HTML
cleaned by an allow-list (nh3): no script, no event handlers, only http(s) and mailto links.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from xml.etree.ElementTree import ParseError

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

from pressdesk.monitoring.sanitise import clean_html, html_text, image_sources, plain, safe_link

# A feed whose content carries at least this many words is taken as the full article.
FULL_TEXT_WORDS = 150
_TRUNCATED = re.compile(
    r"(…|\.\.\.|\[…\]|\[\.\.\.\]|read more|continue reading|lire la suite|la suite)\W*$", re.I
)
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.I)
_JSON_FEED = "https://jsonfeed.org/version/"


@dataclass
class FeedItem:
    """One entry of a feed, sanitised."""

    title: str
    link: str | None
    id: str
    published: datetime | None  # aware, UTC
    author: str
    summary: str  # sanitised HTML
    content: str  # sanitised HTML ("" when the feed carries none)
    content_is_full: bool  # the content looks like the whole article, not a teaser
    images: list[str] = field(default_factory=list)


@dataclass
class ParsedFeed:
    """A feed's title, link and items; `malformed` says why the document is not a sound feed.

    A malformed document may still yield the items a lenient reading recovered; a refused one
    (entity declarations, not a feed at all) yields none.
    """

    title: str
    link: str | None
    items: list[FeedItem]
    malformed: str | None
    kind: str = ""  # "rss20", "atom10", "json1"… as feedparser names versions


def _refusal(data: bytes) -> str | None:
    """Why the XML must not reach a parser at all (entity tricks), or None."""
    if _ENTITY_DECLARATION.search(data):
        return "entity declarations are refused (entity expansion or external entities)"
    try:
        defused_fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        return f"refused by the XML guard: {type(exc).__name__}"
    except (ParseError, ValueError, UnicodeError, LookupError):
        pass  # not well-formed (or an encoding expat lacks): feedparser's lenient reading decides
    return None


def _published(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = dict.get(entry, key)  # not entry.get: feedparser warns on its own fallbacks
        if parsed:
            try:
                year, month, day, hour, minute, second = parsed[:6]
                return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
            except (TypeError, ValueError):
                continue
    return None


def _detail_html(detail: Any, value: str, base: str | None) -> str:
    """A feedparser text construct as sanitised HTML (plain text escaped)."""
    kind = (detail or {}).get("type", "text/html") if isinstance(detail, dict) else "text/html"
    if kind == "text/plain":
        return clean_html(_escape(value), base)
    return clean_html(value, base)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _is_full(content: str) -> bool:
    text = html_text(content)
    return len(text.split()) >= FULL_TEXT_WORDS and not _TRUNCATED.search(text)


def _entry_images(entry: Any, base: str | None, *html: str) -> list[str]:
    found: list[str] = []
    for enclosure in entry.get("enclosures", []) or []:
        if str(enclosure.get("type", "")).startswith("image/"):
            found.append(enclosure.get("href", ""))
    for media in entry.get("media_content", []) or []:
        # Many feeds (the Guardian's) give neither medium nor type for their pictures.
        medium, kind = media.get("medium") or "image", str(media.get("type") or "image/")
        if medium == "image" and kind.startswith("image/"):
            found.append(media.get("url", ""))
    for thumb in entry.get("media_thumbnail", []) or []:
        found.append(thumb.get("url", ""))
    for fragment in html:
        found.extend(image_sources(fragment))
    return _unique_links(found, base)


def _unique_links(candidates: list[str], base: str | None) -> list[str]:
    seen: dict[str, None] = {}
    for candidate in candidates:
        link = safe_link(candidate, base)
        if link:
            seen.setdefault(link, None)
    return list(seen)


def _feedparser_item(entry: Any, base: str | None) -> FeedItem:
    link = safe_link(entry.get("link", ""), base)
    contents = entry.get("content") or []
    content = ""
    if contents:
        best = max(contents, key=lambda c: len(c.get("value", "")))
        content = _detail_html(best, best.get("value", ""), link or base)
    summary = _detail_html(entry.get("summary_detail"), entry.get("summary", ""), link or base)
    author = entry.get("author") or (entry.get("author_detail") or {}).get("name", "")
    return FeedItem(
        title=plain(entry.get("title", "")),
        link=link,
        id=plain(entry.get("id", "")) or (link or ""),
        published=_published(entry),
        author=plain(author or ""),
        summary=summary,
        content=content,
        content_is_full=bool(content) and _is_full(content),
        images=_entry_images(entry, link or base, content, summary),
    )


def _bozo_reason(result: Any) -> str | None:
    if not result.get("bozo"):
        return None
    exc = result.get("bozo_exception")
    name = type(exc).__name__ if exc is not None else "error"
    return f"not a well-formed feed ({name}: {str(exc)[:200]})"


def _parse_xml(data: bytes, url: str | None, content_type: str | None) -> ParsedFeed:
    refusal = _refusal(data)
    if refusal:
        return ParsedFeed(title="", link=None, items=[], malformed=refusal)
    # Without HTTP headers, XML is read as application/xml: the document's own declaration rules.
    headers = {"content-location": url or "", "content-type": content_type or "application/xml"}
    result = feedparser.parse(io.BytesIO(data), response_headers=headers)
    channel = result.get("feed", {})
    entries = result.get("entries", [])
    base = safe_link(url or "", None)
    version = result.get("version", "")
    malformed = _bozo_reason(result)
    # Unknown XML (OPML, KML…) leaves feedparser with no version, no entries, no channel text.
    channel_text = any(isinstance(value, str) and value for value in channel.values())
    if not version and not entries and not channel_text:
        root = re.search(rb"<([A-Za-z_][\w.:-]*)", data.lstrip(b"\xef\xbb\xbf"))
        shown = (
            f" (its root element is <{root.group(1).decode('ascii', 'replace')}>)" if root else ""
        )
        malformed = malformed or f"not a feed{shown}"
    return ParsedFeed(
        title=plain(channel.get("title", "")),
        link=safe_link(channel.get("link", ""), base),
        items=[_feedparser_item(entry, base) for entry in entries],
        malformed=malformed,
        kind=version,
    )


def _json_date(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _json_author(obj: dict[str, Any]) -> str:
    authors = obj.get("authors") or ([obj["author"]] if isinstance(obj.get("author"), dict) else [])
    names = [a.get("name", "") for a in authors if isinstance(a, dict)]
    return plain(", ".join(n for n in names if isinstance(n, str) and n))


def _json_item(obj: dict[str, Any], base: str | None) -> FeedItem:
    link = safe_link(str(obj.get("url") or obj.get("external_url") or ""), base)
    html = obj.get("content_html")
    content = clean_html(html, link or base) if isinstance(html, str) else ""
    if not content and isinstance(obj.get("content_text"), str):
        content = clean_html(_escape(obj["content_text"]))
    summary = obj.get("summary")
    images = [str(obj.get(key) or "") for key in ("image", "banner_image")]
    for attachment in obj.get("attachments") or []:
        if isinstance(attachment, dict) and str(attachment.get("mime_type", "")).startswith(
            "image/"
        ):
            images.append(str(attachment.get("url", "")))
    images.extend(image_sources(content))
    return FeedItem(
        title=plain(str(obj.get("title") or "")),
        link=link,
        id=plain(str(obj.get("id") or "")) or (link or ""),
        published=_json_date(obj.get("date_published") or obj.get("date_modified")),
        author=_json_author(obj),
        summary=clean_html(_escape(summary)) if isinstance(summary, str) else "",
        content=content,
        content_is_full=bool(content) and _is_full(content),
        images=_unique_links(images, link or base),
    )


def _parse_json(data: bytes, url: str | None) -> ParsedFeed:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (ValueError, UnicodeError, RecursionError) as exc:
        return ParsedFeed(title="", link=None, items=[], malformed=f"not valid JSON ({exc})")
    if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith(_JSON_FEED):
        return ParsedFeed(title="", link=None, items=[], malformed="JSON, but not a JSON Feed")
    base = safe_link(url or "", None)
    items = [_json_item(obj, base) for obj in doc.get("items") or [] if isinstance(obj, dict)]
    malformed = None if isinstance(doc.get("items"), list) else "a JSON Feed without items"
    version = str(doc["version"]).removeprefix(_JSON_FEED).replace(".", "")
    return ParsedFeed(
        title=plain(str(doc.get("title") or "")),
        link=safe_link(str(doc.get("home_page_url") or ""), base),
        items=items,
        malformed=malformed,
        kind=f"json{version}",
    )


def parse_feed(
    data: bytes, url: str | None = None, *, content_type: str | None = None
) -> ParsedFeed:
    """Read a feed document (never raises); relative links resolve against `url`."""
    if not data.strip():
        return ParsedFeed(title="", link=None, items=[], malformed="empty document")
    try:
        if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")):
            return _parse_json(data, url)
        return _parse_xml(data, url, content_type)
    except Exception as exc:  # a parser's own bug must not stop the source or the worker
        return ParsedFeed(
            title="", link=None, items=[], malformed=f"unreadable ({type(exc).__name__}: {exc})"
        )
