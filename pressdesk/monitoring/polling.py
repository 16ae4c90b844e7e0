"""Polling sources: each source's next poll is a durable row that one worker at a time claims.

Between polls the row is `done` with `due_at` set. The periodic job `monitoring.schedule_polls`
turns due rows pending (a conditional UPDATE) and wakes them; whichever worker is free claims the
row, fetches with a conditional GET, stores the new items (each its own durable pipeline work)
and finishes the row with its next due time, all in one transaction. A host's politeness clock is
shared by every worker, so two sources on one site are never fetched back to back.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from pressdesk.lib import safe_http
from pressdesk.monitoring.models import Health, Host, Item, Source, SourcePoll
from pressdesk.work import claims
from pressdesk.work.models import WorkState
from pressdesk.work.sweeper import wake

logger = logging.getLogger("pressdesk.monitoring")

# Backoff after consecutive errors: the interval doubles, up to a day.
MAX_BACKOFF_SECONDS = 86400
# A source that brought nothing new for this long (and at least 3 intervals) is flagged silent.
SILENT_AFTER = timedelta(days=3)


def host_delay() -> float:
    """Seconds between two requests to one host, for every organisation and worker together."""
    return float(getattr(settings, "MONITORING_HOST_DELAY", 2.0))


def url_key(url: str) -> str:
    """The unique key of an article address."""
    return hashlib.sha1(url.strip().encode(), usedforsecurity=False).hexdigest()


@dataclass
class Found:
    """One article a poll found: what the feed said about it."""

    url: str
    payload: dict[str, Any]
    title: str = ""
    guid: str = ""
    author: str = ""
    published: datetime | None = None


@dataclass
class PollOutcome:
    """What fetching a source gave: new entries, 'not modified', or an error."""

    found: list[Found] = field(default_factory=list)
    not_modified: bool = False
    error: str = ""
    etag: str = ""
    last_modified: str = ""
    title: str = ""


def schedule_due(now: datetime | None = None, limit: int = 1000) -> int:
    """Make due polls pending and wake them; return how many (the periodic job)."""
    now = now or timezone.now()
    # all-orgs: the scheduler turns every organisation's due polls into work
    due = SourcePoll.objects.filter(
        state__in=[WorkState.DONE, WorkState.FAILED], due_at__lte=now, source__active=True
    ).values_list("pk", flat=True)[:limit]
    woken = 0
    for pk in list(due):
        with transaction.atomic():
            # all-orgs: a conditional UPDATE by primary key, one winner among schedulers
            moved = SourcePoll.objects.filter(
                pk=pk, state__in=[WorkState.DONE, WorkState.FAILED]
            ).update(state=WorkState.PENDING, queued_at=now, claimed_by="", error="")
            if moved:
                wake(SourcePoll(pk=pk))
                woken += 1
    return woken


def take_turn(host: str, *, now: datetime | None = None) -> datetime | None:
    """Take the host's next turn: None if ours now, else when the host is free again."""
    now = now or timezone.now()
    # A host never seen before is free at once.
    Host.objects.get_or_create(name=host, defaults={"next_allowed_at": now - timedelta(days=1)})
    delay = timedelta(seconds=host_delay())
    won = Host.objects.filter(name=host, next_allowed_at__lte=now).update(
        next_allowed_at=now + delay
    )
    if won:
        return None
    return Host.objects.filter(name=host).values_list("next_allowed_at", flat=True).first()


def fetch_source(source: Source) -> PollOutcome:
    """Fetch and read one source (no database writes); errors become the outcome's reason."""
    from pressdesk.monitoring import readers

    try:
        result = safe_http.fetch(
            source.url,
            etag=source.etag or None,
            last_modified=source.last_modified or None,
        )
    except (safe_http.FetchRefused, safe_http.FetchError) as exc:
        return PollOutcome(error=str(getattr(exc, "reason", exc)))
    if result.not_modified:
        return PollOutcome(not_modified=True, etag=source.etag, last_modified=source.last_modified)
    if result.status >= 400:
        return PollOutcome(error=f"HTTP {result.status}")
    outcome = readers.read(source.kind, result.content, result.url)
    outcome.etag = result.etag or ""
    outcome.last_modified = result.last_modified or ""
    return outcome


def next_due(source: Source, errors: int, now: datetime) -> datetime:
    """When to poll again: the interval, doubled for each consecutive error (capped)."""
    seconds = (
        source.interval_seconds * (2 ** min(errors, 10)) if errors else source.interval_seconds
    )
    return now + timedelta(seconds=min(seconds, MAX_BACKOFF_SECONDS))


