"""Background work of the press file: large imports run here, enqueued after the job's commit."""

from __future__ import annotations

from django_tasks import task

from pressdesk.contacts.importing import jobs


@task()
def analyse_import(job_id: int) -> None:
    """The dry run of a large import (the wizard's summary step)."""
    jobs.analyse(job_id)


@task()
def run_import_job(job_id: int) -> None:
    """A large import, once the user confirmed it."""
    jobs.execute(job_id)
