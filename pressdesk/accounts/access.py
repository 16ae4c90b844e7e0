"""Who may reach an organisation's pages: membership (else 404), role (403), method (405).

`org_view` lets a member in; `org_object` (views) and `member_object` (the API) fetch one of the
organisation's rows by id, answering 404 for anyone else's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from pressdesk.accounts.models import Membership, Organisation, User
from pressdesk.accounts.roles import ALL_PERMISSIONS, can
from pressdesk.accounts.scoping import OrgQuerySet

View = Callable[..., HttpResponse]
M = TypeVar("M", bound=models.Model)
# What a method needs when the view does not say: reading for GET and HEAD, editing otherwise.
SAFE_METHODS = frozenset({"GET", "HEAD"})


class OrgRequest(HttpRequest):
    """The request an `org_view` receives: a logged-in member and their organisation."""

    user: User
    org: Organisation
    membership: Membership


def membership_for(user: Any, org_slug: str) -> Membership | None:
    """The user's membership in the organisation with this slug, if any."""
    if not user.is_authenticated:
        return None
    return (
        # all-orgs: which organisation the user belongs to is what this looks up
        Membership.objects.select_related("org", "user")
        .filter(user=user, org__slug=org_slug)
        .first()
    )


def org_view(perm: str | None = None, methods: Iterable[str] = ("GET",)) -> Callable[[View], View]:
    """Decorate a view taking `org_slug`: sets `request.org` and `request.membership`.

    Another organisation's pages answer 404 (they do not exist for you), a role without `perm`
    answers 403, and a method not in `methods` answers 405. HEAD goes with GET. Without `perm`,
    GET and HEAD need `read` and every other method `edit`. An unknown permission fails here, when
    the module is imported, not on the first request. The organisation's time zone holds for the
    request only.
    """
    if perm is not None and perm not in ALL_PERMISSIONS:
        raise ValueError(f"org_view: unknown permission {perm!r}")
    allowed = [m.upper() for m in methods]
    if "GET" in allowed and "HEAD" not in allowed:
        allowed.append("HEAD")

    def decorator(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, org_slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in allowed:
                return HttpResponseNotAllowed(allowed)
            membership = membership_for(request.user, org_slug)
            if membership is None:
                raise Http404("no such organisation")
            needed = perm or ("read" if request.method in SAFE_METHODS else "edit")
            if not can(membership.role, needed):
                raise PermissionDenied
            request.org = membership.org  # type: ignore[attr-defined]
            request.membership = membership  # type: ignore[attr-defined]
            zone = membership.org.timezone
            with timezone.override(zone):
                response = view(request, *args, **kwargs)
            if isinstance(response, StreamingHttpResponse):
                # A streamed export formats its rows after the view returns: in the same zone.
                response.streaming_content = _in_zone(response.streaming_content, zone)
            return response

        return wrapper

    return decorator


def _in_zone(chunks: Iterable[bytes], zone: str) -> Iterator[bytes]:
    """The chunks, each made with the organisation's time zone active."""
    iterator = iter(chunks)
    while True:
        with timezone.override(zone):
            chunk = next(iterator, None)
        if chunk is None:
            return
        yield chunk


def _scoped(model: type[M] | models.QuerySet[M], org: Organisation) -> OrgQuerySet[M]:
    if isinstance(model, models.QuerySet):
        if not isinstance(model, OrgQuerySet):
            raise TypeError(f"{model.model.__name__} is not owned by an organisation")
        return model.for_org(org)
    return model._default_manager.for_org(org)  # type: ignore[attr-defined,no-any-return]


def org_object(
    request: HttpRequest, model: type[M] | models.QuerySet[M], pk: Any, **extra: Any
) -> M:
    """The organisation's row with this id (and these extra lookups), else 404."""
    org: Organisation = request.org  # type: ignore[attr-defined]
    return get_object_or_404(_scoped(model, org), pk=pk, **extra)


def member_object(
    member: Membership, model: type[M] | models.QuerySet[M], pk: Any, **extra: Any
) -> M:
    """For the API: the row with this id in the token's organisation, else 404."""
    return get_object_or_404(_scoped(model, member.org), pk=pk, **extra)
