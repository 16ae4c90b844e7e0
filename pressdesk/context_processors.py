"""What every page of the shell needs: the current organisation, navigation, worker status."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from pressdesk import modules
from pressdesk.accounts.roles import PERMISSIONS
from pressdesk.worker_status import worker_alive


def shell(request: HttpRequest) -> dict[str, Any]:
    org = getattr(request, "org", None)
    membership = getattr(request, "membership", None)
    context: dict[str, Any] = {"module_stylesheets": modules.stylesheets()}
    if not request.user.is_authenticated:
        return context
    nav = []
    if org is not None:
        for module in modules.navigation():
            url, built = module.url(org.slug)
            nav.append({"key": module.key, "label": module.label, "url": url, "built": built})
    return {
        **context,
        "org": org,
        "membership": membership,
        "perms": PERMISSIONS.get(membership.role, frozenset()) if membership else frozenset(),
        "nav": nav,
        "my_memberships": request.user.memberships.select_related("org"),
        "worker_alive": worker_alive,  # a callable: templates only query it where shown
    }
