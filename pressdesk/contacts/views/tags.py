"""The team's tags: how many contacts each has; rename, merge and delete."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pressdesk.accounts.access import OrgRequest, org_object, org_view
from pressdesk.accounts.roles import can
from pressdesk.contacts import tagging
from pressdesk.contacts.forms import MergeTagForm, RenameTagForm
from pressdesk.contacts.models import Tag


def _tag(request: OrgRequest, tag_id: int) -> Tag:
    return org_object(request, Tag, tag_id)


def _back(request: OrgRequest) -> HttpResponse:
    return redirect("contacts:tags", org_slug=request.org.slug)


@org_view("read")
def tag_list(request: OrgRequest) -> HttpResponse:
    tags = list(tagging.tags_with_counts(request.org))
    return render(
        request,
        "contacts/tag_list.html",
        {"tags": tags, "can_edit": can(request.membership.role, "edit")},
    )


@org_view("edit", methods=["POST"])
def tag_rename(request: OrgRequest, tag_id: int) -> HttpResponse:
    tag = _tag(request, tag_id)
    form = RenameTagForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the tag a name."))
        return _back(request)
    old = tag.name
    try:
        tagging.rename_tag(tag, form.cleaned_data["name"], by=request.user, request=request)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return _back(request)
    messages.success(
        request, _("“%(old)s” is now called “%(new)s”.") % {"old": old, "new": tag.name}
    )
    return _back(request)


@org_view("edit", methods=["POST"])
def tag_merge(request: OrgRequest, tag_id: int) -> HttpResponse:
    tag = _tag(request, tag_id)
    form = MergeTagForm(tag, request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the tag to merge it into."))
        return _back(request)
    target = form.cleaned_data["into"]
    name = tag.name
    moved = tagging.merge_tags(tag, target, by=request.user, request=request)
    messages.success(
        request,
        ngettext(
            "“%(old)s” merged into “%(new)s” (%(count)d contact).",
            "“%(old)s” merged into “%(new)s” (%(count)d contacts).",
            moved,
        )
        % {"old": name, "new": target.name, "count": moved},
    )
    return _back(request)


@org_view("edit", methods=["POST"])
def tag_delete(request: OrgRequest, tag_id: int) -> HttpResponse:
    tag = _tag(request, tag_id)
    name = tag.name
    count = tagging.delete_tag(tag, by=request.user, request=request)
    messages.success(
        request,
        ngettext(
            "Tag “%(name)s” deleted; %(count)d contact had it.",
            "Tag “%(name)s” deleted; %(count)d contacts had it.",
            count,
        )
        % {"name": name, "count": count},
    )
    return _back(request)


urlpatterns: list[URLPattern] = [
    path("tags/", tag_list, name="tags"),
    path("tags/<int:tag_id>/rename/", tag_rename, name="tag_rename"),
    path("tags/<int:tag_id>/merge/", tag_merge, name="tag_merge"),
    path("tags/<int:tag_id>/delete/", tag_delete, name="tag_delete"),
]
