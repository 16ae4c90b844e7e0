"""What comes back after a mailing: bounces, automatic replies and replies, recorded once each.

An incoming message is matched to the ledger row it answers: first by its threading headers
(In-Reply-To, References) and, for a bounce, by the Message-ID of the quoted original, against
`Recipient.message_id`; else by the failed (or replying) address among the organisation's recent
mailings. The Message-ID format is the composer's business: any token is looked up, the database
decides. Everything a message changes is written in one transaction together with its MailEvent,
whose unique (org, kind, source_id) makes reading the same message twice harmless.
"""

from __future__ import annotations

import email
import email.message
import email.utils
import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email import policy

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pressdesk.accounts.models import Organisation
from pressdesk.contacts import services as contact_services
from pressdesk.contacts.models import Contact, ContactEmail
from pressdesk.contacts.models.contacts import InteractionKind
from pressdesk.lib.text import normalise_email
from pressdesk.mailings import bounces
from pressdesk.mailings.bounces import BounceReport, read_bounce
from pressdesk.mailings.models import ContactCorrection, MailEvent, Mailing, Recipient
from pressdesk.mailings.models.events import EventKind
from pressdesk.mailings.models.ledger import Bounce, Outcome

log = logging.getLogger(__name__)

# How far back a bounce or auto-reply without threading headers is matched by address.
RECENT_DAYS = 60
# An out-of-office without a return date pauses follow-ups this long.
DEFAULT_AWAY_DAYS = 7
MAX_IDS = 50  # Message-ID tokens looked up per message
MAX_SCAN_BYTES = 512 * 1024  # where a bounce's quoted original is searched for its Message-ID

MSG_ID_RE = re.compile(rb"<([^<>\s@]{1,200}@[^<>\s]{1,200})>")
QUOTED_MSG_ID_RE = re.compile(rb"^\s*message-id:\s*<([^<>\s@]{1,200}@[^<>\s]{1,200})>", re.I | re.M)
# "Has left the outlet", in English and French.
LEFT_RE = re.compile(
    r"(?:has|have) left|no longer (?:works?|with|at|employed|part of)|left the company"
    r"|a quitt[ée]|ne (?:fait|travaille) plus|n'est plus (?:au|à|chez|en poste|membre)"
    r"|a cess[ée] (?:ses|d'exercer)",
    re.IGNORECASE,
)
QUOTE_START_RE = re.compile(r"^(?:>|On .+ wrote:|Le .+ a écrit\s?:|-{2,}\s?Original)", re.M)


@dataclass(frozen=True)
class Incoming:
    """The parts of an incoming message the matching needs."""

    source_id: str
    sender: str
    subject: str
    sent_at: datetime
    thread_ids: list[str]  # In-Reply-To, then References, newest first
    quoted_ids: list[str]  # Message-IDs of a quoted original (bounces)
    text: str
    report: BounceReport


def parse(raw: bytes) -> Incoming:
    """Read the headers, text and bounce report of a raw message; never raises."""
    report = read_bounce(raw)
    try:
        msg = email.message_from_bytes(raw[: bounces.MAX_MESSAGE_BYTES], policy=policy.default)
    except Exception:
        log.warning("unreadable incoming message", exc_info=True)
        msg = email.message.EmailMessage()

    def header(name: str) -> str:
        return bounces._header(msg, name)

    source = _ids(header("message-id").encode("utf-8", "replace"))
    thread = _ids(header("in-reply-to").encode("utf-8", "replace"))
    thread += list(reversed(_ids(header("references").encode("utf-8", "replace"))))
    quoted = [m.decode("utf-8", "replace") for m in QUOTED_MSG_ID_RE.findall(raw[:MAX_SCAN_BYTES])]
    quoted = [q for q in quoted if q not in source]
    senders = email.utils.getaddresses([header("from")])
    return Incoming(
        source_id=source[0] if source else "sha256:" + hashlib.sha256(raw).hexdigest(),
        sender=normalise_email(senders[0][1]) if senders and "@" in senders[0][1] else "",
        subject=header("subject")[:300],
        sent_at=_sent_at(header("date")),
        thread_ids=_unique(thread)[:MAX_IDS],
        quoted_ids=_unique(quoted)[:MAX_IDS],
        text=bounces._body_text(msg) if isinstance(msg, email.message.Message) else "",
        report=report,
    )


