"""Alerts: who is told of which query's clippings, and how (instant, daily digest, spike); each
mail is a ledger row, claimed and sent once."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import Organisation
from pressdesk.accounts.scoping import OrgOwned
from pressdesk.monitoring.models.queries import WatchQuery
from pressdesk.work.models import Claimable


class AlertRule(OrgOwned):
    """A member's alerts for one watch query (or all of them)."""

    org = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    query = models.ForeignKey(
        WatchQuery, models.CASCADE, null=True, blank=True, related_name="alert_rules"
    )
    instant = models.BooleanField(_("instant alert"), default=False)
    digest = models.BooleanField(_("daily digest"), default=True)
    digest_time = models.TimeField(_("digest time"), default=time(8, 0))
    spike = models.BooleanField(_("spike alert"), default=False)
    created = models.DateTimeField(default=now)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.UniqueConstraint(fields=["user", "query"], name="one_alert_rule_per_query")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} × {self.query_id or 'all'}"


class AlertKind(models.TextChoices):
    INSTANT = "instant", _("Instant alert")
    DIGEST = "digest", _("Daily digest")
    SPIKE = "spike", _("Spike alert")


class AlertMail(Claimable, OrgOwned):
    """One alert mail to send: unique per rule, kind and key (a clipping, a day), so none is
    queued twice; once handed to the mail server (`outcome` sending) it is never resent alone."""

    SENDING = "sending"
    SENT = "sent"
    SKIPPED = "skipped"

    org = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    rule = models.ForeignKey(AlertRule, models.CASCADE, related_name="mails")
    kind = models.CharField(max_length=10, choices=AlertKind.choices)
    key = models.CharField(max_length=100)
    clippings = models.JSONField(default=list)
    outcome = models.CharField(max_length=10, blank=True)
    created = models.DateTimeField(default=now, db_index=True)

    class Meta(Claimable.Meta):
        verbose_name = _("alert mail")
        verbose_name_plural = _("alert mails")
        constraints = [
            models.UniqueConstraint(fields=["rule", "kind", "key"], name="one_alert_mail_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} → {self.rule_id}"
