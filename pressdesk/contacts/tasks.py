"""Wake-up tasks of the press file. Each carries one row id; the row holds the work's state, so a
lost or repeated wake-up changes nothing (docs/decisions/0002-durable-work.md)."""

from __future__ import annotations

from django_tasks import task

from pressdesk.contacts import sends
from pressdesk.contacts.importing import jobs


@task()
def run_import(job_id: int) -> None:
    """The outstanding step of an import job: its dry run, or the import once confirmed."""
    jobs.run_step(job_id)


@task()
def send_queued(send_id: int) -> None:
    """Send queued GDPR mails of the same batch as this row (its own first)."""
    sends.process(send_id)


# Wake-ups enqueued before the durable-work release carry these names.
analyse_import = run_import
run_import_job = run_import
