"""The worker's side of a mailing: claim a batch of ledger rows, send each, mark each.

For each row, in this order:
1. the row is claimed (claims.claim_batch: SKIP LOCKED on PostgreSQL);
2. its message is built; then ONE conditional UPDATE stores its Message-ID and marks it
   "sending", only if the row is still ours and its address (or the person) is not on the
   opt-out list *now* — so an objection that arrives during a send stops the next message.
   This commit happens before step 3, always;
3. the message goes to the server (MAIL, RCPT, DATA);
4. the row is marked sent with the server's answer (and the time of that answer). This mark
   rides in the commit of the next row's step 2 (one commit, one disk flush per message); the
   last row of a batch, a row before a pause of the pacer or before anything but a plain send
   is marked at once.

A worker killed between 2 and 4 leaves the row claimed with outcome "sending": when its lease
expires the sweeper makes it interrupted ("unknown" to the operator), never pending, so it is
never sent again without a person's decision. Rows claimed but not yet at step 2 go back to
pending (`unstarted` in the kind's registration).

Faults: a 5xx for one recipient marks that row failed and the batch goes on. A 4xx, a timeout or
a lost connection puts the row back, sets the mailing's `backoff_until` (doubling each time)
and stops the batch; after MAILINGS_PAUSE_AFTER_FAILURES such failures in a row the mailing
pauses itself with the reason. The rate: MAILINGS_RATE_PER_SECOND is kept by each worker
process; MAILINGS_RATE_PER_MINUTE counts every message the engine sent in the last minute (or
holds claimed to send), across workers, mailings and the outbox's GDPR mails alike
(`minute_allowance`, asked by both paths). A mailing may set its own, lower, rates.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import OperationalError, connection, models, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pressdesk.contacts.models import ContactEmail, OptOut
from pressdesk.contacts.models.optout import OptOutReason, address_hash
from pressdesk.mailings import transport as transports
from pressdesk.mailings.errors import MailingError
from pressdesk.mailings.models import Mailing, Recipient
from pressdesk.mailings.models.ledger import Outcome
from pressdesk.mailings.models.mailing import MailingState
from pressdesk.work import claims
from pressdesk.work.models import WorkState

logger = logging.getLogger("pressdesk.mailings")

BATCH = 50
# Rows of one mailing one wake-up stands for (the sweeper's re-wake arithmetic).
COVERS = 500
# PostgreSQL's SQLSTATE for a deadlock its detector broke by rolling back our statement.
DEADLOCK = "40P01"
# Wake-ups queued when a mailing starts: enough for several workers to share it.
FAN_OUT = 4


def setting(name: str, default: float) -> float:
    """A MAILINGS_* setting, with the engine's default."""
    return float(getattr(settings, name, default) or 0)


@dataclass
class Outcomes:
    """What one task did."""

    sent: int = 0
    failed: int = 0
    skipped: int = 0
    uncertain: int = 0
    deferred: int = 0
    stopped: str = ""  # why the task stopped early, if it did
    counts: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "sent": self.sent,
            "failed": self.failed,
            "skipped": self.skipped,
            "uncertain": self.uncertain,
            "deferred": self.deferred,
            "stopped": self.stopped,
        }


