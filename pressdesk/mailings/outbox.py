"""Send one prepared message for a durable row through the engine: the path of every bulk mail
that is not a mailing (the GDPR notices and re-asks now; later invitations, digests, alerts).

The caller owns its rows (a Claimable model with `outcome` and `message_id` fields) and its
rules: who is owed a mail, what it says, and what to record once it left. The outbox gives it
what a mailing's ledger gets from `sending.py`:

1. the row's Message-ID is stored and the row marked "sending" in a committed transaction before
   the hand-over, so a worker killed afterwards leaves it unknown (interrupted), never resent;
2. the engine's transport (EMAIL_URL, one persistent session per worker) and its split of
   failures: Refused (5xx) fails this row; Deferred (4xx, timeouts) puts it back to pending and
   backs the stream off; Uncertain (broken during DATA) interrupts it for an operator;
3. the engine's rates, MAILINGS_RATE_PER_SECOND (the same per-process pacer as the mailings) and
   MAILINGS_RATE_PER_MINUTE (`sending.minute_allowance`: the mailings' sends and the outbox's of
   the last minute, one count for both paths);
4. after MAILINGS_PAUSE_AFTER_FAILURES consecutive failures the stream (one organisation, one
   kind of mail) pauses itself with the reason, shown on the background-work page until a
   director resumes it.

Without EMAIL_URL, and with EMAIL_BACKEND other than Django's SMTP one (the test suite's
in-memory outbox, the development file folder, a console), messages go to that backend instead:
the backend is what the installation chose for its mail.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from pressdesk.accounts.models import Organisation, User
from pressdesk.mailings import transport as transports
from pressdesk.mailings.backend import deliver
from pressdesk.mailings.models import OutboxStream
from pressdesk.mailings.sending import claim_at_rate, minute_allowance, pacer, setting
from pressdesk.work import claims
from pressdesk.work.models import WorkState

logger = logging.getLogger("pressdesk.mailings")

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
ENGINE_BACKEND = "pressdesk.mailings.backend.EmailBackend"
SENDING = "sending"


@dataclass(frozen=True)
class StreamKind:
    """A registered kind of stream: its name on screen and what resuming it does."""

    label: Any
    resume: Callable[[Organisation, User, Any], bool]  # (org, director, request) -> resumed


STREAMS: dict[str, StreamKind] = {}


def register_stream(
    name: str, label: Any, resume: Callable[[Organisation, User, Any], bool]
) -> None:
    """Declare a stream: the background-work page shows it when paused, with a resume button."""
    STREAMS[name] = StreamKind(label, resume)


class Result(enum.Enum):
    SENT = "sent"
    REFUSED = "refused"  # this row failed (5xx)
    DEFERRED = "deferred"  # this row is pending again; the stream backs off
    UNCERTAIN = "uncertain"  # this row is interrupted, for an operator
    LOST = "lost"  # the row was no longer this worker's: nothing was sent


@dataclass(frozen=True)
class Handover:
    result: Result
    reply: str = ""


def uses_engine() -> bool:
    """True if mail leaves through the engine's SMTP transport (EMAIL_URL, or EMAIL_HOST with
    Django's SMTP backend); False if the configured EMAIL_BACKEND takes it (tests, development)."""
    if getattr(settings, "EMAIL_URL", ""):
        return True
    return settings.EMAIL_BACKEND in (SMTP_BACKEND, ENGINE_BACKEND)


def stream(org_id: int, name: str) -> OutboxStream:
    """The stream's state row, created on first use."""
    found, _created = OutboxStream.objects.for_org(org_id).get_or_create(org_id=org_id, name=name)
    return found


def allowance(now: datetime | None = None) -> int | None:
    """How many messages may leave now under MAILINGS_RATE_PER_MINUTE (None: no limit): the
    same count as a mailing's (sending.minute_allowance), mailings and outbox together."""
    return minute_allowance(setting("MAILINGS_RATE_PER_MINUTE", 0), now or timezone.now())


def claim(rows: models.QuerySet[Any], limit: int) -> tuple[list[Any], int]:
    """Claim up to `limit` of these rows within MAILINGS_RATE_PER_MINUTE, counted and claimed
    under the engine's rate lock; the rows and the limit applied (0: the minute is spent)."""
    return claim_at_rate(rows, limit, setting("MAILINGS_RATE_PER_MINUTE", 0), timezone.now())


def waiting(org_id: int, name: str) -> OutboxStream | None:
    """The stream if it may not send now (paused, or backing off), else None."""
    row = OutboxStream.objects.for_org(org_id).filter(name=name).first()
    if row is None:
        return None
    if row.paused_at is not None or (row.backoff_until and row.backoff_until > timezone.now()):
        return row
    return None


def paused(org_id: int, name: str) -> OutboxStream | None:
    """The stream if it is paused, else None."""
    return OutboxStream.objects.for_org(org_id).filter(name=name).exclude(paused_at=None).first()


def resume(org_id: int, name: str) -> bool:
    """The paused stream sends again; True if it was paused (the caller wakes its rows)."""
    return bool(
        OutboxStream.objects.for_org(org_id)
        .filter(name=name)
        .exclude(paused_at=None)
        .update(paused_at=None, paused_reason="", consecutive_failures=0, backoff_until=None)
    )


