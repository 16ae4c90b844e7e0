"""Possible duplicates: the list, the scan, and the merge page (compare, preview, confirm)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pressdesk.accounts.access import OrgRequest, org_object, org_view
from pressdesk.contacts import duplicates
from pressdesk.contacts.merge_form import MergeForm, not_kept, summary
from pressdesk.contacts.models import MergeSuggestion

PREVIEW, CONFIRM, BACK, LIVE = "preview", "confirm", "back", "live"


@org_view("edit")
def duplicate_list(request: OrgRequest) -> HttpResponse:
    org = request.org
    page = Paginator(duplicates.pending(org), 50).get_page(request.GET.get("page"))
    return render(request, "contacts/merge_list.html", {"page": page})


@org_view("edit", methods=["POST"])
def duplicate_scan(request: OrgRequest) -> HttpResponse:
    org = request.org
    found = duplicates.find_duplicates(org)
    messages.success(
        request,
        ngettext(
            "%(count)s new possible duplicate found.",
            "%(count)s new possible duplicates found.",
            found,
        )
        % {"count": found},
    )
    return redirect("contacts:duplicates", org_slug=org.slug)


def _suggestion(request: OrgRequest, suggestion_id: int) -> MergeSuggestion:
    return org_object(request, MergeSuggestion, suggestion_id, status=MergeSuggestion.PENDING)


@org_view("edit", methods=["GET", "POST"])
def merge(request: OrgRequest, suggestion_id: int) -> HttpResponse:
    """The two contacts side by side: choose per field, preview the result, then confirm."""
    org = request.org
    suggestion = _suggestion(request, suggestion_id)
    try:
        keep, other = duplicates.pair(org, suggestion.contact_a_id, suggestion.contact_b_id)
    except duplicates.MergeError as e:
        messages.error(request, str(e))
        return redirect("contacts:duplicates", org_slug=org.slug)
    step = request.POST.get("step", PREVIEW) if request.method == "POST" else ""
    form = MergeForm(keep, other, request.POST if request.method == "POST" else None)
    context = {"suggestion": suggestion, "keep": keep, "other": other, "form": form}
    if step == LIVE:
        # htmx asks for the preview as choices change; nothing is written.
        if form.is_valid():
            result = duplicates.resolve(keep, other, form.choices())
            context |= _preview(result)
        return render(request, "contacts/merge_result.html", context)
    if step in (PREVIEW, CONFIRM) and form.is_valid():
        choices = form.choices()
        if step == CONFIRM:
            try:
                kept = duplicates.merge(
                    org, keep.pk, other.pk, choices=choices, by=request.user, request=request
                )
            except duplicates.MergeError as e:
                messages.error(request, str(e))
            else:
                messages.success(request, _("Merged into %(name)s.") % {"name": kept})
            return redirect("contacts:duplicates", org_slug=org.slug)
        result = duplicates.resolve(keep, other, choices)
        context |= _preview(result) | {"carried": form.carried()}
        return render(request, "contacts/merge_preview.html", context)
    status = 400 if step and form.errors else 200
    return render(request, "contacts/merge_compare.html", context, status=status)


def _preview(result: duplicates.MergeResult) -> dict[str, object]:
    return {"result": result, "summary": summary(result), "not_kept": not_kept(result)}


@org_view("edit", methods=["POST"])
def dismiss(request: OrgRequest, suggestion_id: int) -> HttpResponse:
    org = request.org
    duplicates.dismiss(_suggestion(request, suggestion_id))
    messages.success(request, _("Marked as different people."))
    return redirect("contacts:duplicates", org_slug=org.slug)


urlpatterns: list[URLPattern] = [
    path("duplicates/", duplicate_list, name="duplicates"),
    path("duplicates/scan/", duplicate_scan, name="duplicates_scan"),
    path("duplicates/<int:suggestion_id>/merge/", merge, name="merge"),
    path("duplicates/<int:suggestion_id>/dismiss/", dismiss, name="merge_dismiss"),
]
