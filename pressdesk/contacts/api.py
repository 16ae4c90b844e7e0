"""API endpoints of the press file: contacts (search, filters, CRUD, merge), outlets, lists and
segments.

Everything is scoped to the token's organisation; another organisation's ids answer 404.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from pressdesk.accounts.access import member_object
from pressdesk.accounts.models import Membership
from pressdesk.api import membership
from pressdesk.contacts import duplicates, editing, lists, paging, services, validation
from pressdesk.contacts.filters import ContactFilterForm, to_querydict
from pressdesk.contacts.models import Contact, ContactList, Outlet
from pressdesk.contacts.models.contacts import Channel, LawfulBasis, SourceKind, kind_choices
from pressdesk.contacts.models.outlets import MediaType
from pressdesk.lib.text import normalise

router = Router(tags=["contacts"])
MAX_PER_PAGE = 200


class PositionOut(Schema):
    outlet_id: int
    outlet: str
    title: str


class ContactOut(Schema):
    id: int
    first_name: str
    last_name: str
    job_title: str
    kind: str
    emails: list[str]
    phones: list[str]
    positions: list[PositionOut]
    beats: list[str]
    tags: list[str]
    languages: list[str]
    country: str
    region: str
    social: dict[str, str]
    preferred_channel: str
    lawful_basis: str
    source_kind: str
    source_label: str
    notice_sent_at: datetime | None
    last_verified_at: datetime | None
    last_active_at: datetime | None
    created: datetime
    updated: datetime


class ContactPage(Schema):
    count: int
    page: int
    per_page: int
    items: list[ContactOut]


class ContactIn(Schema):
    """Fields left out are left alone on update."""

    first_name: str = ""
    last_name: str = ""
    job_title: str = ""
    kind: str = "journalist"
    emails: list[str] = []
    phones: list[str] = []
    outlet: str | None = None
    outlet_id: int | None = None
    beats: list[str] = []
    tags: list[str] = []
    languages: list[str] = []
    country: str = ""
    region: str = ""
    social: dict[str, str] = {}
    preferred_channel: str = ""
    lawful_basis: str = "legitimate_interest"
    source_label: str = ""


# Repeat a parameter to match any of its values (`?region=Bretagne&region=Normandie`), as the
# contact list's checkboxes do; different parameters all apply.
_ANY_OF = "Repeat the parameter to match any of several values."


class ContactFilters(Schema):
    """The contact list's filters. A list filter matches any of its values."""

    q: str = ""
    beat: list[int] = []
    tag: list[int] = []
    in_list: list[int] = []
    outlet: list[int] = []
    outlet_name: str = ""
    media_type: list[str] = []
    tier: list[int] = []
    region: list[str] = Field(
        [],
        description=f"A region as the press file writes it (contact's or outlet's). {_ANY_OF}",
    )
    country: list[str] = Field([], description=f"An ISO 3166 country code, e.g. FR. {_ANY_OF}")
    language: list[str] = Field(
        [], description=f"An ISO 639-1 language code the contact works in, e.g. fr. {_ANY_OF}"
    )
    kind: list[str] = []
    lawful_basis: str = ""
    has_email: str = ""
    opted_out: str = ""
    active_after: date | None = None
    active_before: date | None = None
    created_after: date | None = None
    created_before: date | None = None
    sort: str = ""
    page: int = 1
    per_page: int = 50


class MergeIn(Schema):
    """Another contact to merge into this one, and whose values win where the two differ."""

    # Optional in the schema only so that a contact of another organisation answers 404 before
    # a missing field answers 422; the endpoint requires it.
    other_id: int | None = Field(
        None, description="Required: the contact merged into this one, then deleted."
    )
    prefer: Literal["keep", "other"] = Field(
        "keep",
        description="Whose value stays where both contacts have a different one: this "
        "contact's (keep) or the other's.",
    )
    fields: dict[str, Literal["keep", "other", "both"]] = Field(
        {},
        description="Exceptions to `prefer`, per field: first_name, last_name, job_title, kind, "
        "country, region, preferred_channel, preferred_language, preferred_format, "
        "lawful_basis (keep or other); positions, beats, tags, lists (keep, other, or both, "
        "the default). Every email address and phone number of both is kept.",
    )


class OutletOut(Schema):
    id: int
    name: str
    media_type: str
    languages: list[str]
    country: str
    region: str
    website: str
    feed_urls: list[str]
    audience: int | None
    audience_source: str
    audience_date: date | None
    tier: int | None
    notes: str


class OutletIn(Schema):
    name: str
    media_type: str = ""
    languages: list[str] = []
    country: str = ""
    region: str = ""
    website: str = ""
    feed_urls: list[str] = []
    audience: int | None = None
    audience_source: str = ""
    audience_date: date | None = None
    tier: int | None = None
    notes: str = ""


class ListOut(Schema):
    id: int
    name: str
    kind: str
    description: str
    filters: dict[str, Any]
    count: int