class Pacer:
    """Keeps one process under a number of messages per second (0: no limit)."""

    def __init__(
        self,
        per_second: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.gap = 1.0 / per_second if per_second > 0 else 0.0
        self.clock, self.sleep = clock, sleep
        self.next_at = 0.0

    def delay(self) -> float:
        """Seconds wait() would sleep now."""
        return max(0.0, self.next_at - self.clock()) if self.gap else 0.0

    def wait(self) -> None:
        """Return when the next message may leave."""
        if not self.gap:
            return
        now = self.clock()
        if self.next_at > now:
            self.sleep(self.next_at - now)
            now = self.next_at
        self.next_at = max(now, self.next_at) + self.gap


_pacers: dict[float, Pacer] = {}


def pacer(per_second: float) -> Pacer:
    """The process's pacer for this rate (kept between tasks, so the rate holds across them)."""
    if per_second not in _pacers:
        _pacers[per_second] = Pacer(per_second)
    return _pacers[per_second]


def rates(mailing: Mailing) -> tuple[float, float]:
    """(per second, per minute) in force for a mailing: the lower of its own and the settings'."""

    def lower(own: int | None, configured: float) -> float:
        values = [v for v in (own or 0, configured) if v > 0]
        return float(min(values)) if values else 0.0

    return (
        lower(mailing.rate_per_second, setting("MAILINGS_RATE_PER_SECOND", 0)),
        lower(mailing.rate_per_minute, setting("MAILINGS_RATE_PER_MINUTE", 0)),
    )


# The outbox's tables (GDPR notices, re-asks…) whose sends count against the per-minute rate
# beside the mailings' ledger: (model, its "sent" outcome); their sent rows carry `finished_at`.
COUNTED: list[tuple[type[models.Model], str]] = []


def count_sent_in(model: type[models.Model], outcome: str) -> None:
    """Count this table's sends against the per-minute rate (call from an AppConfig.ready)."""
    if (model, outcome) not in COUNTED:
        COUNTED.append((model, outcome))


def sent_last_minute(now: datetime) -> int:
    """Messages the engine handed over in the last minute, or is about to, by every worker and
    through both paths: the mailings' ledger and the outbox's tables (the relay's view).

    A claimed row counts too: the worker holding it sends it within its batch, and a worker
    counting only what is done would let another claim the same minute's allowance twice.
    """
    since = now - timedelta(seconds=60)
    # all-orgs: the relay's rate limit counts every organisation's mail
    total = Recipient.objects.filter(
        Q(sent_at__gte=since, outcome=Outcome.SENT) | Q(state=WorkState.CLAIMED)
    ).count()
    for model, outcome in COUNTED:
        # all-orgs: the relay's rate limit counts every organisation's mail
        total += model._default_manager.filter(
            Q(finished_at__gte=since, outcome=outcome) | Q(state=WorkState.CLAIMED)
        ).count()
    return total


def minute_allowance(per_minute: float, now: datetime) -> int | None:
    """How many more messages may leave now under `per_minute` (None: no limit); the one count
    both paths ask before they claim rows, a mailing's wake-up and the outbox's callers."""
    if per_minute <= 0:
        return None
    return max(0, int(per_minute) - sent_last_minute(now))


# Any constant: the advisory lock that makes "count the minute, then claim" one step.
RATE_LOCK = 0x50524553


@contextlib.contextmanager
def rate_turn(per_minute: float) -> Iterator[None]:
    """Hold the engine's rate lock while the caller counts the minute and claims: without it, two
    workers counting at the same moment could both spend the same allowance. On SQLite the
    IMMEDIATE transaction is that lock; on PostgreSQL an advisory lock, taken only under a rate."""
    with writer_turn(), transaction.atomic():
        if per_minute > 0 and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RATE_LOCK])
        yield


def claim_at_rate(
    rows: models.QuerySet[Any], limit: int, per_minute: float, now: datetime
) -> tuple[list[Any], int]:
    """Claim up to `limit` rows within the minute's allowance, counted and claimed under one
    lock; returns the rows and the limit applied (0: the minute's allowance is spent)."""
    with rate_turn(per_minute):
        allowed = minute_allowance(per_minute, now)
        if allowed is not None:
            limit = min(limit, allowed)
        if limit <= 0:
            return [], 0
        return claims.claim_batch(rows, limit), limit


def envelope_sender(composed: str) -> str:
    """The SMTP MAIL FROM: MAILINGS_RETURN_PATH (a bounce mailbox), else the message's sender."""
    return getattr(settings, "MAILINGS_RETURN_PATH", "") or composed


