"""The contact list with its filters, bulk actions and segments, and the contact page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pressdesk import modules
from pressdesk.accounts.access import OrgRequest, org_object, org_view
from pressdesk.accounts.roles import can
from pressdesk.contacts import lists, paging, presenting, tagging
from pressdesk.contacts.filters import ContactFilterForm
from pressdesk.contacts.forms import (
    ChooseListForm,
    InteractionForm,
    NoteForm,
    SegmentForm,
    TagForm,
)
from pressdesk.contacts.models import (
    Contact,
    ContactList,
    FieldChange,
    Interaction,
    Note,
    OptOut,
    Outlet,
    Position,
    Tag,
)
from pressdesk.contacts.views import edit, outlets, tags
from pressdesk.contacts.views import lists as list_views

PER_PAGE = 50


def list_contacts(
    request: OrgRequest,
    form: ContactFilterForm,
    template: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """Render one page of the filtered contacts (the whole page, or just the results for htmx).

    The URL keeps only the parameters that are set: a form submitted with empty fields is sent
    on to the short URL (htmx: the short URL is the one pushed to the address bar)."""
    base = reverse("contacts:list", args=[request.org.slug])
    short = _short_query(request.GET)
    partial = request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results"
    if short != request.GET.urlencode() and not partial:
        return redirect(f"{base}?{short}" if short else base)
    tally = form.tally()
    page = paging.keyset_page(
        form.queryset(),
        form.sort_keys(),
        PER_PAGE,
        request.GET,
        fetch=presenting.rows,
        count=tally.n,
        capped=tally.capped,
    )
    params = form.params()
    context = {
        "form": form,
        "page": page,
        "rows": presenting.decorate(page.object_list, request.org.slug),
        "query_string": urlencode(params, doseq=True),
        "filtered": form.is_filtered(),
        "chips": presenting.chips(form, base),
        "page_links": _page_links(page, urlencode(params, doseq=True)),
        "facets": presenting.facet_groups(form, form.facet_counts()),
        "facets_note": presenting.facets_note(form),
        "count_line": presenting.count_line(page),
        "can_edit": can(request.membership.role, "edit"),
        **(extra or {}),
    }
    if partial:
        template = "contacts/_results.html"
        context["swap_facets"] = True
    else:
        context["filter_fields"] = presenting.sidebar(form)
    response = render(request, template, context)
    if partial:
        response["HX-Push-Url"] = f"{base}?{short}" if short else base
    patch_vary_headers(response, ["HX-Request"])
    return response


def _page_links(page: paging.KeysetPage, query: str) -> dict[str, str]:
    """Links to the first, previous and next pages: the filters, then the cursor."""
    prefix = f"?{query}&" if query else "?"
    links = {}
    if page.number > 1:
        links["first"] = f"?{query}" if query else "?"
    if page.previous_cursor:
        links["previous"] = (
            f"{prefix}before={page.previous_cursor}&page={page.previous_page_number()}"
        )
    elif page.has_previous():
        links["previous"] = f"{prefix}page={page.previous_page_number()}"
    if page.next_cursor:
        links["next"] = f"{prefix}after={page.next_cursor}&page={page.next_page_number()}"
    return links


def _short_query(query: QueryDict) -> str:
    """The query string without its empty parameters, in the order given."""
    return urlencode([(k, v) for k, values in query.lists() for v in values if v.strip()])


@org_view("read")
def contact_list(request: OrgRequest) -> HttpResponse:
    form = ContactFilterForm(request.org, request.GET)
    outlet_ids = form.value("outlet") or []
    extra = {
        "selected_outlets": Outlet.objects.for_org(request.org).filter(pk__in=outlet_ids),
        "static_lists": list(
            ContactList.objects.for_org(request.org)
            .filter(kind=ContactList.STATIC)
            .only("pk", "name")
        ),
        "import_chip": _import_chip(request, form),
    }
    return list_contacts(request, form, "contacts/contact_list.html", extra)


def _import_chip(request: OrgRequest, form: ContactFilterForm) -> dict[str, Any] | None:
    """The import the list shows, and the link that shows the rest again."""
    if form.import_job is None:
        return None
    rest = {k: v for k, v in form.params().items() if k != "imported"}
    base = reverse("contacts:list", args=[request.org.slug])
    return {"job": form.import_job, "remove": f"{base}?{urlencode(rest, doseq=True)}"}


@org_view("edit", methods=["POST"])
def bulk(request: OrgRequest) -> HttpResponse:
    """Add the ticked contacts to a list, or tag them."""
    ids = [int(v) for v in request.POST.getlist("contact") if v.isdigit()]
    back = request.POST.get("next", "")
    if not back.startswith(reverse("contacts:list", args=[request.org.slug])):
        back = reverse("contacts:list", args=[request.org.slug])
    if not ids:
        messages.error(request, _("Tick at least one contact first."))
        return redirect(back)
    if request.POST.get("action") == "tag":
        form = TagForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the tag a name."))
            return redirect(back)
        tag, tagged = tagging.tag_contacts(
            request.org,
            ids,
            form.cleaned_data["tag"],
            by=request.user,
            request=request,
            source_label=_("Contact list"),
        )
        messages.success(
            request,
            ngettext(
                "Tagged %(count)d contact “%(tag)s”.",
                "Tagged %(count)d contacts “%(tag)s”.",
                tagged,
            )
            % {"count": tagged, "tag": tag.name},
        )
        return redirect(back)
    choose = ChooseListForm(request.org, request.POST)
    if not choose.is_valid():
        messages.error(request, _("Choose a list."))
        return redirect(back)
    contact_list = choose.cleaned_data["contact_list"]
    added = lists.add_to_list(contact_list, ids, by=request.user, source=_("Contact list"))
    messages.success(
        request,
        ngettext(
            "Added %(count)d contact to “%(list)s”.",
            "Added %(count)d contacts to “%(list)s”.",
            added,
        )
        % {"count": added, "list": contact_list.name},
    )
    return redirect(back)


@org_view("edit", methods=["POST"])
def save_segment(request: OrgRequest) -> HttpResponse:
    """Save the contact list's current filters as a segment."""
    form = SegmentForm(request.POST)
    filters = ContactFilterForm(request.org, QueryDict(request.POST.get("filters", "")))
    if not form.is_valid() or not filters.is_valid() or not filters.is_filtered():
        messages.error(request, _("Give the segment a name, and set at least one filter."))
        return redirect(
            reverse("contacts:list", args=[request.org.slug])
            + "?"
            + request.POST.get("filters", "")
        )
    segment = lists.save_segment(
        request.org, form.cleaned_data["name"], filters.params(), by=request.user
    )
    messages.success(request, _("Segment “%(name)s” saved.") % {"name": segment.name})
    return redirect("contacts:list_detail", org_slug=request.org.slug, list_id=segment.pk)


