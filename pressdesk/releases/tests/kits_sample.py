"""Rows for the kits, exports and pitch board tests: releases with a version, assets, kits."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from django.core.files.base import ContentFile

from pressdesk.accounts.models import Organisation
from pressdesk.releases.models import (
    MediaAsset,
    PressKit,
    PressKitItem,
    Release,
    ReleaseState,
    ReleaseVersion,
    StoryIdea,
)

# A 1×1 red PNG: small enough to write inline, real enough for WeasyPrint and Word.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)

BODY = (
    "<p>Le groupe ouvre à Tours une usine de <strong>vélos cargo</strong> : 120 emplois "
    "d’ici 2027\u00a0!</p><h2>Un site pilote</h2><p>« Nous voulons produire au plus près "
    "de nos clients », explique <em>Jeanne Martin</em>.</p>"
    "<ul><li>120 emplois</li><li>4 000 vélos par an</li></ul>"
)


def release(
    org: Organisation,
    title: str = "Acme ouvre une usine à Tours",
    *,
    body_html: str = BODY,
    template: str = "fr-FR",
    state: str = ReleaseState.DRAFT,
    visible_from: datetime | None = None,
    embargo_until: datetime | None = None,
    slug: str = "",
    **fields: Any,
) -> Release:
    """A release with one version, its current one."""
    r = Release.objects.create(
        org=org,
        title=title,
        slug=slug or f"release-{Release.objects.count() + 1}",
        template=template,
        state=state,
        visible_from=visible_from,
        embargo_until=embargo_until,
        **fields,
    )
    v = ReleaseVersion.objects.create(
        release=r,
        number=1,
        title=title,
        subtitle="Un investissement de 12 millions d’euros",
        dateline="Paris, le 26 novembre 2026",
        lead="Acme annonce l’ouverture d’une usine à Tours, qui produira ses vélos cargo.",
        body_source="",
        body_html=body_html,
        boilerplate_html="<p>Acme fabrique des vélos depuis 1952.</p>",
        contact_block_html="<p>Claire Petit — presse@acme.example — 01 23 45 67 89</p>",
    )
    r.current_version = v
    r.save(update_fields=["current_version"])
    return r


def asset(org: Organisation, name: str = "usine.png", **fields: Any) -> MediaAsset:
    """An image asset holding a real PNG."""
    a = MediaAsset(
        org=org,
        kind=fields.pop("kind", "image"),
        filename=name,
        content_type="image/png",
        size=len(PNG),
        **fields,
    )
    a.file.save(name, ContentFile(PNG), save=False)
    a.save()
    return a


def kit(
    org: Organisation, title: str = "Dossier de presse : l’usine de Tours", **fields: Any
) -> PressKit:
    """A kit without parts."""
    return PressKit.objects.create(
        org=org,
        title=title,
        slug=fields.pop("slug", f"kit-{PressKit.objects.count() + 1}"),
        **fields,
    )


def item(kit: PressKit, kind: str, **fields: Any) -> PressKitItem:
    """A part appended at the end of the kit."""
    return PressKitItem.objects.create(kit=kit, kind=kind, position=kit.items.count(), **fields)


def idea(
    org: Organisation, title: str = "Portrait d’une apprentie soudeuse", **fields: Any
) -> StoryIdea:
    """A story idea."""
    return StoryIdea.objects.create(org=org, title=title, **fields)
