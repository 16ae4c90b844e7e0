"""Who may reach an organisation's pages: membership (else 404), role (403), method (405)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils import timezone

from pressdesk.accounts.models import Membership, Organisation, User
from pressdesk.accounts.roles import can

View = Callable[..., HttpResponse]


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
        Membership.objects.select_related("org", "user")
        .filter(user=user, org__slug=org_slug)
        .first()
    )


def org_view(perm: str = "read", methods: Iterable[str] = ("GET",)) -> Callable[[View], View]:
    """Decorate a view taking `org_slug`: sets `request.org` and `request.membership`.

    Another organisation's pages answer 404 (they do not exist for you), a role without `perm`
    answers 403, and a method not in `methods` answers 405. HEAD goes with GET.
    """
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
            if not can(membership.role, perm):
                raise PermissionDenied
            request.org = membership.org  # type: ignore[attr-defined]
            request.membership = membership  # type: ignore[attr-defined]
            timezone.activate(membership.org.timezone)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
