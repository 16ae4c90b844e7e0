"""The article in a web page: main text, title, byline, date, language, canonical URL, images.

trafilatura does the reading. Whatever the page is (binary, empty, broken, garbage encoding),
`extract` either returns an Extracted or raises Unreadable with a reason the pipeline can
quarantine the item with; no other exception escapes.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

import trafilatura
from trafilatura.settings import set_date_params

from pressdesk.monitoring.errors import Refusal
from pressdesk.monitoring.sanitise import plain, safe_link

# trafilatura reports pages it cannot read as warnings; we report them as Unreadable instead.
logging.getLogger("trafilatura").addHandler(logging.NullHandler())
logging.getLogger("htmldate").addHandler(logging.NullHandler())
logging.getLogger("courlan").addHandler(logging.NullHandler())

MAX_BYTES = 10_000_000
# Fewer words than this is a menu or a caption, not an article.
MIN_WORDS = 5
_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or an office document)",
    b"\x1f\x8b": "gzip-compressed data",
    b"RIFF": "a media file",
    b"\x00\x00\x00": "a media file",
}
_HTML_LANG = re.compile(rb"<html[^>]*?\slang\s*=\s*[\"']?([A-Za-z]{2,3})", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Unreadable(Refusal):
    """The page holds no readable article; `reason` says why (for the quarantine)."""


@dataclass
class Extracted:
    """What a page says, as plain text and metadata."""

    title: str
    author: str
    date: datetime | None  # the publication day, midnight UTC (pages rarely give the hour)
    language: str | None  # as the page declares it (<html lang>); detect() from the text is surer
    url: str | None  # the canonical URL when the page gives one, else the URL it was read from
    text: str
    images: list[str] = field(default_factory=list)


def _binary_kind(data: bytes) -> str | None:
    head = data[:1024]
    for magic, kind in _MAGIC.items():
        if head.startswith(magic):
            return kind
    if b"\x00" in head:
        return "binary data"
    return None


def _day(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value[:10], "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return None


def _declared_language(data: bytes) -> str | None:
    found = _HTML_LANG.search(data[:20_000])
    return found.group(1).decode("ascii").lower() if found else None


def extract(html: str | bytes, url: str | None = None, *, date_wanted: bool = True) -> Extracted:
    """Read the article of a page; Unreadable (with a reason) when there is none.

    Without `date_wanted` (the feed gave the date already), the page's date is still read but
    only where pages declare it, not searched for in the text: htmldate's extensive search is
    a fifth of the extraction's time.
    """
    data = html.encode("utf-8") if isinstance(html, str) else html
    if not data or not data.strip():
        raise Unreadable("empty page")
    if len(data) > MAX_BYTES:
        raise Unreadable(f"page too large ({len(data)} bytes)")
    kind = _binary_kind(data.lstrip())
    if kind:
        raise Unreadable(f"not a web page but {kind}")
    base = safe_link(url or "", None)
    try:
        # fast: no fallback extractors (readability, jusText). On the Zyte benchmark that is
        # both quicker (+18 %) and slightly better (F1 0.962 against 0.960).
        doc = trafilatura.bare_extraction(
            html,
            url=base,
            fast=True,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            date_extraction_params=None if date_wanted else set_date_params(extensive=False),
        )
    except Exception as exc:  # trafilatura's own failures on broken markup
        raise Unreadable(f"the page could not be parsed ({type(exc).__name__})") from None
    text = _CONTROL.sub("", (getattr(doc, "text", None) or "")).strip() if doc else ""
    if len(text.split()) < MIN_WORDS:
        raise Unreadable(f"no article text found ({len(text.split())} words)")
    if text.count("\ufffd") > max(10, len(text) // 20):
        raise Unreadable("the text is garbled (wrong or mixed character encoding)")
    image = safe_link(getattr(doc, "image", None) or "", base)
    return Extracted(
        title=plain(getattr(doc, "title", None) or ""),
        author=plain(getattr(doc, "author", None) or ""),
        date=_day(getattr(doc, "date", None)),
        language=getattr(doc, "language", None) or _declared_language(data),
        url=safe_link(getattr(doc, "url", None) or "", base) or base,
        text=text,
        images=[image] if image else [],
    )
