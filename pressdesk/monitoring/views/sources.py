"""Sources: the list with each one's health, adding one, and "poll now"."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pressdesk.accounts.access import OrgRequest, org_object, org_view
from pressdesk.accounts.roles import can
from pressdesk.contacts.models import Outlet
from pressdesk.monitoring import polling, sources
from pressdesk.monitoring.models import Health, Source, SourceKind


class SourceForm(forms.Form):
    url = forms.CharField(
        label=gettext_lazy("Address of the feed, sitemap or page"), max_length=2000
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[("", gettext_lazy("Guess from the address")), *SourceKind.choices],
        required=False,
    )
    outlet = forms.ModelChoiceField(
        label=gettext_lazy("Outlet"), queryset=Outlet.objects.none(), required=False
    )

    def __init__(self, org: object, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["outlet"].queryset = Outlet.objects.for_org(org).order_by("name")  # type: ignore[attr-defined,arg-type]


@org_view("read", methods=["GET", "POST"])
def source_list(request: OrgRequest) -> HttpResponse:
    form = SourceForm(request.org, request.POST or None)
    if request.method == "POST":
        if not can(request.membership.role, "edit"):
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                _source, created = sources.add(
                    request.org,
                    form.cleaned_data["url"],
                    outlet=form.cleaned_data["outlet"],
                    kind=form.cleaned_data["kind"],
                    user=request.user,
                )
            except sources.SourceRefused as exc:
                form.add_error("url", _("Refused: %(reason)s") % {"reason": exc.reason})
            else:
                messages.success(
                    request, _("Source added.") if created else _("This source is watched already.")
                )
                return redirect("monitoring:sources", org_slug=request.org.slug)
    rows = Source.objects.for_org(request.org).select_related("outlet").order_by("title", "url")
    return render(
        request,
        "monitoring/source_list.html",
        {
            "sources": rows,
            "form": form,
            "can_edit": can(request.membership.role, "edit"),
            "failing": rows.filter(health__in=[Health.FAILING, Health.SILENT]).count(),
        },
        status=400 if request.method == "POST" else 200,
    )


@org_view("edit", methods=["POST"])
def source_poll_now(request: OrgRequest, source_id: int) -> HttpResponse:
    source = org_object(request, Source, source_id)
    polling.poll_now(source)
    messages.success(request, _("The source will be polled as soon as a worker is free."))
    return redirect("monitoring:sources", org_slug=request.org.slug)


urlpatterns: list[URLPattern] = [
    path("sources/", source_list, name="sources"),
    path("sources/<int:source_id>/poll/", source_poll_now, name="source_poll"),
]
