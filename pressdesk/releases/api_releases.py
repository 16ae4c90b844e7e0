"""API: releases (list, create, read, update) and their review and publication.

The same rules as the pages: the token's organisation only (another's ids answer 404), roles
checked by the services themselves (only a director approves, publishes, schedules or
withdraws), and the embargo: the API is for members, who see their embargoed releases with
their instant; the public sees releases only on the newsroom, from the instant. Responses carry
`Cache-Control: no-store`: they hold what is not public.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from pressdesk.accounts.access import member_object
from pressdesk.accounts.models import Membership
from pressdesk.api import membership
from pressdesk.releases import approval, embargo, links, services
from pressdesk.releases.models import Release, ReleaseTemplate, ReleaseVersion
from pressdesk.releases.rendering import render_release_html
from pressdesk.releases.states import NotAllowed, ReleaseError, StateChanged, effective_state
from pressdesk.releases.views.editor import filter_by_state

router = Router(tags=["releases"])
MAX_PER_PAGE = 200


class VersionOut(Schema):
    id: int
    number: int
    title: str
    subtitle: str
    dateline: str
    lead: str
    body: str
    body_html: str
    char_count: int
    created: datetime


class ReleaseOut(Schema):
    id: int
    title: str
    template: str
    state: str
    embargo_until: datetime | None
    visible_from: datetime | None
    public_url: str
    translation_id: int | None
    current_version_id: int | None
    approved_version_id: int | None
    topics: list[str]
    updated: datetime


class ReleaseDetail(ReleaseOut):
    version: VersionOut | None
    html: str


class ReleasePage(Schema):
    count: int
    page: int
    per_page: int
    items: list[ReleaseOut]


class ReleaseFilters(Schema):
    state: str = ""
    page: int = 1
    per_page: int = 50


class ReleaseIn(Schema):
    title: str
    template: str = ReleaseTemplate.FR_FR
    city: str = ""
    subtitle: str = ""
    dateline: str = ""
    lead: str = ""
    body: str = ""
    topics: list[str] = []


class VersionIn(Schema):
    """A new version: every field of the text, as the editor saves it."""

    title: str = ""
    subtitle: str = ""
    dateline: str = ""
    lead: str = ""
    body: str = ""
    topics: list[str] | None = None


class DecisionIn(Schema):
    # Defaults, so that another organisation's id answers 404 before the body is judged.
    version_id: int = 0
    decision: str = ""  # "approved" or "changes"
    comment: str = ""


class ScheduleIn(Schema):
    """The embargo's end: an instant with its offset, or a wall time in the organisation's zone
    ("2027-03-03T10:00")."""

    embargo_until: datetime | None = None


class WithdrawIn(Schema):
    reason: str = ""


def release_out(release: Release) -> dict[str, Any]:
    """A release as the API shows it."""
    return {
        "id": release.pk,
        "title": release.title,
        "template": release.template,
        "state": effective_state(release),
        "embargo_until": release.embargo_until,
        "visible_from": release.visible_from,
        "public_url": links.release_url(release),
        "translation_id": release.translation_id,
        "current_version_id": release.current_version_id,
        "approved_version_id": release.approved_version_id,
        "topics": [t.name for t in release.topics.all()],
        "updated": release.updated,
    }


def version_out(version: ReleaseVersion) -> dict[str, Any]:
    return {
        "id": version.pk,
        "number": version.number,
        "title": version.title,
        "subtitle": version.subtitle,
        "dateline": version.dateline,
        "lead": version.lead,
        "body": version.body_source,
        "body_html": version.body_html,
        "char_count": version.char_count,
        "created": version.created,
    }


def detail_out(release: Release) -> dict[str, Any]:
    version = release.current_version
    return {
        **release_out(release),
        "version": version_out(version) if version else None,
        "html": str(render_release_html(version, embargo_notice=True)) if version else "",
    }


def _private(response: HttpResponse) -> None:
    response["Cache-Control"] = "no-store"


def _release(member: Membership, release_id: int) -> Release:
    return member_object(
        member, Release.objects.select_related("org", "current_version"), release_id
    )


def _act(action: Callable[[], object]) -> None:
    """Run a service; its refusals become 403 (role), 409 (state) or 400 (input)."""
    try:
        action()
    except NotAllowed as error:
        raise HttpError(403, str(error)) from error
    except StateChanged as error:
        raise HttpError(409, str(error)) from error
    except ReleaseError as error:
        raise HttpError(400, str(error)) from error


Transition = Callable[[Membership, Release], object]


def _transition(
    request: HttpRequest, response: HttpResponse, release_id: int, perm: str, action: Transition
) -> dict[str, Any]:
    """The member (with `perm`), their release (else 404), the action, and the release after it."""
    member = membership(request, perm)
    _private(response)
    release = _release(member, release_id)
    _act(lambda: action(member, release))
    return detail_out(_release(member, release_id))


@router.get("/", response=ReleasePage)
def list_releases(
    request: HttpRequest, response: HttpResponse, filters: Query[ReleaseFilters]
) -> dict[str, Any]:
    """The organisation's releases, newest change first; `state` filters as readers see it."""
    member = membership(request)
    _private(response)
    per_page = max(1, min(filters.per_page, MAX_PER_PAGE))
    page = max(1, filters.page)
    releases = filter_by_state(Release.objects.for_org(member.org), filters.state).order_by(
        "-updated", "-pk"
    )
    items = releases.select_related("org").prefetch_related("topics")[
        (page - 1) * per_page : page * per_page
    ]
    return {
        "count": releases.count(),
        "page": page,
        "per_page": per_page,
        "items": [release_out(r) for r in items],
    }


