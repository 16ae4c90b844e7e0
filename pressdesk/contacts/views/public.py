"""The person's own pages, reached without login through their signed link.

A GET never changes anything: link scanners in mail gateways fetch every URL in a message.
Changes are POSTs with a CSRF token, except the RFC 8058 one-click unsubscribe, which mail
clients send with no cookie at all. A malformed, forged or tampered link answers 404.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from pressdesk.contacts import preferences
from pressdesk.contacts.models import Beat, Contact
from pressdesk.contacts.models.optout import OptOutReason

UI_LANGUAGES = ("fr", "en")


class PreferenceForm(forms.Form):
    beats = forms.ModelMultipleChoiceField(
        label=_("The topics you cover"),
        queryset=Beat.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("No preference")), *preferences.LANGUAGES],
        required=False,
    )
    fmt = forms.ChoiceField(
        label=_("What you prefer to receive"),
        choices=[("", _("No preference")), *preferences.FORMATS],
        required=False,
    )
    out_of_office_until = forms.DateField(
        label=_("Away until"),
        required=False,
        help_text=_("We will not write to you before this date."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, contact: Contact, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["beats"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Beat.objects.for_org(contact.org_id)

    def clean_out_of_office_until(self) -> date | None:
        value: date | None = self.cleaned_data.get("out_of_office_until")
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("This date has already passed."))
        return value


def _contact(token: str) -> Contact:
    contact = preferences.contact_for_token(token)
    if contact is None:
        raise Http404("no such link")
    return contact


def _language(request: HttpRequest, contact: Contact) -> str:
    # French by default; the page's EN/FR switch, then the person's own choice, win.
    chosen = request.POST.get("lang") or request.GET.get("lang") or ""
    if chosen in UI_LANGUAGES:
        return chosen
    return contact.preferred_language if contact.preferred_language in UI_LANGUAGES else "fr"


def _page(
    request: HttpRequest, contact: Contact, template: str, ctx: dict[str, Any], status: int = 200
) -> HttpResponse:
    lang = _language(request, contact)
    with translation.override(lang):
        response = render(
            request,
            template,
            {"org": contact.org, "contact": contact, "lang": lang, "path": request.path, **ctx},
            status=status,
        )
    response["Content-Language"] = lang
    # The link is the person's key: keep it out of search engines and other sites' logs.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _back(request: HttpRequest, contact: Contact, token: str, done: str) -> HttpResponse:
    query = urlencode({"lang": _language(request, contact), "done": done})
    return redirect(f"{reverse('contacts_public:preferences', args=[token])}?{query}")


@never_cache
@require_http_methods(["GET", "POST"])
def preferences_page(request: HttpRequest, token: str) -> HttpResponse:
    contact = _contact(token)
    if request.method == "POST":
        form = PreferenceForm(request.POST, contact=contact)
        if form.is_valid():
            data = form.cleaned_data
            preferences.update(
                contact,
                beats=list(data["beats"]),
                language=data["language"],
                fmt=data["fmt"],
                out_of_office_until=data["out_of_office_until"],
            )
            return _back(request, contact, token, "saved")
        status = 400
    else:
        initial = {
            "beats": list(contact.beats.all()),
            "language": contact.preferred_language,
            "fmt": contact.preferred_format,
            "out_of_office_until": contact.out_of_office_until,
        }
        form = PreferenceForm(initial=initial, contact=contact)
        status = 200
    ctx = {
        "form": form,
        "token": token,
        "opted_out": bool(preferences.opted_out_entries(contact)),
        "done": request.GET.get("done", ""),
    }
    return _page(request, contact, "contacts/preferences_page.html", ctx, status)


@never_cache
@require_POST
def never_contact(request: HttpRequest, token: str) -> HttpResponse:
    contact = _contact(token)
    preferences.opt_out_everywhere(contact, OptOutReason.NEVER_CONTACT)
    return _back(request, contact, token, "never")


@never_cache
@require_POST
def hear_again(request: HttpRequest, token: str) -> HttpResponse:
    contact = _contact(token)
    preferences.lift(contact)
    return _back(request, contact, token, "lifted")


@never_cache
@require_POST
def keep(request: HttpRequest, token: str) -> HttpResponse:
    contact = _contact(token)
    preferences.confirm_keep(contact)
    return _back(request, contact, token, "kept")


# RFC 8058: mail clients POST `List-Unsubscribe=One-Click` with no cookie, so no CSRF token.
# The only effect is to stop mail, which is what a forged request could at worst ask for too.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    contact = _contact(token)
    ctx: dict[str, Any] = {"token": token}
    if request.method == "POST":
        if request.POST.get("List-Unsubscribe") != "One-Click":
            return HttpResponseBadRequest("List-Unsubscribe=One-Click expected")
        preferences.opt_out_everywhere(contact, OptOutReason.UNSUBSCRIBE)
        ctx["done"] = True
    return _page(request, contact, "contacts/optout_unsubscribe.html", ctx)
