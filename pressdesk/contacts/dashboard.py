"""The press file at a glance, for the organisation's dashboard: counts, additions over time,
opt-outs, duplicates waiting, retention falling due and the last imports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format

from pressdesk.accounts.access import OrgRequest
from pressdesk.accounts.models import Organisation
from pressdesk.accounts.roles import can
from pressdesk.contacts import retention
from pressdesk.contacts.models import Contact, ImportJob, MergeSuggestion, OptOut, Outlet

MONTHS = 12
SOON_DAYS = 90  # "falls due soon": the 3-year limit is reached within this many days
LAST_IMPORTS = 5
# The chart's drawing box, in SVG units; the page scales it to the card's width.
CHART_WIDTH, CHART_HEIGHT, BAR_GAP = 240, 60, 4


@dataclass(frozen=True)
class Bar:
    """One month of the additions chart, with its place in the SVG."""

    month: date
    label: str
    count: int
    x: float
    y: float
    width: float
    height: float


def _month_starts(today: date, months: int) -> list[date]:
    first = today.replace(day=1)
    starts = []
    for _i in range(months):
        starts.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return starts[::-1]


def additions(org: Organisation, now: datetime | None = None, months: int = MONTHS) -> list[Bar]:
    """Contacts added per month over the last `months` months, as bars of a small chart."""
    zone = ZoneInfo(org.timezone)
    today = timezone.localtime(now or timezone.now(), zone).date()
    starts = _month_starts(today, months)
    since = datetime(starts[0].year, starts[0].month, 1, tzinfo=zone)
    rows = (
        Contact.objects.for_org(org)
        .filter(created__gte=since)
        .annotate(month=TruncMonth("created", tzinfo=zone))
        .values("month")
        .annotate(n=Count("id"))
    )
    counts = {
        row["month"].date() if isinstance(row["month"], datetime) else row["month"]: row["n"]
        for row in rows
    }
    highest = max(counts.values(), default=0) or 1
    slot = CHART_WIDTH / months
    bars = []
    for i, start in enumerate(starts):
        n = counts.get(start, 0)
        # A month with additions shows at least a sliver, so that "few" never reads as "none".
        height = 0.0 if n == 0 else max(2.0, CHART_HEIGHT * n / highest)
        bars.append(
            Bar(
                month=start,
                label=date_format(start, "YEAR_MONTH_FORMAT"),
                count=n,
                x=round(i * slot + BAR_GAP / 2, 2),
                y=round(CHART_HEIGHT - height, 2),
                width=round(slot - BAR_GAP, 2),
                height=round(height, 2),
            )
        )
    return bars


def retention_due(org: Organisation, now: datetime | None = None) -> tuple[int, int]:
    """Contacts past the 3-year limit now, and those reaching it within SOON_DAYS."""
    now = now or timezone.now()
    due = retention.stale(org, now).count()
    soon = retention.stale(org, now + timedelta(days=SOON_DAYS)).count() - due
    return due, max(0, soon)


def glance(org: Organisation) -> dict[str, Any]:
    """Every figure of the card, for one organisation."""
    due, soon = retention_due(org)
    bars = additions(org)
    return {
        "contacts": Contact.objects.for_org(org).count(),
        "outlets": Outlet.objects.for_org(org).count(),
        "optouts": OptOut.objects.for_org(org).count(),
        "duplicates": MergeSuggestion.objects.for_org(org)
        .filter(status=MergeSuggestion.PENDING)
        .count(),
        "retention_due": due,
        "retention_soon": soon,
        "soon_days": SOON_DAYS,
        "bars": bars,
        "added_total": sum(b.count for b in bars),
        "chart_width": CHART_WIDTH,
        "chart_height": CHART_HEIGHT,
        "imports": list(ImportJob.objects.for_org(org).select_related("created_by")[:LAST_IMPORTS]),
    }


def card(request: OrgRequest) -> dict[str, Any]:
    """The dashboard card's context: the figures, and which pages this member may open."""
    role = request.membership.role
    return {**glance(request.org), "can_edit": can(role, "edit")}
