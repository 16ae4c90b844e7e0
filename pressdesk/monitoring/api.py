"""API endpoints of monitoring: sources (list, add), clippings (list, triage), quarantined
articles (list, retry, discard) and byline suggestions (list, accept with any journalist of the
press file, add the journalist as a new contact, reject).

Everything is scoped to the token's organisation; another organisation's ids answer 404.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from pressdesk.accounts.access import member_object
from pressdesk.api import membership
from pressdesk.contacts import paging
from pressdesk.contacts.models import Contact
from pressdesk.monitoring import explanations, review, sources, triage
from pressdesk.monitoring.errors import Refusal
from pressdesk.monitoring.models import Byline, Clipping, Item, Source, Verdict

router = Router(tags=["monitoring"])
MAX_PER_PAGE = 200


class SourceOut(Schema):
    id: int
    url: str
    kind: str
    title: str
    outlet: str | None
    health: str
    health_reason: str
    last_polled_at: datetime | None
    last_new_item_at: datetime | None


class SourceIn(Schema):
    url: str
    kind: str = ""


class ClippingOut(Schema):
    id: int
    query: str
    headline: str
    url: str
    outlet: str | None
    author: str
    published: datetime | None
    explanation: str
    spans: list[dict[str, object]]
    verdict: str
    tone: str
    tone_method: str
    tags: list[str]
    note: str


class TriageIn(Schema):
    """Fields left out are left alone."""

    verdict: str | None = None
    tone: str | None = None
    tags: list[str] | None = None
    note: str | None = None


def source_out(source: Source) -> SourceOut:
    """A source as the API shows it."""
    return SourceOut(
        id=source.pk,
        url=source.url,
        kind=source.kind,
        title=source.title,
        outlet=source.outlet.name if source.outlet else None,
        health=source.health,
        health_reason=source.health_reason,
        last_polled_at=source.last_polled_at,
        last_new_item_at=source.last_new_item_at,
    )


def clipping_out(clipping: Clipping) -> ClippingOut:
    """A clipping as the API shows it: what the licence lets us keep, and why it matched."""
    item = clipping.item
    return ClippingOut(
        id=clipping.pk,
        query=clipping.query.name,
        headline=item.title,
        url=item.link,
        outlet=item.outlet.name if item.outlet else None,
        author=item.author,
        published=item.published,
        explanation=explanations.of(clipping),
        spans=clipping.spans,
        verdict=clipping.verdict,
        tone=clipping.tone,
        tone_method=clipping.tone_method,
        tags=clipping.tags,
        note=clipping.note,
    )


@router.get("/sources", response=list[SourceOut])
def list_sources(request: HttpRequest) -> list[SourceOut]:
    member = membership(request)
    rows = Source.objects.for_org(member.org).select_related("outlet").order_by("pk")
    return [source_out(s) for s in rows]


@router.post("/sources", response={201: SourceOut})
def add_source(request: HttpRequest, body: SourceIn) -> Status[SourceOut]:
    member = membership(request, "edit")
    try:
        source, _created = sources.add(member.org, body.url, kind=body.kind, user=member.user)
    except sources.SourceRefused as exc:
        raise HttpError(400, f"refused: {exc.reason}") from exc
    return Status(201, source_out(source))


@router.get("/clippings", response=list[ClippingOut])
def list_clippings(
    request: HttpRequest, verdict: str = "", query: int = 0, page: int = 1, per_page: int = 50
) -> list[ClippingOut]:
    member = membership(request)
    rows = (
        Clipping.objects.for_org(member.org)
        .select_related("item", "item__outlet", "query")
        .order_by("-created", "-id")
    )
    if verdict in Verdict.values:
        rows = rows.filter(verdict=verdict)
    if query:
        rows = rows.filter(query_id=query)
    bounds = paging.bounds(page, max(1, min(per_page, MAX_PER_PAGE)))
    if bounds is None:
        return []
    return [clipping_out(c) for c in rows[bounds[0] : bounds[1]]]


@router.patch("/clippings/{int:clipping_id}", response=ClippingOut)
def triage_clipping(request: HttpRequest, clipping_id: int, body: TriageIn) -> ClippingOut:
    member = membership(request, "edit")
    clipping = member_object(
        member, Clipping.objects.select_related("item", "item__outlet", "query"), clipping_id
    )
    data: dict[str, object] = {
        k: v for k, v in body.dict().items() if v is not None and k != "tags"
    }
    if body.tags is not None:
        data["tags"] = ", ".join(body.tags)
    triage.apply(clipping, data)
    return clipping_out(clipping)


class QuarantinedOut(Schema):
    id: int
    url: str
    headline: str
    source: str | None
    reason: str
    collected: datetime


class BylineOut(Schema):
    id: int
    name: str
    outlet: str | None
    articles: int
    candidates: list[dict[str, object]]


class AcceptIn(Schema):
    # Optional in the schema so that another organisation's byline answers 404 before the body
    # is judged; a missing contact is then a 400.
    contact: int | None = None


class NewContactIn(Schema):
    """Left out, a name is split from the byline ("Jean de La Fontaine": "Jean", "de La
    Fontaine")."""

    first_name: str | None = Field(default=None, max_length=100)
    last_name: str | None = Field(default=None, max_length=100)


class NewContactOut(Schema):
    contact: int
    articles: int


@router.get("/quarantine", response=list[QuarantinedOut])
def list_quarantine(request: HttpRequest) -> list[QuarantinedOut]:
    member = membership(request)
    return [
        QuarantinedOut(
            id=item.pk,
            url=item.url,
            headline=item.title,
            source=str(item.source) if item.source else None,
            reason=item.quarantine_reason,
            collected=item.collected,
        )
        for item in review.quarantined(member.org)[:MAX_PER_PAGE]
    ]


def _decide(request: HttpRequest, item_id: int, decide: Callable[..., None]) -> Status[None]:
    member = membership(request, "edit")
    item = member_object(member, Item, item_id)
    try:
        decide(member.org, item, user=member.user, request=request)
    except Refusal as exc:
        raise HttpError(409, exc.reason) from exc
    return Status(204, None)


@router.post("/quarantine/{int:item_id}/retry", response={204: None})
def retry_quarantined(request: HttpRequest, item_id: int) -> Status[None]:
    return _decide(request, item_id, review.retry)


@router.post("/quarantine/{int:item_id}/discard", response={204: None})
def discard_quarantined(request: HttpRequest, item_id: int) -> Status[None]:
    return _decide(request, item_id, review.discard)


@router.get("/bylines", response=list[BylineOut])
def list_bylines(request: HttpRequest) -> list[BylineOut]:
    member = membership(request)
    return [
        BylineOut(
            id=byline.pk,
            name=byline.name,
            outlet=byline.outlet.name if byline.outlet else None,
            articles=byline.articles,
            candidates=[{"id": c.pk, "name": str(c)} for c in review.candidates(byline)],
        )
        for byline in review.pending_bylines(member.org)[:MAX_PER_PAGE]
    ]


@router.post("/bylines/{int:byline_id}/accept", response={200: dict[str, int]})
def accept_byline(request: HttpRequest, byline_id: int, body: AcceptIn) -> dict[str, int]:
    member = membership(request, "edit")
    byline = member_object(member, Byline, byline_id)
    if body.contact is None:
        raise HttpError(400, "contact: the id of the journalist to link")
    contact = member_object(member, Contact, body.contact)
    try:
        linked = review.accept(member.org, byline, contact, user=member.user, request=request)
    except Refusal as exc:
        raise HttpError(409, exc.reason) from exc
    return {"articles": linked}


@router.post("/bylines/{int:byline_id}/reject", response={204: None})
def reject_byline(request: HttpRequest, byline_id: int) -> Status[None]:
    member = membership(request, "edit")
    byline = member_object(member, Byline, byline_id)
    try:
        review.reject(member.org, byline, user=member.user, request=request)
    except Refusal as exc:
        raise HttpError(409, exc.reason) from exc
    return Status(204, None)


@router.post("/bylines/{int:byline_id}/contact", response={201: NewContactOut})
def add_byline_contact(
    request: HttpRequest, byline_id: int, body: NewContactIn
) -> Status[NewContactOut]:
    member = membership(request, "edit")
    byline = member_object(member, Byline, byline_id)
    try:
        contact, linked = review.create_contact(
            member.org,
            byline,
            first_name=body.first_name,
            last_name=body.last_name,
            user=member.user,
            request=request,
        )
    except review.AlreadyDecided as exc:
        raise HttpError(409, exc.reason) from exc
    except Refusal as exc:
        raise HttpError(400, exc.reason) from exc
    return Status(201, NewContactOut(contact=contact.pk, articles=linked))
