"""Public addresses of releases and kits on the newsroom."""

from __future__ import annotations

from django.conf import settings

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
