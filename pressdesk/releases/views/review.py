"""Pages: the review chain (submit, sign off or request changes on the exact version shown) and
a director's publish, schedule and withdraw. The review page is made for a phone."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from pressdesk.accounts.access import OrgRequest, org_view
from pressdesk.accounts.roles import can
from pressdesk.releases import approval, diffing, embargo
from pressdesk.releases.editor_forms import DecisionForm, ScheduleForm, WithdrawForm
from pressdesk.releases.models import Release, ReleaseVersion, ReviewDecision
from pressdesk.releases.rendering import render_release_html
from pressdesk.releases.states import NotAllowed, ReleaseError, effective_state
from pressdesk.releases.views.editor import release_or_404, voided_approvals


def last_approved(release: Release) -> ReleaseVersion | None:
    """The latest earlier version a reviewer signed off (the reviewer reads what changed since)."""
    current = release.current_version
    if current is None:
        return None
    signed = (
        ReviewDecision.objects.filter(
            release=release, decision=ReviewDecision.APPROVED, version__number__lt=current.number
        )
        .select_related("version")
        .order_by("-version__number")
        .first()
    )
    return signed.version if signed else None


def _back(request: OrgRequest, release: Release) -> HttpResponse:
    return redirect("releases:review", org_slug=request.org.slug, release_id=release.pk)


@org_view("read")
def review(request: OrgRequest, release_id: int) -> HttpResponse:
    release = release_or_404(request, release_id)
    version = release.current_version
    since = last_approved(release)
    step = approval.next_step(release)
    zone_now = localtime()
    return render(
        request,
        "releases/review.html",
        {
            "release": release,
            "version": version,
            "shown_state": effective_state(release),
            "preview": render_release_html(version, embargo_notice=True) if version else "",
            "since": since,
            "diff": diffing.versions_diff(since, version) if since and version else [],
            "progress": approval.progress(release),
            "step": step,
            "voided": voided_approvals(release),
            "can_decide": approval.may_decide(request.membership, release),
            "can_direct": can(request.membership.role, "approve"),
            "decision_form": DecisionForm(initial={"version": version.pk if version else 0}),
            "schedule_form": ScheduleForm(
                initial={"day": zone_now.date(), "at": zone_now.replace(minute=0).time()}
            ),
            "withdraw_form": WithdrawForm(),
            "zone": request.org.timezone,
        },
    )


def _act(request: OrgRequest, release: Release, action: object) -> HttpResponse:
    """Run a transition; a refusal by role is a 403, any other refusal a message."""
    try:
        action()  # type: ignore[operator]
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except ReleaseError as error:
        messages.error(request, str(error))
    return _back(request, release)


@org_view("edit", methods=["POST"])
def submit(request: OrgRequest, release_id: int) -> HttpResponse:
    release = release_or_404(request, release_id)

    def act() -> None:
        approval.submit(release, member=request.membership, request=request)
        messages.success(request, _("Submitted for review."))

    return _act(request, release, act)


@org_view("read", methods=["POST"])
def decide(request: OrgRequest, release_id: int) -> HttpResponse:
    release = release_or_404(request, release_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return _back(request, release)
    data = form.cleaned_data

    def act() -> None:
        approval.decide(
            release,
            data["version"],
            data["decision"],
            member=request.membership,
            comment=data["comment"],
            request=request,
        )
        if data["decision"] == ReviewDecision.CHANGES:
            messages.success(request, _("Sent back to the author with your comment."))
        else:
            messages.success(request, _("Signed off."))

    return _act(request, release, act)


@org_view("approve", methods=["POST"])
def publish(request: OrgRequest, release_id: int) -> HttpResponse:
    release = release_or_404(request, release_id)

    def act() -> None:
        embargo.publish_now(release, member=request.membership, request=request)
        messages.success(request, _("Published: the release is public now."))

    return _act(request, release, act)


@org_view("approve", methods=["POST"])
def schedule(request: OrgRequest, release_id: int) -> HttpResponse:
    release = release_or_404(request, release_id)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date and time the embargo ends."))
        return _back(request, release)

    def act() -> None:
        day, at = form.instant_parts()
        instant = embargo.to_instant(day, at, request.org.timezone)
        embargo.schedule(release, instant, member=request.membership, request=request)
        messages.success(request, _("Scheduled: public from the end of the embargo."))

    return _act(request, release, act)


@org_view("approve", methods=["POST"])
def withdraw(request: OrgRequest, release_id: int) -> HttpResponse:
    release = release_or_404(request, release_id)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""

    def act() -> None:
        cancelled = embargo.withdraw(
            release, member=request.membership, reason=reason, request=request
        )
        messages.success(
            request,
            _("Withdrawn. Actions cancelled: %(n)s.") % {"n": cancelled},
        )

    return _act(request, release, act)


urlpatterns: list[URLPattern] = [
    path("<int:release_id>/review/", review, name="review"),
    path("<int:release_id>/submit/", submit, name="submit"),
    path("<int:release_id>/decide/", decide, name="decide"),
    path("<int:release_id>/publish/", publish, name="publish"),
    path("<int:release_id>/schedule/", schedule, name="schedule"),
    path("<int:release_id>/withdraw/", withdraw, name="withdraw"),
]
