"""Archive search with the watch-query language, and its streaming CSV export (audited)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _

from pressdesk.accounts import audit
from pressdesk.accounts.access import OrgRequest, org_view
from pressdesk.accounts.roles import can
from pressdesk.contacts.exporting import csv_chunks
from pressdesk.monitoring.views.queries import syntax_message

RESULTS = 50


def _day(value: str, *, end: bool = False) -> datetime | None:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    if end:
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time.min))


def _criteria(data: Any) -> dict[str, Any]:
    return {
        "q": data.get("q", "").strip(),
        "since": data.get("since", ""),
        "until": data.get("until", ""),
    }


@org_view("read")
def archive_search(request: OrgRequest) -> HttpResponse:
    from pressdesk.monitoring import archive
    from pressdesk.monitoring.query import QuerySyntaxError

    criteria = _criteria(request.GET)
    context: dict[str, Any] = {
        **criteria,
        "can_export": can(request.membership.role, "export"),
    }
    if criteria["q"]:
        try:
            context["hits"] = list(
                archive.search(
                    request.org,
                    criteria["q"],
                    since=_day(criteria["since"]),
                    until=_day(criteria["until"], end=True),
                    limit=RESULTS,
                )
            )
        except QuerySyntaxError as exc:
            context["error"] = syntax_message(exc)
    return render(request, "monitoring/archive.html", context)


def export_rows(hits: Iterator[Any]) -> Iterator[list[str]]:
    """The CSV table: a header, then one row per article (what the licence lets us keep)."""
    yield [
        _("Headline"),
        _("Outlet"),
        _("Author"),
        _("Published"),
        _("Language"),
        _("Link"),
        _("Extract"),
        _("Matched"),
    ]
    for hit in hits:
        item = hit.item
        yield [
            item.title,
            item.outlet.name if item.outlet else "",
            item.author,
            item.published.isoformat() if item.published else "",
            item.language,
            item.link,
            item.extract,
            hit.explanation,
        ]


@org_view("export", methods=["POST"])
def archive_export(request: OrgRequest) -> HttpResponse:
    from pressdesk.monitoring import archive
    from pressdesk.monitoring.query import QuerySyntaxError, parse

    criteria = _criteria(request.POST)
    try:
        parsed = parse(criteria["q"])
    except QuerySyntaxError as exc:
        return HttpResponse(syntax_message(exc), status=400, content_type="text/plain")
    name = f"{request.org.slug}-archive-{timezone.localdate().isoformat()}.csv"
    audit.record(
        "monitoring.archive_export",
        org=request.org,
        request=request,
        query=criteria["q"],
        since=criteria["since"],
        until=criteria["until"],
        file_name=name,
    )
    hits = archive.search(
        request.org,
        parsed,
        since=_day(criteria["since"]),
        until=_day(criteria["until"], end=True),
    )
    response = StreamingHttpResponse(
        csv_chunks(export_rows(hits)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return cast(HttpResponse, response)


urlpatterns: list[URLPattern] = [
    path("archive/", archive_search, name="archive"),
    path("archive/export.csv", archive_export, name="archive_export"),
]
