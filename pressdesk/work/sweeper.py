"""The sweeper: every worker runs it at start and then every WORK_SWEEP_SECONDS.

1. Claims whose lease expired (their worker died) go back to pending if the kind is safe to redo
   and attempts remain, else to interrupted, where a director decides.
2. Pending rows with no live wake-up task get one, so a crash between a commit and its enqueue
   loses nothing.
3. django-tasks results left RUNNING by a dead worker are marked failed (django-tasks issue #46).

Every step is a conditional UPDATE or an idempotent enqueue: many workers may sweep at once.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import models
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from pressdesk.work import claims
from pressdesk.work.kinds import KINDS, Kind, kind_of
from pressdesk.work.models import WorkerHeartbeat, WorkState

logger = logging.getLogger("pressdesk.worker")

LIVE = (TaskResultStatus.READY, TaskResultStatus.RUNNING)
# A sweep re-wakes at most this many pending rows per kind; the next sweep takes the rest.
REWAKE_LIMIT = 1000
LOST_WORKER = "pressdesk.work.WorkerLost"


@dataclass
class Sweep:
    requeued: int = 0
    interrupted: int = 0
    woken: int = 0
    failed_results: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.requeued or self.interrupted or self.woken or self.failed_results)


def wake(obj: models.Model) -> None:
    """Enqueue the wake-up task of a durable row, in the caller's transaction.

    django-tasks-db writes the task in the same database, so a task enqueued inside the
    transaction that creates the row commits with it (no on_commit window where it could be lost).
    """
    kind_of(type(obj)).wake.enqueue(obj.pk)


def live_worker_ids(now: datetime | None = None) -> set[str]:
    """Workers that reported within a lease: the others are dead (or stopped)."""
    now = now or timezone.now()
    since = now - timedelta(seconds=claims.lease_seconds())
    return set(
        WorkerHeartbeat.objects.filter(last_seen__gte=since).values_list("worker_id", flat=True)
    )


def expire_claims(kind: Kind, now: datetime) -> tuple[int, int]:
    """Expired claims of one kind → pending or interrupted; return (requeued, interrupted)."""
    return settle(kind, kind.queryset().filter(state=WorkState.CLAIMED, lease_until__lt=now), now)


def release_claims_of(worker_id: str, now: datetime | None = None) -> tuple[int, int]:
    """Claims a live worker still holds after its task failed → pending or interrupted, woken.

    A worker runs one task at a time, so once a task has ended every claim left under its id
    belongs to that task, which will never finish it; its heartbeat would renew the lease for
    as long as the worker lives, so the sweeper would never see it expire.
    """
    now = now or timezone.now()
    requeued = interrupted = 0
    for kind in KINDS.values():
        mine = kind.queryset().filter(state=WorkState.CLAIMED, claimed_by=worker_id)
        back, stopped = settle(kind, mine, now)
        requeued, interrupted = requeued + back, interrupted + stopped
        if back:
            rewake(kind)
    return requeued, interrupted


def settle(kind: Kind, expired: models.QuerySet[Any], now: datetime) -> tuple[int, int]:
    """Claims nobody will finish → pending if safe to redo, else interrupted (a person decides)."""
    requeued = 0
    redo = expired if kind.redo_safe else expired.filter(kind.unstarted) if kind.unstarted else None
    if redo is not None:
        requeued = redo.filter(attempts__lt=kind.max_attempts).update(
            state=WorkState.PENDING, claimed_by="", lease_until=None, queued_at=now
        )
    reason = (
        "The worker stopped while this was in progress; it may or may not have been done."
        if not kind.redo_safe
        else "Tried too many times: each attempt stopped its worker."
    )
    interrupted = expired.update(state=WorkState.INTERRUPTED, lease_until=None, error=reason)
    return requeued, interrupted


def woken_ids(kind: Kind) -> set[Any]:
    """Row ids that already have a wake-up task waiting or running."""
    rows = DBTaskResult.objects.filter(
        status__in=LIVE, task_path=kind.wake.module_path
    ).values_list("args_kwargs", flat=True)
    return {args["args"][0] for args in rows if args.get("args")}


def rewake(kind: Kind) -> int:
    """Enqueue wake-ups for pending rows of this kind that have none; return how many.

    For a kind whose wake-up claims a batch, each group of pending rows gets one wake-up per
    `covers` rows, counting the wake-ups it already has.
    """
    pending = list(
        kind.queryset()
        .filter(state=WorkState.PENDING)
        .order_by("queued_at", "pk")
        .values_list("pk", *kind.group)[:REWAKE_LIMIT]
    )
    if not pending:
        return 0
    woken = woken_ids(kind)
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for pk, *key in pending:
        groups.setdefault(tuple(key), []).append(pk)
    live: Counter[tuple[Any, ...]] = Counter()
    if kind.covers > 1 and woken:
        for _pk, *key in kind.queryset().filter(pk__in=woken).values_list("pk", *kind.group):
            live[tuple(key)] += 1
    missing: list[Any] = []
    for key, pks in groups.items():
        unwoken = [pk for pk in pks if pk not in woken]
        if kind.covers > 1:
            needed = -(-len(pks) // kind.covers) - live[key]
            unwoken = unwoken[:: kind.covers][: max(0, needed)]
        missing += unwoken
    for pk in missing:
        kind.wake.enqueue(pk)
    return len(missing)


def fail_lost_results(now: datetime) -> int:
    """Tasks RUNNING under a worker that no longer reports are marked failed; return how many."""
    live = live_worker_ids(now)
    # A task claimed a moment ago may belong to a worker whose first beat is in flight.
    started_before = now - timedelta(seconds=claims.lease_seconds())
    lost = 0
    running = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=started_before
    )
    for result in running.only("id", "worker_ids"):
        owner = result.worker_ids[-1] if result.worker_ids else ""
        if owner in live:
            continue
        lost += DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=LOST_WORKER,
            traceback=f"Worker {owner or '?'} stopped while running this task.",
        )
    return lost


def sweep(now: datetime | None = None) -> Sweep:
    """Run the three rules once; return what changed."""
    now = now or timezone.now()
    done = Sweep()
    for kind in KINDS.values():
        requeued, interrupted = expire_claims(kind, now)
        done.requeued += requeued
        done.interrupted += interrupted
    done.failed_results = fail_lost_results(now)
    for kind in KINDS.values():
        woken = rewake(kind)
        done.woken += woken
        done.by_kind[kind.name] = woken
    if done:
        logger.info(
            "Sweep: %s claim(s) back to pending, %s interrupted, %s woken, %s lost task(s) failed",
            done.requeued,
            done.interrupted,
            done.woken,
            done.failed_results,
        )
    return done
