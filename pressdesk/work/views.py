"""The directors' page on background work: workers, queue, interrupted work, periodic jobs."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pressdesk.accounts.access import OrgRequest, org_view
from pressdesk.work import overview


@org_view("manage_team")
def background(request: OrgRequest) -> HttpResponse:
    return render(request, "work/background.html", {"work": overview.overview(request.org)})


@org_view("manage_team", methods=["POST"])
def decide(request: OrgRequest, kind: str, pk: int, decision: str) -> HttpResponse:
    act = {"retry": overview.retry, "abandon": overview.abandon}.get(decision)
    if act is None:
        raise Http404("no such decision")
    try:
        done = act(request.org, kind, pk, by=request.user, request=request)
    except (KeyError, LookupError):
        raise Http404("no such interrupted work") from None
    if done and decision == "retry":
        messages.success(request, _("The work is queued again."))
    elif done:
        messages.success(request, _("The work is abandoned."))
    else:
        messages.error(request, _("Someone else decided first."))
    return redirect("work:background", org_slug=request.org.slug)
