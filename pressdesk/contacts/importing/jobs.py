"""Import jobs of the web wizard: upload, mapping, dry run, import, and the upload's lifetime.

Small files are checked and imported during the request. Files over CONTACTS_IMPORT_SYNC_BYTES
(default 1 MB, about 5,000 rows) go to the background worker; the job page polls until done. The
mode is chosen by size alone, never by whether a worker happens to run: the page shows the
worker's status instead.

The uploaded file is kept only while the wizard needs it: it is deleted when the import ends, when
the user cancels, and for wizards abandoned for a day (swept at every new upload).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts.importing.reading import FileData, ReadError, check_size
from pressdesk.contacts.importing.runner import ImportOptions, ImportResult, find_list, run_import
from pressdesk.contacts.importing.source import Source, open_source
from pressdesk.contacts.models import ImportJob

ABANDONED_AFTER = timedelta(days=1)


def sync_limit() -> int:
    """Files up to this size are checked and imported during the request."""
    return int(getattr(settings, "CONTACTS_IMPORT_SYNC_BYTES", 1024 * 1024))


def options_of(job: ImportJob) -> dict[str, Any]:
    """What the user chose on the upload form (kept in counts until ImportJob has fields for it)."""
    return dict(job.counts.get("options", {}))


def start(
    org: Organisation,
    upload: UploadedFile,
    *,
    by: User | None,
    list_name: str = "",
    source_label: str = "",
    all_or_nothing: bool = False,
) -> tuple[ImportJob, Source]:
    """Check an uploaded file and keep it for the wizard; ReadError (nothing stored) if unusable."""
    sweep_abandoned()
    check_size(upload.size or 0)
    data = upload.read()
    name = (upload.name or "contacts").rsplit("/", 1)[-1][:255]
    source = open_source(data, name, org=org)
    if len(data) <= sync_limit():
        # Read a small file whole now, so that a damaged one is refused before anything is
        # stored. A larger one is read by the worker's dry run: never whole inside a request.
        for _item in source.items():
            pass
    job = ImportJob(
        org=org,
        filename=name,
        file_format=source.file_format,
        source_label=(source_label.strip() or name)[:300],
        status=ImportJob.PENDING,
        created_by=by,
        mapping={h: f for h, f in source.mapping.items() if f},
        counts={
            "options": {"list": list_name.strip()[:200], "all_or_nothing": all_or_nothing},
            "needs_mapping": bool(source.unknown),
        },
    )
    job.file.save(name, ContentFile(data), save=False)
    job.save()
    return job, source


def source_of(job: ImportJob) -> Source:
    """The job's file, opened with the job's confirmed mapping."""
    # Read from disk as the rows are asked for, not loaded whole.
    source = open_source(FileData(job.file.path), job.filename, job.file_format, org=job.org)
    if job.mapping:
        source.apply(job.mapping)
    return source


def _options(job: ImportJob, *, dry_run: bool) -> ImportOptions:
    chosen = options_of(job)
    return ImportOptions(
        source_label=job.source_label,
        list_name=chosen.get("list", ""),
        all_or_nothing=bool(chosen.get("all_or_nothing")),
        dry_run=dry_run,
        by=job.created_by,
        job_id=None if dry_run else job.pk,
    )


def _store(job: ImportJob, result: ImportResult) -> None:
    # The row as a list of pairs: PostgreSQL's jsonb would not keep the columns' order.
    job.skipped = [
        p.as_dict() | {"level": level, "row": list(p.row.items())}
        for level, found in (("skipped", result.skipped), ("warning", result.warnings))
        for p in found
    ]
    job.counts = {
        **job.counts,
        **result.counts,
        "notes": result.notes,
        "rolled_back": result.rolled_back,
    }


def analyse(job_id: int) -> None:
    """The dry run: what the import would do, row by row. Leaves the job in PREVIEW."""
    # all-orgs: a task carries only the job's id; the job names its organisation
    job = ImportJob.objects.select_related("org", "created_by").get(pk=job_id)
    if job.status != ImportJob.PENDING:
        return
    try:
        result = run_import(
            job.org, b"", job.filename, _options(job, dry_run=True), source=source_of(job)
        )
    except (ReadError, OSError) as e:
        _fail(job, str(e))
        return
    _store(job, result)
    job.counts["needs_mapping"] = False
    job.status = ImportJob.PREVIEW
    job.save(update_fields=["counts", "skipped", "status"])


def claim(job: ImportJob) -> bool:
    """Move a previewed job to RUNNING; False if someone else already did (double submit)."""
    return (
        ImportJob.objects.for_org(job.org_id)
        .filter(pk=job.pk, status=ImportJob.PREVIEW)
        .update(status=ImportJob.RUNNING)
        == 1
    )


def execute(job_id: int) -> None:
    """The import itself, for a claimed (RUNNING) job. Deletes the uploaded file afterwards."""
    # all-orgs: a task carries only the job's id; the job names its organisation
    job = ImportJob.objects.select_related("org", "created_by").get(pk=job_id)
    if job.status != ImportJob.RUNNING:
        return
    try:
        result = run_import(
            job.org, b"", job.filename, _options(job, dry_run=False), source=source_of(job)
        )
    except (ReadError, OSError) as e:
        _fail(job, str(e))
        return
    _store(job, result)
    name = options_of(job).get("list")
    if name and not result.rolled_back:
        job.target_list = find_list(job.org, name)
    job.status = ImportJob.DONE
    job.finished = timezone.now()
    job.save(update_fields=["counts", "skipped", "status", "finished", "target_list"])
    discard_file(job)


def _fail(job: ImportJob, message: str) -> None:
    job.status = ImportJob.FAILED
    job.error = message
    job.finished = timezone.now()
    job.save(update_fields=["status", "error", "finished"])
    discard_file(job)


def discard_file(job: ImportJob) -> None:
    """Delete the uploaded bytes; the job keeps its counts and report."""
    if job.file:
        job.file.delete(save=False)
        ImportJob.objects.for_org(job.org_id).filter(pk=job.pk).update(file="")


def sweep_abandoned() -> int:
    """Delete wizards left unfinished for a day, with their files; return how many."""
    cutoff = timezone.now() - ABANDONED_AFTER
    stale = list(
        # all-orgs: the sweeper clears every organisation's abandoned wizards
        ImportJob.objects.filter(
            created__lt=cutoff, status__in=[ImportJob.PENDING, ImportJob.PREVIEW]
        )
    )
    for job in stale:
        discard_file(job)
        job.delete()
    return len(stale)


def run_soon(job: ImportJob, step: str) -> bool:
    """Run a step ("analyse" or "execute") now for a small file, else enqueue it after commit.

    Returns True if the step already ran.
    """
    size = job.file.size if job.file else 0
    if size <= sync_limit():
        (analyse if step == "analyse" else execute)(job.pk)
        return True
    from pressdesk.contacts import tasks

    task = tasks.analyse_import if step == "analyse" else tasks.run_import_job
    transaction.on_commit(lambda: task.enqueue(job.pk))
    return False


def problems(job: ImportJob, level: str) -> list[dict[str, Any]]:
    """The job's skipped rows ("skipped") or warnings ("warning")."""
    return [p for p in job.skipped if p.get("level", "skipped") == level]


def describe_error(error: ReadError) -> str:
    """The message shown when a file is refused."""
    return _("This file cannot be imported: %(reason)s") % {"reason": error}
