"""Clippings: an article that matched a watch query, with why, and the team's triage."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import Organisation
from pressdesk.accounts.scoping import OrgOwned
from pressdesk.monitoring.models.items import Item
from pressdesk.monitoring.models.queries import WatchQuery


class Verdict(models.TextChoices):
    UNREAD = "unread", _("To triage")
    RELEVANT = "relevant", _("Relevant")
    IRRELEVANT = "irrelevant", _("Irrelevant")


class Tone(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative")


class ToneMethod(models.TextChoices):
    MANUAL = "manual", _("Set by a person")
    SUGGESTED = "suggested", _("Suggested from words in the text")


class Clipping(OrgOwned):
    org = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    item = models.ForeignKey(Item, models.CASCADE, related_name="clippings")
    query = models.ForeignKey(WatchQuery, models.CASCADE, related_name="clippings")
    # [{"field": "text", "start": 10, "end": 22, "term": "marie dupont"}], offsets in the
    # original (displayed) text of that field.
    spans = models.JSONField(default=list)
    explanation = models.TextField(blank=True)
    # The explanation as codes and parameters (monitoring.explanations), written again in each
    # reader's language; empty on rows stored before, which show `explanation` as it is.
    reasons = models.JSONField(default=list, blank=True)
    # The passage the spans point into, kept because the full text may not be.
    passage = models.TextField(blank=True)
    passage_offset = models.PositiveIntegerField(default=0)
    verdict = models.CharField(
        _("verdict"), max_length=10, choices=Verdict.choices, default=Verdict.UNREAD
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    tone = models.CharField(_("tone"), max_length=10, choices=Tone.choices, blank=True)
    tone_method = models.CharField(max_length=10, choices=ToneMethod.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(default=now, db_index=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("clipping")
        verbose_name_plural = _("clippings")
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "query"], name="one_clipping_per_query")
        ]
        indexes = [models.Index(fields=["org", "query", "verdict"], name="monitoring_clip_inbox")]

    def __str__(self) -> str:
        return f"{self.item_id} × {self.query_id}"
