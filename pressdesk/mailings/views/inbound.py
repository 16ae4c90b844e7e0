"""Mailings pages: what came back (corrections to review) and the follow-up steps of a mailing."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pressdesk.accounts.access import OrgRequest, org_object, org_view
from pressdesk.accounts.roles import can
from pressdesk.mailings import corrections, followups
from pressdesk.mailings.errors import MailingError
from pressdesk.mailings.models import ContactCorrection, FollowUp, Mailing


@org_view("edit")
def correction_list(request: OrgRequest) -> HttpResponse:
    """The corrections bounces and automatic replies propose, for a person to accept or reject."""
    page = Paginator(corrections.pending(request.org), 50).get_page(request.GET.get("page"))
    return render(request, "mailings/inbound/corrections.html", {"page": page})


def _decide(request: OrgRequest, correction_id: int, accept: bool) -> HttpResponse:
    correction = org_object(
        request,
        ContactCorrection.objects.select_related("contact", "event__mailing"),
        correction_id,
    )
    try:
        if accept:
            contact = corrections.accept(correction, request.user, request=request)
            messages.success(request, _("%(name)s was updated.") % {"name": contact})
        else:
            corrections.reject(correction, request.user, request=request)
            messages.success(request, _("The proposal was rejected; nothing was changed."))
    except MailingError as exc:
        messages.error(request, str(exc))
    return redirect("mailings:corrections", org_slug=request.org.slug)


@org_view("edit", methods=["POST"])
def correction_accept(request: OrgRequest, correction_id: int) -> HttpResponse:
    """Apply a proposed correction to its contact."""
    return _decide(request, correction_id, accept=True)


@org_view("edit", methods=["POST"])
def correction_reject(request: OrgRequest, correction_id: int) -> HttpResponse:
    """Close a proposed correction without changing the contact."""
    return _decide(request, correction_id, accept=False)


class StepForm(forms.Form):
    """One follow-up step: when, and what it says."""

    after_days = forms.IntegerField(
        label=gettext_lazy("Days after the mailing"),
        min_value=1,
        max_value=followups.MAX_AFTER_DAYS,
        initial=3,
    )
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=300)
    body = forms.CharField(label=gettext_lazy("Message"), widget=forms.Textarea(attrs={"rows": 5}))


def _steps_context(request: OrgRequest, mailing: Mailing, form: StepForm) -> dict[str, object]:
    rows = []
    for step in followups.steps(mailing).select_related("sent_as"):
        waiting = step.sent_as_id is None and not step.cancelled
        rows.append(
            {
                "step": step,
                "waiting": waiting,
                "who": followups.audience(step) if waiting else None,
                "form": StepForm(
                    initial={
                        "after_days": step.after_days,
                        "subject": step.subject,
                        "body": step.body,
                    },
                    prefix=f"s{step.pk}",
                ),
            }
        )
    return {
        "mailing": mailing,
        "rows": rows,
        "form": form,
        "can_send": can(request.membership.role, "send"),
    }


@org_view(None, methods=["GET", "POST"])
def followup_steps(request: OrgRequest, mailing_id: int) -> HttpResponse:
    """A mailing's follow-up steps: add one, see who each would reach."""
    mailing = org_object(request, Mailing, mailing_id)
    form = StepForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can(request.membership.role, "send"):
            raise PermissionDenied
        if form.is_valid():
            try:
                followups.add_step(mailing, request.user, **form.cleaned_data)
            except MailingError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("The follow-up was added."))
                return redirect(
                    "mailings:followups", org_slug=request.org.slug, mailing_id=mailing.pk
                )
    return render(
        request, "mailings/inbound/followups.html", _steps_context(request, mailing, form)
    )


def _step(request: OrgRequest, mailing_id: int, step_id: int) -> FollowUp:
    if not can(request.membership.role, "send"):
        raise PermissionDenied
    return org_object(
        request, FollowUp.objects.select_related("mailing"), step_id, mailing_id=mailing_id
    )


@org_view("edit", methods=["POST"])
def followup_update(request: OrgRequest, mailing_id: int, step_id: int) -> HttpResponse:
    """Change a step that has not gone out."""
    step = _step(request, mailing_id, step_id)
    form = StepForm(request.POST, prefix=f"s{step.pk}")
    if not form.is_valid():
        messages.error(request, _("Check the follow-up: every field is needed."))
    else:
        try:
            followups.update_step(step, request.user, **form.cleaned_data)
        except MailingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The follow-up was changed."))
    return redirect("mailings:followups", org_slug=request.org.slug, mailing_id=mailing_id)


@org_view("edit", methods=["POST"])
def followup_cancel(request: OrgRequest, mailing_id: int, step_id: int) -> HttpResponse:
    """Stop a step that has not gone out."""
    step = _step(request, mailing_id, step_id)
    try:
        followups.cancel_step(step, request.user)
    except MailingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The follow-up was cancelled."))
    return redirect("mailings:followups", org_slug=request.org.slug, mailing_id=mailing_id)


urlpatterns: list[URLPattern] = [
    path("corrections/", correction_list, name="corrections"),
    path("corrections/<int:correction_id>/accept/", correction_accept, name="correction_accept"),
    path("corrections/<int:correction_id>/reject/", correction_reject, name="correction_reject"),
    path("<int:mailing_id>/follow-ups/", followup_steps, name="followups"),
    path("<int:mailing_id>/follow-ups/<int:step_id>/", followup_update, name="followup_update"),
    path(
        "<int:mailing_id>/follow-ups/<int:step_id>/cancel/",
        followup_cancel,
        name="followup_cancel",
    ),
]
