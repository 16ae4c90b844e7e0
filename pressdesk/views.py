"""The shell: the home redirect, each organisation's dashboard, 'coming' pages, global search and
the API documentation page."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from pressdesk import modules
from pressdesk.accounts import audit
from pressdesk.accounts.access import OrgRequest, org_view
from pressdesk.accounts.models import User
from pressdesk.accounts.roles import can
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
    """An organisation's home page: each installed module's card, one line per module still to
    come and, for directors, recent activity."""
    org = request.org
    cards = []
    for module in modules.registered():
        if module.dashboard is None:
            continue
        context = module.dashboard.context(request)
        if context is not None:
            # Rendered here, so that each card's template sees its own context as plain names.
            cards.append(render_to_string(module.dashboard.template, context, request=request))
    coming = [{"module": m, "url": m.url(org.slug)[0]} for m in modules.coming()]
    recent = None
    if can(request.membership.role, "read_audit"):
        recent = audit.for_org(org).select_related("actor")[:8]
    return render(
        request, "pressdesk/dashboard.html", {"cards": cards, "coming": coming, "recent": recent}
    )


@org_view("read")
def coming(request: OrgRequest, module: str) -> HttpResponse:
    """The placeholder of a module not built yet (a built one redirects to its page)."""
    entry = modules.find(module)
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
    hits = modules.global_search(request.org, query) if query else []
    return render(
        request,
        "pressdesk/search.html",
        {"query": query, "hits": hits, "searchable": bool(modules.SEARCH_PROVIDERS)},
    )


@require_GET
def api_docs(request: HttpRequest) -> HttpResponse:
    """The API's interactive documentation (Swagger UI), served from our own static files."""
    return render(request, "pressdesk/api_docs.html")


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and `pressdesk check`: the app answers and says if a worker is alive."""
    return JsonResponse({"status": "ok", "worker_alive": worker_alive()})
