"""API endpoints of mailings, with the same rules as the UI: roles, approval, organisation.

The token's organisation only (another's ids answer 404); roles checked by the services (a
free-text mailing or a pitch needs `send` to be created, any mailing `send` to be started,
paused, resumed or cancelled; a release mailing needs its release approved). A mailing as the
API shows it is `status` (pressdesk mailings status --json) plus its content.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from pressdesk.accounts.access import member_object
from pressdesk.accounts.models import Membership
from pressdesk.api import membership
from pressdesk.mailings import services
from pressdesk.mailings.errors import MailingError, NotApproved, WrongState
from pressdesk.mailings.models import Mailing

router = Router(tags=["mailings"])
MAX_PER_PAGE = 200


class Excluded(Schema):
    opted_out: int
    bounced: int
    no_email: int
    never: int
    duplicate: int


class MailingOut(Schema):
    """A mailing: its counts as `pressdesk mailings status --json` prints them, and its content."""

    id: int
    state: str
    state_reason: str
    kind: str
    release_id: int | None
    name: str
    subject: str
    scheduled_for: datetime | None
    list_ids: list[int]
    contact_ids: list[int]
    recipients: int
    queued: int
    sent: int
    failed: int
    unknown: int
    bounced: int
    replied: int
    unsubscribed: int
    excluded: Excluded


class MailingSummary(Schema):
    id: int
    state: str
    kind: str
    name: str
    subject: str
    release_id: int | None
    scheduled_for: datetime | None
    created: datetime


class MailingPage(Schema):
    count: int
    page: int
    per_page: int
    items: list[MailingSummary]


class MailingFilters(Schema):
    state: str = ""
    page: int = 1
    per_page: int = 50


class MailingIn(Schema):
    """A new mailing: a release (`release_id`) or free text (`subject` and `body`)."""

    kind: str = ""  # "release", "pitch" or "free"; default from release_id
    release_id: int | None = None
    release_format: str = "inline"
    name: str = ""
    subject: str = ""
    body: str = ""
    sender_name: str = ""
    sender_email: str = ""
    reply_to: str = ""
    language: str = "fr"
    list_ids: list[int] = []
    contact_ids: list[int] = []


class ScheduleIn(Schema):
    """When to send: an instant with its offset, or a wall time in the organisation's zone
    ("2027-03-03T10:00"). Optional in the schema so that another organisation's id answers 404
    before the body is looked at."""

    at: datetime | None = None


def mailing_out(mailing: Mailing) -> dict[str, Any]:
    """A mailing as the API shows it."""
    return {
        **services.status(mailing),
        "kind": mailing.kind,
        "release_id": mailing.release_id,
        "name": mailing.name,
        "subject": mailing.subject,
        "scheduled_for": mailing.scheduled_for,
        "list_ids": sorted(mailing.lists.values_list("pk", flat=True)),
        "contact_ids": sorted(mailing.contacts.values_list("pk", flat=True)),
    }


def _private(response: HttpResponse) -> None:
    response["Cache-Control"] = "no-store"


def _mailing(member: Membership, mailing_id: int) -> Mailing:
    return member_object(member, Mailing.objects.select_related("org"), mailing_id)


def _act(action: Callable[[], object]) -> None:
    """Run a service; its refusals become 403 (role), 409 (state or approval) or 400 (input)."""
    try:
        action()
    except PermissionDenied as error:
        raise HttpError(403, str(error) or "your role does not allow this") from error
    except (WrongState, NotApproved) as error:
        raise HttpError(409, str(error)) from error
    except MailingError as error:
        raise HttpError(400, str(error)) from error


@router.get("/", response=MailingPage)
def list_mailings(
    request: HttpRequest, response: HttpResponse, filters: Query[MailingFilters]
) -> dict[str, Any]:
    """The organisation's mailings, newest first; `state` filters."""
    member = membership(request)
    _private(response)
    per_page = max(1, min(filters.per_page, MAX_PER_PAGE))
    page = max(1, filters.page)
    found = Mailing.objects.for_org(member.org).order_by("-created", "-pk")
    if filters.state:
        found = found.filter(state=filters.state)
    items = found[(page - 1) * per_page : page * per_page]
    return {
        "count": found.count(),
        "page": page,
        "per_page": per_page,
        "items": [
            {
                "id": m.pk,
                "state": m.state,
                "kind": m.kind,
                "name": m.name,
                "subject": m.subject,
                "release_id": m.release_id,
                "scheduled_for": m.scheduled_for,
                "created": m.created,
            }
            for m in items
        ],
    }


