"""Archive search with the watch-query language, and its exports (audited): streamed CSV, and
XLSX with real date cells, both safe from formula injection."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _

from pressdesk.accounts import audit
from pressdesk.accounts.access import OrgRequest, org_view
from pressdesk.accounts.roles import can
from pressdesk.contacts.exporting import CONTENT_TYPES, XLSX, csv_chunks, write_xlsx
from pressdesk.lib import locales
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
            page = archive.search_page(
                request.org,
                criteria["q"],
                since=_day(criteria["since"]),
                until=_day(criteria["until"], end=True),
                limit=RESULTS,
            )
            context.update(hits=page.hits, count=page.count, more=page.more)
        except QuerySyntaxError as exc:
            context["error"] = syntax_message(exc)
    return render(request, "monitoring/archive.html", context)


def export_rows(hits: Iterator[Any], *, for_xlsx: bool = False) -> Iterator[list[Any]]:
    """The exported table: a header, then one row per article (what the licence lets us keep).

    In a workbook the publication date is a real date cell (local time, which spreadsheets
    expect); in CSV it is ISO 8601 text.
    """
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
        published: Any = ""
        if item.published:
            published = (
                timezone.make_naive(item.published) if for_xlsx else item.published.isoformat()
            )
        yield [
            item.title,
            item.outlet.name if item.outlet else "",
            item.author,
            published,
            locales.language_name(item.language) if item.language else "",
            item.link,
            item.extract,
            hit.explanation,
        ]


@org_view("export", methods=["POST"])
def archive_export(request: OrgRequest, file_format: str = "csv") -> HttpResponse:
    from pressdesk.monitoring import archive
    from pressdesk.monitoring.query import QuerySyntaxError, parse

    criteria = _criteria(request.POST)
    try:
        parsed = parse(criteria["q"])
    except QuerySyntaxError as exc:
        return HttpResponse(syntax_message(exc), status=400, content_type="text/plain")
    name = f"{request.org.slug}-archive-{timezone.localdate().isoformat()}.{file_format}"
    audit.record(
        "monitoring.archive_export",
        org=request.org,
        request=request,
        query=criteria["q"],
        since=criteria["since"],
        until=criteria["until"],
        file_name=name,
        format=file_format,
    )
    hits = archive.search(
        request.org,
        parsed,
        since=_day(criteria["since"]),
        until=_day(criteria["until"], end=True),
    )
    if file_format == "xlsx":
        # openpyxl's write-only mode keeps memory flat but needs a seekable file: the workbook
        # goes to a temporary file, then is streamed from there.
        workbook = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
        write_xlsx(export_rows(hits, for_xlsx=True), workbook, title=_("Archive"))
        workbook.seek(0)
        response: Any = FileResponse(
            workbook, as_attachment=True, filename=name, content_type=CONTENT_TYPES[XLSX]
        )
    else:
        response = StreamingHttpResponse(
            csv_chunks(export_rows(hits)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return cast(HttpResponse, response)


urlpatterns: list[URLPattern] = [
    path("archive/", archive_search, name="archive"),
    path("archive/export.csv", archive_export, name="archive_export"),
    path(
        "archive/export.xlsx",
        archive_export,
        {"file_format": "xlsx"},
        name="archive_export_xlsx",
    ),
]