def _contacts(member: Membership) -> QuerySet[Contact]:
    return Contact.objects.for_org(member.org).prefetch_related(
        "emails", "phones", "beats", "tags", services.current_positions()
    )


def contact_out(c: Contact) -> ContactOut:
    """A contact as the API shows it (expects the prefetches of `_contacts`)."""
    return ContactOut(
        id=c.pk,
        first_name=c.first_name,
        last_name=c.last_name,
        job_title=c.job_title,
        kind=c.kind,
        emails=[e.email for e in c.emails.all()],
        phones=[p.e164 or p.raw for p in c.phones.all()],
        positions=[
            PositionOut(outlet_id=p.outlet_id, outlet=p.outlet.name, title=p.title)
            for p in c.current  # type: ignore[attr-defined]
        ],
        beats=[b.name for b in c.beats.all()],
        tags=[t.name for t in c.tags.all()],
        languages=list(c.languages or []),
        country=c.country,
        region=c.region,
        social={str(k): str(v) for k, v in (c.social or {}).items()},
        preferred_channel=c.preferred_channel,
        lawful_basis=c.lawful_basis,
        source_kind=c.source_kind,
        source_label=c.source_label,
        notice_sent_at=c.notice_sent_at,
        last_verified_at=c.last_verified_at,
        last_active_at=c.last_active_at,
        created=c.created,
        updated=c.updated,
    )


def _page(contacts: QuerySet[Contact], page: int, per_page: int) -> ContactPage:
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, page)
    rows_range = paging.bounds(page, per_page)
    if rows_range is None:
        return ContactPage(count=contacts.count(), page=page, per_page=per_page, items=[])
    start, stop = rows_range
    # The page's ids first, off an index, then those rows: deep pages stay cheap.
    ids = list(contacts.values_list("pk", flat=True)[start:stop])
    rows = {c.pk: c for c in contacts.order_by().filter(pk__in=ids)}
    items = [contact_out(rows[pk]) for pk in ids if pk in rows]
    return ContactPage(count=contacts.count(), page=page, per_page=per_page, items=items)


@router.get("/", response=ContactPage)
def list_contacts(request: HttpRequest, filters: Query[ContactFilters]) -> ContactPage:
    """Search and filter the press file: the same filters as the contact list and segments."""
    member = membership(request)
    params = filters.dict(exclude={"page", "per_page"})
    form = ContactFilterForm(member.org, to_querydict({k: v for k, v in params.items() if v}))
    if not form.is_valid():
        raise HttpError(422, form.errors.as_json())
    contacts = form.queryset().prefetch_related(
        "emails", "phones", "beats", "tags", services.current_positions()
    )
    return _page(contacts, filters.page, filters.per_page)


@router.get("/{int:contact_id}", response=ContactOut)
def get_contact(request: HttpRequest, contact_id: int) -> ContactOut:
    member = membership(request)
    return contact_out(get_object_or_404(_contacts(member), pk=contact_id))


def _data(member: Membership, body: ContactIn, fields: set[str]) -> dict[str, Any]:
    """The API's fields as editing.save_contact takes them; 422 on unreadable emails or phones."""
    data = body.dict(include=fields)
    try:
        if "emails" in data:
            data["emails"] = editing.clean_emails(data["emails"])
        if "phones" in data:
            data["phones"] = editing.clean_phones(data["phones"], data.get("country", ""))
    except ValidationError as e:
        raise HttpError(422, " ".join(e.messages)) from e
    _check(data, {"languages": validation.languages, "social": validation.social})
    if "country" in data:
        data["country"] = data["country"].strip().upper()[:2]
    if data.get("outlet_id") is not None:
        data["outlet"] = member_object(member, Outlet, data["outlet_id"])
    data.pop("outlet_id", None)
    data.pop("source_label", None)
    for field, allowed in (
        ("kind", {k for k, _label in kind_choices()}),
        ("lawful_basis", set(LawfulBasis.values)),
        ("preferred_channel", {"", *Channel.values}),
    ):
        if field in data and data[field] not in allowed:
            raise HttpError(422, f"{field} must be one of {sorted(allowed)}")
    return data


def _check(data: dict[str, Any], checks: dict[str, Any]) -> None:
    """Run the shared validation (the forms' and the import's) on the fields given; 422 if bad."""
    for name, check in checks.items():
        if name in data:
            try:
                data[name] = check(data[name])
            except ValidationError as e:
                raise HttpError(422, f"{name}: {' '.join(e.messages)}") from e


@router.post("/", response={201: ContactOut})
def create_contact(request: HttpRequest, body: ContactIn) -> Status[ContactOut]:
    member = membership(request, "edit")
    data = _data(member, body, body.model_fields_set | {"kind", "lawful_basis"})
    if not (data.get("first_name") or data.get("last_name") or data.get("emails")):
        raise HttpError(422, "give at least a name or an email address")
    contact = editing.save_contact(
        member.org,
        None,
        data,
        by=member.user,
        source_kind=SourceKind.API,
        source_label=body.source_label,
    )
    return Status(201, contact_out(_contacts(member).get(pk=contact.pk)))


