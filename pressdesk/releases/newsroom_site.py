"""What the public newsroom shows: only what is public at the instant of the request.

Every reader-facing query here takes `at`, the instant the request is served, and filters on
`public_q(at)` (releases) or `kit_public_q(at)` (kits). No flag is read: a release under embargo
is absent until the instant, then present, whatever the workers did. What may be kept between
requests, and until when, is newsroom_cache's business (never past the next embargo).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from pressdesk.accounts.models import Organisation
from pressdesk.releases.models import (
    MediaAsset,
    Newsroom,
    PressKit,
    Release,
    ReleaseTemplate,
    ReleaseVersion,
    Topic,
    kit_public_q,
    public_q,
)

if TYPE_CHECKING:
    from pressdesk.releases.newsroom_search import Found

_Row = TypeVar("_Row", bound=Model)

# The languages the newsroom is written in; a release's template says which is its own.
LANGUAGES = ("fr", "en")
PAGE_SIZE = 20
FEED_SIZE = 20
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def instant() -> datetime:
    """The instant a request is served at: read once, so one page never mixes two instants."""
    return timezone.now()


def aware(value: object) -> datetime | None:
    """An aware datetime from a raw SQL column: PostgreSQL gives one, SQLite text or a naive
    datetime, in UTC."""
    if value is None:
        return None
    parsed = value if isinstance(value, datetime) else parse_datetime(str(value))
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def language_of(template: str) -> str:
    """The newsroom language of a release template: "fr-FR" and "fr-CA" are French."""
    return "en" if template.startswith("en") else "fr"


# The templates written in each newsroom language, as a list the index (org, template,
# visible_from) can seek: "is there an English release?" is then one seek, not a scan.
TEMPLATES = {
    lang: [t for t in ReleaseTemplate.values if language_of(t) == lang] for lang in LANGUAGES
}


@dataclass
class Site:
    """One organisation's newsroom as its readers see it."""

    org: Organisation
    newsroom: Newsroom

    @property
    def title(self) -> str:
        return self.newsroom.title or self.org.name


def site_for(org_slug: str) -> Site | None:
    """The newsroom of this organisation, or None when there is none or it is turned off.

    An organisation that never opened its settings has a newsroom with the defaults (online),
    so a release a director publishes is reachable at the address the editor announced.
    """
    # Unordered: a slug names one organisation, and an organisation has one newsroom (an
    # ORDER BY costs more to compile than the lookup costs to run).
    org = _one(Organisation.objects.filter(slug=org_slug).order_by())
    if org is None:
        return None
    newsroom = _one(Newsroom.objects.for_org(org).select_related("logo").order_by())
    if newsroom is None:
        newsroom = Newsroom(org=org)
    if not newsroom.enabled:
        return None
    return Site(org, newsroom)


def public_releases(org: Organisation, at: datetime) -> QuerySet[Release]:
    """The organisation's releases public at `at`, newest first."""
    return (
        Release.objects.for_org(org)
        .filter(public_q(at))
        .order_by("-visible_from", "-pk")
        .select_related("current_version", "approved_version")
    )


def public_version(release: Release) -> ReleaseVersion | None:
    """The words readers see: the version the chain approved, else the current one."""
    return release.approved_version or release.current_version


def languages_with_releases(org: Organisation, at: datetime) -> list[str]:
    """The newsroom languages in which the organisation has public releases, French first.

    Two EXISTS queries, each stopping at its first public release (no DISTINCT over all)."""
    public = Release.objects.for_org(org).filter(public_q(at)).order_by()
    found = []
    if in_language(public, "fr").exists():
        found.append("fr")
    if in_language(public, "en").exists():
        found.append("en")
    return found


def in_language(releases: QuerySet[Release], lang: str) -> QuerySet[Release]:
    """Only the releases written in this newsroom language."""
    return releases.filter(template__in=TEMPLATES[lang])


class ProbeExists(Exists):
    """EXISTS(… LIMIT 1 OFFSET 0): the OFFSET keeps PostgreSQL from turning the probe into a
    semi-join, which for a topic hashed all its releases (2.7 ms a topic at 10,000 releases);
    left a sub-plan, each probe stops at its first row (0.03 ms). SQLite runs it as written."""

    template = "EXISTS(%(subquery)s OFFSET 0)"


def public_topics(org: Organisation, at: datetime) -> QuerySet[Topic]:
    """The topics under which at least one release is public at `at`: one EXISTS per topic of
    the organisation (a handful), each stopping at its first public release."""
    filed = Release.topics.through.objects.filter(
        Q(topic_id=OuterRef("pk")), public_q(at, prefix="release__")
    )
    return Topic.objects.for_org(org).filter(ProbeExists(filed)).order_by("name")


def under_topic(org: Organisation, releases: QuerySet[Release], slug: str) -> QuerySet[Release]:
    """Only the releases filed under the organisation's topic of this address (none if there is
    no such topic). An EXISTS probe per release, not a join: the list keeps its index order."""
    topic_id = Topic.objects.for_org(org).filter(slug=slug).values_list("pk", flat=True).first()
    if topic_id is None:
        return releases.none()
    filed = Release.topics.through.objects.filter(release_id=OuterRef("pk"), topic_id=topic_id)
    return releases.filter(Exists(filed))


def search(releases: QuerySet[Release], text: str) -> Found | None:
    """The releases holding every word typed, newest first, up to newsroom_search.CAP (see
    newsroom_search.found); None when nothing searchable was typed."""
    from pressdesk.releases import newsroom_search

    return newsroom_search.found(releases, text)


