"""Claims on durable work rows: every state change is a conditional UPDATE.

A worker owns a row while `state` is claimed and `claimed_by` is its id; its heartbeat renews
`lease_until`. Every finishing call checks the owner, so a worker that lost its claim (the sweeper
gave the row to another) cannot finish it: its transaction rolls back instead.
"""

from __future__ import annotations

import os
import socket
from datetime import timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import connections, models, transaction
from django.db.models import F
from django.utils import timezone

from pressdesk.work.kinds import KINDS
from pressdesk.work.models import WorkState

M = TypeVar("M", bound=models.Model)

_current_worker: str | None = None


class LostClaim(Exception):
    """This worker no longer owns the row it was working on; its writes must roll back."""


def set_worker_id(worker_id: str | None) -> None:
    """Called by `pressdesk worker`: tasks of this process claim rows under this id."""
    global _current_worker
    _current_worker = worker_id


def worker_id() -> str:
    """The id this process claims rows under (a web process or a script has one too)."""
    return _current_worker or f"{socket.gethostname()[:40]}-{os.getpid()}-inline"


def lease_seconds() -> float:
    """How long a claim lasts without its worker's heartbeat."""
    return float(settings.WORK_LEASE_SECONDS)


def _lease() -> Any:
    return timezone.now() + timedelta(seconds=lease_seconds())


def _claim_values(by: str) -> dict[str, Any]:
    # What a claim writes: the worker, a fresh lease, and one more attempt.
    return {
        "state": WorkState.CLAIMED,
        "claimed_by": by,
        "lease_until": _lease(),
        "claimed_at": timezone.now(),
        "attempts": F("attempts") + 1,
    }


def claim(model: type[M], pk: int, *, by: str | None = None) -> M | None:
    """Claim one pending row; the row, or None if it is not pending (someone else has it)."""
    by = by or worker_id()
    won = (
        model._default_manager.filter(pk=pk, state=WorkState.PENDING).update(**_claim_values(by))
        == 1
    )
    return model._default_manager.get(pk=pk) if won else None


def claim_batch(queryset: models.QuerySet[M], limit: int, *, by: str | None = None) -> list[M]:
    """Claim up to `limit` pending rows of this queryset, oldest first.

    On PostgreSQL the rows are picked with SELECT … FOR UPDATE SKIP LOCKED, so workers claiming
    at the same moment take different rows instead of waiting for each other. On SQLite the
    transaction is IMMEDIATE: claims are serialised, and the conditional UPDATE settles the rest.
    """
    by = by or worker_id()
    model = queryset.model
    pending = queryset.filter(state=WorkState.PENDING).order_by("pk")
    with transaction.atomic(using=queryset.db):
        if connections[queryset.db].features.has_select_for_update_skip_locked:
            pending = pending.select_for_update(skip_locked=True)
        pks = list(pending.values_list("pk", flat=True)[:limit])
        if not pks:
            return []
        model._default_manager.filter(pk__in=pks, state=WorkState.PENDING).update(
            **_claim_values(by)
        )
    return list(model._default_manager.filter(pk__in=pks, state=WorkState.CLAIMED, claimed_by=by))


def _settle(obj: models.Model, by: str | None, **values: Any) -> bool:
    by = by or worker_id()
    updated = (
        type(obj)
        ._default_manager.filter(pk=obj.pk, state=WorkState.CLAIMED, claimed_by=by)
        .update(lease_until=None, finished_at=timezone.now(), **values)
    )
    return updated == 1


def finish(obj: models.Model, *, by: str | None = None, **fields: Any) -> None:
    """Mark a claimed row done, with other fields of the domain row; LostClaim if not ours.

    Call it inside the transaction that holds the work's writes: they commit together or not at
    all, which is what makes redoing the work safe.
    """
    if not _settle(obj, by, state=WorkState.DONE, error="", **fields):
        raise LostClaim(f"{type(obj).__name__} {obj.pk}")


def fail(obj: models.Model, error: str, *, by: str | None = None, **fields: Any) -> bool:
    """Mark a claimed row failed with a message; False if it was no longer ours."""
    return _settle(obj, by, state=WorkState.FAILED, error=error[:2000], **fields)


def release(obj: models.Model, *, by: str | None = None) -> bool:
    """Give a claimed row back as pending (the worker is stopping before starting it)."""
    by = by or worker_id()
    return (
        type(obj)
        ._default_manager.filter(pk=obj.pk, state=WorkState.CLAIMED, claimed_by=by)
        .update(
            state=WorkState.PENDING, claimed_by="", lease_until=None, attempts=F("attempts") - 1
        )
        == 1
    )


def renew_leases(by: str) -> int:
    """Extend every lease this worker holds (its heartbeat calls this); return how many."""
    until = _lease()
    renewed = 0
    for kind in KINDS.values():
        mine = kind.queryset().filter(state=WorkState.CLAIMED, claimed_by=by)
        with transaction.atomic(using=mine.db):
            # Rows locked in key order, as a worker that commits two of its rows at once does
            # (mailings): a plain UPDATE locks them in whatever order it finds them, and the two
            # could deadlock.
            pks = list(mine.select_for_update().order_by("pk").values_list("pk", flat=True))
            if pks:
                renewed += mine.filter(pk__in=pks).update(lease_until=until)
    return renewed


def requeue(obj: models.Model) -> bool:
    """Interrupted (or failed) work goes back to pending, for a director who chose to retry."""
    return (
        type(obj)
        ._default_manager.filter(pk=obj.pk, state__in=[WorkState.INTERRUPTED, WorkState.FAILED])
        .update(
            state=WorkState.PENDING,
            claimed_by="",
            lease_until=None,
            error="",
            queued_at=timezone.now(),
            finished_at=None,
        )
        == 1
    )


def abandon(obj: models.Model, reason: str) -> bool:
    """Interrupted work is given up for good (a director's decision): it becomes failed."""
    return (
        type(obj)
        ._default_manager.filter(pk=obj.pk, state=WorkState.INTERRUPTED)
        .update(state=WorkState.FAILED, error=reason[:2000], finished_at=timezone.now())
        == 1
    )
