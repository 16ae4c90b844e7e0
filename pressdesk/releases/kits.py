"""Press kits (dossiers de presse): assembling parts in order, publishing under an embargo, and
what the public page shows.

A kit is public by `kit_public_q()` (published, past its instant, not withdrawn), computed on every
read. A release part shows only while that release is public (`Release.is_public`), so a kit
published before one of its releases lifts shows that release at its own instant, not before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils.timezone import now
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pressdesk.accounts import audit
from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts.models import Contact
from pressdesk.releases import markup
from pressdesk.releases.links import unique_slug
from pressdesk.releases.models import (
    AssetKind,
    KitItemKind,
    MediaAsset,
    PressKit,
    PressKitItem,
    Release,
    ReleaseTemplate,
    kit_public_q,
)
from pressdesk.releases.services import DOCUMENT_TYPES, IMAGE_TYPES
from pressdesk.releases.states import ReleaseError

# The kinds whose words are written in the kit itself (Markdown, stored as sanitised HTML).
TEXT_KINDS = (KitItemKind.FACT_SHEET, KitItemKind.KEY_FIGURES, KitItemKind.BIO, KitItemKind.QUOTE)
# How the audit log names what kits, exports and the pitch board record.
KIT_AUDIT_ACTIONS = {
    "release.export": gettext_lazy("Release downloaded (PDF or Word)"),
    "kit.publish": gettext_lazy("Press kit published"),
    "kit.withdraw": gettext_lazy("Press kit withdrawn"),
    "kit.export": gettext_lazy("Press kit downloaded (ZIP or PDF)"),
    "ideas.export": gettext_lazy("Story ideas summary downloaded (PDF)"),
}


class KitError(ReleaseError):
    """A kit cannot be changed as asked; the message says why, in the user's language."""


def _unique_slug(org: Organisation, title: str, exclude: int | None = None) -> str:
    return unique_slug(PressKit.objects.for_org(org), title, "dossier", exclude)


def _checked(title: str, language: str) -> str:
    """The title in the language's typography; a KitError for no title or an unknown language."""
    if language not in ReleaseTemplate.values:
        raise KitError(_("Unknown language."))
    title = markup.set_text(title, language)
    if not title:
        raise KitError(_("A press kit needs a title."))
    return title


def create_kit(
    org: Organisation,
    title: str,
    *,
    language: str = ReleaseTemplate.FR_FR,
    intro: str = "",
    event_id: int | None = None,
    by: User | None,
) -> PressKit:
    """A new, unpublished kit."""
    title = _checked(title, language)
    return PressKit.objects.for_org(org).create(
        title=title,
        slug=_unique_slug(org, title),
        language=language,
        intro_html=markup.to_html(intro, language),
        event_id=event_id,
        created_by=by,
    )


def save_kit(
    kit: PressKit, *, title: str, language: str, intro: str, event_id: int | None
) -> PressKit:
    """Change a kit's title, language, introduction and event; its address stays once public."""
    kit.title, kit.language, kit.event_id = _checked(title, language), language, event_id
    kit.intro_html = markup.to_html(intro, language)
    if kit.visible_from is None:
        kit.slug = _unique_slug(kit.org, title, exclude=kit.pk)
    kit.updated = now()
    kit.save()
    return kit


def store_asset(
    org: Organisation,
    upload: UploadedFile,
    *,
    by: User | None,
    logo: bool = False,
    **fields: Any,
) -> MediaAsset:
    """An uploaded image, logo or document stored under an unguessable name."""
    name = (upload.name or "file").rsplit("/", 1)[-1][:200]
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix in IMAGE_TYPES or (logo and suffix == "svg"):
        kind = AssetKind.LOGO if logo else AssetKind.IMAGE
    elif suffix in DOCUMENT_TYPES and not logo:
        kind = AssetKind.DOCUMENT
    else:
        raise KitError(
            _("This kind of file cannot be added (images: %(images)s; documents: %(docs)s).")
            % {"images": ", ".join(sorted(IMAGE_TYPES)), "docs": ", ".join(sorted(DOCUMENT_TYPES))}
        )
    if kind != AssetKind.DOCUMENT and not (fields.get("alt_text") or "").strip():
        raise KitError(_("Describe the image for readers who cannot see it."))
    return MediaAsset.objects.for_org(org).create(
        kind=kind,
        file=upload,
        filename=name,
        content_type=(upload.content_type or "")[:100],
        size=upload.size or 0,
        created_by=by,
        **{k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()},
    )


