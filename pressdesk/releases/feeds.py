"""The newsroom's RSS 2.0 and Atom 1.0 feeds and its sitemap, from what is public at `at`.

The feeds go through django.utils.feedgenerator, which escapes every text and writes RFC 822
(RSS) and RFC 3339 (Atom) dates; every link is absolute (SITE_ROOT) and each entry's guid is
its permanent address.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from django.conf import settings
from django.db import connection
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import feedgenerator

from pressdesk.releases import newsroom_site
from pressdesk.releases.links import release_url
from pressdesk.releases.models import ReleaseEffect
from pressdesk.releases.newsroom_site import Site

logger = logging.getLogger("pressdesk.releases")

FEED_TYPES: dict[str, type[feedgenerator.SyndicationFeed]] = {
    "rss": feedgenerator.Rss201rev2Feed,
    "atom": feedgenerator.Atom1Feed,
}


def absolute(path: str) -> str:
    """A path made into a full address on this installation."""
    return settings.SITE_ROOT.rstrip("/") + path


def feed(site: Site, kind: str, at: datetime, lang: str | None = None) -> tuple[str, str]:
    """(XML, content type) of the newsroom's feed of this kind ("rss" or "atom")."""
    org = site.org
    home = absolute(reverse("newsroom:home", args=[org.slug]))
    feed_url = absolute(reverse(f"newsroom:{kind}", args=[org.slug]))
    releases = newsroom_site.public_releases(org, at)
    if lang:
        releases = newsroom_site.in_language(releases, lang)
    latest = list(releases.prefetch_related("topics")[: newsroom_site.FEED_SIZE])
    for release in latest:
        release.org = org  # its address needs the organisation: no query per entry
    generator = FEED_TYPES[kind](
        title=site.title,
        link=home,
        description=site.newsroom.tagline or site.title,
        language=lang or org.language,
        feed_url=feed_url,
        author_name=org.name,
        feed_guid=feed_url,
        ttl=15 if kind == "rss" else None,
    )
    for release in latest:
        version = newsroom_site.public_version(release)
        url = release_url(release)
        published = release.visible_from or at
        generator.add_item(
            title=version.title if version else release.title,
            link=url,
            description=(version.lead if version else "") or release.title,
            unique_id=url,
            unique_id_is_permalink=True,
            pubdate=published,
            updateddate=max(published, release.updated),
            author_name=org.name,
            categories=[t.name for t in release.topics.all()],
        )
    return generator.writeString("utf-8"), str(generator.content_type)  # type: ignore[attr-defined]


# URLs per sitemap page (sitemaps.org allows 50,000): small pages stay cheap to build.
SITEMAP_PAGE = 1000
_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _w3c(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _url(loc: str, changed: datetime | None) -> str:
    lastmod = f"<lastmod>{_w3c(changed)}</lastmod>" if changed else ""
    return f"<url><loc>{escape(loc)}</loc>{lastmod}</url>"


def _page_changes(site: Site, at: datetime) -> list[datetime]:
    """When each sitemap page last changed: public releases in id order, SITEMAP_PAGE a page
    (a new release lands on the last page; earlier pages keep their addresses). One statement:
    the rows are numbered and grouped by page in the database."""
    numbered = (
        newsroom_site.public_releases(site.org, at)
        .select_related(None)
        .order_by()
        .annotate(n=Window(RowNumber(), order_by=F("pk").asc()))
        .values("n", "updated", "visible_from")
    )
    inner, params = numbered.query.sql_with_params()
    # The page number comes from code (SITEMAP_PAGE); the public rule is the ORM's, inside.
    sql = (
        f"SELECT (n - 1) / {int(SITEMAP_PAGE)} AS page, MAX(updated), MAX(visible_from) "  # noqa: S608
        f"FROM ({inner}) numbered GROUP BY (n - 1) / {int(SITEMAP_PAGE)} ORDER BY page"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    changes = []
    for _page, updated, visible in rows:
        found = [
            d for d in (newsroom_site.aware(updated), newsroom_site.aware(visible)) if d is not None
        ]
        changes.append(max(found))
    return changes


def sitemap(site: Site, at: datetime, page: int | None = None) -> str | None:
    """sitemap.xml (sitemaps.org 0.9): one page of URLs when everything fits on one, else a
    sitemap index naming each page with the date it last changed. With `page`, that page
    (None if there is no such page)."""
    public = newsroom_site.public_releases(site.org, at)
    pages = max(1, -(-public.count() // SITEMAP_PAGE))
    if page is None and pages > 1:
        return _sitemap_index(site, at)
    number = 1 if page is None else page
    if not 1 <= number <= pages:
        return None
    return _sitemap_page(site, at, number)


def _sitemap_index(site: Site, at: datetime) -> str:
    entries = []
    for number, changed in enumerate(_page_changes(site, at), start=1):
        loc = absolute(reverse("newsroom:sitemap_page", args=[site.org.slug, number]))
        entries.append(
            f"<sitemap><loc>{escape(loc)}</loc><lastmod>{_w3c(changed)}</lastmod></sitemap>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="{_SITEMAP_NS}">\n' + "\n".join(entries) + "\n</sitemapindex>\n"
    )


def _sitemap_page(site: Site, at: datetime, number: int) -> str:
    """One page: its public releases; the first page also the newsroom's own pages and kits."""
    org = site.org
    prefix = absolute(f"/newsroom/{org.slug}/")
    start = (number - 1) * SITEMAP_PAGE
    rows = (
        newsroom_site.public_releases(org, at)
        .select_related(None)
        .order_by("pk")
        .values_list("slug", "visible_from", "updated")[start : start + SITEMAP_PAGE]
    )
    entries = [
        _url(f"{prefix}{slug}/", max(visible_from or updated, updated))
        for slug, visible_from, updated in rows
    ]
    if number > 1:
        return _urlset(entries)
    kit_rows = newsroom_site.public_kits(org, at).values_list("slug", "visible_from", "updated")
    kits = [(slug, max(visible or updated, updated)) for slug, visible, updated in kit_rows]
    latest = newsroom_site.public_releases(org, at).values_list("visible_from", flat=True).first()
    head = [
        _url(absolute(reverse(name, args=[org.slug])), latest)
        for name in ("newsroom:home", "newsroom:contacts")
    ]
    if kits:
        newest_kit = max(changed for _slug, changed in kits)
        head.append(_url(absolute(reverse("newsroom:kits", args=[org.slug])), newest_kit))
    head += [_url(f"{prefix}kits/{slug}/", changed) for slug, changed in kits]
    return _urlset(head + entries)


def _urlset(entries: list[str]) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="{_SITEMAP_NS}">\n' + "\n".join(entries) + "\n</urlset>\n"
    )


def robots(slugs: list[str]) -> str:
    """robots.txt: everything may be crawled but the private app, and each newsroom's sitemap."""
    lines = ["User-agent: *", "Disallow: /o/", "Disallow: /api/", "Disallow: /admin/"]
    lines += ["Disallow: /newsroom/*/preview/", ""]
    lines += [f"Sitemap: {absolute(reverse('newsroom:sitemap', args=[slug]))}" for slug in slugs]
    return "\n".join(lines) + "\n"


def ping(effect: ReleaseEffect) -> None:
    """The FEED_PING effect's handler. Feeds and the sitemap are computed from the instant (a
    kept copy never outlives the next embargo, newsroom_cache), so they already hold the
    release; no WebSub hub is configured to tell, so this only says so in the log (a hub's
    address would be pinged here)."""
    logger.info("release %s public: feeds and sitemap show it from now", effect.release_id)
