"""Optional click and open tracking, off by default on every mailing.

A tracked link is `/m/c/<token>/`, the token signing the recipient and the exact address that
was in the message: the redirect goes only to an address Pressdesk itself put in a mail, so it
can never serve as an open redirect. Opens are a 1×1 image, only when the mailing asks for it:
mail apps preload images (Apple Mail Privacy Protection, Gmail's proxy) and link scanners
follow links, so an open proves little and a click without a later reply proves not much more.
The CNIL treats a pixel as tracking that needs consent: hence off by default.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from pressdesk.contacts import services as contact_services
from pressdesk.contacts.models import Contact
from pressdesk.contacts.models.contacts import InteractionKind
from pressdesk.mailings import signing
from pressdesk.mailings.models import MailEvent, Mailing, Recipient
from pressdesk.mailings.models.events import EventKind

CLICK = "click"
OPEN = "open"
_CLICK_PAYLOAD = re.compile(r"^(\d+)~([A-Za-z0-9_-]+)$")


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode("utf-8")).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> str:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("utf-8")


@lru_cache(maxsize=8)
def _prefix(name: str, site_root: str) -> str:
    # reverse() per link of every message would cost more than the message itself.
    return site_root + reverse(f"mailings_public:{name}", args=["TOKEN"]).removesuffix("TOKEN/")


def click_url(recipient_id: int | None, target: str) -> str:
    """The tracked address of one link for one recipient (the link itself for a preview)."""
    if recipient_id is None:
        return target
    token = signing.sign(CLICK, f"{recipient_id}~{_b64(target)}")
    return f"{_prefix('click', settings.SITE_ROOT)}{token}/"


def pixel_html(recipient_id: int | None) -> str:
    """The open-tracking image, or nothing for a preview."""
    if recipient_id is None:
        return ""
    token = signing.sign(OPEN, str(recipient_id))
    url = settings.SITE_ROOT + reverse("mailings_public:open", args=[token])
    return str(format_html('<img src="{}" width="1" height="1" alt="">', url))


def read_click(token: str) -> tuple[int, str] | None:
    """(recipient id, target) of a genuine click token with an http(s) target; else None."""
    match = _CLICK_PAYLOAD.match(signing.unsign(CLICK, token) or "")
    if match is None:
        return None
    try:
        target = _unb64(match.group(2))
    except (ValueError, UnicodeDecodeError):
        return None
    if not target.startswith(("https://", "http://")):
        return None
    return int(match.group(1)), target


def read_open(token: str) -> int | None:
    """The recipient id of a genuine open token."""
    payload = signing.unsign(OPEN, token) or ""
    return int(payload) if payload.isdigit() else None


def _recipient(recipient_id: int) -> Recipient | None:
    # all-orgs: the signed token names the row; its organisation comes from the row
    return Recipient.objects.select_related("org").filter(pk=recipient_id).first()


@transaction.atomic
def record_click(recipient_id: int, target: str) -> None:
    """Stamp the first click, record the event and the contact's timeline entry."""
    recipient = _recipient(recipient_id)
    if recipient is None:
        return
    org = recipient.org
    at = timezone.now()
    first = (
        Recipient.objects.for_org(org)
        .filter(pk=recipient.pk, clicked_at__isnull=True)
        .update(clicked_at=at)
    )
    MailEvent.objects.for_org(org).create(
        org=org,
        kind=EventKind.CLICK,
        mailing_id=recipient.mailing_id,
        recipient=recipient,
        contact_id=recipient.contact_id,
        occurred_at=at,
        summary=target[:500],
    )
    contact = None
    if recipient.contact_id is not None:
        contact = Contact.objects.for_org(org).filter(pk=recipient.contact_id).first()
    if first and contact is not None:
        mailing = Mailing.objects.for_org(org).get(pk=recipient.mailing_id)
        contact_services.add_interaction(
            contact,
            InteractionKind.CLICK,
            str(mailing)[:300],
            when=at,
            object_type="mailings.mailing",
            object_id=str(mailing.pk),
            url=target[:200],
        )


def record_open(recipient_id: int) -> None:
    """Stamp the first open and record it (an open is not an active contact: no timeline)."""
    recipient = _recipient(recipient_id)
    if recipient is None:
        return
    org = recipient.org
    at = timezone.now()
    with transaction.atomic():
        first = (
            Recipient.objects.for_org(org)
            .filter(pk=recipient.pk, opened_at__isnull=True)
            .update(opened_at=at)
        )
        if first:
            MailEvent.objects.for_org(org).create(
                org=org,
                kind=EventKind.OPEN,
                mailing_id=recipient.mailing_id,
                recipient=recipient,
                contact_id=recipient.contact_id,
                occurred_at=at,
            )