@router.patch("/{int:contact_id}", response=ContactOut)
def update_contact(request: HttpRequest, contact_id: int, body: ContactIn) -> ContactOut:
    """Change the fields given; each change is recorded with source "api"."""
    member = membership(request, "edit")
    contact = member_object(member, Contact, contact_id)
    data = _data(member, body, body.model_fields_set)
    editing.save_contact(
        member.org,
        contact,
        data,
        by=member.user,
        source_kind=SourceKind.API,
        source_label=body.source_label,
    )
    return contact_out(_contacts(member).get(pk=contact.pk))


@router.delete("/{int:contact_id}", response={204: None})
def delete_contact(request: HttpRequest, contact_id: int) -> Status[None]:
    member = membership(request, "edit")
    contact = member_object(member, Contact, contact_id)
    editing.delete_contact(contact, by=member.user, request=request)
    return Status(204, None)


@router.post("/{int:contact_id}/merge", response=ContactOut)
def merge_contact(request: HttpRequest, contact_id: int, body: MergeIn) -> ContactOut:
    """Merge another contact into this one, which is kept; the other is deleted. The history
    and the audit log record it as they do a merge from the duplicates page."""
    member = membership(request, "edit")
    keep = member_object(member, Contact, contact_id)
    if body.other_id is None:
        raise HttpError(422, "other_id is required")
    other = member_object(member, Contact, body.other_id)
    try:
        kept = duplicates.merge_into(
            member.org,
            keep.pk,
            other.pk,
            prefer_other=body.prefer == "other",
            fields=dict(body.fields),
            by=member.user,
            request=request,
        )
    except duplicates.MergeError as e:
        raise HttpError(422, str(e)) from e
    return contact_out(_contacts(member).get(pk=kept.pk))


def outlet_out(o: Outlet) -> OutletOut:
    """An outlet as the API shows it."""
    return OutletOut(
        id=o.pk,
        name=o.name,
        media_type=o.media_type,
        languages=list(o.languages or []),
        country=o.country,
        region=o.region,
        website=o.website,
        feed_urls=list(o.feed_urls or []),
        audience=o.audience,
        audience_source=o.audience_source,
        audience_date=o.audience_date,
        tier=o.tier,
        notes=o.notes,
    )


@router.get("/outlets", response=list[OutletOut])
def list_outlets(
    request: HttpRequest, q: str = "", page: int = 1, per_page: int = 50
) -> list[OutletOut]:
    member = membership(request)
    outlets = Outlet.objects.for_org(member.org).order_by("name_normalised", "pk")
    if q:
        outlets = outlets.filter(name_normalised__contains=normalise(q))
    rows_range = paging.bounds(page, max(1, min(per_page, MAX_PER_PAGE)))
    if rows_range is None:
        return []
    return [outlet_out(o) for o in outlets[rows_range[0] : rows_range[1]]]


@router.get("/outlets/{int:outlet_id}", response=OutletOut)
def get_outlet(request: HttpRequest, outlet_id: int) -> OutletOut:
    member = membership(request)
    return outlet_out(member_object(member, Outlet, outlet_id))


@router.post("/outlets", response={201: OutletOut})
def create_outlet(request: HttpRequest, body: OutletIn) -> Status[OutletOut]:
    member = membership(request, "edit")
    if body.media_type and body.media_type not in MediaType.values:
        raise HttpError(422, f"media_type must be one of {sorted(MediaType.values)}")
    if body.tier not in (None, 1, 2, 3):
        raise HttpError(422, "tier must be 1, 2 or 3")
    data = body.dict()
    _check(
        data,
        {
            "languages": validation.languages,
            "website": validation.web_url,
            "feed_urls": validation.web_urls,
        },
    )
    data["country"] = data["country"].strip().upper()[:2]
    outlet = editing.save_outlet(member.org, None, data)
    return Status(201, outlet_out(outlet))


@router.get("/lists", response=list[ListOut])
def list_lists(request: HttpRequest) -> list[ListOut]:
    """Static lists and segments, with how many contacts each holds today."""
    member = membership(request)
    return [
        ListOut(
            id=cl.pk,
            name=cl.name,
            kind=cl.kind,
            description=cl.description,
            filters=cl.filters or {},
            count=cl.member_count,  # type: ignore[attr-defined]
        )
        for cl in lists.lists_with_counts(member.org)
    ]


@router.get("/lists/{int:list_id}/members", response=ContactPage)
def list_members(
    request: HttpRequest, list_id: int, page: int = 1, per_page: int = 50
) -> ContactPage:
    """A static list's members, or a segment's members today."""
    member = membership(request)
    contact_list = member_object(member, ContactList, list_id)
    contacts = lists.members(contact_list).prefetch_related(
        "emails", "phones", "beats", "tags", services.current_positions()
    )
    return _page(contacts, page, per_page)
