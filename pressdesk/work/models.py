"""Durable background work: the domain row holds the state, the task queue only wakes workers.

See docs/decisions/0002-durable-work.md.
"""

from __future__ import annotations

from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _


class WorkState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    CLAIMED = "claimed", _("In progress")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    INTERRUPTED = "interrupted", _("Interrupted")


class Claimable(models.Model):
    """A unit of background work whose state lives in its own domain row.

    The state only moves by conditional UPDATE (pressdesk/work/claims.py):
    pending → claimed (by a worker, with a lease) → done | failed, and an expired claim goes back
    to pending (work safe to redo) or to interrupted (work whose fate is unknown, such as a mail).
    """

    state = models.CharField(
        _("work state"), max_length=12, choices=WorkState.choices, default=WorkState.PENDING
    )
    claimed_by = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    queued_at = models.DateTimeField(default=now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        indexes = [
            models.Index(fields=["state", "lease_until"], name="%(app_label)s_%(class)s_work"),
        ]


class WorkerHeartbeat(models.Model):
    """Each running worker updates its row (and renews its leases); a stale row is a dead worker."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.IntegerField()
    started = models.DateTimeField(default=now)
    last_seen = models.DateTimeField(default=now, db_index=True)

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"


class PeriodicJob(models.Model):
    """One row per periodic job: a worker runs it only after moving `next_run_at` forward."""

    name = models.CharField(max_length=100, unique=True)
    every_seconds = models.FloatField()
    next_run_at = models.DateTimeField(default=now)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_ok = models.BooleanField(null=True)
    last_error = models.TextField(blank=True)
    runs = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def every_label(self) -> str:
        """The interval in words: "every hour", "every 6 hours", "every 30 seconds"."""
        seconds = max(1, round(self.every_seconds))
        units = (
            (
                86400,
                gettext("every day"),
                lambda n: ngettext("every %(n)s day", "every %(n)s days", n),
            ),
            (
                3600,
                gettext("every hour"),
                lambda n: ngettext("every %(n)s hour", "every %(n)s hours", n),
            ),
            (
                60,
                gettext("every minute"),
                lambda n: ngettext("every %(n)s minute", "every %(n)s minutes", n),
            ),
            (
                1,
                gettext("every second"),
                lambda n: ngettext("every %(n)s second", "every %(n)s seconds", n),
            ),
        )
        for size, one, many in units:
            if seconds % size == 0:
                n = seconds // size
                return one if n == 1 else many(n) % {"n": n}
        return ""  # unreachable: every whole number of seconds is a multiple of 1