def _ids(value: bytes) -> list[str]:
    return [m.decode("utf-8", "replace")[:253] for m in MSG_ID_RE.findall(value)]


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _sent_at(value: str) -> datetime:
    """The message's Date, never in the future (a wrong clock would pause follow-ups forever)."""
    current = timezone.now()
    try:
        found = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return current
    if timezone.is_naive(found):
        found = timezone.make_aware(found, timezone.get_current_timezone())
    return min(found, current)


def _bracketed(ids: list[str]) -> list[str]:
    """Each id with and without its angle brackets: how the ledger stored it is the composer's."""
    return [form for i in ids for form in (f"<{i}>", i)]


def by_message_id(ids: list[str], org: Organisation | None = None) -> Recipient | None:
    """The ledger row one of these Message-IDs was sent as (the first that matches)."""
    if not ids:
        return None
    if org is None:
        # all-orgs: which organisation sent this message is what the lookup finds out
        rows = Recipient.objects.filter(message_id__in=_bracketed(ids))
    else:
        rows = Recipient.objects.for_org(org).filter(message_id__in=_bracketed(ids))
    found = {r.message_id.strip("<>"): r for r in rows.select_related("mailing", "contact")}
    return next((found[i] for i in ids if i in found), None)


def by_address(address: str, org: Organisation | None = None) -> Recipient | None:
    """The latest recent ledger row sent to this address; across organisations only when a
    single organisation mailed it (never a guess between two)."""
    if not address:
        return None
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    if org is None:
        # all-orgs: finding which organisation mailed this address is the point
        rows = Recipient.objects.filter(address_key=normalise_email(address), sent_at__gte=since)
        if rows.values("org").distinct().count() != 1:
            return None
    else:
        rows = Recipient.objects.for_org(org).filter(
            address_key=normalise_email(address), sent_at__gte=since
        )
    return rows.select_related("mailing", "contact").order_by("-sent_at", "-pk").first()


def kind_of(incoming: Incoming) -> str:
    """The event kind: a bounce, an automatic reply, or a reply."""
    if incoming.report.kind == "bounce":
        return EventKind.BOUNCE
    if incoming.report.kind == "auto_reply":
        return EventKind.AUTO_REPLY
    return EventKind.REPLY


def match(incoming: Incoming, org: Organisation | None = None) -> Recipient | None:
    """The ledger row this message is about, or None when it is not about any of ours."""
    kind = kind_of(incoming)
    if kind == EventKind.REPLY:
        # A person's reply counts only when it threads back to what we sent.
        return by_message_id(incoming.thread_ids, org)
    ids = incoming.thread_ids + incoming.quoted_ids
    found = by_message_id(ids, org)
    if found is not None:
        return found
    if org is not None and by_message_id(ids) is not None:
        return None  # another organisation's message: never matched here by address
    if kind == EventKind.BOUNCE:
        for failed in incoming.report.recipients:
            found = by_address(failed.address, org)
            if found is not None:
                return found
        return None
    return by_address(incoming.sender, org)


def owner(raw: bytes) -> Organisation | None:
    """The organisation a message from the shared mailbox belongs to, or None if unmatched."""
    found = match(parse(raw))
    return found.org if found is not None else None


def record_incoming(org: Organisation, raw: bytes, *, source: str = "imap") -> MailEvent | None:
    """Record one incoming message for this organisation; the event, or None when the message
    answers none of its mailings. Recording the same message again returns the first event."""
    return record(org, parse(raw), source=source)


