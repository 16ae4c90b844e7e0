"""Public addresses of releases and kits on the newsroom."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.utils.text import slugify

from pressdesk.releases.models import PressKit, Release


def release_path(release: Release) -> str:
    """The release's address on its organisation's newsroom, from the site root."""
    return f"/newsroom/{release.org.slug}/{release.slug}/"


def release_url(release: Release) -> str:
    """The release's full public address (its future address while it is not public)."""
    return settings.SITE_ROOT.rstrip("/") + release_path(release)


def kit_path(kit: PressKit) -> str:
    """The kit's address on its organisation's newsroom, from the site root."""
    return f"/newsroom/{kit.org.slug}/kits/{kit.slug}/"


# The newsroom's own pages under /newsroom/<org>/: a release named after one would be hidden.
RESERVED_SLUGS = frozenset({"contacts", "subscribe", "unsubscribe", "preview", "files", "kits"})


def unique_slug(
    taken_in: QuerySet[Release] | QuerySet[PressKit],
    title: str,
    fallback: str,
    exclude: int | None = None,
) -> str:
    """A free address for a title among `taken_in`'s (one organisation's releases or kits)."""
    base = slugify(title)[:100] or fallback
    others = taken_in.filter(slug__startswith=base)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    taken = set(others.values_list("slug", flat=True)) | RESERVED_SLUGS
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
