"""Stories: near-duplicate articles (wire copy republished by many outlets) grouped as one.

Clustering is MinHash LSH (rensa computes the signatures); the bands live in the database, so
every worker of every process sees the same index.
"""

from __future__ import annotations

from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import Organisation
from pressdesk.accounts.scoping import OrgOwned


class Story(OrgOwned):
    org = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    title = models.CharField(_("headline"), max_length=500, blank=True)
    first_seen = models.DateTimeField(default=now, db_index=True)
    appearance_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-first_seen"]

    def __str__(self) -> str:
        return self.title


class StoryBand(OrgOwned):
    """One LSH band of one story's first article: articles sharing a band are candidates."""

    org = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    story = models.ForeignKey(Story, models.CASCADE, related_name="bands")
    band = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=32)

    class Meta:
        indexes = [models.Index(fields=["org", "band", "key"], name="monitoring_band_key")]

    def __str__(self) -> str:
        return f"{self.story_id}:{self.band}"
