"""The composer's recipient picker: find single contacts by name, outlet or address (the contacts'
quick search), and add one's address to the "Individual contacts" field. htmx fragments; without
JavaScript the field still takes addresses typed by hand."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from pressdesk.accounts.access import OrgRequest, org_object, org_view
from pressdesk.contacts import services as contacts
from pressdesk.contacts.models import Contact
from pressdesk.lib.text import normalise_email
from pressdesk.mailings.compose_forms import ComposeForm

LIMIT = 10


@org_view("edit")
def recipient_search(request: OrgRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    found, more = contacts.pick(request.org, query, limit=LIMIT)
    context = {"query": query, "found": found, "more": more}
    return render(request, "mailings/compose/_picker_results.html", context)


@org_view("edit")
def recipient_add(request: OrgRequest) -> HttpResponse:
    lines = [line.strip() for line in request.GET.get("addresses", "").splitlines() if line.strip()]
    if "contact" in request.GET:
        try:
            pk = int(request.GET["contact"])
        except ValueError:
            raise Http404("no such contact") from None
        person = org_object(request, Contact.objects.prefetch_related("emails"), pk)
        emails = [e.email for e in person.emails.all() if e.bounced_at is None]
        present = {normalise_email(line) for line in lines}
        if emails and not present & {normalise_email(e.email) for e in person.emails.all()}:
            lines.append(emails[0])
    form = ComposeForm(org=request.org, initial={"addresses": "\n".join(lines)})
    return HttpResponse(str(form["addresses"]))


urlpatterns: list[URLPattern] = [
    path("recipients/search/", recipient_search, name="recipient_search"),
    path("recipients/add/", recipient_add, name="recipient_add"),
]
