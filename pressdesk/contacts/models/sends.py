"""Bulk sends of the GDPR mails: one row per recipient, claimed and marked by the worker."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import Organisation
from pressdesk.accounts.scoping import OrgOwned
from pressdesk.contacts.models.contacts import Contact
from pressdesk.work.models import Claimable


class NoticeSend(OrgOwned, Claimable):
    """One mail of a bulk send to one contact: an art. 14 information notice or a retention
    re-ask. A send whose worker died is interrupted, never resent on its own: the mail may have
    left."""

    NOTICE = "notice"
    REASK = "reask"
    KINDS = [(NOTICE, _("Information notice")), (REASK, _("Re-permission request"))]
    SENDING = "sending"  # handed to the mail server: its fate is unknown until marked sent
    SENT = "sent"
    SKIPPED = "skipped"
    FAILED = "failed"  # the server refused the address (5xx)

    org = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    contact = models.ForeignKey(Contact, models.CASCADE, related_name="sends")
    kind = models.CharField(max_length=10, choices=KINDS)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    # "" (not begun), sending, sent, skipped (no mailable address, or no longer applies)
    outcome = models.CharField(max_length=10, blank=True)
    # Stored with "sending", before the hand-over: what the server and the recipient saw.
    message_id = models.CharField(max_length=255, blank=True)

    class Meta(Claimable.Meta):
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.contact}"
