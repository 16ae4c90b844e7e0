"""Alerts by mail: instant (a clipping for a chosen query), a daily digest at the member's chosen
time, and a spike when a query's volume jumps above its usual range.

Each mail is an `AlertMail` ledger row, unique per rule, kind and key, queued in the transaction
that makes it due and woken like any durable work. A worker claims it, marks it `sending`, hands
it to the mail server and marks it sent: a crash after `sending` leaves it interrupted for a
director to decide, never resent on its own (docs/decisions/0002-durable-work.md).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from statistics import mean
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from pressdesk.accounts.models import Membership, Organisation
from pressdesk.lib.mail import send_templated
from pressdesk.monitoring.models import AlertKind, AlertMail, AlertRule, Clipping, Item
from pressdesk.work import claims
from pressdesk.work.sweeper import wake

logger = logging.getLogger("pressdesk.monitoring")

# A spike: at least this many clippings in a day, and this many times the usual daily volume.
SPIKE_MIN = 5
SPIKE_FACTOR = 3.0
SPIKE_HISTORY_DAYS = 14
DIGEST_MAX = 100


def _queue(rule: AlertRule, kind: str, key: str, clipping_ids: list[int]) -> AlertMail | None:
    """One ledger row and its wake-up, unless this mail was queued already."""
    try:
        with transaction.atomic():
            mail = AlertMail.objects.for_org(rule.org_id).create(
                rule=rule, kind=kind, key=key, clippings=clipping_ids
            )
            wake(mail)
    except IntegrityError:
        return None
    return mail


def _rules_for(org_id: int, query_ids: set[int]) -> Q:
    return Q(query__isnull=True) | Q(query_id__in=query_ids)


def on_clippings(item: Item, clippings: list[Clipping]) -> int:
    """Queue instant alerts for new clippings (in the pipeline's transaction); how many."""
    return on_batch(item.org_id, [(item, clippings)])


def has_instant_rules(org_id: int) -> bool:
    """Whether any member of the organisation asked for instant alerts."""
    return AlertRule.objects.for_org(org_id).filter(instant=True).exists()


def on_batch(org_id: int, clipped: list[tuple[Item, list[Clipping]]]) -> int:
    """Queue instant alerts for the new clippings of a batch of articles; how many.

    The organisation's instant rules are read once for the batch, not once an article.
    """
    query_ids = {c.query_id for _item, clippings in clipped for c in clippings}
    if not query_ids:
        return 0
    rules = list(
        AlertRule.objects.for_org(org_id).filter(_rules_for(org_id, query_ids), instant=True)
    )
    queued = 0
    for item, clippings in clipped:
        by_query = {c.query_id: c for c in clippings}
        for rule in rules:
            chosen = [c for q, c in by_query.items() if rule.query_id in (None, q)]
            # One mail per article and rule, naming every query it matched.
            if not chosen:
                continue
            if _queue(rule, AlertKind.INSTANT, f"item:{item.pk}", [c.pk for c in chosen]):
                queued += 1
    return queued


def _local_now(org: Organisation, now: datetime) -> datetime:
    return now.astimezone(ZoneInfo(org.timezone))


def queue_digests(now: datetime | None = None) -> int:
    """Queue the day's digest of every rule whose chosen time has come (the periodic job)."""
    now = now or timezone.now()
    queued = 0
    # all-orgs: the digest job serves every organisation's members
    rules = AlertRule.objects.filter(digest=True).select_related("org")
    for rule in rules:
        local = _local_now(rule.org, now)
        if local.time() < rule.digest_time:
            continue
        day = local.date().isoformat()
        since = now - timedelta(days=1)
        clippings = Clipping.objects.for_org(rule.org_id).filter(created__gte=since)
        if rule.query_id:
            clippings = clippings.filter(query_id=rule.query_id)
        ids = list(clippings.order_by("-created").values_list("pk", flat=True)[:DIGEST_MAX])
        if ids and _queue(rule, AlertKind.DIGEST, f"day:{day}", ids):
            queued += 1
    return queued


def is_spike(today: int, history: list[int]) -> bool:
    """Whether today's count is above the query's usual daily range."""
    usual = mean(history) if history else 0.0
    return today >= SPIKE_MIN and today >= SPIKE_FACTOR * max(usual, 1.0)


def queue_spikes(now: datetime | None = None) -> int:
    """Queue a spike alert for each rule whose query jumped in the last 24 hours."""
    now = now or timezone.now()
    queued = 0
    # all-orgs: the spike job serves every organisation's members
    for rule in AlertRule.objects.filter(spike=True).select_related("org"):
        clippings = Clipping.objects.for_org(rule.org_id)
        if rule.query_id:
            clippings = clippings.filter(query_id=rule.query_id)
        day = timedelta(days=1)
        today = list(clippings.filter(created__gte=now - day).values_list("pk", flat=True))
        history = [
            clippings.filter(created__gte=now - (n + 1) * day, created__lt=now - n * day).count()
            for n in range(1, SPIKE_HISTORY_DAYS + 1)
        ]
        if is_spike(len(today), history):
            key = f"spike:{_local_now(rule.org, now).date().isoformat()}"
            if _queue(rule, AlertKind.SPIKE, key, today[:DIGEST_MAX]):
                queued += 1
    return queued


TEMPLATES = {
    AlertKind.INSTANT: "monitoring/emails/alert_instant",
    AlertKind.DIGEST: "monitoring/emails/alert_digest",
    AlertKind.SPIKE: "monitoring/emails/alert_spike",
}


def send(mail_id: int) -> str:
    """Claim one alert mail and send it; its outcome ("" if another worker has it)."""
    mail = claims.claim(AlertMail, mail_id)
    if mail is None:
        return ""
    rule = (
        AlertRule.objects.for_org(mail.org_id)
        .select_related("user", "org", "query")
        .get(pk=mail.rule_id)
    )
    member = Membership.objects.for_org(mail.org_id).filter(user=rule.user).exists()
    clippings = list(
        Clipping.objects.for_org(mail.org_id)
        .filter(pk__in=mail.clippings)
        .select_related("item", "item__outlet", "query")
        .order_by("-created")
    )
    if not member or not rule.user.is_active or not clippings:
        with transaction.atomic():
            claims.finish(mail, outcome=AlertMail.SKIPPED)
        return AlertMail.SKIPPED
    mine = AlertMail.objects.for_org(mail.org_id).filter(
        pk=mail.pk, state="claimed", claimed_by=claims.worker_id()
    )
    if not mine.update(outcome=AlertMail.SENDING):
        raise claims.LostClaim(f"AlertMail {mail.pk}")
    try:
        send_templated(
            TEMPLATES[AlertKind(mail.kind)],
            rule.user.email,
            {"org": rule.org, "rule": rule, "clippings": clippings, "count": len(clippings)},
            language=rule.user.language or rule.org.language,
        )
    except Exception as exc:  # the mail server said no: the row says why
        logger.exception("alert mail %s failed", mail.pk)
        claims.fail(mail, f"{type(exc).__name__}: {exc}")
        return "failed"
    with transaction.atomic():
        claims.finish(mail, outcome=AlertMail.SENT)
    return AlertMail.SENT
