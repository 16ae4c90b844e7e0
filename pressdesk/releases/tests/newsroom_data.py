"""Releases, images and links for the newsroom's tests, written with the models directly."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from pressdesk.accounts.models import Organisation
from pressdesk.releases.models import (
    AssetKind,
    MediaAsset,
    Release,
    ReleaseAttachment,
    ReleaseState,
    ReleaseVersion,
    Topic,
)

# A 1×1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def release(
    org: Organisation,
    title: str = "Acme ouvre une école d’ingénieurs",
    *,
    slug: str = "",
    visible_from: datetime | None = None,
    state: str = ReleaseState.PUBLISHED,
    template: str = "fr-FR",
    lead: str = "Le chapeau du communiqué.",
    body_html: str = "<p>Le corps du communiqué.</p>",
    body_source: str = "Le corps du communiqué.",
    topics: list[Topic] | None = None,
) -> Release:
    """A release with one version, public from `visible_from` (default: an hour ago)."""
    if visible_from is None and state in (ReleaseState.PUBLISHED, ReleaseState.SCHEDULED):
        visible_from = timezone.now() - timedelta(hours=1)
    r = Release.objects.for_org(org).create(
        title=title,
        slug=slug or f"r-{Release.objects.for_org(org).count() + 1}",
        state=state,
        template=template,
        visible_from=visible_from,
        embargo_until=visible_from,
        published_at=visible_from,
    )
    v = ReleaseVersion.objects.create(
        release=r,
        number=1,
        title=title,
        lead=lead,
        body_source=body_source,
        body_html=body_html,
        dateline="Paris, le 3 mars 2026",
    )
    r.current_version = v
    r.approved_version = v
    r.save(update_fields=["current_version", "approved_version"])
    if topics:
        r.topics.set(topics)
    return r


def image(org: Organisation, r: Release | None = None, **fields: str) -> MediaAsset:
    """An image, attached to the release if one is given."""
    asset = MediaAsset(
        org=org,
        kind=fields.pop("kind", AssetKind.IMAGE),
        filename=fields.pop("filename", "photo.png"),
        content_type="image/png",
        size=len(PNG),
        caption=fields.pop("caption", "La première promotion"),
        credit=fields.pop("credit", "© Jeanne Martin"),
        alt_text=fields.pop("alt_text", "Des étudiants devant l’école"),
        **fields,
    )
    asset.file.save("photo.png", ContentFile(PNG), save=False)
    asset.save()
    if r is not None:
        ReleaseAttachment.objects.create(release=r, asset=asset, position=0)
    return asset
