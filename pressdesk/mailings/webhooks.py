"""Mailgun's webhooks through django-anymail, behind MAILGUN_WEBHOOKS: the same door as IMAP.

Inbound (a Mailgun route forwarding to /m/webhooks/mailgun/inbound/): the raw message goes
through inbound.owner and inbound.record_incoming, like a message read from the mailbox.
Tracking (/m/webhooks/mailgun/tracking/): a permanent "failed" event becomes a bounce of the row
its Message-ID names (else of the address), classified hard or soft by our own rules from the
server's words, not by Mailgun's "permanent"; its token makes it idempotent. An "unsubscribed"
event (Mailgun's own unsubscribe link) and a "complained" one (the person marked the mail as
spam) put the person on the organisation's opt-out list as the one-click link does
(unsubscribe.apply: every address of theirs, the ledger row, the event, the audit log, a line on
their timeline); a complaint counts as an objection. Both check
Mailgun's signature (MAILGUN_WEBHOOK_SIGNING_KEY) and the basic auth of ANYMAIL_WEBHOOK_SECRET;
without MAILGUN_WEBHOOKS, or without both secrets, the URLs do not exist (404).
"""

from __future__ import annotations

import logging
from typing import Any

from anymail.signals import EventType, inbound, tracking
from anymail.webhooks.mailgun import MailgunInboundWebhookView, MailgunTrackingWebhookView
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from pressdesk.contacts.models.optout import OptOutReason
from pressdesk.mailings import bounces, classify, unsubscribe
from pressdesk.mailings import inbound as incoming_mail
from pressdesk.mailings.bounces import BounceReport

log = logging.getLogger(__name__)


def enabled() -> bool:
    """Whether the Mailgun webhooks are switched on and both secrets are set."""
    anymail = getattr(settings, "ANYMAIL", {})
    return bool(
        getattr(settings, "MAILGUN_WEBHOOKS", False)
        and anymail.get("MAILGUN_WEBHOOK_SIGNING_KEY")
        and anymail.get("WEBHOOK_SECRET")
    )


def on_inbound(sender: Any, event: Any, esp_name: str, **kwargs: Any) -> None:
    """A message a provider received for us: recorded as if read from the mailbox."""
    raw = event.message.as_bytes()
    org = incoming_mail.owner(raw)
    if org is None:
        log.info("%s inbound message matched no mailing", esp_name)
        return
    incoming_mail.record_incoming(org, raw, source=esp_name.lower())


def on_opt_out(event: Any, esp_name: str) -> bool:
    """An "unsubscribed" or "complained" event: the organisation-wide opt-out of the person the
    row names; True if it changed something (a provider's retry changes nothing)."""
    message_id = (event.message_id or "").strip().strip("<>")
    row = incoming_mail.by_message_id([message_id]) if message_id else None
    if row is None:
        row = incoming_mail.by_address((event.recipient or "").strip())
    if row is None:
        log.info("%s %s event matched no mailing", esp_name, event.event_type)
        return False
    complaint = event.event_type == EventType.COMPLAINED
    source = f"{esp_name.lower()} {'complaint' if complaint else 'unsubscribe'}"
    reason = OptOutReason.OBJECTION if complaint else OptOutReason.UNSUBSCRIBE
    return unsubscribe.apply(row, source=source, reason=reason)


def on_tracking(sender: Any, event: Any, esp_name: str, **kwargs: Any) -> None:
    """A provider's "bounced" event: a bounce of the row it names, classified by us; its
    "unsubscribed" and "complained" events: an opt-out (`on_opt_out`)."""
    if event.event_type in (EventType.UNSUBSCRIBED, EventType.COMPLAINED):
        on_opt_out(event, esp_name)
        return
    if event.event_type != EventType.BOUNCED or not event.recipient:
        return  # deliveries, opens, clicks, deferrals: not ours to record here
    words = event.mta_response or event.description or ""
    status = classify.find_status(words)
    code = classify.find_reply_code(words)
    temporary = classify.is_temporary(status, code, words)
    failed = bounces.Recipient(
        address=event.recipient.strip().lower(),
        status=status,
        reply_code=code,
        hard=classify.is_hard(status, code, words, temporary),
        reason=" ".join(words.split())[: bounces.MAX_REASON_CHARS],
    )
    message_id = (event.message_id or "").strip().strip("<>")
    parsed = incoming_mail.Incoming(
        source_id=f"{esp_name.lower()}:{event.event_id}",
        sender="",
        subject="",
        sent_at=min(event.timestamp or timezone.now(), timezone.now()),
        thread_ids=[message_id] if message_id else [],
        quoted_ids=[],
        text=words,
        report=BounceReport("bounce", [failed]),
    )
    found = incoming_mail.match(parsed)
    if found is None:
        log.info("%s bounce of %s matched no mailing", esp_name, failed.address)
        return
    incoming_mail.record(found.org, parsed, source=esp_name.lower())


def connect() -> None:
    """Listen to anymail's signals (whatever the provider that sends them)."""
    inbound.connect(on_inbound, dispatch_uid="pressdesk.mailings.inbound")
    tracking.connect(on_tracking, dispatch_uid="pressdesk.mailings.tracking")


def _gated(view_class: type[Any]) -> Any:
    @csrf_exempt
    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("POST", "HEAD"):
            return HttpResponseNotAllowed(["POST", "HEAD"])
        if not enabled():
            raise Http404("webhooks are off")
        response: HttpResponse = view_class.as_view()(request, *args, **kwargs)
        return response

    return view


urlpatterns: list[URLPattern] = [
    path(
        "webhooks/mailgun/inbound/",
        _gated(MailgunInboundWebhookView),
        name="webhook_mailgun_inbound",
    ),
    path(
        "webhooks/mailgun/tracking/",
        _gated(MailgunTrackingWebhookView),
        name="webhook_mailgun_tracking",
    ),
]
