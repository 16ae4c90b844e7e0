"""Bulk sends of the GDPR mails (art. 14 notices, retention re-asks): one row per recipient.

Queuing writes one `NoticeSend` row per contact and, in the same transaction, one wake-up task per
batch of rows. A worker claims a batch of pending rows (SKIP LOCKED on PostgreSQL), sends each
mail through the mail engine's outbox (pressdesk/mailings/outbox.py: EMAIL_URL transport, rates,
backoff, auto-pause; docs/decisions/0005) and marks its row. A row is marked "sending" with its
Message-ID, committed, before its mail is handed over: a worker that dies after that leaves it
to the sweeper, which marks it interrupted (whether the mail left is unknown), never resent on
its own; a director retries or abandons it on the background work page. The rows it had claimed
but not begun go back to pending.

Who is owed a mail stays decided here, not by the engine: an art. 14 notice is owed to every
contact whose details came from elsewhere, whatever their press-mail preferences (it tells them
what is held and how to object), so only a mailable address is required.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from pressdesk.accounts import audit
from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts import gdpr, retention, services
from pressdesk.contacts.models import Contact, NoticeSend
from pressdesk.work import claims
from pressdesk.work.models import WorkState
from pressdesk.work.sweeper import wake

logger = logging.getLogger(__name__)

BATCH = 50
OPEN = [WorkState.PENDING, WorkState.CLAIMED, WorkState.INTERRUPTED]
AUDIT_ACTIONS = {
    NoticeSend.NOTICE: "contact.notice_sent",
    NoticeSend.REASK: "contact.retention_reask",
}


def queue(org: Organisation, kind: str, contacts: QuerySet[Contact], *, by: User | None) -> int:
    """Queue one mail of this kind to each of these contacts not already waiting for one."""
    with transaction.atomic():
        waiting = (
            NoticeSend.objects.for_org(org).filter(kind=kind, state__in=OPEN).values("contact_id")
        )
        pks = list(contacts.filter(org=org).exclude(pk__in=waiting).values_list("pk", flat=True))
        rows = NoticeSend.objects.for_org(org).bulk_create(
            [NoticeSend(org=org, contact_id=pk, kind=kind, requested_by=by) for pk in pks]
        )
        for row in rows[::BATCH]:
            wake(row)
    return len(rows)


def stream_name(kind: str) -> str:
    """The outbox stream of one kind of GDPR mail (its backoff and pause, per organisation)."""
    return f"contacts.{kind}"


def process(send_id: int) -> dict[str, int]:
    """Claim a batch of pending rows like this one (its own first, if still pending) and send."""
    from pressdesk.mailings import outbox

    outcome = {"sent": 0, "skipped": 0, "failed": 0, "deferred": 0, "uncertain": 0}
    # all-orgs: a wake-up carries only the row's id; the row names its organisation
    hint = NoticeSend.objects.filter(pk=send_id).select_related("org", "requested_by").first()
    if hint is None:
        return _shown(outcome)
    name = stream_name(hint.kind)
    waiting = outbox.waiting(hint.org_id, name)
    if waiting is not None:
        # Paused: a director's resume wakes the rows. Backing off: wake up when it ends.
        if waiting.paused_at is None and waiting.backoff_until is not None:
            _wake_later(hint, waiting.backoff_until)
        return _shown(outcome)
    same = NoticeSend.objects.for_org(hint.org_id).filter(kind=hint.kind)
    batch, limit = outbox.claim(same, BATCH)
    if limit <= 0:
        _wake_later(hint, timezone.now() + timedelta(seconds=5))
        return _shown(outcome)
    if not batch:
        return _shown(outcome)
    org, actor = hint.org, hint.requested_by
    blocked = services.opted_out_hashes(org)
    contacts = (
        Contact.objects.for_org(org)
        .filter(pk__in=[row.contact_id for row in batch])
        .select_related("org")
    )
    by_pk = {c.pk: c for c in contacts.prefetch_related("emails")}
    box = outbox.Outbox(org.pk, name, NoticeSend)
    for index, row in enumerate(batch):
        contact = by_pk[row.contact_id]
        try:
            result = _send(row, contact, actor, blocked, box)
        except claims.LostClaim:
            # The sweeper gave the row to another worker: nothing of ours was sent or recorded.
            logger.warning("NoticeSend %s is no longer ours", row.pk)
            continue
        except Exception as e:
            logger.exception("%s to contact %s failed", row.get_kind_display(), contact.pk)
            claims.fail(row, f"{type(e).__name__}: {e}")
            result = "failed"
        outcome[result] += 1
        if result in ("deferred", "uncertain"):
            box.give_back(batch[index + 1 :])
            stopped = outbox.waiting(org.pk, name)
            if stopped is not None and stopped.paused_at is None and stopped.backoff_until:
                _wake_later(hint, stopped.backoff_until)
            break
    else:
        if limit < BATCH and len(batch) == limit:
            # More may wait behind a batch cut short by the rate: the next wake-up takes them.
            _wake_later(hint, None)
    _audit(hint, org, actor, outcome)
    return _shown(outcome)


def _shown(outcome: dict[str, int]) -> dict[str, int]:
    """sent, skipped and failed always; deferred and uncertain when they happened."""
    return {k: v for k, v in outcome.items() if v or k in ("sent", "skipped", "failed")}


def _wake_later(hint: NoticeSend, at: Any) -> None:
    """Queue the wake-up that goes on with this kind's rows (now, or at a time)."""
    from pressdesk.contacts import tasks

    task = tasks.send_queued.using(run_after=at) if at is not None else tasks.send_queued
    task.enqueue(hint.pk)


