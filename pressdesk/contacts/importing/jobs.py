"""Import jobs of the web wizard: upload, mapping, dry run, import, and the upload's lifetime.

Small files are checked and imported during the request. Files over CONTACTS_IMPORT_SYNC_BYTES
(default 1 MB, about 5,000 rows) go to the background worker; the job page polls until done. The
mode is chosen by size alone, never by whether a worker happens to run: the page shows the
worker's status instead.

Each background step is durable work (pressdesk/work): the job row is claimed with a lease, and the
step's writes commit together with its "done", so a worker killed mid-import leaves nothing
behind and the step is simply redone by the next worker (docs/decisions/0002-durable-work.md).

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
from pressdesk.work import claims
from pressdesk.work.models import WorkState
from pressdesk.work.sweeper import wake

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
        # No background step until the wizard asks for one (run_soon).
        state=WorkState.DONE,
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


def run_step(job_id: int) -> None:
    """Claim the job and run its outstanding step: the dry run (PENDING) or the import (RUNNING)."""
    job = claims.claim(ImportJob, job_id)
    if job is None:
        return  # not waiting for a step, or another worker has it
    if job.status == ImportJob.PENDING:
        analyse(job)
    elif job.status == ImportJob.RUNNING:
        execute(job)
    else:
        claims.finish(job)


def analyse(job: ImportJob) -> None:
    """The dry run of a claimed job: what the import would do, row by row. Leaves it in PREVIEW."""
    try:
        result = run_import(
            job.org, b"", job.filename, _options(job, dry_run=True), source=source_of(job)
        )
    except (ReadError, OSError) as e:
        _fail(job, str(e))
        return
    _store(job, result)
    job.counts["needs_mapping"] = False
    claims.finish(job, counts=job.counts, skipped=job.skipped, status=ImportJob.PREVIEW)


def claim(job: ImportJob) -> bool:
    """Move a previewed job to RUNNING, its import waiting for a worker; False if someone else
    already did (double submit)."""
    return (
        ImportJob.objects.for_org(job.org_id)
        .filter(pk=job.pk, status=ImportJob.PREVIEW)
        .update(status=ImportJob.RUNNING, state=WorkState.PENDING, queued_at=timezone.now())
        == 1
    )


def execute(job: ImportJob) -> None:
    """The import itself, for a claimed RUNNING job. Deletes the uploaded file afterwards.

    The contacts, the audit entry and the job's DONE commit in one transaction: a worker killed
    part-way leaves no contact behind, and the redo counts each row once.
    """
    try:
        with transaction.atomic():
            result = run_import(
                job.org, b"", job.filename, _options(job, dry_run=False), source=source_of(job)
            )
            _store(job, result)
            name = options_of(job).get("list")
            target = find_list(job.org, name) if name and not result.rolled_back else None
            claims.finish(
                job,
                counts=job.counts,
                skipped=job.skipped,
                status=ImportJob.DONE,
                finished=timezone.now(),
                target_list=target,
            )
    except (ReadError, OSError) as e:
        _fail(job, str(e))
        return
    discard_file(job)


def _fail(job: ImportJob, message: str) -> None:
    claims.fail(job, message, status=ImportJob.FAILED, finished=timezone.now())
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


def run_soon(job: ImportJob) -> bool:
    """Run the job's next step now for a small file, else wake a worker for it.

    The step is marked pending on the row first: if the wake-up is lost (a crash before the
    commit of the task), the sweeper wakes a worker anyway. Returns True if the step already ran.
    """
    ImportJob.objects.for_org(job.org_id).filter(
        pk=job.pk, state__in=[WorkState.DONE, WorkState.FAILED]
    ).update(state=WorkState.PENDING, queued_at=timezone.now(), error="")
    size = job.file.size if job.file else 0
    if size <= sync_limit():
        run_step(job.pk)
        return True
    wake(job)
    return False


def problems(job: ImportJob, level: str) -> list[dict[str, Any]]:
    """The job's skipped rows ("skipped") or warnings ("warning")."""
    return [p for p in job.skipped if p.get("level", "skipped") == level]


def describe_error(error: ReadError) -> str:
    """The message shown when a file is refused."""
    return _("This file cannot be imported: %(reason)s") % {"reason": error}
