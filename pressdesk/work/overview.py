"""What operators see of the background work: `pressdesk check` and the directors' page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import models, transaction
from django.db.models import Count, Min
from django.utils import timezone
from django.utils.functional import Promise
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from pressdesk import scheduler
from pressdesk.accounts import audit
from pressdesk.accounts.models import Organisation, User
from pressdesk.work import claims
from pressdesk.work.kinds import KINDS, Kind
from pressdesk.work.models import PeriodicJob, WorkerHeartbeat, WorkState
from pressdesk.work.sweeper import wake


@dataclass
class KindFigures:
    kind: Kind
    pending: int = 0
    claimed: int = 0
    interrupted: int = 0
    oldest_pending: datetime | None = None

    @property
    def label(self) -> str | Promise:
        return self.kind.label


@dataclass
class Interrupted:
    kind: Kind
    obj: Any

    @property
    def key(self) -> str:
        return self.kind.name


@dataclass
class PausedWork:
    """Sends that paused themselves (consecutive failures) and wait for a director's resume."""

    label: str | Promise
    reason: str
    since: datetime | None
    resume_url: str


# Modules that pause work of their own list it here: a function of the organisation (or None).
PAUSES: list[Callable[[Organisation | None], list[PausedWork]]] = []


def register_pauses(source: Callable[[Organisation | None], list[PausedWork]]) -> None:
    """Show a module's paused work on the background-work page (call from its ready())."""
    if source not in PAUSES:
        PAUSES.append(source)


@dataclass
class Overview:
    workers: list[WorkerHeartbeat]
    ready_tasks: int
    running_tasks: int
    oldest_ready: datetime | None
    kinds: list[KindFigures]
    interrupted: list[Interrupted] = field(default_factory=list)
    periodic: list[PeriodicJob] = field(default_factory=list)
    paused: list[PausedWork] = field(default_factory=list)

    @property
    def oldest_pending(self) -> datetime | None:
        """The oldest work waiting for a worker: a pending row or a ready task."""
        found = [k.oldest_pending for k in self.kinds if k.oldest_pending] + (
            [self.oldest_ready] if self.oldest_ready else []
        )
        return min(found, default=None)

    @property
    def pending(self) -> int:
        return sum(k.pending for k in self.kinds)


def _scoped(kind: Kind, org: Organisation | None) -> models.QuerySet[Any]:
    qs = kind.queryset()
    if org is not None and any(f.name == "org" for f in kind.model._meta.fields):
        qs = qs.filter(org=org)
    return qs


def alive_workers(now: datetime | None = None) -> list[WorkerHeartbeat]:
    """Workers that reported within a lease (their claims are safe)."""
    since = (now or timezone.now()) - timedelta(seconds=claims.lease_seconds())
    return list(WorkerHeartbeat.objects.filter(last_seen__gte=since).order_by("started"))


def overview(org: Organisation | None = None, *, interrupted_limit: int = 100) -> Overview:
    """Workers, the queue, pending and interrupted work (of one organisation if given), and the
    periodic jobs."""
    now = timezone.now()
    ready = DBTaskResult.objects.ready()
    found = Overview(
        workers=alive_workers(now),
        ready_tasks=ready.count(),
        running_tasks=DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count(),
        oldest_ready=ready.aggregate(t=Min("enqueued_at"))["t"],
        kinds=[],
    )
    for kind in KINDS.values():
        qs = _scoped(kind, org)
        figures = KindFigures(kind)
        for row in (
            qs.exclude(state__in=[WorkState.DONE, WorkState.FAILED])
            .values("state")
            .annotate(n=Count("pk"), oldest=Min("queued_at"))
        ):
            setattr(figures, row["state"], row["n"])
            if row["state"] == WorkState.PENDING:
                figures.oldest_pending = row["oldest"]
        found.kinds.append(figures)
        stuck = qs.filter(state=WorkState.INTERRUPTED).order_by("queued_at")[:interrupted_limit]
        found.interrupted += [Interrupted(kind, obj) for obj in stuck]
    names = list(scheduler.JOBS)
    found.periodic = list(PeriodicJob.objects.filter(name__in=names))
    found.paused = [item for source in PAUSES for item in source(org)]
    return found


def interrupted_row(org: Organisation, kind_name: str, pk: int) -> tuple[Kind, Any]:
    """One interrupted row of this organisation (LookupError if there is none)."""
    kind = KINDS[kind_name]
    obj = _scoped(kind, org).filter(pk=pk, state=WorkState.INTERRUPTED).first()
    if obj is None:
        raise LookupError(pk)
    return kind, obj


def retry(org: Organisation, kind_name: str, pk: int, *, by: User, request: Any = None) -> bool:
    """A director's decision: run interrupted work again (a mail may then leave twice)."""
    kind, obj = interrupted_row(org, kind_name, pk)
    with transaction.atomic():
        if not claims.requeue(obj):
            return False
        wake(obj)
        audit.record(
            "work.retry",
            org=org,
            actor=by,
            obj=obj,
            request=request,
            kind=kind.name,
            error=obj.error,
        )
    return True


def abandon(org: Organisation, kind_name: str, pk: int, *, by: User, request: Any = None) -> bool:
    """A director's decision: give interrupted work up for good."""
    kind, obj = interrupted_row(org, kind_name, pk)
    with transaction.atomic():
        if not claims.abandon(obj, f"Abandoned by {by.email}. {obj.error}"):
            return False
        audit.record(
            "work.abandon",
            org=org,
            actor=by,
            obj=obj,
            request=request,
            kind=kind.name,
            error=obj.error,
        )
    return True
