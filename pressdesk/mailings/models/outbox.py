"""The engine's state for a stream of mail that is not a mailing (the GDPR notices, re-asks…)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import Organisation
from pressdesk.accounts.scoping import OrgOwned


class OutboxStream(OrgOwned):
    """Backoff and pause of one organisation's stream of durable mail rows, as a Mailing keeps
    them for its own ledger: a stream paused after consecutive failures sends nothing until a
    director resumes it."""

    org = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    name = models.CharField(max_length=40)  # e.g. "contacts.notice"
    consecutive_failures = models.PositiveIntegerField(default=0)
    backoff_until = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_reason = models.CharField(_("why it paused"), max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="one_outbox_stream_per_name")
        ]

    def __str__(self) -> str:
        return self.name
