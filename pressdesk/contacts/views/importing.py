"""Pages to bring contacts in and out: the import wizard and exports."""

from __future__ import annotations

import tempfile
from typing import cast

from django.contrib import messages
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from pressdesk.accounts.access import OrgRequest, org_object, org_view
from pressdesk.contacts import exporting
from pressdesk.contacts.importing import jobs
from pressdesk.contacts.importing.forms import (
    ALL_OR_NOTHING,
    ConfirmForm,
    ExportForm,
    MappingForm,
    UploadForm,
)
from pressdesk.contacts.importing.reading import ReadError, too_large
from pressdesk.contacts.models import ColumnMapping, ImportJob
from pressdesk.lib import uploads

_IN_PROGRESS = (ImportJob.PENDING, ImportJob.RUNNING)


def _job(request: OrgRequest, job_id: int) -> ImportJob:
    return org_object(request, ImportJob, job_id)


@org_view("edit", methods=["GET", "POST"])
def import_upload(request: OrgRequest) -> HttpResponse:
    org = request.org
    form = UploadForm(request.POST or None, request.FILES or None)
    if uploads.refused(request):
        # Stopped while it streamed in: say so rather than "this field is required".
        form = UploadForm(request.POST, request.FILES)
        form.is_valid()
        form.errors.clear()
        form.add_error("file", jobs.describe_error(ReadError(too_large(uploads.refused(request)))))
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job, source = jobs.start(
                org,
                data["file"],
                by=request.user,
                list_name=data["list_name"],
                source_label=data["source_label"],
                all_or_nothing=data["mode"] == ALL_OR_NOTHING,
            )
        except ReadError as e:
            form.add_error("file", jobs.describe_error(e))
        else:
            if source.unknown:
                return redirect("contacts:import_mapping", org_slug=org.slug, job_id=job.pk)
            jobs.run_soon(job)
            return redirect("contacts:import_job", org_slug=org.slug, job_id=job.pk)
    recent = ImportJob.objects.for_org(org).order_by("-created")[:10]
    status = 400 if form.errors else 200
    return render(
        request, "contacts/import_upload.html", {"form": form, "recent": recent}, status=status
    )


@org_view("edit", methods=["GET", "POST"])
def import_mapping(request: OrgRequest, job_id: int) -> HttpResponse:
    org = request.org
    job = _job(request, job_id)
    if job.status != ImportJob.PENDING or not job.file:
        return redirect("contacts:import_job", org_slug=org.slug, job_id=job.pk)
    source = jobs.source_of(job)
    form = MappingForm(source.headers, source.mapping, request.POST or None)
    if request.method == "POST" and form.is_valid():
        job.mapping = form.mapping()
        if form.cleaned_data["remember"]:
            ColumnMapping.objects.for_org(org).update_or_create(
                headers_key=source.headers_key, defaults={"mapping": job.mapping}
            )
        job.counts = {**job.counts, "needs_mapping": False}
        job.save(update_fields=["mapping", "counts"])
        jobs.run_soon(job)
        return redirect("contacts:import_job", org_slug=org.slug, job_id=job.pk)
    preview = source.preview(3)
    columns = [
        (
            field,
            [row[i] for row in preview if i < len(row) and row[i]][:3],
            source.mapping.get(h) is None,
        )
        for i, (h, field) in enumerate(zip(source.headers, form.columns(), strict=True))
    ]
    context = {
        "job": job,
        "form": form,
        "columns": columns,
        "unknown": source.unknown,
        "source": source,
    }
    return render(
        request, "contacts/import_mapping.html", context, status=400 if form.errors else 200
    )


@org_view("edit")
def import_job(request: OrgRequest, job_id: int) -> HttpResponse:
    org = request.org
    job = _job(request, job_id)
    if job.status == ImportJob.PENDING and job.counts.get("needs_mapping"):
        return redirect("contacts:import_mapping", org_slug=org.slug, job_id=job.pk)
    options = jobs.options_of(job)
    context = {
        "job": job,
        "counts": job.counts,
        "options": options,
        "skipped": jobs.problems(job, "skipped")[:500],
        "warnings": jobs.problems(job, "warning")[:200],
        "in_progress": job.status in _IN_PROGRESS,
        "confirm_form": ConfirmForm(
            initial={"mode": ALL_OR_NOTHING if options.get("all_or_nothing") else "skip"}
        ),
    }
    return render(request, "contacts/import_job.html", context)


@org_view("edit")
def import_status(request: OrgRequest, job_id: int) -> HttpResponse:
    """The polled part of the job page; once the job moves on, htmx reloads the whole page."""
    job = _job(request, job_id)
    if job.status in _IN_PROGRESS:
        return render(request, "contacts/import_status.html", {"job": job})
    response = render(request, "contacts/import_status.html", {"job": job, "finished": True})
    response["HX-Refresh"] = "true"
    return response


