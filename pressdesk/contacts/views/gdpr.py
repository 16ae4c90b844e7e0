"""The team's GDPR pages: the opt-out list, access exports, erasure, notices and retention.

There is deliberately no view that removes an opt-out: only the person can lift one, from their
own preference page (`views/public.py`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pressdesk.accounts import audit
from pressdesk.accounts.access import OrgRequest, org_object, org_view
from pressdesk.contacts import access_report, gdpr, retention
from pressdesk.contacts.models import Contact, OptOut
from pressdesk.contacts.models.optout import OptOutReason, address_hash

PER_PAGE = 50
# Both forms on the opt-out page have an address field: their ids must differ.
CHECK_ID = "check_%s"


class AddressForm(forms.Form):
    address = forms.EmailField(label=gettext_lazy("Email address"), max_length=254)


class ObjectionForm(AddressForm):
    reason = forms.ChoiceField(
        label=gettext_lazy("Reason"), choices=gdpr.STAFF_REASONS, initial=OptOutReason.OBJECTION
    )
    note = forms.CharField(
        label=gettext_lazy("How they told us"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("For example: by phone on 3 March. Do not repeat the address here."),
    )


def _contact(request: OrgRequest, pk: int) -> Contact:
    return org_object(request, Contact.objects.select_related("org"), pk)


def _page(request: OrgRequest, qs: models.QuerySet[Any]) -> Any:
    return Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))


def _pks(request: OrgRequest) -> list[int]:
    # A row's own button ("one") wins over the ticked boxes.
    raw = [request.POST["one"]] if request.POST.get("one") else request.POST.getlist("pks")
    return [int(v) for v in raw if v.isdigit()]


@org_view("edit")
def home(request: OrgRequest) -> HttpResponse:
    org = request.org
    return render(
        request,
        "contacts/gdpr_home.html",
        {
            "optouts": OptOut.objects.for_org(org).count(),
            "pending_notices": gdpr.pending_notices(org).count(),
            "flagged": retention.flagged(org).count(),
        },
    )


def _optouts_page(
    request: OrgRequest,
    add_form: ObjectionForm | None = None,
    check_form: AddressForm | None = None,
    result: dict[str, Any] | None = None,
) -> HttpResponse:
    entries = OptOut.objects.for_org(request.org).order_by("-created", "-pk")
    return render(
        request,
        "contacts/gdpr_optouts.html",
        {
            "page": _page(request, entries),
            "add_form": add_form or ObjectionForm(),
            "check_form": check_form or AddressForm(auto_id=CHECK_ID),
            "result": result,
        },
    )


@org_view("edit")
def optouts(request: OrgRequest) -> HttpResponse:
    return _optouts_page(request)


@org_view("edit", methods=["POST"])
def optout_add(request: OrgRequest) -> HttpResponse:
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        return _optouts_page(request, add_form=form)
    entry, created = gdpr.add_objection(
        request.org,
        form.cleaned_data["address"],
        form.cleaned_data["reason"],
        form.cleaned_data["note"],
        by=request.user,
        request=request,
    )
    if created:
        messages.success(request, _("The address is on the opt-out list. It will never be mailed."))
    else:
        messages.info(
            request,
            _("This address was already on the opt-out list (%(reason)s).")
            % {"reason": entry.get_reason_display()},
        )
    return redirect("contacts:gdpr_optouts", org_slug=request.org.slug)


# A POST, not a GET: the address stays out of access logs and browser history.
@org_view("edit", methods=["POST"])
def optout_check(request: OrgRequest) -> HttpResponse:
    form = AddressForm(request.POST, auto_id=CHECK_ID)
    if not form.is_valid():
        return _optouts_page(request, check_form=form)
    address = form.cleaned_data["address"]
    entry = gdpr.lookup(request.org, address)
    result = {"address": address, "entry": entry, "hash": address_hash(address)}
    return _optouts_page(request, check_form=form, result=result)


@org_view("edit")
def contact_privacy(request: OrgRequest, pk: int) -> HttpResponse:
    contact = _contact(request, pk)
    emails = [
        {"email": e.email, "entry": gdpr.lookup(request.org, e.email), "bounced_at": e.bounced_at}
        for e in contact.emails.all()
    ]
    return render(
        request,
        "contacts/gdpr_contact.html",
        {"contact": contact, "emails": emails, "mailable": gdpr.mailable_address(contact)},
    )


@org_view("export")
def access(request: OrgRequest, pk: int) -> HttpResponse:
    """The access report, written to the person in their language (or the one asked for)."""
    contact = _contact(request, pk)
    language = access_report.report_language(
        contact, request.GET.get("lang", ""), translation.get_language() or ""
    )
    audit.record(
        "contact.access_export", org=request.org, request=request, contact_id=pk, format="html"
    )
    with translation.override(language):
        report = access_report.build(contact)
        response = render(
            request,
            "contacts/gdpr_access.html",
            {"report": report, "generated_at": timezone.now(), "language": language},
        )
    response["Content-Language"] = language
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="contact-{pk}.html"'
    return response


@org_view("export")
def access_json(request: OrgRequest, pk: int) -> HttpResponse:
    contact = _contact(request, pk)
    body = gdpr.access_json(contact)
    audit.record(
        "contact.access_export", org=request.org, request=request, contact_id=pk, format="json"
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="contact-{pk}.json"'
    return response


@org_view("erase", methods=["GET", "POST"])
def erase(request: OrgRequest, pk: int) -> HttpResponse:
    contact = _contact(request, pk)
    if request.method == "GET":
        return render(
            request,
            "contacts/gdpr_erase.html",
            {
                "contact": contact,
                "counts": gdpr.erasure_counts(contact),
                "emails": list(contact.emails.all()),
            },
        )
    counts = gdpr.erase(contact, by=request.user, request=request)
    messages.success(
        request,
        ngettext(
            "The contact was erased. %(count)s address remains on the opt-out list, as a hash.",
            "The contact was erased. %(count)s addresses remain on the opt-out list, as hashes.",
            counts["emails"],
        )
        % {"count": counts["emails"]},
    )
    return redirect("contacts:gdpr_home", org_slug=request.org.slug)


@org_view("send", methods=["POST"])
def notice(request: OrgRequest, pk: int) -> HttpResponse:
    contact = _contact(request, pk)
    if gdpr.send_notice(contact, by=request.user, request=request):
        messages.success(request, _("The information notice was sent."))
    else:
        messages.error(
            request,
            _("No notice was sent: each address of this contact is opted out, bounced or missing."),
        )
    return redirect("contacts:gdpr_contact", org_slug=request.org.slug, pk=pk)


@org_view("send", methods=["GET", "POST"])
def notices(request: OrgRequest) -> HttpResponse:
    if request.method == "POST":
        count = gdpr.queue_notices(request.org, by=request.user)
        messages.success(
            request,
            ngettext(
                "%(count)s information notice is being sent by the background worker.",
                "%(count)s information notices are being sent by the background worker.",
                count,
            )
            % {"count": count},
        )
        return redirect("contacts:gdpr_notices", org_slug=request.org.slug)
    pending = gdpr.pending_notices(request.org).order_by("created", "pk")
    return render(request, "contacts/gdpr_notices.html", {"page": _page(request, pending)})


@org_view("edit")
def retention_list(request: OrgRequest) -> HttpResponse:
    page = _page(request, retention.flagged(request.org).prefetch_related("emails"))
    reasked = retention.last_reasked([c.pk for c in page])
    rows = [{"contact": c, "reasked": reasked.get(c.pk)} for c in page]
    return render(
        request,
        "contacts/gdpr_retention.html",
        {"page": page, "rows": rows, "years": gdpr.RETENTION_YEARS},
    )


@org_view("edit", methods=["POST"])
def retention_check(request: OrgRequest) -> HttpResponse:
    count = retention.flag_stale(request.org)
    audit.record("contact.retention_check", org=request.org, request=request, flagged=count)
    messages.success(
        request,
        ngettext(
            "%(count)s more contact is flagged.", "%(count)s more contacts are flagged.", count
        )
        % {"count": count},
    )
    return redirect("contacts:gdpr_retention", org_slug=request.org.slug)


@org_view("send", methods=["POST"])
def retention_reask(request: OrgRequest) -> HttpResponse:
    count = retention.queue_reasks(request.org, _pks(request), by=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)s contact is being asked again by the background worker.",
            "%(count)s contacts are being asked again by the background worker.",
            count,
        )
        % {"count": count},
    )
    return redirect("contacts:gdpr_retention", org_slug=request.org.slug)


@org_view("erase", methods=["POST"])
def retention_erase(request: OrgRequest) -> HttpResponse:
    contacts = list(retention.flagged(request.org).filter(pk__in=_pks(request)))
    if request.POST.get("confirm") != "yes":
        totals: dict[str, int] = {}
        for contact in contacts:
            for key, n in gdpr.erasure_counts(contact).items():
                totals[key] = totals.get(key, 0) + n
        return render(
            request, "contacts/gdpr_retention_erase.html", {"contacts": contacts, "counts": totals}
        )
    for contact in contacts:
        gdpr.erase(contact, by=request.user, request=request)
    messages.success(
        request,
        ngettext("%(count)s contact was erased.", "%(count)s contacts were erased.", len(contacts))
        % {"count": len(contacts)},
    )
    return redirect("contacts:gdpr_retention", org_slug=request.org.slug)


urlpatterns: list[URLPattern] = [
    path("gdpr/", home, name="gdpr_home"),
    path("gdpr/optouts/", optouts, name="gdpr_optouts"),
    path("gdpr/optouts/add/", optout_add, name="gdpr_optout_add"),
    path("gdpr/optouts/check/", optout_check, name="gdpr_optout_check"),
    path("gdpr/contact/<int:pk>/", contact_privacy, name="gdpr_contact"),
    path("gdpr/contact/<int:pk>/access/", access, name="gdpr_access"),
    path("gdpr/contact/<int:pk>/access.json", access_json, name="gdpr_access_json"),
    path("gdpr/contact/<int:pk>/erase/", erase, name="gdpr_erase"),
    path("gdpr/contact/<int:pk>/notice/", notice, name="gdpr_notice"),
    path("gdpr/notices/", notices, name="gdpr_notices"),
    path("gdpr/retention/", retention_list, name="gdpr_retention"),
    path("gdpr/retention/check/", retention_check, name="gdpr_retention_check"),
    path("gdpr/retention/reask/", retention_reask, name="gdpr_retention_reask"),
    path("gdpr/retention/erase/", retention_erase, name="gdpr_retention_erase"),
]
