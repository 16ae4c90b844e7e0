"""The pages where people decide by hand: quarantined articles and byline suggestions."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pressdesk.accounts.access import OrgRequest, org_object, org_view
from pressdesk.accounts.roles import can
from pressdesk.contacts import services as contacts
from pressdesk.contacts.models import Contact
from pressdesk.monitoring import bylines, review
from pressdesk.monitoring.errors import Refusal
from pressdesk.monitoring.models import Byline, Item

PER_PAGE = 30
PICKER_LIMIT = 10


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
    can_edit = can(request.membership.role, "edit")
    # With the new contact's name and outlet as they would be filled in, for people who may add.
    rows = [
        (
            byline,
            review.candidates(byline),
            (*bylines.split_name(byline.name), review.outlet_of(byline)) if can_edit else None,
        )
        for byline in page.object_list
    ]
    return render(
        request, "monitoring/bylines.html", {"page": page, "rows": rows, "can_edit": can_edit}
    )


@org_view("edit")
def byline_journalists(request: OrgRequest, byline_id: int) -> HttpResponse:
    """Any journalist of the press file, found by name, outlet or address, to link a byline to:
    an htmx fragment, or a page of its own without JavaScript."""
    byline = org_object(request, Byline, byline_id)
    query = request.GET.get("q", "").strip()
    found, more = contacts.pick(request.org, query, limit=PICKER_LIMIT)
    context = {"byline": byline, "query": query, "found": found, "more": more}
    if request.headers.get("HX-Request"):
        return render(request, "monitoring/_byline_picker_results.html", context)
    return render(request, "monitoring/byline_pick.html", context)


class NewContactForm(forms.Form):
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=100, required=False)


@org_view("edit", methods=["POST"])
def byline_new_contact(request: OrgRequest, byline_id: int) -> HttpResponse:
    byline = org_object(request, Byline, byline_id)
    form = NewContactForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Names are at most 100 characters long."), status=400)
    try:
        contact, linked = review.create_contact(
            request.org,
            byline,
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            user=request.user,
            request=request,
        )
    except Refusal as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(
            request,
            ngettext(
                "%(contact)s was added to the press file, with %(count)s article signed %(name)s.",
                "%(contact)s was added to the press file, with %(count)s articles signed %(name)s.",
                linked,
            )
            % {"name": byline.name, "contact": contact, "count": linked},
        )
    return redirect("monitoring:bylines", org_slug=request.org.slug)


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
    path("bylines/<int:byline_id>/journalists/", byline_journalists, name="byline_journalists"),
    path("bylines/<int:byline_id>/contact/", byline_new_contact, name="byline_new_contact"),
]
