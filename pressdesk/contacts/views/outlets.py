"""Outlets: the list, an outlet's page with its current and past journalists, create and edit."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from pressdesk.accounts.access import OrgRequest, org_object, org_view
from pressdesk.accounts.roles import can
from pressdesk.contacts import editing
from pressdesk.contacts.forms import OutletForm
from pressdesk.contacts.models import Outlet, Position
from pressdesk.contacts.models.outlets import MediaType
from pressdesk.lib.text import normalise

PER_PAGE = 50


@org_view("read")
def outlet_list(request: OrgRequest) -> HttpResponse:
    outlets = Outlet.objects.for_org(request.org).order_by("name_normalised", "pk")
    query = request.GET.get("q", "").strip()
    media_type = request.GET.get("media_type", "")
    if query:
        outlets = outlets.filter(name_normalised__contains=normalise(query))
    if media_type in MediaType.values:
        outlets = outlets.filter(media_type=media_type)
    page = Paginator(outlets, PER_PAGE).get_page(request.GET.get("page"))
    # Count journalists for this page only: counting for every outlet would cost a full scan.
    counts = dict(
        Position.objects.filter(outlet__in=list(page.object_list), end_date=None)
        .values_list("outlet")
        .annotate(n=Count("contact", distinct=True))
    )
    for outlet in page.object_list:
        outlet.journalist_count = counts.get(outlet.pk, 0)  # type: ignore[attr-defined]
    return render(
        request,
        "contacts/outlet_list.html",
        {
            "page": page,
            "query": query,
            "media_type": media_type,
            "media_types": MediaType.choices,
            "can_edit": can(request.membership.role, "edit"),
        },
    )


@org_view("read")
def outlet_detail(request: OrgRequest, outlet_id: int) -> HttpResponse:
    outlet = org_object(request, Outlet, outlet_id)
    positions = Position.objects.filter(outlet=outlet).select_related("contact")
    current = positions.filter(end_date=None).order_by("contact__sort_name", "pk")
    past = positions.exclude(end_date=None).order_by("-end_date", "pk")
    return render(
        request,
        "contacts/outlet_detail.html",
        {
            "outlet": outlet,
            "current": current,
            "past": past,
            "can_edit": can(request.membership.role, "edit"),
        },
    )


@org_view("edit", methods=["GET", "POST"])
def outlet_create(request: OrgRequest) -> HttpResponse:
    form = OutletForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outlet = editing.save_outlet(request.org, None, form.cleaned_data)
        messages.success(request, _("Outlet added."))
        return redirect("contacts:outlet", org_slug=request.org.slug, outlet_id=outlet.pk)
    return render(request, "contacts/outlet_form.html", {"form": form, "outlet": None})


@org_view("edit", methods=["GET", "POST"])
def outlet_edit(request: OrgRequest, outlet_id: int) -> HttpResponse:
    outlet = org_object(request, Outlet, outlet_id)
    form = OutletForm(
        request.POST or None, instance=Outlet.objects.for_org(request.org).get(pk=outlet.pk)
    )
    if request.method == "POST" and form.is_valid():
        editing.save_outlet(request.org, outlet, form.cleaned_data)
        messages.success(request, _("Changes saved."))
        return redirect("contacts:outlet", org_slug=request.org.slug, outlet_id=outlet.pk)
    return render(request, "contacts/outlet_form.html", {"form": form, "outlet": outlet})


urlpatterns: list[URLPattern] = [
    path("outlets/", outlet_list, name="outlets"),
    path("outlets/new/", outlet_create, name="outlet_create"),
    path("outlets/<int:outlet_id>/", outlet_detail, name="outlet"),
    path("outlets/<int:outlet_id>/edit/", outlet_edit, name="outlet_edit"),
]
