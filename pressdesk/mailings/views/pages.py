"""Pages: the mailings list, the pre-send check, the live progress page and the buttons that move
a mailing (send, schedule, pause, resume, cancel, confirm a held send). The results page and the
decision on "unknown" rows are in results.py. Every change goes through services.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.http import urlencode
from django.utils.timezone import localtime, now
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from pressdesk.accounts.access import OrgRequest, org_object, org_view
from pressdesk.accounts.roles import can
from pressdesk.contacts.models import Contact
from pressdesk.mailings import ledger, services
from pressdesk.mailings.errors import MailingError
from pressdesk.mailings.models import Exclusion, Mailing
from pressdesk.mailings.models.ledger import ExclusionReason, Outcome
from pressdesk.mailings.models.mailing import MailingKind, MailingState
from pressdesk.mailings.views import results
from pressdesk.releases.embargo import EmbargoError, to_instant

PER_PAGE = 50
# States in the order a press officer thinks of them, in the words of the badges (_state.html);
# each is a tab of the list.
LIST_STATES = [
    (MailingState.DRAFT, pgettext_lazy("mailing state", "Draft")),
    (MailingState.SCHEDULED, pgettext_lazy("mailing state", "Scheduled")),
    (MailingState.HELD, pgettext_lazy("mailing state", "Held: confirm to send")),
    (MailingState.SENDING, pgettext_lazy("mailing state", "Sending")),
    (MailingState.PAUSED, pgettext_lazy("mailing state", "Paused")),
    (MailingState.SENT, pgettext_lazy("mailing state", "Sent")),
    (MailingState.CANCELLED, pgettext_lazy("mailing state", "Cancelled")),
]
# States whose page is the progress page; it polls only while sending (a pause or a schedule
# changes by a person's hand or hours later, not every two seconds).
MOVING = {MailingState.SENDING, MailingState.PAUSED, MailingState.SCHEDULED}
POLLING = {MailingState.SENDING}
BEFORE_SENDING = {MailingState.DRAFT, MailingState.SCHEDULED, MailingState.HELD}
# Names shown per reason in the pre-send check; the counts are always complete.
NAMES_SHOWN = 200


class ScheduleForm(forms.Form):
    day = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    at = forms.TimeField(
        label=gettext_lazy("Time"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def instant_parts(self) -> tuple[date, time]:
        """The date and wall time entered, in the organisation's time zone."""
        data: dict[str, Any] = self.cleaned_data
        return data["day"], data["at"]


def mailing_or_404(request: OrgRequest, mailing_id: int) -> Mailing:
    """The organisation's mailing with this id, else 404."""
    return org_object(request, Mailing.objects.select_related("release"), mailing_id)


def with_counts(mailings: QuerySet[Mailing]) -> QuerySet[Mailing]:
    """Mailings with how many people each reaches, how many were sent and how many replied."""
    return mailings.annotate(
        n_recipients=Count("recipients", distinct=True),
        n_sent=Count("recipients", filter=Q(recipients__outcome=Outcome.SENT), distinct=True),
        n_replied=Count(
            "recipients", filter=Q(recipients__replied_at__isnull=False), distinct=True
        ),
    )


