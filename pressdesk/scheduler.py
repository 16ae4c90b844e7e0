"""Periodic work for `pressdesk worker`: feed polls, due sends, clean-ups.

Modules register a job from their AppConfig.ready() with `register_periodic`. Each worker process
runs `run_due()` on every loop and remembers in memory when it last ran each job, so a fresh worker
runs every job once at start, and N workers run a job up to N times per interval. Jobs must
therefore be idempotent and claim their rows with conditional updates (see the style guide);
their interval is a frequency, not a guarantee of exclusivity.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

logger = logging.getLogger(__name__)


@dataclass
class PeriodicJob:
    name: str
    every_seconds: float
    func: Callable[[], object]
    last_run: float | None = None  # time.monotonic() of the last start, in this process

    def due_in(self, now: float) -> float:
        """Seconds until the job is due; zero or less means due now."""
        if self.last_run is None:
            return 0.0
        return self.last_run + self.every_seconds - now


JOBS: dict[str, PeriodicJob] = {}


def register_periodic(name: str, every_seconds: float, func: Callable[[], object]) -> None:
    """Run `func` about every `every_seconds` in each worker; registering a name again replaces."""
    if every_seconds <= 0:
        raise ValueError("every_seconds must be positive")
    JOBS[name] = PeriodicJob(name, every_seconds, func)


def seconds_until_due(now: float | None = None) -> float:
    """How long the worker may sleep before some job is due (0 if one is due now)."""
    now = time.monotonic() if now is None else now
    return max(0.0, min((job.due_in(now) for job in JOBS.values()), default=float("inf")))


def run_due(now: float | None = None) -> int:
    """Run every job that is due; return how many ran. A failing job is logged, not raised."""
    now = time.monotonic() if now is None else now
    ran = 0
    for job in list(JOBS.values()):
        if job.due_in(now) > 0:
            continue
        # Marked before running, so a job that keeps failing waits its interval like the others
        # instead of being retried on every loop.
        job.last_run = now
        ran += 1
        try:
            job.func()
        except Exception:
            logger.exception("Periodic job %s failed", job.name)
    return ran


def prune_login_attempts() -> int:
    """Forget failed logins older than a day: throttling only looks at the last minutes."""
    # Imported here: modules import the scheduler from apps.py, before models are loaded.
    from django.utils import timezone

    from pressdesk.accounts.models import LoginAttempt

    cutoff = timezone.now() - timedelta(days=1)
    deleted, _ = LoginAttempt.objects.filter(created__lt=cutoff).delete()
    return deleted


register_periodic("accounts.prune_login_attempts", 3600, prune_login_attempts)
