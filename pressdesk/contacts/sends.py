"""Bulk sends of the GDPR mails (art. 14 notices, retention re-asks): one row per recipient.

Queuing writes one `NoticeSend` row per contact and, in the same transaction, one wake-up task per
batch of rows. A worker claims a batch of pending rows (SKIP LOCKED on PostgreSQL), sends each
mail and marks its row. A worker that dies mid-batch leaves its claimed rows to the sweeper, which
marks them interrupted: whether their mail left is unknown, so they are never resent on their
own; a director retries or abandons them on the background work page.
"""

from __future__ import annotations

import logging
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


def process(send_id: int) -> dict[str, int]:
    """Claim a batch of pending rows like this one (its own first, if still pending) and send."""
    # all-orgs: a wake-up carries only the row's id; the row names its organisation
    hint = NoticeSend.objects.filter(pk=send_id).select_related("org", "requested_by").first()
    if hint is None:
        return {"sent": 0, "skipped": 0, "failed": 0}
    same = NoticeSend.objects.for_org(hint.org_id).filter(kind=hint.kind)
    batch = claims.claim_batch(same, BATCH)
    if not batch:
        return {"sent": 0, "skipped": 0, "failed": 0}
    org, actor = hint.org, hint.requested_by
    blocked = services.opted_out_hashes(org)
    contacts = (
        Contact.objects.for_org(org)
        .filter(pk__in=[row.contact_id for row in batch])
        .select_related("org")
    )
    by_pk = {c.pk: c for c in contacts.prefetch_related("emails")}
    outcome = {"sent": 0, "skipped": 0, "failed": 0}
    for row in batch:
        contact = by_pk[row.contact_id]
        try:
            sent = _send(row, contact, actor, blocked)
        except Exception as e:
            logger.exception("%s to contact %s failed", row.get_kind_display(), contact.pk)
            claims.fail(row, f"{type(e).__name__}: {e}")
            outcome["failed"] += 1
            continue
        outcome["sent" if sent else "skipped"] += 1
    data: dict[str, Any] = {"count": outcome["sent"], "skipped": outcome["skipped"]}
    if outcome["failed"]:
        data["failed"] = outcome["failed"]
    if hint.kind == NoticeSend.NOTICE:
        data["bulk"] = True
    audit.record(
        AUDIT_ACTIONS[hint.kind],
        org=org,
        actor=actor,
        actor_label="" if actor else "worker",
        **data,
    )
    return outcome


def _begin(row: NoticeSend) -> None:
    """Mark the mail as handed over: from here, a crash leaves its fate unknown (interrupted)."""
    mine = NoticeSend.objects.for_org(row.org_id).filter(
        pk=row.pk, state=WorkState.CLAIMED, claimed_by=claims.worker_id()
    )
    if not mine.update(outcome=NoticeSend.SENDING):
        raise claims.LostClaim(f"NoticeSend {row.pk}")


def _send(row: NoticeSend, contact: Contact, actor: User | None, blocked: set[str]) -> bool:
    """Send one row's mail if it still applies, and mark the row; True if a mail left."""
    if row.kind == NoticeSend.NOTICE:
        address = gdpr.mailable_address(contact, blocked)
        if address is None or contact.notice_sent_at is not None:
            claims.finish(row, outcome=NoticeSend.SKIPPED)
            return False
        _begin(row)
        gdpr.deliver_notice(contact, address, actor)
        now = timezone.now()
        with transaction.atomic():
            claims.finish(row, outcome=NoticeSend.SENT)
            Contact.objects.for_org(contact.org_id).filter(
                pk=contact.pk, notice_sent_at=None
            ).update(notice_sent_at=now)
            services.record_changes(contact, {"notice_sent_at": (None, now)}, by=actor)
        return True
    if not retention.still_to_reask(contact):
        claims.finish(row, outcome=NoticeSend.SKIPPED)
        return False
    _begin(row)
    sent = retention.reask(contact, by=actor, blocked=blocked)
    claims.finish(row, outcome=NoticeSend.SENT if sent else NoticeSend.SKIPPED)
    return sent
