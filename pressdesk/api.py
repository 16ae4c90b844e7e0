"""The JSON API: token authentication, one OpenAPI schema at /api/v1/docs and /api/v1/openapi.json.

A token acts for one member of one organisation, so every endpoint sees only that organisation.
Each installed module's router is mounted from its registration (pressdesk/modules.py).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.module_loading import import_string
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.security import HttpBearer

from pressdesk.accounts.models import ApiToken, Membership, token_hash
from pressdesk.accounts.roles import can


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Membership | None:
        found = (
            ApiToken.objects.select_related("membership__org", "membership__user")
            .filter(key_hash=token_hash(token), membership__user__is_active=True)
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        # Write last_used at most once a minute: API clients can be chatty.
        if found.last_used is None or (now - found.last_used).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used=now)
        timezone.activate(found.membership.org.timezone)
        return found.membership


def membership(request: HttpRequest, perm: str = "read") -> Membership:
    """The member a request acts for, after checking the role allows `perm` (else 403)."""
    member: Membership = request.auth  # type: ignore[attr-defined]
    if not can(member.role, perm):
        raise HttpError(403, "your role does not allow this")
    return member


api = NinjaAPI(
    title="Pressdesk API",
    version="1",
    description="Bearer-token API. A token acts for one member of one organisation.",
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url=None,  # served by pressdesk.views.api_docs, from our own static files
)

_mounted = False


def mounted_api() -> NinjaAPI:
    """The API with the core's router and every installed module's, mounted once."""
    global _mounted
    if not _mounted:
        from pressdesk.accounts.api import router as accounts_router
        from pressdesk.modules import registered

        api.add_router("/", accounts_router)
        for module in registered():
            if module.api:
                path, _sep, name = module.api.partition(":")
                router = import_string(f"{path}.{name or 'router'}")
                api.add_router(module.api_prefix or f"/{module.key}/", router)
        _mounted = True
    return api
