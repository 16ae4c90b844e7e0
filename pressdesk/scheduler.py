"""Periodic jobs: registered in memory by modules, scheduled through one database row each.

A module calls `register_periodic(name, every_seconds, func)` from its AppConfig.ready(); nothing
touches the database then. Each worker, at start, upserts one `work.PeriodicJob` row per
registered job (`sync_rows`). On every loop it looks for due rows (`start_due`): it may start a
job only after winning a conditional UPDATE that moves `next_run_at` forward, so with N workers
each tick runs once. The winner enqueues the `run_periodic` task, which any worker picks up and
runs under a time limit, so a slow job never holds up the loop of the worker that found it.

After downtime, the next tick is the first one in the future: a missed tick runs once, not once
per missed tick. An operator may change a job's interval with PERIODIC_EVERY
("name=seconds,name=seconds").
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import FrameType

from django.conf import settings
from django.db.models import Min
from django.utils import timezone

logger = logging.getLogger("pressdesk.worker")


@dataclass
class PeriodicSpec:
    name: str
    every_seconds: float
    func: Callable[[], object]
    time_limit: float | None = None  # seconds; None means the PERIODIC_TIME_LIMIT setting

    @property
    def interval(self) -> float:
        """The interval in force: the operator's override (PERIODIC_EVERY) or the module's."""
        override = getattr(settings, "PERIODIC_EVERY", {}).get(self.name)
        return float(override) if override else self.every_seconds

    @property
    def limit(self) -> float:
        return float(self.time_limit or settings.PERIODIC_TIME_LIMIT)


JOBS: dict[str, PeriodicSpec] = {}


def register_periodic(
    name: str, every_seconds: float, func: Callable[[], object], *, time_limit: float | None = None
) -> None:
    """Run `func` once every `every_seconds` across all workers; registering a name again
    replaces it. Call from AppConfig.ready(): this only records the job in memory."""
    if every_seconds <= 0:
        raise ValueError("every_seconds must be positive")
    JOBS[name] = PeriodicSpec(name, every_seconds, func, time_limit)


def sync_rows(now: datetime | None = None) -> None:
    """Create the rows of newly registered jobs (due now) and keep intervals up to date."""
    from pressdesk.work.models import PeriodicJob

    now = now or timezone.now()
    existing = {job.name: job for job in PeriodicJob.objects.filter(name__in=list(JOBS))}
    for spec in JOBS.values():
        row = existing.get(spec.name)
        if row is None:
            PeriodicJob.objects.get_or_create(
                name=spec.name, defaults={"every_seconds": spec.interval, "next_run_at": now}
            )
        elif row.every_seconds != spec.interval:
            # A shorter interval takes effect at once rather than after the old, longer wait.
            sooner = min(row.next_run_at, now + timedelta(seconds=spec.interval))
            PeriodicJob.objects.filter(pk=row.pk).update(
                every_seconds=spec.interval, next_run_at=sooner
            )


def next_tick(scheduled: datetime, every: float, now: datetime) -> datetime:
    """The first tick after `now` on the job's grid (so missed ticks are skipped, not queued)."""
    step = timedelta(seconds=every)
    following = scheduled + step
    if following > now:
        return following
    missed = int((now - scheduled) / step)
    return scheduled + step * (missed + 1)


def start_due(now: datetime | None = None) -> int:
    """Enqueue a run of every due job this worker wins; return how many it won."""
    from pressdesk.work.models import PeriodicJob
    from pressdesk.work.tasks import run_periodic

    now = now or timezone.now()
    won = 0
    for row in PeriodicJob.objects.filter(name__in=list(JOBS), next_run_at__lte=now):
        following = next_tick(row.next_run_at, row.every_seconds, now)
        # The conditional UPDATE: only one worker moves this tick forward.
        if PeriodicJob.objects.filter(pk=row.pk, next_run_at=row.next_run_at).update(
            next_run_at=following, last_run_at=now
        ):
            run_periodic.enqueue(row.pk)
            won += 1
    return won


def seconds_until_due(now: datetime | None = None) -> float:
    """How long the worker may sleep before some job is due (0 if one is due now)."""
    from pressdesk.work.models import PeriodicJob

    now = now or timezone.now()
    soonest = PeriodicJob.objects.filter(name__in=list(JOBS)).aggregate(t=Min("next_run_at"))["t"]
    if soonest is None:
        return 0.0 if JOBS else float("inf")  # rows not synced yet: sync now
    return max(0.0, (soonest - now).total_seconds())


class TimeLimitExceeded(Exception):
    """A periodic job ran past its time limit and was stopped."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeLimitExceeded in the job after `seconds` (main thread only; elsewhere no limit)."""
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return

    def expired(signum: int, frame: FrameType | None) -> None:
        raise TimeLimitExceeded(f"stopped after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_job(name: str) -> object:
    """Run one registered job now, under its time limit."""
    spec = JOBS[name]
    with time_limit(spec.limit):
        return spec.func()