@dataclass
class ListPage:
    """One page of the release list: its releases (with their public version) and its place.

    `capped`: a search found more releases than it lists (newsroom_search.CAP)."""

    items: list[tuple[Release, ReleaseVersion | None]]
    page: Page[int]
    capped: bool = False


def list_page(
    org: Organisation,
    releases: QuerySet[Release] | Found,
    number: str | int | None,
    size: int,
) -> ListPage:
    """A page of `releases` in their order (or of the ids a search found): the page's ids are
    read first (from the index, without the rows' text), then only those releases with their
    versions' titles and leads."""
    if isinstance(releases, QuerySet):
        source: Sequence[int] | QuerySet[Release, int] = releases.values_list("pk", flat=True)
        capped = False
    else:
        source, capped = releases.ids, releases.capped
    ids_page = Paginator(source, size).get_page(number)
    ids = list(ids_page.object_list)
    rows = (
        Release.objects.for_org(org)
        .filter(pk__in=ids)
        .select_related("current_version", "approved_version")
        .only(*_LIST_FIELDS)
    )
    found = {r.pk: r for r in rows}
    items = [(found[pk], public_version(found[pk])) for pk in ids if pk in found]
    return ListPage(items, ids_page, capped)


# What a list needs of a release and its versions: never the bodies.
_LIST_FIELDS = (
    "id",
    "org_id",
    "title",
    "slug",
    "template",
    "state",
    "visible_from",
    "updated",
    "current_version__id",
    "current_version__title",
    "current_version__lead",
    "approved_version__id",
    "approved_version__title",
    "approved_version__lead",
)


def public_release(org: Organisation, slug: str, at: datetime) -> Release | None:
    """The organisation's release at this address if it is public at `at`, with its approved
    version (without the search words and Markdown source, which pages never show) and its
    translation, in one query. A public release has an approved version; were one without,
    its current version is read when asked for."""
    return _one(
        Release.objects.for_org(org)
        .filter(public_q(at), slug=slug)
        .select_related("approved_version", "translation")
        .defer("approved_version__search_text", "approved_version__body_source")
        .order_by()
    )


def _one(rows: QuerySet[_Row]) -> _Row | None:
    """The first row of an unordered query that finds at most one (`first()` would order it)."""
    found = list(rows[:1])
    return found[0] if found else None


# Version columns no page shows: the search words (on PostgreSQL also out of line, so reading
# them costs a detoast) and the Markdown source.
_UNSHOWN = [
    f"{version}__{column}"
    for version in ("current_version", "approved_version")
    for column in ("search_text", "body_source")
]


def attachments(release: Release) -> list[MediaAsset]:
    """The release's images and files, in their order."""
    return [a.asset for a in release.attachments.select_related("asset").order_by("position")]


def public_asset(org: Organisation, asset_id: int, at: datetime) -> MediaAsset | None:
    """The organisation's image or file if a release or kit it belongs to is public at `at`,
    or it is the newsroom's logo; else None (its address answers 404 like its page)."""
    asset = MediaAsset.objects.for_org(org).filter(pk=asset_id).first()
    if asset is None:
        return None
    releases = Release.objects.for_org(org).filter(public_q(at))
    kits = PressKit.objects.for_org(org).filter(kit_public_q(at))
    if (
        releases.filter(attachments__asset=asset).exists()
        or kits.filter(Q(items__asset=asset) | Q(cover=asset)).exists()
        or Newsroom.objects.for_org(org).filter(logo=asset, enabled=True).exists()
    ):
        return asset
    return None


def public_kits(org: Organisation, at: datetime) -> QuerySet[PressKit]:
    """The organisation's press kits public at `at`, newest first."""
    return PressKit.objects.for_org(org).filter(kit_public_q(at)).order_by("-visible_from", "-pk")


@dataclass
class KitPart:
    """One part of a public kit as readers see it."""

    kind: str
    title: str
    body_html: str = ""
    release: Release | None = None
    asset: MediaAsset | None = None
    contact: object = None


def kit_parts(kit: PressKit, at: datetime) -> list[KitPart]:
    """A public kit's parts in order; a release part only while that release is public too."""
    parts: list[KitPart] = []
    items = kit.items.select_related(
        "release", "release__current_version", "release__approved_version", "asset", "contact"
    )
    for item in items.order_by("position", "pk"):
        if item.release_id is not None:
            if item.release is None or not item.release.is_public(at):
                continue
            version = public_version(item.release)
            title = item.title or (version.title if version else item.release.title)
            parts.append(KitPart(item.kind, title, release=item.release))
            continue
        parts.append(
            KitPart(
                item.kind,
                item.title,
                body_html=item.body_html,
                asset=item.asset,
                contact=item.contact,
            )
        )
    return parts


def safe_colour(value: str, fallback: str) -> str:
    """A colour from the settings as #rrggbb, or the fallback: it goes into a stylesheet."""
    return value if _HEX.match(value or "") else fallback


def _luminance(colour: str) -> float:
    def channel(hex2: str) -> float:
        c = int(hex2, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def theme(newsroom: Newsroom) -> dict[str, str]:
    """The newsroom's colours, made readable: text on the main colour is white or near-black,
    whichever contrasts more, and links keep the main colour only if it reads on white."""
    primary = safe_colour(newsroom.primary_colour, "#1d3557")
    accent = safe_colour(newsroom.accent_colour, "#e63946")
    ink = "#1b1f24"
    on_primary = "#ffffff" if contrast(primary, "#ffffff") >= contrast(primary, ink) else ink
    link = primary if contrast(primary, "#ffffff") >= 4.5 else ink
    return {"primary": primary, "on_primary": on_primary, "accent": accent, "link": link}