def paused_work(org: Organisation | None) -> list[Any]:
    """The paused streams, for the background-work page (of one organisation if given)."""
    from django.urls import reverse

    from pressdesk.work.overview import PausedWork

    # all-orgs: without an organisation, every organisation's paused sends (operators' view)
    rows = OutboxStream.objects.for_org(org) if org is not None else OutboxStream.objects.all()
    rows = rows.exclude(paused_at=None).filter(name__in=list(STREAMS))
    return [
        PausedWork(
            label=STREAMS[row.name].label,
            reason=row.paused_reason,
            since=row.paused_at,
            resume_url=reverse(
                "mailings:outbox_resume", kwargs={"org_slug": org.slug, "name": row.name}
            )
            if org is not None
            else "",
        )
        for row in rows.order_by("paused_at")
    ]


class Outbox:
    """Hands the messages of one stream's claimed rows to the server, one at a time."""

    def __init__(self, org_id: int, name: str, model: type[models.Model]) -> None:
        self.org_id, self.name, self.model = org_id, name, model
        self.me = claims.worker_id()
        self.engine = uses_engine()
        self.transport = transports.transport() if self.engine else None
        self.pacer = pacer(setting("MAILINGS_RATE_PER_SECOND", 0))
        self.failures = stream(org_id, name).consecutive_failures

    def mine(self, row: models.Model) -> models.QuerySet[Any]:
        return self.model._default_manager.filter(
            pk=row.pk, org_id=self.org_id, state=WorkState.CLAIMED, claimed_by=self.me
        )

    def send(self, row: models.Model, message: EmailMessage) -> Handover:
        """Steps 1 to 3 for one row: mark it "sending" with the message's Message-ID (committed),
        hand the message over, and settle failures. On SENT the caller marks the row done, with
        its own records, in one transaction (`claims.finish(row, outcome="sent")`)."""
        # Called outside any transaction (as the workers do): "sending" must be on disk before
        # the hand-over, or a crash would resend.
        message_id = ensure_message_id(message)
        self.pacer.wait()
        if not self.mine(row).filter(outcome="").update(outcome=SENDING, message_id=message_id):
            return Handover(Result.LOST)
        try:
            reply = self.hand_over(message)
        except transports.Refused as e:
            claims.fail(row, str(e), by=self.me, outcome="failed")
            self.succeeded()  # the server works; this address does not
            return Handover(Result.REFUSED, str(e))
        except transports.Deferred as e:
            self.mine(row).update(outcome="", message_id="")
            claims.release(row, by=self.me)
            self.back_off(str(e))
            return Handover(Result.DEFERRED, str(e))
        except transports.Uncertain as e:
            # The server may have the message: unknown, for the operator; never resent alone.
            self.mine(row).update(
                state=WorkState.INTERRUPTED, error=str(e)[:2000], lease_until=None
            )
            self.back_off(str(e))
            return Handover(Result.UNCERTAIN, str(e))
        self.succeeded()
        return Handover(Result.SENT, reply)

    def hand_over(self, message: EmailMessage) -> str:
        """The message to the server (or to the configured backend); the server's answer."""
        if self.transport is None:
            message.send()
            return "250 handed to " + settings.EMAIL_BACKEND.rsplit(".", 2)[-2]
        return deliver(message, self.transport)

    def give_back(self, rows: list[Any]) -> None:
        """Claimed rows not yet started go back to pending (the stream backs off or paused)."""
        for row in rows:
            claims.release(row, by=self.me)

    def succeeded(self) -> None:
        if self.failures:
            self.failures = 0
            OutboxStream.objects.for_org(self.org_id).filter(name=self.name).update(
                consecutive_failures=0, backoff_until=None
            )

    def back_off(self, reason: str) -> None:
        """One more consecutive failure: wait longer before the next try, or pause."""
        self.failures += 1
        base = setting("MAILINGS_BACKOFF_SECONDS", 5)
        delay = min(base * 2 ** (self.failures - 1), setting("MAILINGS_BACKOFF_MAX_SECONDS", 300))
        values: dict[str, Any] = {
            "consecutive_failures": F("consecutive_failures") + 1,
            "backoff_until": timezone.now() + timedelta(seconds=delay),
        }
        limit = int(setting("MAILINGS_PAUSE_AFTER_FAILURES", 5))
        logger.warning(
            "outbox %s/%s: %s (failure %s)", self.org_id, self.name, reason, self.failures
        )
        if self.failures >= limit:
            values["paused_at"] = timezone.now()
            values["paused_reason"] = (
                _("Paused after %(count)s failures in a row: %(reason)s")
                % {"count": self.failures, "reason": reason}
            )[:500]
        OutboxStream.objects.for_org(self.org_id).filter(name=self.name).update(**values)


def ensure_message_id(message: EmailMessage) -> str:
    """The message's Message-ID, given one now if it has none (stored before the hand-over)."""
    from email.utils import make_msgid

    found = next((v for k, v in message.extra_headers.items() if k.lower() == "message-id"), "")
    if not found:
        domain = getattr(settings, "MAILINGS_MESSAGE_ID_DOMAIN", "") or _sender_domain(message)
        found = make_msgid(domain=domain)
        message.extra_headers["Message-ID"] = found
    return str(found)[:255]


def _sender_domain(message: EmailMessage) -> str:
    from email.utils import parseaddr

    address = parseaddr(str(message.from_email))[1]
    return address.rpartition("@")[2] or "localhost"