def store_found(
    org_id: int, found: list[Found], *, source: Source | None = None, outlet_id: int | None = None
) -> list[Item]:
    """Create the items not seen before and wake their pipeline work; return them."""
    keys = {url_key(f.url): f for f in found if f.url}
    known = set(
        Item.objects.for_org(org_id)
        .filter(url_key__in=list(keys))
        .values_list("url_key", flat=True)
    )
    rows = [
        Item(
            org_id=org_id,
            source=source,
            outlet_id=source.outlet_id if source else outlet_id,
            url=entry.url[:2000],
            url_key=key,
            guid=entry.guid[:500],
            title=entry.title[:500],
            author=entry.author[:300],
            published=entry.published,
            payload=entry.payload,
        )
        for key, entry in keys.items()
        if key not in known
    ]
    if not rows:
        return []
    try:
        # One INSERT for the poll's new items; their wake-ups commit with them.
        with transaction.atomic():
            created = Item.objects.for_org(org_id).bulk_create(rows)
            for item in created:
                wake(item)
        return created
    except IntegrityError:
        pass  # another source of the organisation stored one meanwhile: one by one
    created = []
    for row in rows:
        try:
            with transaction.atomic():
                row.pk = None
                row._state.adding = True
                row.save(force_insert=True)
                wake(row)
        except IntegrityError:
            continue
        created.append(row)
    return created


def apply_outcome(source: Source, outcome: PollOutcome, now: datetime) -> tuple[list[Item], int]:
    """Record a poll's outcome on the source (health, validators); new items and errors."""
    changes: dict[str, Any] = {"last_polled_at": now}
    new: list[Item] = []
    if outcome.error:
        errors = source.consecutive_errors + 1
        changes.update(
            consecutive_errors=errors, health=Health.FAILING, health_reason=outcome.error[:500]
        )
    else:
        errors = 0
        changes.update(consecutive_errors=0, last_ok_at=now)
        if not outcome.not_modified:
            new = store_found(source.org_id, outcome.found, source=source)
            changes.update(etag=outcome.etag[:300], last_modified=outcome.last_modified[:100])
            if outcome.title and not source.title:
                changes["title"] = outcome.title[:300]
        if new:
            changes.update(last_new_item_at=now, items_seen=F("items_seen") + len(new))
        quiet_since = source.last_new_item_at or source.created
        quiet_limit = max(SILENT_AFTER, timedelta(seconds=3 * source.interval_seconds))
        if not new and now - quiet_since > quiet_limit:
            changes.update(health=Health.SILENT, health_reason="")
        elif new or source.health != Health.SILENT:
            changes.update(health=Health.OK, health_reason="")
    Source.objects.for_org(source.org_id).filter(pk=source.pk).update(**changes)
    return new, errors


@dataclass
class PollReport:
    source_id: int
    new_items: list[int] = field(default_factory=list)
    error: str = ""
    not_modified: bool = False
    postponed_until: datetime | None = None


def run_poll(poll_id: int, *, wait_for_host: bool = False) -> PollReport | None:
    """Claim one poll, fetch its source and store what it found; None if someone else has it."""
    poll = claims.claim(SourcePoll, poll_id)
    if poll is None:
        return None
    source = Source.objects.for_org(poll.org_id).select_related("outlet").get(pk=poll.source_id)
    report = PollReport(source.pk)
    host = (urlsplit(source.url).hostname or "").lower()
    free_at = take_turn(host)
    while free_at is not None and wait_for_host:
        time.sleep(max(0.0, (free_at - timezone.now()).total_seconds()))
        free_at = take_turn(host)
    if free_at is not None:
        # Not this host's turn: the poll waits for it without counting as one.
        with transaction.atomic():
            claims.finish(poll, due_at=free_at, attempts=F("attempts") - 1)
        report.postponed_until = free_at
        return report
    try:
        outcome = fetch_source(source)
    except Exception as exc:  # a reader's bug must not kill the worker nor stop the schedule
        logger.exception("poll of source %s failed", source.pk)
        outcome = PollOutcome(error=f"{type(exc).__name__}: {exc}"[:500])
    now = timezone.now()
    with transaction.atomic():
        new, errors = apply_outcome(source, outcome, now)
        claims.finish(poll, due_at=next_due(source, errors, now), polls=F("polls") + 1)
    report.new_items = [i.pk for i in new]
    report.error = outcome.error
    report.not_modified = outcome.not_modified
    return report


def poll_now(source: Source) -> None:
    """Ask for a poll as soon as a worker is free (the "poll now" button)."""
    SourcePoll.objects.for_org(source.org_id).filter(source=source).update(due_at=timezone.now())
