"""The clippings inbox, per query group: highlights, verdict, tone, tags, note and assignee."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path

from pressdesk.accounts.access import OrgRequest, org_object, org_view
from pressdesk.accounts.roles import can
from pressdesk.monitoring import triage
from pressdesk.monitoring.models import Clipping, QueryGroup, Tone, Verdict

PER_PAGE = 30


@org_view("read")
def inbox(request: OrgRequest) -> HttpResponse:
    org = request.org
    groups = list(QueryGroup.objects.for_org(org).order_by("name"))
    clippings = (
        Clipping.objects.for_org(org)
        .select_related("item", "item__outlet", "item__author_contact", "query", "assignee")
        .order_by("-created", "-id")
    )
    group_id = request.GET.get("group", "")
    if group_id.isdigit():
        clippings = clippings.filter(query__group_id=int(group_id))
    item_id = request.GET.get("item", "")
    if item_id.isdigit():  # from the global search: one article's clippings
        clippings = clippings.filter(item_id=int(item_id))
    verdict = request.GET.get("verdict", Verdict.UNREAD)
    if verdict in Verdict.values:
        clippings = clippings.filter(verdict=verdict)
    else:
        verdict = ""
    if request.GET.get("mine") == "1":
        clippings = clippings.filter(assignee=request.user)
    page = Paginator(clippings, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/inbox.html",
        {
            "page": page,
            "groups": groups,
            "group_id": group_id,
            "verdict": verdict,
            "verdicts": Verdict.choices,
            "tones": Tone.choices,
            "members": triage.members(org),
            "can_edit": can(request.membership.role, "edit"),
            "mine": request.GET.get("mine") == "1",
        },
    )


@org_view("edit", methods=["POST"])
def clipping_triage(request: OrgRequest, clipping_id: int) -> HttpResponse:
    clipping = org_object(
        request,
        Clipping.objects.select_related("item", "item__outlet", "query", "assignee"),
        clipping_id,
    )
    triage.apply(clipping, request.POST.dict())
    if request.headers.get("HX-Request"):
        return render(
            request,
            "monitoring/_clipping.html",
            {
                "clipping": clipping,
                "tones": Tone.choices,
                "members": triage.members(request.org),
                "can_edit": True,
            },
        )
    return redirect("monitoring:inbox", org_slug=request.org.slug)


urlpatterns: list[URLPattern] = [
    path("", inbox, name="inbox"),
    path("clippings/<int:clipping_id>/", clipping_triage, name="clipping_triage"),
]