@org_view("read")
def contact_detail(request: OrgRequest, contact_id: int) -> HttpResponse:
    contact = org_object(
        request,
        Contact.objects.prefetch_related(
            "emails",
            "phones",
            "beats",
            "tags",
            Prefetch(
                "positions",
                queryset=Position.objects.select_related("outlet"),
                to_attr="all_positions",
            ),
        ),
        contact_id,
    )
    opted_out = set(
        OptOut.objects.for_org(request.org)
        .filter(address_hash__in=[e.address_hash for e in contact.emails.all()])
        .values_list("address_hash", flat=True)
    )
    positions = sorted(
        contact.all_positions,  # type: ignore[attr-defined]
        key=lambda p: (p.end_date is not None, -(p.start_date.toordinal() if p.start_date else 0)),
    )
    memberships = contact.list_memberships.select_related("contact_list").order_by(
        "contact_list__name"
    )
    context = {
        "contact": contact,
        "emails": [(e, e.address_hash in opted_out) for e in contact.emails.all()],
        "positions": positions,
        "memberships": memberships,
        "notes": Note.objects.filter(contact=contact).select_related("author")[:100],
        "interactions": Interaction.objects.filter(contact=contact).select_related("author")[:100],
        "changes": FieldChange.objects.filter(contact=contact).select_related("changed_by")[:100],
        "can_edit": can(request.membership.role, "edit"),
        "note_form": NoteForm(),
        "interaction_form": InteractionForm(),
        "list_form": ChooseListForm(request.org),
        "tag_form": TagForm(),
        "tag_names": Tag.objects.for_org(request.org).values_list("name", flat=True),
        "has_lists": ContactList.objects.for_org(request.org)
        .filter(kind=ContactList.STATIC)
        .exists(),
    }
    # Other modules' panels (monitoring: recent articles; mailings: what was sent and came back).
    context["module_panels"] = modules.contact_panels(request, contact)
    return render(request, "contacts/contact_detail.html", context)


urlpatterns: list[URLPattern] = [
    path("", contact_list, name="list"),
    path("bulk/", bulk, name="bulk"),
    path("segments/new/", save_segment, name="save_segment"),
    path("<int:contact_id>/", contact_detail, name="detail"),
    *edit.urlpatterns,
    *outlets.urlpatterns,
    *tags.urlpatterns,
    *list_views.urlpatterns,
]
