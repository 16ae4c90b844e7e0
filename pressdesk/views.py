"""The shell: the home redirect, each organisation's dashboard, 'coming' pages and global search."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from pressdesk.accounts import audit
from pressdesk.accounts.access import OrgRequest, org_view
from pressdesk.accounts.models import User
from pressdesk.accounts.roles import can
from pressdesk.modules import MODULES, MODULES_BY_KEY, SEARCH_PROVIDERS, global_search
from pressdesk.worker_status import worker_alive


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Go to the user's organisation, or let them choose among several."""
    memberships = list(cast(User, request.user).memberships.select_related("org"))
    if len(memberships) == 1:
        return redirect("dashboard", org_slug=memberships[0].org.slug)
    return render(request, "pressdesk/choose_org.html", {"memberships": memberships})


@org_view("read")
def dashboard(request: OrgRequest) -> HttpResponse:
    """An organisation's home page: its modules and, for directors, recent activity."""
    org = request.org
    modules = []
    for module in MODULES:
        url, built = module.url(org.slug)
        modules.append({"module": module, "url": url, "built": built})
    recent = None
    if can(request.membership.role, "read_audit"):
        recent = audit.for_org(org).select_related("actor")[:8]
    return render(request, "pressdesk/dashboard.html", {"modules": modules, "recent": recent})


@org_view("read")
def coming(request: OrgRequest, module: str) -> HttpResponse:
    """The placeholder of a module not built yet (a built one redirects to its page)."""
    entry = MODULES_BY_KEY.get(module)
    if entry is None:
        raise Http404("no such module")
    url, built = entry.url(request.org.slug)
    if built:
        return redirect(url)
    return render(request, "pressdesk/coming.html", {"module": entry})


@org_view("read")
def search(request: OrgRequest) -> HttpResponse:
    """Search every module of the organisation."""
    query = request.GET.get("q", "").strip()
    hits = global_search(request.org, query) if query else []
    return render(
        request,
        "pressdesk/search.html",
        {"query": query, "hits": hits, "searchable": bool(SEARCH_PROVIDERS)},
    )


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and `pressdesk check`: the app answers and says if a worker is alive."""
    return JsonResponse({"status": "ok", "worker_alive": worker_alive()})
