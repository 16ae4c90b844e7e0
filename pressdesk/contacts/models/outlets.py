"""Media outlets."""

from __future__ import annotations

from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import Organisation
from pressdesk.accounts.scoping import OrgOwned


class MediaType(models.TextChoices):
    DAILY = "daily", _("Daily")
    REGIONAL_DAILY = "regional_daily", _("Regional daily (PQR)")
    WEEKLY = "weekly", _("Weekly")
    MAGAZINE = "magazine", _("Magazine")
    AGENCY = "agency", _("News agency")
    TV = "tv", _("TV")
    RADIO = "radio", _("Radio")
    WEB = "web", _("Web")
    PODCAST = "podcast", _("Podcast")
    NEWSLETTER = "newsletter", _("Newsletter")
    BLOG = "blog", _("Blog")
    TRADE = "trade", _("Trade press")


class Tier(models.IntegerChoices):
    """How much an outlet matters to the organisation: what the team calls its priority."""

    MUST_HAVE = 1, _("1 = must-have")
    IMPORTANT = 2, _("2 = important")
    SECONDARY = 3, _("3 = secondary")


class Outlet(OrgOwned):
    org = models.ForeignKey(Organisation, models.CASCADE, related_name="outlets")
    name = models.CharField(_("name"), max_length=200)
    name_normalised = models.CharField(max_length=200, db_index=True, editable=False)
    media_type = models.CharField(
        _("media type"), max_length=20, choices=MediaType.choices, blank=True
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO code, e.g. FR")
    )
    region = models.CharField(_("region"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    feed_urls = models.JSONField(_("feed URLs"), default=list, blank=True)
    audience = models.PositiveIntegerField(_("audience"), null=True, blank=True)
    audience_source = models.CharField(_("audience source"), max_length=200, blank=True)
    audience_date = models.DateField(_("audience date"), null=True, blank=True)
    tier = models.PositiveSmallIntegerField(
        _("priority"),
        null=True,
        blank=True,
        choices=Tier.choices,
        help_text=_("1 = must-have, 2 = important, 3 = secondary"),
    )
    notes = models.TextField(_("notes"), blank=True)
    created = models.DateTimeField(default=now)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("outlet")
        verbose_name_plural = _("outlets")
        ordering = ["name"]
        indexes = [models.Index(fields=["org", "name_normalised"])]

    def __str__(self) -> str:
        return self.name