def _sql() -> dict[str, str]:
    """The two statements run for every message, written once: the ORM would spend more time
    building them than the database spends running them."""
    r = Recipient._meta.db_table
    o = OptOut._meta.db_table
    e = ContactEmail._meta.db_table
    mine = "id = %s AND state = 'claimed' AND claimed_by = %s"
    # Only table names and constants are interpolated; every value is a parameter.
    # Marked "sending" with its Message-ID only if still ours and nobody objected: the
    # address itself, or (for a personal reason) any address of the same person.
    sending = f"""UPDATE {r} SET outcome = 'sending', message_id = %s
            WHERE {mine} AND outcome = ''
            AND NOT EXISTS (SELECT 1 FROM {o} WHERE {o}.org_id = %s AND (
                {o}.address_hash = %s
                OR ({o}.reason <> '{OptOutReason.HARD_BOUNCE.value}' AND {o}.address_hash IN (
                    SELECT {e}.address_hash FROM {e}
                    WHERE {e}.org_id = %s AND {e}.contact_id = %s AND {e}.address_hash <> ''))))"""  # noqa: S608
    sent = f"""UPDATE {r} SET state = 'done', outcome = 'sent', error = '',
            sent_at = %s, finished_at = %s, smtp_reply = %s, lease_until = NULL WHERE {mine}"""  # noqa: S608
    return {
        "sending": sending,
        # claims.finish, for the one outcome that happens thousands of times a minute.
        "sent": sent,
        # PostgreSQL: the previous row's "sent" and this row's "sending" in one statement, so in
        # one commit and one round trip; this row is not started if the previous was not ours.
        "sent_then_sending": f"""WITH done AS ({sent} RETURNING 1),
            started AS ({sending} AND EXISTS (SELECT 1 FROM done) RETURNING 1)
            SELECT (SELECT count(*) FROM done), (SELECT count(*) FROM started)""",  # noqa: S608
    }


SQL: dict[str, str] = {}


def _execute(name: str, params: list[Any]) -> int:
    if not SQL:
        SQL.update(_sql())
    with connection.cursor() as cursor:
        cursor.execute(SQL[name], params)
        return int(cursor.rowcount)


def _sending_params(row: Recipient, message_id: str, by: str) -> list[Any]:
    hashed = address_hash(row.address)
    return [message_id[:255], row.pk, by, row.org_id, hashed, row.org_id, row.contact_id or 0]


def mark_sending(row: Recipient, message_id: str, by: str) -> bool:
    """Step 2: store the Message-ID and mark the row "sending", unless someone objected now."""
    return bool(_execute("sending", _sending_params(row, message_id, by)))


@dataclass
class Handed:
    """A row the server accepted, whose "sent" mark waits for the next commit."""

    row: Recipient
    reply: str
    at: datetime


def mark_sent(handed: Handed, by: str) -> None:
    """Step 4 alone: the server said 250; LostClaim if the row is no longer ours.

    On PostgreSQL this commit does not wait for the disk (synchronous_commit off, for this
    transaction only): if the database itself crashed before flushing it, the row would be back
    at "sending", which is unknown, never resent. The "sending" mark, whose loss would resend,
    keeps waiting for the disk.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        if not _execute("sent", _sent_params(handed, by)):
            raise claims.LostClaim(f"Recipient {handed.row.pk}")


def _sent_params(handed: Handed, by: str) -> list[Any]:
    return [handed.at, handed.at, handed.reply[:500], handed.row.pk, by]


def mark_sent_then_sending(handed: Handed, row: Recipient, message_id: str, by: str) -> bool:
    """Step 4 of the previous row and step 2 of this one, committed together (one flush).

    LostClaim (and this row left untouched) if the previous row is no longer ours; else as
    mark_sending. The commit waits for the disk, as the "sending" mark must.
    """
    params = _sent_params(handed, by) + _sending_params(row, message_id, by)
    if connection.vendor == "postgresql":
        if not SQL:
            SQL.update(_sql())
        with connection.cursor() as cursor:
            cursor.execute(SQL["sent_then_sending"], params)
            done, started = cursor.fetchone()
        if not done:
            raise claims.LostClaim(f"Recipient {handed.row.pk}")
        return bool(started)
    with transaction.atomic():
        if not _execute("sent", params[:5]):
            raise claims.LostClaim(f"Recipient {handed.row.pk}")
        return bool(_execute("sending", params[5:]))


_LOCKS: dict[tuple[int, str], int] = {}


@contextlib.contextmanager
def writer_turn() -> Iterator[None]:
    """On SQLite, the engine's per-message writes queue on an OS lock beside the database file.

    SQLite's busy handler sleeps between tries (1, 2, 5… up to 100 ms): two workers that each
    write after every message spent most of their time asleep, and sent slower than one. A
    blocking flock wakes the waiter as soon as the other lets go; a killed worker's lock goes
    with its process. Other writers (web, other tasks) keep SQLite's own waiting.
    """
    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "sqlite" or name == ":memory:" or "mode=memory" in name:
        yield
        return
    key = (os.getpid(), f"{name}-send.lock")
    fd = _LOCKS.get(key)
    if fd is None:
        fd = _LOCKS[key] = os.open(key[1], os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


def composer_for(mailing: Mailing) -> Any:
    """The mailing's Composer (pressdesk/mailings/compose.py)."""
    from pressdesk.mailings.compose import Composer

    return Composer(mailing)


