"""Monitoring settings: the licence declared (what is stored of each article) and the languages
watched. Everyone may read them; directors change them, since the licence is a legal statement."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pressdesk.accounts.access import OrgRequest, org_view
from pressdesk.accounts.roles import can
from pressdesk.monitoring import configuring
from pressdesk.monitoring.models import Item, Licence


class SettingsForm(forms.Form):
    licence = forms.ChoiceField(
        label=gettext_lazy("What Pressdesk keeps of each article"),
        choices=Licence.choices,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Without a licence, only the link, headline, outlet, author, date, a short extract "
            "and the feed’s summary are kept. Keep full texts only if your organisation holds a "
            "press-review licence that allows it."
        ),
    )
    licence_notice = forms.CharField(
        label=gettext_lazy("Licence reference"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("The contract’s name or number, shown in the archive."),
    )
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Languages watched"),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Articles are tagged with one of these languages; fewer languages, surer tagging."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = configuring.language_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("licence") in (Licence.CFC, Licence.OTHER) and not data.get("licence_notice"):
            self.add_error("licence_notice", _("Say which licence allows keeping full texts."))
        return data


@org_view("read", methods=["GET", "POST"])
def monitoring_settings(request: OrgRequest) -> HttpResponse:
    current = configuring.current(request.org)
    may_change = can(request.membership.role, "approve")
    if request.method == "POST" and not may_change:
        return HttpResponse(_("Only a director may change the monitoring settings."), status=403)
    form = SettingsForm(
        request.POST or None,
        initial={
            "licence": current.licence,
            "licence_notice": current.licence_notice,
            "languages": current.allowed_languages,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        dropped = configuring.save(
            request.org,
            licence=data["licence"],
            licence_notice=data["licence_notice"],
            languages=data["languages"],
            user=request.user,
            request=request,
        )
        messages.success(request, _("Monitoring settings saved."))
        if dropped:
            messages.info(
                request,
                ngettext(
                    "%(count)s full text kept under the licence was erased.",
                    "%(count)s full texts kept under the licence were erased.",
                    dropped,
                )
                % {"count": dropped},
            )
        return redirect("monitoring:settings", org_slug=request.org.slug)
    kept = Item.objects.for_org(request.org).filter(full_text_kept=True).count()
    return render(
        request,
        "monitoring/settings.html",
        {"form": form, "current": current, "may_change": may_change, "full_texts": kept},
        status=400 if request.method == "POST" else 200,
    )


urlpatterns: list[URLPattern] = [
    path("settings/", monitoring_settings, name="settings"),
]