@transaction.atomic
def add_item(
    kit: PressKit,
    kind: str,
    *,
    title: str = "",
    text: str = "",
    release: Release | None = None,
    asset: MediaAsset | None = None,
    contact: Contact | None = None,
) -> PressKitItem:
    """Append a part to the kit. Each kind needs its own thing: a release, a text, an asset or a
    contact, of the kit's organisation (the caller fetched them through for_org)."""
    for thing in (release, asset, contact):
        if thing is not None and thing.org_id != kit.org_id:
            raise KitError(_("That belongs to another organisation."))
    if kind == KitItemKind.RELEASE and release is None:
        raise KitError(_("Choose the release to add."))
    if kind == KitItemKind.ASSET and asset is None:
        raise KitError(_("Add the image or file."))
    if kind == KitItemKind.CONTACT and contact is None:
        raise KitError(_("Choose the press contact."))
    if kind in TEXT_KINDS and not text.strip():
        raise KitError(_("Write the text of this part."))
    if kind not in KitItemKind.values:
        raise KitError(_("Unknown kind of part."))
    last = kit.items.aggregate(n=Max("position"))["n"]
    item = PressKitItem.objects.create(
        kit=kit,
        kind=kind,
        position=(last if last is not None else -1) + 1,
        title=markup.set_text(title, kit.language)[:300],
        body_html=markup.to_html(text, kit.language) if kind in TEXT_KINDS else "",
        release=release if kind == KitItemKind.RELEASE else None,
        asset=asset if kind == KitItemKind.ASSET else None,
        contact=contact if kind == KitItemKind.CONTACT else None,
    )
    _touch(kit)
    return item


@transaction.atomic
def edit_item(item: PressKitItem, *, title: str, text: str = "", **asset_fields: Any) -> None:
    """Change a part's title, its text (text kinds) and its image's caption, credit and rights."""
    kit = item.kit
    if item.kind in TEXT_KINDS:
        if not text.strip():
            raise KitError(_("Write the text of this part."))
        item.body_html = markup.to_html(text, kit.language)
    item.title = markup.set_text(title, kit.language)[:300]
    item.save(update_fields=["title", "body_html"])
    if item.asset is not None and asset_fields:
        for name, value in asset_fields.items():
            setattr(item.asset, name, value.strip() if isinstance(value, str) else value)
        item.asset.save(update_fields=list(asset_fields))
    _touch(kit)


@transaction.atomic
def move_item(item: PressKitItem, offset: int) -> None:
    """Move a part up (-1) or down (+1) in its kit; positions are renumbered 0, 1, 2…"""
    items = list(PressKitItem.objects.select_for_update().filter(kit=item.kit_id))
    index = next(i for i, it in enumerate(items) if it.pk == item.pk)
    target = index + offset
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    for position, it in enumerate(items):
        if it.position != position:
            PressKitItem.objects.filter(pk=it.pk).update(position=position)
    _touch(item.kit)


@transaction.atomic
def reorder(kit: PressKit, ids: list[int]) -> None:
    """Put the kit's parts in this order (parts not named keep their order, after them)."""
    items = {it.pk: it for it in PressKitItem.objects.select_for_update().filter(kit=kit)}
    ordered = [items[i] for i in dict.fromkeys(ids) if i in items]
    ordered += [it for it in items.values() if it not in ordered]
    for position, it in enumerate(ordered):
        if it.position != position:
            PressKitItem.objects.filter(pk=it.pk).update(position=position)
    _touch(kit)


def remove_item(item: PressKitItem) -> None:
    """Take a part out of the kit (an asset stays in the organisation's files)."""
    kit = item.kit
    item.delete()
    _touch(kit)


def language_label(kit: PressKit) -> str:
    """The kit's language in words: "French (France)"."""
    return str(dict(ReleaseTemplate.choices).get(kit.language, kit.language))


def _touch(kit: PressKit) -> None:
    PressKit.objects.for_org(kit.org_id).filter(pk=kit.pk).update(updated=now())


