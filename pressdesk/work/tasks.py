"""The platform's own tasks: a periodic job's run."""

from __future__ import annotations

import logging

from django.db.models import F
from django.utils import timezone
from django_tasks import task

from pressdesk import scheduler
from pressdesk.work.models import PeriodicJob

logger = logging.getLogger("pressdesk.worker")


@task()
def run_periodic(job_id: int) -> bool:
    """Run one tick of a periodic job (its worker won the tick); True if it succeeded.

    A failure is recorded on the job's row for operators; the task itself succeeds, since the
    next tick is already scheduled and nothing is to be retried.
    """
    job = PeriodicJob.objects.filter(pk=job_id).first()
    if job is None:
        return False
    error = ""
    try:
        if job.name not in scheduler.JOBS:
            raise LookupError(f"no job named {job.name} in this worker (an older version?)")
        scheduler.run_job(job.name)
    except Exception as e:
        error = f"{type(e).__name__}: {e}"
        logger.exception("Periodic job %s failed", job.name)
    PeriodicJob.objects.filter(pk=job.pk).update(
        last_finished_at=timezone.now(),
        last_ok=not error,
        last_error=error[:2000],
        runs=F("runs") + 1,
    )
    return not error


@task()
def noop() -> None:
    """Does nothing: the worker's own cost per task (bench/bench_worker.py)."""
