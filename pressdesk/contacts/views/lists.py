"""Lists and segments: the index with counts, a list's page (members, bulk removal), editing."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pressdesk.accounts.access import OrgRequest, org_object, org_view
from pressdesk.accounts.roles import can
from pressdesk.contacts import lists, presenting
from pressdesk.contacts.filters import segment_form
from pressdesk.contacts.forms import ListForm
from pressdesk.contacts.models import ContactList
from pressdesk.contacts.paging import IdsFirstPaginator

PER_PAGE = 50


@org_view("read")
def list_index(request: OrgRequest) -> HttpResponse:
    found = lists.lists_with_counts(request.org)
    return render(
        request,
        "contacts/list_index.html",
        {
            "static_lists": [cl for cl in found if cl.kind == ContactList.STATIC],
            "segments": [cl for cl in found if cl.kind == ContactList.SEGMENT],
            "form": ListForm(),
            "can_edit": can(request.membership.role, "edit"),
        },
    )


@org_view("edit", methods=["POST"])
def list_create(request: OrgRequest) -> HttpResponse:
    form = ListForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the list a name."))
        return redirect("contacts:lists", org_slug=request.org.slug)
    contact_list = lists.create_list(
        request.org,
        form.cleaned_data["name"],
        by=request.user,
        description=form.cleaned_data["description"],
    )
    messages.success(request, _("List “%(name)s” created.") % {"name": contact_list.name})
    return redirect("contacts:list_detail", org_slug=request.org.slug, list_id=contact_list.pk)


@org_view("read")
def list_detail(request: OrgRequest, list_id: int) -> HttpResponse:
    contact_list = org_object(request, ContactList, list_id)
    members = lists.members(contact_list)
    page = IdsFirstPaginator(members, PER_PAGE, fetch=presenting.rows).get_page(
        request.GET.get("page")
    )
    filters = None
    if contact_list.kind == ContactList.SEGMENT:
        filters = segment_form(contact_list)
        filters.is_valid()
    return render(
        request,
        "contacts/list_detail.html",
        {
            "contact_list": contact_list,
            "page": page,
            "rows": presenting.decorate(page.object_list, request.org.slug),
            "filters": filters,
            "filters_query": urlencode(contact_list.filters or {}, doseq=True),
            "can_edit": can(request.membership.role, "edit"),
        },
    )


@org_view("edit", methods=["GET", "POST"])
def list_edit(request: OrgRequest, list_id: int) -> HttpResponse:
    contact_list = org_object(request, ContactList, list_id)
    form = ListForm(request.POST or None, instance=contact_list)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Changes saved."))
        return redirect("contacts:list_detail", org_slug=request.org.slug, list_id=contact_list.pk)
    return render(request, "contacts/list_form.html", {"form": form, "contact_list": contact_list})


@org_view("edit", methods=["POST"])
def list_delete(request: OrgRequest, list_id: int) -> HttpResponse:
    contact_list = org_object(request, ContactList, list_id)
    name = contact_list.name
    contact_list.delete()
    messages.success(request, _("“%(name)s” was deleted. Its contacts were kept.") % {"name": name})
    return redirect("contacts:lists", org_slug=request.org.slug)


@org_view("edit", methods=["POST"])
def list_remove(request: OrgRequest, list_id: int) -> HttpResponse:
    """Take the ticked contacts off a static list."""
    contact_list = org_object(request, ContactList, list_id, kind=ContactList.STATIC)
    ids = [int(v) for v in request.POST.getlist("contact") if v.isdigit()]
    removed = lists.remove_from_list(contact_list, ids)
    messages.success(
        request,
        ngettext(
            "Removed %(count)d contact from the list.",
            "Removed %(count)d contacts from the list.",
            removed,
        )
        % {"count": removed},
    )
    return redirect("contacts:list_detail", org_slug=request.org.slug, list_id=contact_list.pk)


urlpatterns: list[URLPattern] = [
    path("lists/", list_index, name="lists"),
    path("lists/new/", list_create, name="list_create"),
    path("lists/<int:list_id>/", list_detail, name="list_detail"),
    path("lists/<int:list_id>/edit/", list_edit, name="list_edit"),
    path("lists/<int:list_id>/delete/", list_delete, name="list_delete"),
    path("lists/<int:list_id>/remove/", list_remove, name="list_remove"),
]
