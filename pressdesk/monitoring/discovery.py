"""From a section page ("/economie/"), the article links worth following.

Kept: links on the same site (the host, give or take "www.", and its sub-domains) whose path
looks like an article: a long hyphenated slug, a date or a numeric id, or an .html page. Left
out: navigation (tags, authors, pagination, search, accounts), files (images, PDF, feeds), other
sites and the page itself. Links are canonicalised (lower-case host, no fragment, no tracking
parameters, no default port) and each appears once, in page order.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from pressdesk.monitoring.sanitise import safe_link

_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|xtor|xts|at_\w+|_ga|ocid|cmpid|"
    r"ref|ref_src|src|share|igshid|smid|partner|campaign)$",
    re.I,
)
_NOT_ARTICLE_SEGMENTS = {
    "tag", "tags", "topic", "topics", "theme", "themes", "categorie", "category", "categories",
    "rubrique", "auteur", "author", "authors", "journaliste", "page", "pages", "search",
    "recherche", "login", "connexion", "account", "compte", "abonnement", "subscribe",
    "newsletter", "newsletters", "contact", "about", "a-propos", "mentions-legales", "legal",
    "privacy", "cgu", "cgv", "feed", "rss", "flux", "amp", "wp-login.php", "cart", "shop",
    "video", "videos", "podcast", "podcasts", "live", "direct", "jeux", "games", "meteo",
    "weather", "horoscope", "services", "static", "assets", "media", "medias", "cdn-cgi",
}  # fmt: skip
_FILES = re.compile(
    r"\.(jpe?g|png|gif|webp|svg|ico|pdf|zip|gz|mp3|mp4|m4a|webm|avi|mov|css|js|json|xml|rss|atom|"
    r"txt|docx?|xlsx?|pptx?|epub)$",
    re.I,
)
_DATE_IN_PATH = re.compile(r"/(19|20)\d{2}[/-](0?[1-9]|1[0-2])([/-]|$)")
_ID_IN_PATH = re.compile(r"(^|[/_-])(\d{5,}|[a-z]*\d{6,}[a-z]*)([/._-]|$)", re.I)
_SLUG = re.compile(r"[a-z0-9\u00e0-\u00ff]+(?:-[a-z0-9\u00e0-\u00ff]+){3,}", re.I)
_HTML_PAGE = re.compile(r"\.s?html?$", re.I)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)
        elif tag == "base" and self.base is None:
            self.base = dict(attrs).get("href")


def canonical(url: str) -> str:
    """A URL as we store it: lower-case scheme and host, no default port, fragment or trackers."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    if port and not (
        (parts.scheme == "http" and port == 80) or (parts.scheme == "https" and port == 443)
    ):
        host = f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, True) if not _TRACKING.match(k)])
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", query, ""))


def _site(host: str) -> str:
    return host.lower().removeprefix("www.")


def _same_site(host: str, site: str) -> bool:
    host = _site(host)
    return host == site or host.endswith("." + site) or site.endswith("." + host)


def looks_like_article(url: str) -> bool:
    """Whether a URL's path has the shape of an article rather than navigation or a file."""
    parts = urlsplit(url)
    path = parts.path
    segments = [s for s in path.lower().split("/") if s]
    if not segments or _FILES.search(path):
        return False
    if any(segment in _NOT_ARTICLE_SEGMENTS for segment in segments):
        return False
    if re.fullmatch(r"(page|p)?\d{1,3}", segments[-1]):
        return False  # pagination: /economie/2, /page/3
    last = segments[-1]
    return bool(
        _SLUG.search(last)
        or _DATE_IN_PATH.search(path)
        or _ID_IN_PATH.search(path)
        or (_HTML_PAGE.search(last) and len(segments) >= 2)
    )


def article_links(html: str | bytes, url: str) -> list[str]:
    """The article links of a section page, canonical and deduplicated, in page order."""
    page_url = safe_link(url, None)
    if page_url is None:
        return []
    text = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
    reader = _Links()
    try:
        reader.feed(text)
        reader.close()
    except (AssertionError, ValueError):
        pass  # html.parser gives up on some broken markup: keep the links read so far
    base = safe_link(urljoin(page_url, reader.base), None) if reader.base else page_url
    site = _site(urlsplit(page_url).hostname or "")
    own = canonical(page_url)
    found: dict[str, None] = {}
    for href in reader.hrefs:
        link = safe_link(href, base)
        if link is None:
            continue
        link = canonical(link)
        if link == own or not _same_site(urlsplit(link).hostname or "", site):
            continue
        if looks_like_article(link):
            found.setdefault(link, None)
    return list(found)
