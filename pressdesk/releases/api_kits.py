"""API: press kits (list, create, read) and their parts (list, add), with the pages' rules: the
token's organisation only (another's ids answer 404), `edit` to change, `approve` to publish.
Responses carry `Cache-Control: no-store`: a kit may be under embargo."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from pressdesk.accounts.access import member_object
from pressdesk.api import membership
from pressdesk.contacts.models import Contact
from pressdesk.releases import kits, links
from pressdesk.releases.models import MediaAsset, PressKit, Release, ReleaseTemplate

router = Router(tags=["kits"])


class PartOut(Schema):
    id: int
    position: int
    kind: str
    title: str
    body_html: str
    release_id: int | None
    asset_id: int | None
    contact_id: int | None


class KitOut(Schema):
    id: int
    title: str
    slug: str
    language: str
    intro_html: str
    published: bool
    embargo_until: datetime | None
    visible_from: datetime | None
    withdrawn_at: datetime | None
    public: bool
    public_path: str
    event_id: int | None
    updated: datetime


class KitIn(Schema):
    title: str
    language: str = ReleaseTemplate.FR_FR
    intro: str = ""  # Markdown
    event_id: int | None = None


class PartIn(Schema):
    # Checked by the service, after the kit: a missing kind on another's kit is a 404, not a 422.
    kind: str = ""
    title: str = ""
    text: str = ""  # Markdown, for fact sheets, key figures, bios and quotes
    release_id: int | None = None
    asset_id: int | None = None
    contact_id: int | None = None


class PublishIn(Schema):
    embargo_until: datetime | None = None


def _private(response: HttpResponse) -> None:
    response["Cache-Control"] = "no-store"


def kit_out(kit: PressKit) -> dict[str, Any]:
    """A kit as the API shows it."""
    return {
        **{f: getattr(kit, f) for f in KitOut.model_fields if hasattr(kit, f)},
        "public": kits.is_public(kit),
        "public_path": links.kit_path(kit),
    }


def part_out(part: kits.KitPart) -> dict[str, Any]:
    """A kit's part as the API shows it."""
    item = part.item
    return {
        "id": item.pk,
        "position": item.position,
        "kind": item.kind,
        "title": part.title,
        "body_html": item.body_html,
        "release_id": item.release_id,
        "asset_id": item.asset_id,
        "contact_id": item.contact_id,
    }


@router.get("", response=list[KitOut])
def list_kits(request: HttpRequest, response: HttpResponse) -> list[dict[str, Any]]:
    """The organisation's press kits, most recently changed first."""
    member = membership(request)
    _private(response)
    rows = PressKit.objects.for_org(member.org).select_related("org").order_by("-updated", "pk")
    return [kit_out(k) for k in rows[:500]]


@router.post("", response={201: KitOut})
def create_kit(request: HttpRequest, response: HttpResponse, data: KitIn) -> Status:
    member = membership(request, "edit")
    _private(response)
    try:
        kit = kits.create_kit(
            member.org,
            data.title,
            language=data.language,
            intro=data.intro,
            event_id=data.event_id,
            by=member.user,
        )
    except kits.KitError as e:
        raise HttpError(422, str(e)) from e
    return Status(201, kit_out(kit))


@router.get("/{int:kit_id}", response=KitOut)
def get_kit(request: HttpRequest, response: HttpResponse, kit_id: int) -> dict[str, Any]:
    member = membership(request)
    _private(response)
    return kit_out(member_object(member, PressKit, kit_id))


@router.get("/{int:kit_id}/items", response=list[PartOut])
def list_items(request: HttpRequest, response: HttpResponse, kit_id: int) -> list[dict[str, Any]]:
    """The kit's parts in order."""
    member = membership(request)
    _private(response)
    kit = member_object(member, PressKit, kit_id)
    return [part_out(p) for p in kits.kit_parts(kit)]


@router.post("/{int:kit_id}/items", response={201: PartOut})
def add_item(request: HttpRequest, response: HttpResponse, kit_id: int, data: PartIn) -> Status:
    """Append a part; a release, asset or contact must be the organisation's (else 404)."""
    member = membership(request, "edit")
    _private(response)
    kit = member_object(member, PressKit, kit_id)
    release = member_object(member, Release, data.release_id) if data.release_id else None
    asset = member_object(member, MediaAsset, data.asset_id) if data.asset_id else None
    contact = member_object(member, Contact, data.contact_id) if data.contact_id else None
    try:
        kits.add_item(
            kit,
            data.kind,
            title=data.title,
            text=data.text,
            release=release,
            asset=asset,
            contact=contact,
        )
    except kits.KitError as e:
        raise HttpError(422, str(e)) from e
    return Status(201, part_out(kits.kit_parts(kit)[-1]))


@router.post("/{int:kit_id}/publish", response=KitOut)
def publish_kit(
    request: HttpRequest, response: HttpResponse, kit_id: int, data: PublishIn
) -> dict[str, Any]:
    """Publish the kit now, or at `embargo_until` (directors only)."""
    member = membership(request, "approve")
    _private(response)
    kit = member_object(member, PressKit, kit_id)
    try:
        kits.publish_kit(kit, embargo_until=data.embargo_until, by=member.user, request=request)
    except kits.KitError as e:
        raise HttpError(422, str(e)) from e
    return kit_out(kit)
