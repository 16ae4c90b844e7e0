"""Alert settings: each member chooses, per watch query (or for all), instant alerts, a daily
digest at a chosen time, and spike alerts."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pressdesk.accounts.access import OrgRequest, org_object, org_view
from pressdesk.monitoring.models import AlertRule, WatchQuery


class AlertForm(forms.Form):
    query = forms.ModelChoiceField(
        label=gettext_lazy("Watch query"),
        queryset=WatchQuery.objects.none(),
        required=False,
        empty_label=gettext_lazy("Every query"),
    )
    instant = forms.BooleanField(label=gettext_lazy("Instant alert"), required=False)
    digest = forms.BooleanField(label=gettext_lazy("Daily digest"), required=False, initial=True)
    digest_time = forms.TimeField(
        label=gettext_lazy("Digest time"),
        initial="08:00",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    spike = forms.BooleanField(label=gettext_lazy("Spike alert"), required=False)

    def __init__(self, org: object, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["query"]
        field.queryset = WatchQuery.objects.for_org(org).order_by("name")  # type: ignore[attr-defined,arg-type]


@org_view("read", methods=["GET", "POST"])
def alert_settings(request: OrgRequest) -> HttpResponse:
    # Alerts are one's own: any member, a viewer too, may choose what to receive.
    form = AlertForm(request.org, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        AlertRule.objects.for_org(request.org).update_or_create(
            user=request.user,
            query=data["query"],
            defaults={
                "instant": data["instant"],
                "digest": data["digest"],
                "digest_time": data["digest_time"],
                "spike": data["spike"],
            },
        )
        messages.success(request, _("Alert saved."))
        return redirect("monitoring:alerts", org_slug=request.org.slug)
    rules = (
        AlertRule.objects.for_org(request.org)
        .filter(user=request.user)
        .select_related("query")
        .order_by("query__name")
    )
    return render(
        request,
        "monitoring/alerts.html",
        {"form": form, "rules": rules},
        status=400 if request.method == "POST" else 200,
    )


@org_view("read", methods=["POST"])
def alert_delete(request: OrgRequest, rule_id: int) -> HttpResponse:
    rule = org_object(request, AlertRule, rule_id, user=request.user)
    rule.delete()
    messages.success(request, _("Alert removed."))
    return redirect("monitoring:alerts", org_slug=request.org.slug)


urlpatterns: list[URLPattern] = [
    path("alerts/", alert_settings, name="alerts"),
    path("alerts/<int:rule_id>/delete/", alert_delete, name="alert_delete"),
]