def record(org: Organisation, incoming: Incoming, *, source: str) -> MailEvent | None:
    """Record what was read from a message (or a provider's event): see record_incoming."""
    recipient = match(incoming, org)
    if recipient is None:
        return None
    kind = kind_of(incoming)
    existing = MailEvent.objects.for_org(org).filter(kind=kind, source_id=incoming.source_id)
    if (first := existing.first()) is not None:
        return first
    try:
        with transaction.atomic():
            return _record(org, kind, incoming, recipient, source)
    except IntegrityError:
        # Another reader recorded it between our check and our insert.
        first = existing.first()
        if first is None:
            raise
        return first


def _stop_follow_ups(org: Organisation, recipient: Recipient, reason: str) -> int:
    """A reply or an out-of-office stops this person's follow-ups still waiting to be sent.

    Only rows no worker has claimed are touched (a conditional UPDATE on the pending state), so
    a message already handed to the mail server is never counted as skipped.
    """
    from pressdesk.mailings.models import FollowUp
    from pressdesk.work.models import WorkState

    if recipient.contact_id is None:
        return 0
    parent = FollowUp.objects.for_org(org).filter(sent_as=recipient.mailing_id).first()
    root = parent.mailing_id if parent else recipient.mailing_id
    children = (
        FollowUp.objects.for_org(org)
        .filter(mailing_id=root)
        .exclude(sent_as=None)
        .values_list("sent_as", flat=True)
    )
    return (
        Recipient.objects.for_org(org)
        .filter(mailing_id__in=list(children), contact_id=recipient.contact_id)
        .filter(state=WorkState.PENDING, outcome=Outcome.QUEUED)
        .update(
            state=WorkState.DONE,
            outcome=Outcome.SKIPPED,
            smtp_reply=reason,
            finished_at=timezone.now(),
        )
    )


def _record(
    org: Organisation, kind: str, incoming: Incoming, recipient: Recipient, source: str
) -> MailEvent:
    mailing = recipient.mailing
    event = MailEvent.objects.create(
        org=org,
        kind=kind,
        mailing=mailing,
        recipient=recipient,
        contact=recipient.contact,
        occurred_at=incoming.sent_at,
        source_id=incoming.source_id,
        summary=incoming.subject[:500],
        detail={
            "source": source,
            "from": incoming.sender,
            "subject": incoming.subject,
            "report": incoming.report.as_dict(),
        },
    )
    if kind == EventKind.BOUNCE:
        _bounced(org, event, incoming, recipient)
    elif kind == EventKind.AUTO_REPLY:
        _away(org, event, incoming, recipient)
        _stop_follow_ups(org, recipient, "away")
    else:
        _replied(event, incoming, recipient, mailing)
        _stop_follow_ups(org, recipient, "replied")
    return event


def _bounced(org: Organisation, event: MailEvent, incoming: Incoming, recipient: Recipient) -> None:
    failures = incoming.report.recipients
    failed = next((f for f in failures if f.address == recipient.address_key), None)
    if failed is None and failures:
        failed = failures[0]
    hard = bool(failed and failed.hard)
    reason = failed.reason if failed else incoming.subject
    # A hard bounce stays hard: a later soft one says nothing new about the address.
    level = Bounce.HARD if hard or recipient.bounce == Bounce.HARD else Bounce.SOFT
    Recipient.objects.for_org(org).filter(pk=recipient.pk).update(
        bounce=level, bounce_reason=reason[:500], bounced_at=event.occurred_at
    )
    event.summary = reason[:500]
    event.save(update_fields=["summary"])
    contact = recipient.contact
    if contact is None:
        return
    words = _("Hard bounce") if hard else _("Soft bounce")
    contact_services.add_interaction(
        contact,
        InteractionKind.OTHER,
        _("%(what)s on the mailing “%(mailing)s”: %(reason)s")
        % {"what": words, "mailing": recipient.mailing, "reason": reason},
        when=event.occurred_at,
        object_type="mailings.mailing",
        object_id=str(recipient.mailing_id),
    )
    if not hard:
        return
    ContactEmail.objects.for_org(org).filter(
        email_normalised=recipient.address_key, bounced_at__isnull=True
    ).update(bounced_at=event.occurred_at)
    new_address = incoming.report.new_address
    if new_address and normalise_email(new_address) != recipient.address_key:
        _propose(org, contact, event, ContactCorrection.NEW_ADDRESS, recipient.address, new_address)
    elif LEFT_RE.search(f"{reason}\n{incoming.text}"):
        _propose(org, contact, event, ContactCorrection.LEFT_OUTLET, recipient.address, "")
    else:
        _propose(org, contact, event, ContactCorrection.DEAD_ADDRESS, recipient.address, "")


