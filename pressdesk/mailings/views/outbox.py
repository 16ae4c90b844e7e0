"""A director resumes a stream of mail that paused itself (shown on the background-work page)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from pressdesk.accounts.access import OrgRequest, org_view
from pressdesk.mailings import outbox


@org_view("manage_team", methods=["POST"])
def outbox_resume(request: OrgRequest, name: str) -> HttpResponse:
    kind = outbox.STREAMS.get(name)
    if kind is None:
        raise Http404("no such stream")
    if kind.resume(request.org, request.user, request):
        messages.success(request, _("The sends go on."))
    else:
        messages.error(request, _("These sends were not paused."))
    return redirect("work:background", org_slug=request.org.slug)


urlpatterns: list[URLPattern] = [
    path("outbox/<str:name>/resume/", outbox_resume, name="outbox_resume"),
]
