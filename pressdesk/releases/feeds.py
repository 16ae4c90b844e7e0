"""The newsroom's RSS 2.0 and Atom 1.0 feeds and its sitemap, from what is public at `at`.

The feeds go through django.utils.feedgenerator, which escapes every text and writes RFC 822
(RSS) and RFC 3339 (Atom) dates; every link is absolute (SITE_ROOT) and each entry's guid is
its permanent address.
"""

from __future__ import annotations

import logging
from datetime import datetime
from xml.sax.saxutils import escape

from django.conf import settings
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


def sitemap(site: Site, at: datetime) -> str:
    """The sitemap (sitemaps.org 0.9): the newsroom's home, its contacts page and every public
    release, each with the date it last changed. Hand-built: 10,000 releases stay cheap."""
    org = site.org
    rows = (
        newsroom_site.public_releases(org, at)
        .order_by("-visible_from", "-pk")
        .values_list("slug", "visible_from", "updated")
    )
    newest: datetime | None = None
    entries: list[str] = []
    prefix = absolute(f"/newsroom/{org.slug}/")
    for slug, visible_from, updated in rows:
        changed: datetime = max(visible_from or updated, updated)
        newest = changed if newest is None or changed > newest else newest
        entries.append(
            f"<url><loc>{escape(prefix + slug + '/')}</loc>"
            f"<lastmod>{changed.strftime('%Y-%m-%dT%H:%M:%S+00:00')}</lastmod></url>"
        )
    for kit_slug, kit_visible, kit_updated in newsroom_site.public_kits(org, at).values_list(
        "slug", "visible_from", "updated"
    ):
        changed = max(kit_visible or kit_updated, kit_updated)
        entries.append(
            f"<url><loc>{escape(prefix + 'kits/' + kit_slug + '/')}</loc>"
            f"<lastmod>{changed.strftime('%Y-%m-%dT%H:%M:%S+00:00')}</lastmod></url>"
        )
    head = [
        f"<url><loc>{escape(absolute(reverse(name, args=[org.slug])))}</loc>"
        + (f"<lastmod>{newest.strftime('%Y-%m-%dT%H:%M:%S+00:00')}</lastmod>" if newest else "")
        + "</url>"
        for name in ("newsroom:home", "newsroom:contacts")
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(head + entries)
        + "\n</urlset>\n"
    )


def robots(slugs: list[str]) -> str:
    """robots.txt: everything may be crawled but the private app, and each newsroom's sitemap."""
    lines = ["User-agent: *", "Disallow: /o/", "Disallow: /api/", "Disallow: /admin/"]
    lines += ["Disallow: /newsroom/*/preview/", ""]
    lines += [f"Sitemap: {absolute(reverse('newsroom:sitemap', args=[slug]))}" for slug in slugs]
    return "\n".join(lines) + "\n"


def ping(effect: ReleaseEffect) -> None:
    """The FEED_PING effect's handler. Feeds and the sitemap are computed on every request, so
    they already hold the release; no WebSub hub is configured to tell, so this only says so in
    the log (a hub's address would be pinged here)."""
    logger.info("release %s public: feeds and sitemap show it from now", effect.release_id)
