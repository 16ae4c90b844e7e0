"""The pages where people decide by hand: quarantined articles and byline suggestions."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pressdesk.accounts.access import OrgRequest, org_object, org_view
from pressdesk.accounts.roles import can
from pressdesk.contacts.models import Contact
from pressdesk.monitoring import review
from pressdesk.monitoring.errors import Refusal
from pressdesk.monitoring.models import Byline, Item

PER_PAGE = 30


@org_view("read")
def quarantine_list(request: OrgRequest) -> HttpResponse:
    page = Paginator(review.quarantined(request.org), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/quarantine.html",
        {"page": page, "can_edit": can(request.membership.role, "edit")},
    )


@org_view("edit", methods=["POST"])
def quarantine_decide(request: OrgRequest, item_id: int) -> HttpResponse:
    item = org_object(request, Item, item_id)
    action = request.POST.get("action", "")
    try:
        if action == "retry":
            review.retry(request.org, item, user=request.user, request=request)
            messages.success(request, _("The article will go through the pipeline again."))
        elif action == "discard":
            review.discard(request.org, item, user=request.user, request=request)
            messages.success(request, _("The article was discarded."))
        else:
            return HttpResponse(_("Choose to retry or to discard."), status=400)
    except Refusal as exc:
        messages.error(request, exc.reason)
    return redirect("monitoring:quarantine", org_slug=request.org.slug)


@org_view("read")
def byline_list(request: OrgRequest) -> HttpResponse:
    page = Paginator(review.pending_bylines(request.org), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [(byline, review.candidates(byline)) for byline in page.object_list]
    return render(
        request,
        "monitoring/bylines.html",
        {"page": page, "rows": rows, "can_edit": can(request.membership.role, "edit")},
    )


@org_view("edit", methods=["POST"])
def byline_decide(request: OrgRequest, byline_id: int) -> HttpResponse:
    byline = org_object(request, Byline, byline_id)
    try:
        if request.POST.get("action") == "reject":
            review.reject(request.org, byline, user=request.user, request=request)
            messages.success(
                request, _("%(name)s will not be suggested again.") % {"name": byline.name}
            )
        else:
            contact = org_object(request, Contact, request.POST.get("contact") or 0)
            linked = review.accept(request.org, byline, contact, user=request.user, request=request)
            messages.success(
                request,
                ngettext(
                    "%(name)s is linked to %(contact)s (%(count)s article).",
                    "%(name)s is linked to %(contact)s (%(count)s articles).",
                    linked,
                )
                % {"name": byline.name, "contact": contact, "count": linked},
            )
    except Refusal as exc:
        messages.error(request, exc.reason)
    return redirect("monitoring:bylines", org_slug=request.org.slug)


urlpatterns: list[URLPattern] = [
    path("quarantine/", quarantine_list, name="quarantine"),
    path("quarantine/<int:item_id>/", quarantine_decide, name="quarantine_decide"),
    path("bylines/", byline_list, name="bylines"),
    path("bylines/<int:byline_id>/", byline_decide, name="byline_decide"),
]