class Sender:
    """Sends the rows of one mailing that this worker claimed."""

    def __init__(self, mailing: Mailing, *, connection: transports.Transport | None = None):
        self.mailing = mailing
        self.org_id = mailing.org_id
        self.composer = composer_for(mailing)
        self.transport = connection or transports.transport()
        self.me = claims.worker_id()
        per_second, self.per_minute = rates(mailing)
        self.pacer = pacer(per_second)
        self.failures = mailing.consecutive_failures
        # The last row the server accepted, until its "sent" mark is committed.
        self.handed: Handed | None = None

    def mine(self, row: Recipient) -> Any:
        return Recipient.objects.for_org(self.org_id).filter(
            pk=row.pk, state=WorkState.CLAIMED, claimed_by=self.me
        )

    def send_batch(self, batch: list[Recipient], done: Outcomes) -> bool:
        """Send the batch's rows in order; False if the mailing must stop for now."""
        self.composer.prepare(batch)
        try:
            for index, row in enumerate(batch):
                if index and index % 10 == 0 and not self.still_sending():
                    done.stopped = "state"
                    self.settle()
                    self.give_back(batch[index:])
                    return False
                if self.pacer.delay() > 0:
                    # A row is not left "sending" while the pacer sleeps: a crash then would
                    # make it unknown for nothing.
                    self.settle()
                self.pacer.wait()
                if not self.send_one(row, done):
                    self.settle()
                    self.give_back(batch[index + 1 :])
                    return False
        finally:
            self.settle()
        return True

    def settle(self) -> None:
        """Commit the "sent" mark still waiting for a next row, if any."""
        handed, self.handed = self.handed, None
        if handed is not None:
            with writer_turn():
                mark_sent(handed, self.me)

    def start(self, row: Recipient, message_id: str) -> bool:
        """Step 2 for this row, carrying the previous row's step 4 in the same commit."""
        if self.handed is not None and self.handed.row.pk > row.pk:
            # Two rows are locked together only in key order, as the heartbeat locks them.
            self.settle()
        handed, self.handed = self.handed, None
        with writer_turn():
            if handed is None:
                return mark_sending(row, message_id, self.me)
            try:
                return mark_sent_then_sending(handed, row, message_id, self.me)
            except OperationalError as e:
                if getattr(e.__cause__, "sqlstate", None) != DEADLOCK:
                    raise
                # The statement rolled back whole: the same two marks, one commit each.
                logger.info("mailing %s: deadlock, marks committed apart", self.mailing.pk)
                mark_sent(handed, self.me)
                return mark_sending(row, message_id, self.me)

    def still_sending(self) -> bool:
        state = (
            Mailing.objects.for_org(self.org_id)
            .filter(pk=self.mailing.pk)
            .values_list("state", flat=True)
            .get()
        )
        return state == MailingState.SENDING

    def give_back(self, rows: list[Recipient]) -> None:
        """Claimed rows not yet started: pending again (cancelled if the mailing was)."""
        for row in rows:
            claims.release(row, by=self.me)
        if rows and self.mailing_state() == MailingState.CANCELLED:
            Recipient.objects.for_org(self.org_id).filter(
                pk__in=[r.pk for r in rows], state=WorkState.PENDING
            ).update(state=WorkState.DONE, outcome=Outcome.CANCELLED, finished_at=timezone.now())

    def mailing_state(self) -> str:
        return str(
            Mailing.objects.for_org(self.org_id)
            .filter(pk=self.mailing.pk)
            .values_list("state", flat=True)
            .get()
        )

    def send_one(self, row: Recipient, done: Outcomes) -> bool:
        """One row through steps 2 to 4; False if the mailing must stop (backoff or pause)."""
        try:
            rendered = self.composer.render(row)
        except MailingError as e:
            # Content that cannot be sent (a header injection in a merge field): this row fails.
            self.settle()
            claims.fail(row, str(e), by=self.me, outcome=Outcome.FAILED)
            done.failed += 1
            return True
        if not self.start(row, rendered.message_id):
            if not self.mine(row).exists():
                raise claims.LostClaim(f"Recipient {row.pk}")
            claims.finish(row, by=self.me, outcome=Outcome.SKIPPED, smtp_reply="opted out")
            done.skipped += 1
            return True
        try:
            reply = self.transport.send(
                rendered.data,
                envelope_sender(rendered.sender),
                rendered.to,
                smtputf8=rendered.smtputf8,
            )
        except transports.Refused as e:
            claims.fail(row, str(e), by=self.me, outcome=Outcome.FAILED, smtp_reply=str(e)[:500])
            done.failed += 1
            self.succeeded()  # the server works; this address does not
            return True
        except transports.Deferred as e:
            self.mine(row).update(outcome=Outcome.QUEUED, message_id="")
            claims.release(row, by=self.me)
            done.deferred += 1
            done.stopped = "backoff"
            self.back_off(str(e))
            return False
        except transports.Uncertain as e:
            # The server may have the message: unknown, for the operator; never resent alone.
            self.mine(row).update(
                state=WorkState.INTERRUPTED, error=str(e)[:2000], lease_until=None
            )
            done.uncertain += 1
            done.stopped = "backoff"
            self.back_off(str(e))
            return False
        # Marked sent by the next row's commit, or by settle() at the latest.
        self.handed = Handed(row, reply, timezone.now())
        done.sent += 1
        self.succeeded()
        return True

    def succeeded(self) -> None:
        if self.failures:
            self.failures = 0
            Mailing.objects.for_org(self.org_id).filter(pk=self.mailing.pk).update(
                consecutive_failures=0, backoff_until=None
            )

    def back_off(self, reason: str) -> None:
        """One more consecutive failure: wait longer before the next try, or pause."""
        from pressdesk.mailings import services

        self.failures += 1
        base = setting("MAILINGS_BACKOFF_SECONDS", 5)
        delay = min(base * 2 ** (self.failures - 1), setting("MAILINGS_BACKOFF_MAX_SECONDS", 300))
        until = timezone.now() + timedelta(seconds=delay)
        Mailing.objects.for_org(self.org_id).filter(pk=self.mailing.pk).update(
            consecutive_failures=F("consecutive_failures") + 1, backoff_until=until
        )
        limit = int(setting("MAILINGS_PAUSE_AFTER_FAILURES", 5))
        logger.warning("mailing %s: %s (failure %s)", self.mailing.pk, reason, self.failures)
        if self.failures >= limit:
            why = _("Paused after %(count)s failures in a row: %(reason)s") % {
                "count": self.failures,
                "reason": reason,
            }
            # Paused or cancelled by someone meanwhile: nothing more to do.
            with contextlib.suppress(MailingError):
                services.pause(self.mailing, None, why)
        else:
            wake_mailing(self.mailing, at=until, fan_out=1)