@org_view("edit", methods=["POST"])
def import_confirm(request: OrgRequest, job_id: int) -> HttpResponse:
    org = request.org
    job = _job(request, job_id)
    form = ConfirmForm(request.POST)
    if job.status == ImportJob.PREVIEW and form.is_valid():
        options = {
            **jobs.options_of(job),
            "all_or_nothing": form.cleaned_data["mode"] == ALL_OR_NOTHING,
        }
        ImportJob.objects.for_org(job.org_id).filter(pk=job.pk).update(
            counts={**job.counts, "options": options}
        )
        job.refresh_from_db()
        if jobs.claim(job):
            job.refresh_from_db()
            jobs.run_soon(job)
    return redirect("contacts:import_job", org_slug=org.slug, job_id=job.pk)


@org_view("edit", methods=["POST"])
def import_remap(request: OrgRequest, job_id: int) -> HttpResponse:
    """Back from the dry run to the mapping step."""
    org = request.org
    job = _job(request, job_id)
    counts = {**job.counts, "needs_mapping": True}
    ImportJob.objects.for_org(job.org_id).filter(pk=job.pk, status=ImportJob.PREVIEW).update(
        status=ImportJob.PENDING, counts=counts
    )
    return redirect("contacts:import_job", org_slug=org.slug, job_id=job.pk)


@org_view("edit", methods=["POST"])
def import_cancel(request: OrgRequest, job_id: int) -> HttpResponse:
    org = request.org
    job = _job(request, job_id)
    if job.status in (ImportJob.PENDING, ImportJob.PREVIEW):
        jobs.discard_file(job)
        job.delete()
        messages.success(request, _("Import cancelled; the file was deleted."))
    return redirect("contacts:import", org_slug=org.slug)


@org_view("edit")
def import_skipped(request: OrgRequest, job_id: int) -> HttpResponse:
    """The skipped rows as CSV: line, field and reason, then the row as the file had it."""
    org = request.org
    job = _job(request, job_id)
    skipped = jobs.problems(job, "skipped")
    columns: dict[str, None] = {}
    for problem in skipped:
        columns.update(dict.fromkeys(dict(problem.get("row", []))))
    table = [[_("Line"), _("Field"), _("Reason"), *columns]]
    for p in skipped:
        row = dict(p.get("row", []))
        table.append(
            [
                str(p["line"]),
                p.get("column") or p["field"],
                p["reason"],
                *(row.get(c, "") for c in columns),
            ]
        )
    response = HttpResponse(
        exporting.csv_text(table, exporting.delimiter_for(org)),
        content_type=exporting.CONTENT_TYPES["csv"],
    )
    stem = job.filename.rsplit(".", 1)[0] or "import"
    response["Content-Disposition"] = f'attachment; filename="{_ascii(stem)}-skipped.csv"'
    response["Cache-Control"] = "no-store"
    return response


def _ascii(name: str) -> str:
    return (
        "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in name)[:80]
        or "import"
    )


@org_view("export")
def export_form(request: OrgRequest) -> HttpResponse:
    return render(request, "contacts/export_form.html", {"form": ExportForm(request.org)})


@org_view("export", methods=["POST"])
def export_download(request: OrgRequest) -> HttpResponse:
    org = request.org
    form = ExportForm(org, request.POST)
    if not form.is_valid():
        return render(request, "contacts/export_form.html", {"form": form}, status=400)
    file_format = form.cleaned_data["file_format"]
    contact_list = form.contact_list()
    contacts = exporting.contacts_for(org, contact_list)
    scope = contact_list.name if contact_list else ""
    name = exporting.filename(org, file_format, scope)
    exporting.record_export(
        org,
        file_format=file_format,
        count=contacts.count(),
        scope=scope or "all",
        file_name=name,
        request=request,
    )
    response: HttpResponse | StreamingHttpResponse
    if file_format == exporting.XLSX:
        # openpyxl needs a seekable file: write to a temporary file, then stream it.
        handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
        exporting.write_xlsx(exporting.rows(org, contacts, dates=True), handle)
        handle.seek(0)
        response = FileResponse(
            handle, as_attachment=True, filename=name, content_type=exporting.CONTENT_TYPES["xlsx"]
        )
    else:
        if file_format == exporting.CSV:
            chunks = exporting.csv_chunks(
                exporting.rows(org, contacts), form.cleaned_data["delimiter"] or ";"
            )
        else:
            chunks = exporting.vcard_chunks(contacts)
        response = StreamingHttpResponse(chunks, content_type=exporting.CONTENT_TYPES[file_format])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return cast(HttpResponse, response)


urlpatterns = [
    path("import/", import_upload, name="import"),
    path("import/<int:job_id>/", import_job, name="import_job"),
    path("import/<int:job_id>/mapping/", import_mapping, name="import_mapping"),
    path("import/<int:job_id>/status/", import_status, name="import_status"),
    path("import/<int:job_id>/confirm/", import_confirm, name="import_confirm"),
    path("import/<int:job_id>/remap/", import_remap, name="import_remap"),
    path("import/<int:job_id>/cancel/", import_cancel, name="import_cancel"),
    path("import/<int:job_id>/skipped.csv", import_skipped, name="import_skipped"),
    path("export/", export_form, name="export"),
    path("export/download/", export_download, name="export_download"),
]
