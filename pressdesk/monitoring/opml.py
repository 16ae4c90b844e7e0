"""OPML subscription lists: read (defusedxml) into feeds, and written back for export."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.etree.ElementTree import Element, SubElement, tostring

from pressdesk.monitoring.errors import Refusal
from pressdesk.monitoring.sanitise import plain, safe_link
from pressdesk.monitoring.xmlsafe import XmlRefused, local, parse_xml


class OpmlError(Refusal):
    """The file is not an OPML list we can read; `reason` says why."""


@dataclass
class OpmlFeed:
    """One subscription: the feed's title, its address, and the site's."""

    title: str
    xml_url: str | None  # None when the outline's address is not http(s) (see `refused`)
    html_url: str | None
    refused: str | None = None  # why this outline cannot become a source, shown to the user


def read_opml(data: bytes) -> list[OpmlFeed]:
    """The feeds of an OPML file, nested folders flattened; OpmlError if it is not OPML."""
    try:
        root = parse_xml(data)
    except XmlRefused as exc:
        raise OpmlError(exc.reason) from None
    if local(root.tag).lower() != "opml":
        raise OpmlError(f"not an OPML file (its root element is <{local(root.tag)}>)")
    feeds = []
    for outline in root.iter():
        if local(outline.tag) != "outline":
            continue
        attrs = {key.lower(): value for key, value in outline.attrib.items()}
        raw = (attrs.get("xmlurl") or "").strip()
        if not raw:
            continue  # a folder, or a plain note
        title = plain(attrs.get("title") or attrs.get("text") or "")
        xml_url = safe_link(raw, None)
        feeds.append(
            OpmlFeed(
                title=title or (xml_url or ""),
                xml_url=xml_url,
                html_url=safe_link(attrs.get("htmlurl") or "", None),
                refused=None if xml_url else f"not an http(s) address: {plain(raw)[:200]}",
            )
        )
    return feeds


def write_opml(feeds: Iterable[OpmlFeed], title: str = "Pressdesk") -> bytes:
    """An OPML 2.0 document listing the feeds (UTF-8 bytes)."""
    root = Element("opml", version="2.0")
    head = SubElement(root, "head")
    SubElement(head, "title").text = title
    SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC), usegmt=True)
    body = SubElement(root, "body")
    for feed in feeds:
        if not feed.xml_url:
            continue
        attrs = {"type": "rss", "text": feed.title, "title": feed.title, "xmlUrl": feed.xml_url}
        if feed.html_url:
            attrs["htmlUrl"] = feed.html_url
        SubElement(body, "outline", attrs)
    return tostring(root, encoding="utf-8", xml_declaration=True)