def process(recipient_id: int, *, budget: float | None = None) -> dict[str, Any]:
    """A wake-up: send batches of this row's mailing until done, stopped or out of time."""
    done = Outcomes()
    # all-orgs: a wake-up carries only the row's id; the row names its organisation
    hint = Recipient.objects.filter(pk=recipient_id).values_list("org_id", "mailing_id").first()
    if hint is None:
        return done.as_dict()
    org_id, mailing_id = hint
    mailing = Mailing.objects.for_org(org_id).select_related("org").get(pk=mailing_id)
    seconds = budget or setting("MAILINGS_TASK_SECONDS", 30)
    deadline = time.monotonic() + seconds
    rows = Recipient.objects.for_org(org_id).filter(mailing_id=mailing_id)
    sender: Sender | None = None
    # Set once this wake-up has queued the one that follows it (see below).
    successor = False
    while True:
        mailing.refresh_from_db()
        if mailing.state != MailingState.SENDING:
            done.stopped = "state"
            break
        now = timezone.now()
        if mailing.backoff_until and mailing.backoff_until > now:
            done.stopped = "backoff"
            if not successor:
                wake_mailing(mailing, at=mailing.backoff_until, fan_out=1)
            break
        if time.monotonic() > deadline:
            done.stopped = "budget"
            if not successor:
                wake_mailing(mailing, fan_out=1)
            break
        per_second, per_minute = rates(mailing)
        batch, limit = claim_at_rate(rows, claim_size(per_second, seconds), per_minute, now)
        if limit <= 0:
            done.stopped = "rate"
            if not successor:
                wake_mailing(mailing, at=now + timedelta(seconds=5), fan_out=1)
            break
        if not batch:
            break
        if not successor:
            # The wake-up that continues this one is queued now, due when this one's time is up,
            # rather than at the end: a worker killed meanwhile then leaves the mailing with its
            # next wake-up already waiting, not with a dead task that the sweeper only writes
            # off after a lease. A wake-up that finds nothing left to claim does nothing.
            wake_mailing(mailing, at=now + timedelta(seconds=seconds), fan_out=1)
            successor = True
        sender = sender or Sender(mailing)
        if not sender.send_batch(batch, done):
            break
    finish_if_done(mailing)
    return done.as_dict()


