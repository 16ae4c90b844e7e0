"""What the web sends is cleaned on the way in: plain text, allow-listed HTML, http(s) links."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import nh3

# Links and images may point only to the web (no javascript:, data:, file:…).
LINK_SCHEMES = {"http", "https"}
_HTML_SCHEMES = {"http", "https", "mailto"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\r\n\u00a0]+")


def plain(value: str) -> str:
    """Plain text: tags (and script or style contents) removed, entities read, spaces squeezed."""
    text = value or ""
    # Unescaping can reveal markup that was escaped once ("&lt;script&gt;"): clean until stable.
    for _ in range(4):
        cleaned = html.unescape(nh3.clean(text, tags=set(), strip_comments=True))
        if cleaned == text:
            break
        text = cleaned
    else:
        text = nh3.clean(text, tags=set())  # still changing: keep the escaped, inert form
    return _SPACES.sub(" ", _CONTROL.sub("", text)).strip()


def clean_html(value: str, base: str | None = None) -> str:
    """HTML restricted to an allow-list: no script, no event handlers, only web and mail links.

    Relative links are resolved against `base` (an http(s) URL), or dropped without one.
    """
    base = safe_link(base or "", None)
    return nh3.clean(
        _CONTROL.sub("", value or ""),
        url_schemes=_HTML_SCHEMES,
        url_relative=("rewrite_with_base", base) if base else "deny",
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.images: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            src = dict(attrs).get("src")
            if src:
                self.images.append(src)
        elif tag in {"p", "br", "div", "li", "h1", "h2", "h3", "h4", "tr"}:
            self.parts.append(" ")


def _read(fragment: str) -> _Text:
    reader = _Text()
    reader.feed(fragment or "")
    reader.close()
    return reader


def html_text(fragment: str) -> str:
    """The text of sanitised HTML, spaces squeezed."""
    return _SPACES.sub(" ", "".join(_read(fragment).parts)).strip()


def image_sources(fragment: str) -> list[str]:
    """The src of every <img> in an HTML fragment, in order."""
    return _read(fragment).images


def safe_link(value: str, base: str | None) -> str | None:
    """An absolute http(s) link, resolved against base; None for anything else."""
    candidate = (value or "").strip()
    if not candidate or _CONTROL.search(candidate) or any(c.isspace() for c in candidate):
        return None
    if base:
        candidate = urljoin(base, candidate)
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in LINK_SCHEMES or not parts.hostname:
        return None
    return parts._replace(scheme=parts.scheme.lower()).geturl()
