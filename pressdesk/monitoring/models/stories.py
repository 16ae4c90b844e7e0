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

    # No index of its own: a planner short of statistics (a new organisation, a table that
    # grew since its last ANALYZE) took it to walk every band of the organisation.
    org = models.ForeignKey(Organisation, models.CASCADE, related_name="+", db_index=False)
    story = models.ForeignKey(Story, models.CASCADE, related_name="bands")
    band = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=32)

    class Meta:
        # Band keys are 128-bit hashes: the key finds its band, and leading with it leaves a
        # lookup no way but one probe a key, whatever the planner believes of the table.
        indexes = [models.Index(fields=["key", "org"], name="monitoring_band_key_org")]

    def __str__(self) -> str:
        return f"{self.story_id}:{self.band}"
