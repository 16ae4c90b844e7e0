"""Watched sources, their next poll (durable work) and the remote hosts' politeness clock."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pressdesk.accounts.models import Organisation
from pressdesk.accounts.scoping import OrgOwned
from pressdesk.contacts.models import Outlet
from pressdesk.work.models import Claimable


class SourceKind(models.TextChoices):
    FEED = "feed", _("Feed (RSS, Atom, JSON Feed)")
    SITEMAP = "sitemap", _("News sitemap")
    PAGE = "page", _("Web page")
    SOCIAL = "social", _("Social profile or hashtag feed")


class Health(models.TextChoices):
    OK = "ok", _("OK")
    NEW = "new", _("Not polled yet")
    SILENT = "silent", _("Silent")
    FAILING = "failing", _("Failing")


class Source(OrgOwned):
    org = models.ForeignKey(Organisation, models.CASCADE, related_name="monitoring_sources")
    outlet = models.ForeignKey(
        Outlet, models.SET_NULL, null=True, blank=True, related_name="monitoring_sources"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SourceKind.choices)
    url = models.URLField(_("URL"), max_length=2000)
    title = models.CharField(pgettext_lazy("monitoring", "title"), max_length=300, blank=True)
    active = models.BooleanField(_("active"), default=True)
    interval_seconds = models.PositiveIntegerField(_("poll interval (seconds)"), default=900)
    # Conditional GET: what the server said last time.
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    consecutive_errors = models.PositiveIntegerField(default=0)
    health = models.CharField(
        _("health"), max_length=10, choices=Health.choices, default=Health.NEW
    )
    health_reason = models.CharField(_("reason"), max_length=500, blank=True)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)
    last_ok_at = models.DateTimeField(null=True, blank=True)
    # When the source last brought a new item: a source quiet for too long is flagged silent.
    last_new_item_at = models.DateTimeField(_("last new item"), null=True, blank=True)
    items_seen = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(default=now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = pgettext_lazy("monitoring", "source")
        verbose_name_plural = pgettext_lazy("monitoring", "sources")
        ordering = ["title", "url"]
        constraints = [models.UniqueConstraint(fields=["org", "url"], name="one_source_per_url")]

    def __str__(self) -> str:
        return self.title or self.url


class SourcePoll(Claimable, OrgOwned):
    """A source's next poll: done between polls, made pending when due, claimed by one worker."""

    org = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    source = models.OneToOneField(Source, models.CASCADE, related_name="poll")
    due_at = models.DateTimeField(default=now, db_index=True)
    polls = models.PositiveIntegerField(default=0)

    class Meta(Claimable.Meta):
        verbose_name = _("source poll")
        verbose_name_plural = _("source polls")

    def __str__(self) -> str:
        return f"poll of {self.source_id} due {self.due_at:%Y-%m-%d %H:%M}"


class Host(models.Model):
    """A remote host's politeness clock, shared by every organisation and every worker."""

    name = models.CharField(max_length=255, unique=True)
    next_allowed_at = models.DateTimeField(default=now)
    delay_seconds = models.FloatField(default=2.0)

    def __str__(self) -> str:
        return self.name