@router.post("/", response={201: MailingOut})
def create_mailing(request: HttpRequest, response: HttpResponse, data: MailingIn) -> Status:
    """A new draft. A free-text mailing or a pitch needs the `send` permission."""
    member = membership(request, "edit")
    _private(response)
    created: list[Mailing] = []
    fields = data.dict(exclude={"list_ids", "contact_ids", "kind", "release_id"})
    kind = data.kind or ("release" if data.release_id else "free")

    def act() -> None:
        created.append(
            services.create_mailing(
                member.org,
                member.user,
                kind=kind,
                release_id=data.release_id,
                lists=data.list_ids,
                contacts=data.contact_ids,
                **fields,
            )
        )

    _act(act)
    return Status(201, mailing_out(_mailing(member, created[0].pk)))


@router.get("/{mailing_id}", response=MailingOut)
def get_mailing(request: HttpRequest, response: HttpResponse, mailing_id: int) -> dict[str, Any]:
    """One mailing with its counts (the progress: sent, queued, refused, unknown…)."""
    member = membership(request)
    _private(response)
    return mailing_out(_mailing(member, mailing_id))


def _transition(
    request: HttpRequest,
    response: HttpResponse,
    mailing_id: int,
    action: Callable[[Membership, Mailing], object],
) -> dict[str, Any]:
    member = membership(request, "send")
    _private(response)
    mailing = _mailing(member, mailing_id)
    _act(lambda: action(member, mailing))
    return mailing_out(_mailing(member, mailing_id))


@router.post("/{mailing_id}/start", response=MailingOut)
def start_mailing(request: HttpRequest, response: HttpResponse, mailing_id: int) -> dict[str, Any]:
    """Send now: freeze the recipients and queue; a release mailing needs its release approved."""
    return _transition(
        request, response, mailing_id, lambda m, mailing: services.start(mailing, m.user)
    )


@router.post("/{mailing_id}/schedule", response=MailingOut)
def schedule_mailing(
    request: HttpRequest, response: HttpResponse, mailing_id: int, data: ScheduleIn
) -> dict[str, Any]:
    """Send at `at`; a release mailing needs its release approved (now, and again at `at`)."""

    def act(member: Membership, mailing: Mailing) -> object:
        at = data.at
        if at is None:
            raise MailingError(_("Say when to send it (at)."))
        if timezone.is_naive(at):
            at = at.replace(tzinfo=ZoneInfo(member.org.timezone))
        if at <= timezone.now():
            raise MailingError(_("That time has passed."))
        return services.start(mailing, member.user, at=at)

    return _transition(request, response, mailing_id, act)


@router.post("/{mailing_id}/pause", response=MailingOut)
def pause_mailing(
    request: HttpRequest, response: HttpResponse, mailing_id: int, reason: str = ""
) -> dict[str, Any]:
    """Stop handing out recipients (messages in flight finish); `?reason=` for colleagues."""
    return _transition(
        request, response, mailing_id, lambda m, mailing: services.pause(mailing, m.user, reason)
    )


@router.post("/{mailing_id}/resume", response=MailingOut)
def resume_mailing(request: HttpRequest, response: HttpResponse, mailing_id: int) -> dict[str, Any]:
    """Go on sending a paused mailing."""
    return _transition(
        request, response, mailing_id, lambda m, mailing: services.resume(mailing, m.user)
    )


@router.post("/{mailing_id}/cancel", response=MailingOut)
def cancel_mailing(request: HttpRequest, response: HttpResponse, mailing_id: int) -> dict[str, Any]:
    """Stop for good; recipients not yet mailed are not."""
    return _transition(
        request, response, mailing_id, lambda m, mailing: services.cancel(mailing, m.user)
    )


@router.post("/{mailing_id}/confirm", response=MailingOut)
def confirm_mailing(
    request: HttpRequest, response: HttpResponse, mailing_id: int
) -> dict[str, Any]:
    """Send a scheduled mailing held because its time passed while Pressdesk was down."""
    return _transition(
        request, response, mailing_id, lambda m, mailing: services.confirm_held(mailing, m.user)
    )