def _audit(
    hint: NoticeSend, org: Organisation, actor: User | None, outcome: dict[str, int]
) -> None:
    if not (outcome["sent"] or outcome["skipped"] or outcome["failed"]):
        return
    data: dict[str, Any] = {"count": outcome["sent"], "skipped": outcome["skipped"]}
    for key in ("failed", "deferred", "uncertain"):
        if outcome[key]:
            data[key] = outcome[key]
    if hint.kind == NoticeSend.NOTICE:
        data["bulk"] = True
    audit.record(
        AUDIT_ACTIONS[hint.kind],
        org=org,
        actor=actor,
        actor_label="" if actor else "worker",
        **data,
    )


def resume(org: Organisation, kind: str, *, by: User, request: Any = None) -> bool:
    """A director resumes a paused kind of GDPR mail: its pending rows are woken again."""
    from pressdesk.mailings import outbox

    with transaction.atomic():
        if not outbox.resume(org.pk, stream_name(kind)):
            return False
        pending = NoticeSend.objects.for_org(org).filter(kind=kind, state=WorkState.PENDING)
        for row in pending.order_by("pk")[::BATCH]:
            wake(row)
        audit.record(
            "mailings.outbox_resume", org=org, actor=by, request=request, stream=stream_name(kind)
        )
    return True


def _send(
    row: NoticeSend, contact: Contact, actor: User | None, blocked: set[str], box: Any
) -> str:
    """Send one row's mail if it still applies, and mark the row; what became of it."""
    from pressdesk.mailings.outbox import Result

    address = gdpr.mailable_address(contact, blocked)
    if row.kind == NoticeSend.NOTICE:
        owed = address is not None and contact.notice_sent_at is None
    else:
        owed = address is not None and retention.still_to_reask(contact)
    if not owed or address is None:
        claims.finish(row, outcome=NoticeSend.SKIPPED)
        return "skipped"
    if row.kind == NoticeSend.NOTICE:
        message = gdpr.notice_message(contact, address)
    else:
        message = retention.reask_message(contact, address)
    handed = box.send(row, message)
    if handed.result is Result.LOST:
        raise claims.LostClaim(f"NoticeSend {row.pk}")
    if handed.result is not Result.SENT:
        return {Result.REFUSED: "failed"}.get(handed.result, handed.result.value)
    now = timezone.now()
    with transaction.atomic():
        claims.finish(row, outcome=NoticeSend.SENT)
        if row.kind == NoticeSend.NOTICE:
            Contact.objects.for_org(contact.org_id).filter(
                pk=contact.pk, notice_sent_at=None
            ).update(notice_sent_at=now)
            services.record_changes(contact, {"notice_sent_at": (None, now)}, by=actor)
            gdpr.record_notice(contact, address, actor)
        else:
            retention.record_reask(contact, by=actor)
    return "sent"