@org_view("read")
def mailing_list(request: OrgRequest) -> HttpResponse:
    org = request.org
    state = request.GET.get("state", "")
    mailings = Mailing.objects.for_org(org)
    by_state = dict(
        mailings.order_by().values_list("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    if state in MailingState.values:
        mailings = mailings.filter(state=state)
    else:
        state = ""
    page = Paginator(
        with_counts(mailings.select_related("release")).order_by("-created", "-pk"), PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "mailings/pages/list.html",
        {
            "page": page,
            "state": state,
            "state_query": urlencode({"state": state}) if state else "",
            "tabs": [(value, label, by_state.get(value, 0)) for value, label in LIST_STATES],
            "total": sum(by_state.values()),
            "can_compose": can(request.membership.role, "edit"),
        },
    )


@org_view("read")
def mailing_page(request: OrgRequest, mailing_id: int) -> HttpResponse:
    """A mailing's own address: the page that matters in its state."""
    mailing = mailing_or_404(request, mailing_id)
    if mailing.state in BEFORE_SENDING:
        name = "mailings:check"
    elif mailing.state in MOVING:
        name = "mailings:progress"
    else:
        name = "mailings:results"
    return redirect(name, org_slug=request.org.slug, mailing_id=mailing.pk)


def release_blocks(mailing: Mailing) -> str:
    """Why this mailing cannot be sent yet because of its release, or an empty string."""
    if mailing.kind != MailingKind.RELEASE or mailing.release is None:
        return ""
    if services.release_approved(mailing.release):
        return ""
    return _("The release “%(title)s” is not approved yet: it can be sent once it is.") % {
        "title": mailing.release.title
    }


def excluded_people(mailing: Mailing) -> list[dict[str, Any]]:
    """Who is left out, by reason: the count and the first names, for the check page."""
    if mailing.frozen_at is not None:
        rows = list(
            Exclusion.objects.for_org(mailing.org_id)
            .filter(mailing=mailing)
            .values_list("contact_id", "reason")
        )
    else:
        # The engine's own resolution, so the names agree with the counts of ledger.plan().
        rows = [(pk, str(reason)) for pk, reason in ledger._resolve(mailing).excluded]
    by_reason: dict[str, list[int]] = {}
    for pk, reason in rows:
        by_reason.setdefault(reason, []).append(pk)
    shown = [pk for ids in by_reason.values() for pk in ids[:NAMES_SHOWN]]
    people = Contact.objects.for_org(mailing.org_id).in_bulk(shown)
    return [
        {
            "reason": reason,
            "label": ExclusionReason(reason).label,
            "count": len(by_reason[reason]),
            "people": [people[pk] for pk in by_reason[reason][:NAMES_SHOWN] if pk in people],
            "more": max(0, len(by_reason[reason]) - NAMES_SHOWN),
        }
        for reason in ExclusionReason.values
        if reason in by_reason
    ]


@org_view("read")
def check(request: OrgRequest, mailing_id: int) -> HttpResponse:
    mailing = mailing_or_404(request, mailing_id)
    if mailing.state not in BEFORE_SENDING:
        return redirect("mailings:progress", org_slug=request.org.slug, mailing_id=mailing.pk)
    plan = ledger.plan(mailing)
    blocked = release_blocks(mailing)
    may_send = can(request.membership.role, "send")
    when = localtime(mailing.scheduled_for) if mailing.scheduled_for else localtime()
    return render(
        request,
        "mailings/pages/check.html",
        {
            "mailing": mailing,
            "plan": plan,
            "excluded": excluded_people(mailing),
            "excluded_total": sum(plan.excluded.values()),
            "blocked": blocked,
            "may_send": may_send,
            "ready": may_send and not blocked and plan.recipients > 0,
            "schedule_form": ScheduleForm(
                initial={"day": when.date(), "at": when.replace(minute=0).time()}
            ),
            "zone": request.org.timezone,
        },
    )


@org_view("send", methods=["POST"])
def send(request: OrgRequest, mailing_id: int) -> HttpResponse:
    """Send now, or schedule at the date and time given in the organisation's time zone."""
    mailing = mailing_or_404(request, mailing_id)
    org = request.org
    if request.POST.get("when") == "schedule":
        form = ScheduleForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the date and time of the send."))
            return redirect("mailings:check", org_slug=org.slug, mailing_id=mailing.pk)
        try:
            day, at = form.instant_parts()
            instant = to_instant(day, at, org.timezone)
            if instant <= now():
                # The engine would send at once: a past time is a slip, never a send.
                raise MailingError(_("This time has passed: choose a later one, or send now."))
            services.start(mailing, request.user, at=instant)
        except (MailingError, EmbargoError) as error:
            messages.error(request, str(error))
            return redirect("mailings:check", org_slug=org.slug, mailing_id=mailing.pk)
        messages.success(request, _("Scheduled: the mailing leaves by itself at that time."))
        return redirect("mailings:check", org_slug=org.slug, mailing_id=mailing.pk)
    try:
        services.start(mailing, request.user)
    except MailingError as error:
        messages.error(request, str(error))
        return redirect("mailings:check", org_slug=org.slug, mailing_id=mailing.pk)
    messages.success(request, _("Sending: this page follows it."))
    return redirect("mailings:progress", org_slug=org.slug, mailing_id=mailing.pk)


def progress_context(request: OrgRequest, mailing: Mailing) -> dict[str, Any]:
    """What the progress page and its polled part show."""
    status = services.status(mailing)
    total = status["recipients"] or 0
    # Handled: every row no longer waiting for a worker, whatever became of it.
    done = max(0, total - status["queued"] - status.get("sending", 0))
    role = request.membership.role
    return {
        "mailing": mailing,
        "status": status,
        "percent": 100 * done // total if total else (100 if mailing.frozen_at else 0),
        "done": done,
        "polling": mailing.state in POLLING,
        "may_send": can(role, "send"),
    }


@org_view("read")
def progress(request: OrgRequest, mailing_id: int) -> HttpResponse:
    mailing = mailing_or_404(request, mailing_id)
    context = progress_context(request, mailing)
    if request.headers.get("HX-Request"):
        response = render(request, "mailings/pages/_progress.html", context)
        if not context["polling"]:
            # It has just finished or stopped: the whole page (its heading, its tabs) changes.
            response["HX-Refresh"] = "true"
        return response
    return render(request, "mailings/pages/progress.html", context)


def _move(action: Callable[..., object], done: Any) -> Callable[[OrgRequest, int], HttpResponse]:
    """A POST that moves the mailing, then goes back to its progress page."""

    @org_view("send", methods=["POST"])
    def view(request: OrgRequest, mailing_id: int) -> HttpResponse:
        mailing = mailing_or_404(request, mailing_id)
        try:
            action(mailing, request.user)
        except MailingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, done)
        return redirect("mailings:progress", org_slug=request.org.slug, mailing_id=mailing.pk)

    return view


pause = _move(services.pause, gettext_lazy("Paused: nobody else is mailed until you resume."))
resume = _move(services.resume, gettext_lazy("Resumed: the remaining recipients are being mailed."))


@org_view("send", methods=["GET", "POST"])
def cancel(request: OrgRequest, mailing_id: int) -> HttpResponse:
    """Stop for good, after a page that says who will not be mailed."""
    mailing = mailing_or_404(request, mailing_id)
    if request.method == "POST":
        try:
            services.cancel(mailing, request.user)
        except MailingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Cancelled: nobody else will be mailed."))
        return redirect("mailings:progress", org_slug=request.org.slug, mailing_id=mailing.pk)
    if mailing.state in (MailingState.SENT, MailingState.CANCELLED, MailingState.DRAFT):
        return redirect("mailings:mailing", org_slug=request.org.slug, mailing_id=mailing.pk)
    return render(
        request,
        "mailings/pages/confirm.html",
        {**progress_context(request, mailing), "act": "cancel"},
    )


@org_view("send", methods=["GET", "POST"])
def confirm_held(request: OrgRequest, mailing_id: int) -> HttpResponse:
    """Send a mailing held because its time passed while Pressdesk was down, after a page that
    says how many people it will reach now."""
    mailing = mailing_or_404(request, mailing_id)
    if request.method == "POST":
        try:
            services.confirm_held(mailing, request.user)
        except MailingError as error:
            messages.error(request, str(error))
            return redirect("mailings:check", org_slug=request.org.slug, mailing_id=mailing.pk)
        messages.success(request, _("Sending: this page follows it."))
        return redirect("mailings:progress", org_slug=request.org.slug, mailing_id=mailing.pk)
    if mailing.state != MailingState.HELD:
        return redirect("mailings:mailing", org_slug=request.org.slug, mailing_id=mailing.pk)
    return render(
        request,
        "mailings/pages/confirm.html",
        {
            "mailing": mailing,
            "act": "confirm_held",
            "plan": ledger.plan(mailing),
            "blocked": release_blocks(mailing),
        },
    )


urlpatterns: list[URLPattern] = [
    path("", mailing_list, name="list"),
    path("<int:mailing_id>/", mailing_page, name="mailing"),
    path("<int:mailing_id>/check/", check, name="check"),
    path("<int:mailing_id>/send/", send, name="send"),
    path("<int:mailing_id>/progress/", progress, name="progress"),
    path("<int:mailing_id>/pause/", pause, name="pause"),
    path("<int:mailing_id>/resume/", resume, name="resume"),
    path("<int:mailing_id>/cancel/", cancel, name="cancel"),
    path("<int:mailing_id>/confirm/", confirm_held, name="confirm_held"),
    *results.urlpatterns,
]