def _away(org: Organisation, event: MailEvent, incoming: Incoming, recipient: Recipient) -> None:
    back = incoming.report.return_date
    until = back or (event.occurred_at.date() + timedelta(days=DEFAULT_AWAY_DAYS))
    if recipient.away_until is None or recipient.away_until < until:
        Recipient.objects.for_org(org).filter(pk=recipient.pk).update(away_until=until)
    contact = recipient.contact
    if contact is None:
        return
    if back is not None and (
        contact.out_of_office_until is None or contact.out_of_office_until < back
    ):
        Contact.objects.for_org(org).filter(pk=contact.pk).update(out_of_office_until=back)
    summary = (
        _("Automatic reply to “%(mailing)s”: away until %(date)s")
        % {"mailing": recipient.mailing, "date": _day(back)}
        if back
        else _("Automatic reply to “%(mailing)s”") % {"mailing": recipient.mailing}
    )
    event.summary = summary[:500]
    event.save(update_fields=["summary"])
    contact_services.add_interaction(
        contact,
        InteractionKind.OTHER,
        summary,
        when=event.occurred_at,
        object_type="mailings.mailing",
        object_id=str(recipient.mailing_id),
    )
    new_address = incoming.report.new_address
    if new_address and normalise_email(new_address) != recipient.address_key:
        _propose(org, contact, event, ContactCorrection.NEW_ADDRESS, recipient.address, new_address)
    elif LEFT_RE.search(incoming.text):
        # "I have left the paper": the address may still answer, the position has ended.
        _propose(org, contact, event, ContactCorrection.LEFT_OUTLET, recipient.address, "")


def _day(value: date) -> str:
    from django.utils.formats import date_format

    return date_format(value, "SHORT_DATE_FORMAT")


def _replied(event: MailEvent, incoming: Incoming, recipient: Recipient, mailing: Mailing) -> None:
    Recipient.objects.for_org(event.org_id).filter(pk=recipient.pk, replied_at__isnull=True).update(
        replied_at=event.occurred_at
    )
    contact = recipient.contact
    if contact is None:
        return
    excerpt = QUOTE_START_RE.split(incoming.text, maxsplit=1)[0].strip()
    excerpt = " ".join(excerpt.split())[:200]
    summary = _("Reply to the mailing “%(mailing)s”") % {"mailing": mailing}
    if excerpt:
        summary = f"{summary} — {excerpt}"
    contact_services.add_interaction(
        contact,
        InteractionKind.EMAIL_REPLY,
        summary,
        when=event.occurred_at,
        object_type="mailings.mailing",
        object_id=str(mailing.pk),
    )


def _propose(
    org: Organisation,
    contact: Contact,
    event: MailEvent,
    kind: str,
    old_value: str,
    new_value: str,
) -> ContactCorrection | None:
    """Propose a correction once: the same open proposal is not made twice."""
    open_ = ContactCorrection.objects.for_org(org).filter(
        contact=contact,
        kind=kind,
        old_value=old_value[:254],
        new_value=new_value[:254],
        state=ContactCorrection.PROPOSED,
    )
    if open_.exists():
        return None
    return ContactCorrection.objects.create(
        org=org,
        contact=contact,
        event=event,
        kind=kind,
        old_value=old_value[:254],
        new_value=new_value[:254],
    )
