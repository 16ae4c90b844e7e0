"""The composer: create and edit a mailing, preview it per recipient, send a test to myself.

Creating or editing needs `edit`; the services ask `send` for pitches and free text. The preview
is a fragment (htmx swaps it in; without JavaScript the page reloads with `?contact=`) and the
HTML itself is served on its own address, framed by the page in a sandbox, under a policy that
lets its inline style in and nothing else.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from pressdesk.accounts.access import OrgRequest, org_object, org_view
from pressdesk.accounts.roles import can
from pressdesk.contacts.models import Contact
from pressdesk.mailings import ledger, merge, services, testsend
from pressdesk.mailings.compose import Composer, Preview
from pressdesk.mailings.compose_forms import ComposeForm, initial_for
from pressdesk.mailings.errors import MailingError
from pressdesk.mailings.models import Mailing
from pressdesk.mailings.models.mailing import MailingKind

# The previewed mail's own page: its inline style, data: images, nothing else; framed by us only.
PREVIEW_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
)
AUDIENCE_CHOICES = 20


def _may_change(request: OrgRequest, mailing: Mailing | None, kind: str) -> bool:
    perm = "edit" if kind == MailingKind.RELEASE else "send"
    return can(request.membership.role, perm) and (
        mailing is None or mailing.state in services.EDITABLE
    )


def _audience(mailing: Mailing) -> list[Contact]:
    """A few people of the audience to preview the message for, chosen ones first."""
    ids = list(mailing.contacts.values_list("pk", flat=True)[:AUDIENCE_CHOICES])
    with contextlib.suppress(MailingError):
        ids += [pk for pk in ledger.plan(mailing).sample if pk not in ids]
    found = Contact.objects.for_org(mailing.org_id).in_bulk(ids[:AUDIENCE_CHOICES])
    return [found[pk] for pk in ids if pk in found]


def _preview(
    request: OrgRequest, mailing: Mailing, audience: list[Contact]
) -> tuple[Contact | None, Preview | None, str]:
    chosen = request.GET.get("contact", "")
    contact: Contact | None = None
    if chosen.isdigit():
        contact = org_object(request, Contact, int(chosen))
    elif audience:
        contact = audience[0]
    if contact is None:
        return None, None, ""
    try:
        return contact, Composer(mailing).preview(contact), ""
    except MailingError as error:
        return contact, None, str(error)


def _page(
    request: OrgRequest, form: ComposeForm, mailing: Mailing | None, status: int = 200
) -> HttpResponse:
    ctx: dict[str, Any] = {
        "form": form,
        "mailing": mailing,
        "fields_help": [(name, label) for name, label in merge.FIELDS.items()],
        "can_send": can(request.membership.role, "send"),
    }
    if mailing is not None:
        audience = _audience(mailing)
        contact, preview, error = _preview(request, mailing, audience)
        if contact is not None and contact not in audience:
            audience.insert(0, contact)
        ctx.update(audience=audience, contact=contact, preview=preview, preview_error=error)
    return render(request, "mailings/compose/form.html", ctx, status=status)


@org_view("edit", methods=["GET", "POST"])
def mailing_new(request: OrgRequest) -> HttpResponse:
    if request.method == "POST":
        form = ComposeForm(request.POST, org=request.org)
        if form.is_valid():
            if not _may_change(request, None, form.cleaned_data["kind"]):
                raise PermissionDenied(_("Your role does not allow this."))
            try:
                mailing = services.create_mailing(
                    request.org, request.user, **form.service_fields()
                )
            except MailingError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Mailing saved as a draft."))
                return redirect(
                    "mailings:compose_edit", org_slug=request.org.slug, mailing_id=mailing.pk
                )
        return _page(request, form, None, status=400)
    initial: dict[str, Any] = {"language": request.org.language}
    if request.GET.get("release", "").isdigit():
        initial["release"] = int(request.GET["release"])
    if request.GET.get("kind") in MailingKind.values:
        initial["kind"] = request.GET["kind"]
    return _page(request, ComposeForm(initial=initial, org=request.org), None)


@org_view("edit", methods=["GET", "POST"])
def mailing_edit(request: OrgRequest, mailing_id: int) -> HttpResponse:
    mailing = org_object(request, Mailing, mailing_id)
    if request.method == "POST":
        if not _may_change(request, mailing, mailing.kind):
            raise PermissionDenied(_("Your role does not allow this."))
        form = ComposeForm(
            request.POST, org=request.org, mailing=mailing, initial=initial_for(mailing)
        )
        if form.is_valid():
            try:
                services.update_mailing(mailing, request.user, **form.service_fields())
            except MailingError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Mailing saved."))
                return redirect(
                    "mailings:compose_edit", org_slug=request.org.slug, mailing_id=mailing.pk
                )
        return _page(request, form, mailing, status=400)
    form = ComposeForm(initial=initial_for(mailing), org=request.org, mailing=mailing)
    return _page(request, form, mailing)


@org_view("read")
def mailing_preview(request: OrgRequest, mailing_id: int) -> HttpResponse:
    mailing = org_object(request, Mailing, mailing_id)
    audience = _audience(mailing)
    contact, preview, error = _preview(request, mailing, audience)
    return render(
        request,
        "mailings/compose/_preview.html",
        {"mailing": mailing, "contact": contact, "preview": preview, "preview_error": error},
    )


@xframe_options_sameorigin
@org_view("read")
def mailing_preview_html(request: OrgRequest, mailing_id: int, contact_id: int) -> HttpResponse:
    mailing = org_object(request, Mailing, mailing_id)
    contact = org_object(request, Contact, contact_id)
    try:
        body = Composer(mailing).preview(contact).html
    except MailingError as error:
        body = str(format_html("<!DOCTYPE html><p>{}</p>", error))
    response = HttpResponse(body, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = PREVIEW_CSP
    return response


@org_view("edit", methods=["POST"])
def mailing_test(request: OrgRequest, mailing_id: int) -> HttpResponse:
    mailing = org_object(request, Mailing, mailing_id)
    contact = None
    if request.POST.get("contact", "").isdigit():
        contact = org_object(request, Contact, int(request.POST["contact"]))
    try:
        testsend.send_test(mailing, request.user, contact)
    except MailingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Test sent to %(address)s.") % {"address": request.user.email})
    url = reverse("mailings:compose_edit", args=[request.org.slug, mailing.pk])
    if contact is not None:
        url += f"?contact={contact.pk}"
    return redirect(url)


urlpatterns: list[URLPattern] = [
    path("new/", mailing_new, name="compose_new"),
    path("<int:mailing_id>/edit/", mailing_edit, name="compose_edit"),
    path("<int:mailing_id>/preview/", mailing_preview, name="compose_preview"),
    path(
        "<int:mailing_id>/preview/<int:contact_id>/mail.html",
        mailing_preview_html,
        name="compose_preview_html",
    ),
    path("<int:mailing_id>/test/", mailing_test, name="compose_test"),
]
