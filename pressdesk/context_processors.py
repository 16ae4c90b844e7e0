"""What every page of the shell needs: the current organisation, navigation, worker status."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from pressdesk.accounts.roles import PERMISSIONS
from pressdesk.modules import MODULES
from pressdesk.worker_status import worker_alive


def shell(request: HttpRequest) -> dict[str, Any]:
    org = getattr(request, "org", None)
    membership = getattr(request, "membership", None)
    if not request.user.is_authenticated:
        return {}
    nav = []
    if org is not None:
        for module in MODULES:
            url, built = module.url(org.slug)
            nav.append({"key": module.key, "label": module.label, "url": url, "built": built})
    return {
        "org": org,
        "membership": membership,
        "perms": PERMISSIONS.get(membership.role, frozenset()) if membership else frozenset(),
        "nav": nav,
        "my_memberships": request.user.memberships.select_related("org"),
        "worker_alive": worker_alive,  # a callable: templates only query it where shown
    }