def publish_kit(
    kit: PressKit,
    *,
    embargo_until: datetime | None,
    by: User | None,
    request: HttpRequest | None = None,
    at: datetime | None = None,
) -> PressKit:
    """Publish the kit now, or at the embargo's instant; visibility follows `kit_public_q()`."""
    at = at or now()
    if embargo_until is not None and embargo_until <= at:
        raise KitError(_("The embargo must end in the future."))
    kit.published = True
    kit.embargo_until = embargo_until
    kit.visible_from = embargo_until or at
    kit.withdrawn_at = None
    kit.updated = at
    kit.save()
    audit.record(
        "kit.publish",
        org=kit.org,
        actor=by,
        obj=kit,
        request=request,
        embargo_until=embargo_until.isoformat() if embargo_until else None,
    )
    return kit


def withdraw_kit(kit: PressKit, *, by: User | None, request: HttpRequest | None = None) -> PressKit:
    """Take the kit off the newsroom at once."""
    kit.withdrawn_at = now()
    kit.published = False
    # The newsroom's stamp (newsroom_cache) sees the change: no kept page outlives it.
    kit.updated = kit.withdrawn_at
    kit.save()
    audit.record("kit.withdraw", org=kit.org, actor=by, obj=kit, request=request)
    return kit


def is_public(kit: PressKit, at: datetime | None = None) -> bool:
    """Whether the kit is public at `at`, by the same rule as `kit_public_q()`."""
    return PressKit.objects.for_org(kit.org_id).filter(pk=kit.pk).filter(kit_public_q(at)).exists()


@dataclass
class KitPart:
    """One part of a kit, as pages and documents show it."""

    item: PressKitItem
    number: int

    @property
    def kind(self) -> str:
        """The part's kind (release, fact_sheet, asset…)."""
        return self.item.kind

    @property
    def anchor(self) -> str:
        """The part's id in a page or a PDF (its table of contents links to it)."""
        return f"part-{self.item.pk}"

    @property
    def title(self) -> str:
        """What the table of contents calls the part."""
        item = self.item
        if item.title:
            return item.title
        if item.release is not None:
            version = item.release.current_version
            return version.title if version else item.release.title
        if item.asset is not None:
            return item.asset.title or item.asset.caption or item.asset.filename
        if item.contact is not None:
            return item.contact.full_name
        return str(item.get_kind_display())


def kit_items(kit: PressKit) -> list[PressKitItem]:
    """The kit's parts in order, with what they point to."""
    return list(
        kit.items.select_related(
            "release__current_version", "release__org", "asset", "contact"
        ).order_by("position", "pk")
    )


def kit_parts(
    kit: PressKit, at: datetime | None = None, public_only: bool = False
) -> list[KitPart]:
    """The kit's parts in order; with `public_only`, a release part only while it is public."""
    at = at or now()
    shown = [
        it
        for it in kit_items(kit)
        if not (public_only and it.release is not None and not it.release.is_public(at))
    ]
    return [KitPart(item, n) for n, item in enumerate(shown, start=1)]


def kit_public_context(kit: PressKit, at: datetime | None = None) -> dict[str, Any] | None:
    """What the newsroom's kit page shows at `at`: None while the kit is not public (the page
    answers 404), else the kit and its public parts in order, with its images and contacts.

    Keys: `kit`, `parts` (KitPart, release parts only while that release is public), `images`
    (image and logo assets), `documents`, `contacts`, `releases`, `public_until` (None).
    """
    at = at or now()
    if not PressKit.objects.for_org(kit.org_id).filter(pk=kit.pk).filter(kit_public_q(at)).exists():
        return None
    parts = kit_parts(kit, at, public_only=True)
    assets = [p.item.asset for p in parts if p.item.asset is not None]
    return {
        "kit": kit,
        "parts": parts,
        "releases": [p.item.release for p in parts if p.item.release is not None],
        "images": [a for a in assets if a.kind != AssetKind.DOCUMENT],
        "documents": [a for a in assets if a.kind == AssetKind.DOCUMENT],
        "contacts": [p.item.contact for p in parts if p.item.contact is not None],
    }


def kit_assets(parts: list[KitPart]) -> list[MediaAsset]:
    """Every image, logo and file of these parts, once each, in the kit's order: its own assets,
    then those attached to its releases."""
    seen: dict[int, MediaAsset] = {}
    for part in parts:
        item = part.item
        if item.asset is not None:
            seen.setdefault(item.asset.pk, item.asset)
        if item.release is not None:
            for attachment in item.release.attachments.select_related("asset").order_by(
                "position", "pk"
            ):
                seen.setdefault(attachment.asset_id, attachment.asset)
    return list(seen.values())