def claim_size(per_second: float, seconds: float) -> int:
    """Rows to claim at once: no more than this worker may send in one wake-up at its rate, so
    that a slow mailing leaves the rest to other workers instead of holding them under a lease."""
    if per_second <= 0:
        return BATCH
    return max(1, min(BATCH, int(per_second * seconds)))


def wake_mailing(mailing: Mailing, *, at: Any = None, fan_out: int = FAN_OUT) -> int:
    """Queue wake-ups for a mailing's pending rows (in the caller's transaction)."""
    from pressdesk.mailings import tasks

    pending = list(
        Recipient.objects.for_org(mailing.org_id)
        .filter(mailing=mailing, state=WorkState.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)[: BATCH * fan_out : BATCH]
    )
    task = tasks.send_mailing.using(run_after=at) if at is not None else tasks.send_mailing
    for pk in pending[:fan_out]:
        task.enqueue(pk)
    return len(pending[:fan_out])


def finish_if_done(mailing: Mailing) -> bool:
    """A sending mailing with no row waiting or in flight becomes sent; True if it did now."""
    rows = Recipient.objects.for_org(mailing.org_id).filter(mailing=mailing)
    if rows.filter(state__in=[WorkState.PENDING, WorkState.CLAIMED]).exists():
        return False
    with transaction.atomic():
        return bool(
            Mailing.objects.for_org(mailing.org_id)
            .filter(pk=mailing.pk, state=MailingState.SENDING)
            .exclude(
                Exists(
                    Recipient.objects.for_org(mailing.org_id).filter(
                        mailing_id=OuterRef("pk"),
                        state__in=[WorkState.PENDING, WorkState.CLAIMED],
                    )
                )
            )
            .update(state=MailingState.SENT, finished_at=timezone.now())
        )
