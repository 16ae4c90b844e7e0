"""Pages: a release downloaded as PDF or DOCX (each download goes to the audit log)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from pressdesk.accounts.access import OrgRequest, org_object, org_view
from pressdesk.releases import exporting
from pressdesk.releases.models import Release


def download(data: bytes, file_format: str, name: str) -> HttpResponse:
    """A document as a download, never cached (it may be under embargo)."""
    response = HttpResponse(data, content_type=exporting.CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@org_view("export", methods=["GET", "POST"])
def release_export(request: OrgRequest, release_id: int) -> HttpResponse:
    release = org_object(request, Release.objects.select_related("org"), release_id)
    file_format = request.POST.get("format", "")
    missing = release.current_version_id is None and not release.versions.exists()
    if request.method == "POST" and file_format in exporting.FORMATS and not missing:
        data = exporting.export_release(release, file_format, request=request)
        return download(data, file_format, exporting.file_name(release, file_format))
    return render(
        request,
        "releases/export.html",
        {"release": release, "missing": missing},
        status=400 if request.method == "POST" else 200,
    )


urlpatterns: list[URLPattern] = [
    path("<int:release_id>/export/", release_export, name="export"),
]
