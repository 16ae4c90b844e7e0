"""Pages: each recipient's result with filters (delivered, bounced, replied…), and the operator's
decision on rows whose fate is unknown (count them sent, or send again), after a confirmation."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext, pgettext_lazy

from pressdesk.accounts.access import OrgRequest, org_object, org_view
from pressdesk.accounts.roles import can
from pressdesk.mailings import services
from pressdesk.mailings.errors import MailingError
from pressdesk.mailings.models import Exclusion, Mailing, Recipient
from pressdesk.mailings.models.ledger import Bounce, Outcome
from pressdesk.work.models import WorkState

PER_PAGE = 50
EXCLUDED = "excluded"
UNKNOWN = "unknown"
# Each filter of the results page: (key, label, which ledger rows).
FILTERS: list[tuple[str, Any, Q]] = [
    (
        "delivered",
        pgettext_lazy("recipient result", "Delivered"),
        Q(outcome=Outcome.SENT, bounce=Bounce.NONE),
    ),
    ("bounced_hard", pgettext_lazy("recipient result", "Hard bounce"), Q(bounce=Bounce.HARD)),
    ("bounced_soft", pgettext_lazy("recipient result", "Soft bounce"), Q(bounce=Bounce.SOFT)),
    ("replied", pgettext_lazy("recipient result", "Replied"), Q(replied_at__isnull=False)),
    ("clicked", pgettext_lazy("recipient result", "Clicked a link"), Q(clicked_at__isnull=False)),
    (
        "unsubscribed",
        pgettext_lazy("recipient result", "Unsubscribed"),
        Q(unsubscribed_at__isnull=False),
    ),
    (
        "failed",
        pgettext_lazy("recipient result", "Refused by the server"),
        Q(outcome=Outcome.FAILED),
    ),
    (UNKNOWN, pgettext_lazy("recipient result", "Unknown"), Q(state=WorkState.INTERRUPTED)),
    (
        "queued",
        pgettext_lazy("recipient result", "Waiting"),
        Q(outcome__in=[Outcome.QUEUED, Outcome.SENDING]) & ~Q(state=WorkState.INTERRUPTED),
    ),
    (
        "skipped",
        pgettext_lazy("recipient result", "Not sent (opted out meanwhile)"),
        Q(outcome=Outcome.SKIPPED),
    ),
    ("cancelled", pgettext_lazy("recipient result", "Cancelled"), Q(outcome=Outcome.CANCELLED)),
]
WHERE = {key: where for key, _label, where in FILTERS}


def _mailing(request: OrgRequest, mailing_id: int) -> Mailing:
    return org_object(request, Mailing.objects.select_related("release"), mailing_id)


def ledger_rows(mailing: Mailing) -> QuerySet[Recipient]:
    """The mailing's ledger, scoped to its organisation."""
    return Recipient.objects.for_org(mailing.org_id).filter(mailing=mailing)


def filter_counts(mailing: Mailing) -> dict[str, int]:
    """How many rows each filter shows, in one query, and how many people were left out."""
    counts: dict[str, int] = ledger_rows(mailing).aggregate(
        all=Count("pk"), **{key: Count("pk", filter=where) for key, where in WHERE.items()}
    )
    counts[EXCLUDED] = Exclusion.objects.for_org(mailing.org_id).filter(mailing=mailing).count()
    return counts


def row_state(row: Recipient) -> str:
    """What happened to this person's message, in words."""
    if row.state == WorkState.INTERRUPTED:
        return _("Unknown: the worker stopped while handing it to the server")
    if row.bounce == Bounce.HARD:
        return pgettext("recipient result", "Hard bounce")
    if row.bounce == Bounce.SOFT:
        return pgettext("recipient result", "Soft bounce")
    if row.outcome == Outcome.SENT:
        return _("Delivered to the mail server")
    if row.outcome in (Outcome.QUEUED, Outcome.SENDING):
        return pgettext("recipient result", "Waiting")
    return str(Outcome(row.outcome).label)


@org_view("read")
def recipient_results(request: OrgRequest, mailing_id: int) -> HttpResponse:
    mailing = _mailing(request, mailing_id)
    show = request.GET.get("show", "")
    if show not in WHERE and show != EXCLUDED:
        show = ""
    rows: QuerySet[Any]
    if show == EXCLUDED:
        rows = (
            Exclusion.objects.for_org(mailing.org_id)
            .filter(mailing=mailing)
            .select_related("contact")
            .order_by("contact__last_name", "contact__first_name", "pk")
        )
    else:
        rows = ledger_rows(mailing).select_related("contact").order_by("name", "pk")
        if show:
            rows = rows.filter(WHERE[show])
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    if show != EXCLUDED:
        recipients = cast(list[Recipient], list(page.object_list))
        for row in recipients:
            row.shown_state = row_state(row)  # type: ignore[attr-defined]
    counts = filter_counts(mailing)
    return render(
        request,
        "mailings/pages/results.html",
        {
            "mailing": mailing,
            "page": page,
            "show": show,
            "show_query": urlencode({"show": show}) if show else "",
            "filters": [(key, label, counts[key]) for key, label, _where in FILTERS],
            "counts": counts,
            "excluded_view": show == EXCLUDED,
            "may_decide": can(request.membership.role, "send") and counts[UNKNOWN] > 0,
        },
    )


@org_view("send", methods=["POST"])
def decide_unknown(request: OrgRequest, mailing_id: int) -> HttpResponse:
    """Count unknown rows as sent, or send them again: first a page that names who is concerned,
    then, once confirmed, the service."""
    mailing = _mailing(request, mailing_id)
    back = redirect(f"{_results_url(request, mailing)}?{urlencode({'show': UNKNOWN})}")
    decision = request.POST.get("decision", "")
    if decision not in ("sent", "resend"):
        messages.error(request, _("Choose: count them as sent, or send them again."))
        return back
    unknown = ledger_rows(mailing).filter(WHERE[UNKNOWN])
    wanted = [int(v) for v in request.POST.getlist("recipient") if v.isdigit()]
    if wanted:
        unknown = unknown.filter(pk__in=wanted)
    chosen = list(unknown.order_by("name", "pk"))
    if not chosen:
        messages.error(request, _("No row with an unknown fate is left to decide."))
        return back
    if request.POST.get("confirmed") != "1":
        return render(
            request,
            "mailings/pages/unknown_confirm.html",
            {"mailing": mailing, "rows": chosen, "decision": decision},
        )
    try:
        count = services.resolve_unknown(
            mailing, request.user, [row.pk for row in chosen], resend=decision == "resend"
        )
    except MailingError as error:
        messages.error(request, str(error))
        return back
    if decision == "resend":
        text = ngettext(
            "%(count)s message will be sent again.", "%(count)s messages will be sent again.", count
        )
    else:
        text = ngettext(
            "%(count)s message counted as sent.", "%(count)s messages counted as sent.", count
        )
    messages.success(request, text % {"count": count})
    return back


def _results_url(request: OrgRequest, mailing: Mailing) -> str:
    return reverse(
        "mailings:results", kwargs={"org_slug": request.org.slug, "mailing_id": mailing.pk}
    )


urlpatterns: list[URLPattern] = [
    path("<int:mailing_id>/results/", recipient_results, name="results"),
    path("<int:mailing_id>/unknown/", decide_unknown, name="unknown"),
]
