"""What the public newsroom shows: only what is public at the instant of the request.

Every reader-facing query here takes `at`, the instant the request is served, and filters on
`public_q(at)` (releases) or `kit_public_q(at)` (kits). Nothing is cached between requests and no
flag is read: a release under embargo is absent until the instant, then present, whatever the
workers did.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from pressdesk.accounts.models import Organisation
from pressdesk.lib.text import normalise
from pressdesk.releases.models import (
    MediaAsset,
    Newsroom,
    PressKit,
    Release,
    ReleaseVersion,
    Topic,
    kit_public_q,
    public_q,
)

# The languages the newsroom is written in; a release's template says which is its own.
LANGUAGES = ("fr", "en")
PAGE_SIZE = 20
FEED_SIZE = 20
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def instant() -> datetime:
    """The instant a request is served at: read once, so one page never mixes two instants."""
    return timezone.now()


def language_of(template: str) -> str:
    """The newsroom language of a release template: "fr-FR" and "fr-CA" are French."""
    return "en" if template.startswith("en") else "fr"


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
    org = Organisation.objects.filter(slug=org_slug).first()
    if org is None:
        return None
    newsroom = Newsroom.objects.for_org(org).select_related("logo").first()
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
    """The newsroom languages in which the organisation has public releases, French first."""
    templates = set(
        Release.objects.for_org(org)
        .filter(public_q(at))
        .values_list("template", flat=True)
        .distinct()
    )
    found = {language_of(t) for t in templates}
    return [lang for lang in LANGUAGES if lang in found]


def in_language(releases: QuerySet[Release], lang: str) -> QuerySet[Release]:
    """Only the releases written in this newsroom language."""
    if lang == "en":
        return releases.filter(template__startswith="en")
    return releases.exclude(template__startswith="en")


def public_topics(org: Organisation, at: datetime) -> QuerySet[Topic]:
    """The topics under which at least one release is public at `at`."""
    return (
        Topic.objects.for_org(org)
        .filter(public_q(at, prefix="releases__"), releases__org=org)
        .distinct()
        .order_by("name")
    )


# The matching form of each version's words, by version id and creation instant (an id alone
# could come back after a database is restored or rolled back). Versions are never changed, so
# an entry never goes stale; the bound only keeps memory in check.
_WORDS: dict[tuple[int, datetime], str] = {}
_WORDS_MAX = 50_000

VersionKey = tuple[int, datetime]


def _version_words(keys: list[VersionKey]) -> dict[VersionKey, str]:
    """The normalised title, lead and body of these versions, computed once per process."""
    missing = [k for k in keys if k not in _WORDS]
    if len(_WORDS) + len(missing) > _WORDS_MAX:
        _WORDS.clear()
        missing = keys
    for start in range(0, len(missing), 500):
        chunk = [pk for pk, _created in missing[start : start + 500]]
        rows = ReleaseVersion.objects.filter(pk__in=chunk).values_list(
            "pk", "created", "title", "lead", "body_source"
        )
        for pk, created, title, lead, body in rows:
            _WORDS[(pk, created)] = f" {normalise(' '.join((title, lead, body)))} "
    return {k: _WORDS.get(k, "") for k in keys}


def search(releases: QuerySet[Release], text: str) -> QuerySet[Release]:
    """The releases whose title, lead or body hold every word typed, accents, case and French
    elisions ignored ("ecole" finds "l'École"), words matched from their start.

    Releases carry no normalised search column, so each public version's words are normalised
    once per process and kept (versions never change); every candidate already passed the
    public rule.
    """
    wanted = normalise(text).split()
    if not wanted:
        return releases
    rows = releases.values_list(
        "pk",
        "approved_version_id",
        "approved_version__created",
        "current_version_id",
        "current_version__created",
    )
    version_of: dict[int, VersionKey] = {}
    for pk, approved, approved_at, current, current_at in rows:
        if approved:
            version_of[pk] = (approved, approved_at)
        elif current:
            version_of[pk] = (current, current_at)
    words = _version_words(list(version_of.values()))
    found = [
        pk for pk, key in version_of.items() if all(f" {word}" in words[key] for word in wanted)
    ]
    return releases.filter(pk__in=found)


def public_release(org: Organisation, slug: str, at: datetime) -> Release | None:
    """The organisation's release at this address if it is public at `at`."""
    return public_releases(org, at).filter(slug=slug).first()


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