@router.post("/", response={201: ReleaseDetail})
def create_release(request: HttpRequest, response: HttpResponse, data: ReleaseIn) -> Status:
    """A new draft from a template (fr-FR, fr-CA, en)."""
    member = membership(request, "edit")
    _private(response)
    created: list[Release] = []

    def act() -> None:
        created.append(
            services.create_release(
                member.org,
                services.Draft(
                    title=data.title,
                    subtitle=data.subtitle,
                    dateline=data.dateline,
                    lead=data.lead,
                    body=data.body,
                ),
                template=data.template,
                city=data.city,
                by=member.user,
                request=request,
            )
        )
        if data.topics:
            services.set_topics(created[0], data.topics)

    _act(act)
    return Status(201, detail_out(_release(member, created[0].pk)))


@router.get("/{release_id}", response=ReleaseDetail)
def get_release(request: HttpRequest, response: HttpResponse, release_id: int) -> dict[str, Any]:
    """One release with its current version, laid out as its template prints it."""
    member = membership(request)
    _private(response)
    return detail_out(_release(member, release_id))


@router.put("/{release_id}", response=ReleaseDetail)
def update_release(
    request: HttpRequest, response: HttpResponse, release_id: int, data: VersionIn
) -> dict[str, Any]:
    """Save a new version. After a review decision, the decisions are voided."""
    member = membership(request, "edit")
    _private(response)
    release = _release(member, release_id)

    def act() -> None:
        services.save_version(
            release,
            services.Draft(
                title=data.title,
                subtitle=data.subtitle,
                dateline=data.dateline,
                lead=data.lead,
                body=data.body,
            ),
            by=member.user,
            request=request,
        )
        if data.topics is not None:
            services.set_topics(release, data.topics)

    _act(act)
    return detail_out(_release(member, release_id))


@router.get("/{release_id}/versions", response=list[VersionOut])
def list_versions(
    request: HttpRequest, response: HttpResponse, release_id: int
) -> list[dict[str, Any]]:
    """Every saved version, oldest first."""
    member = membership(request)
    _private(response)
    release = _release(member, release_id)
    return [version_out(v) for v in release.versions.order_by("number")]


@router.post("/{release_id}/submit", response=ReleaseDetail)
def submit(request: HttpRequest, response: HttpResponse, release_id: int) -> dict[str, Any]:
    """Send the current version for review."""
    return _transition(
        request,
        response,
        release_id,
        "edit",
        lambda member, release: approval.submit(release, member=member, request=request),
    )


@router.post("/{release_id}/decide", response=ReleaseDetail)
def decide(
    request: HttpRequest, response: HttpResponse, release_id: int, data: DecisionIn
) -> dict[str, Any]:
    """Sign off ("approved") or request changes ("changes") on the exact version given, at the
    chain's next step (the last step needs a director)."""
    return _transition(
        request,
        response,
        release_id,
        "read",
        lambda member, release: approval.decide(
            release,
            data.version_id,
            data.decision,
            member=member,
            comment=data.comment,
            request=request,
        ),
    )


@router.post("/{release_id}/publish", response=ReleaseDetail)
def publish(request: HttpRequest, response: HttpResponse, release_id: int) -> dict[str, Any]:
    """Publish the approved release now (directors)."""
    return _transition(
        request,
        response,
        release_id,
        "approve",
        lambda member, release: embargo.publish_now(release, member=member, request=request),
    )


@router.post("/{release_id}/schedule", response=ReleaseDetail)
def schedule(
    request: HttpRequest, response: HttpResponse, release_id: int, data: ScheduleIn
) -> dict[str, Any]:
    """Put the approved release under embargo until an instant (directors)."""
    member = membership(request, "approve")
    _private(response)
    release = _release(member, release_id)
    at = data.embargo_until

    def act() -> None:
        if at is None:
            raise ReleaseError(_("Give the instant the embargo ends."))
        instant = (
            at
            if timezone.is_aware(at)
            else embargo.to_instant(at.date(), at.time(), member.org.timezone)
        )
        embargo.schedule(release, instant, member=member, request=request)

    _act(act)
    return detail_out(_release(member, release_id))


@router.post("/{release_id}/withdraw", response=ReleaseDetail)
def withdraw(
    request: HttpRequest, response: HttpResponse, release_id: int, data: WithdrawIn
) -> dict[str, Any]:
    """Withdraw the release and cancel every action still scheduled (directors)."""
    return _transition(
        request,
        response,
        release_id,
        "approve",
        lambda member, release: embargo.withdraw(
            release, member=member, reason=data.reason, request=request
        ),
    )
