"""Watch queries and their groups: the organisation, each spokesperson, product, competitor."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import Organisation
from pressdesk.accounts.scoping import OrgOwned


class GroupKind(models.TextChoices):
    ORGANISATION = "organisation", _("The organisation")
    SPOKESPERSON = "spokesperson", _("Spokesperson")
    PRODUCT = "product", _("Product or service")
    COMPETITOR = "competitor", _("Competitor")
    TOPIC = "topic", _("Topic")


class QueryGroup(OrgOwned):
    org = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=14, choices=GroupKind.choices, default=GroupKind.TOPIC
    )

    class Meta:
        verbose_name = _("query group")
        verbose_name_plural = _("query groups")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="one_query_group_per_name")
        ]

    def __str__(self) -> str:
        return self.name


class WatchQuery(OrgOwned):
    org = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    group = models.ForeignKey(
        QueryGroup, models.SET_NULL, null=True, blank=True, related_name="queries"
    )
    name = models.CharField(_("name"), max_length=200)
    expression = models.TextField(_("query"))
    # Other spellings of a name ("M. Dupont", "Mme Dupont"): each is matched as a phrase.
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    # {"instant_alert": bool, ...}: settings that do not change what matches.
    options = models.JSONField(_("options"), default=dict, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(default=now)
    updated = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("watch query")
        verbose_name_plural = _("watch queries")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="one_watch_query_per_name")
        ]

    def __str__(self) -> str:
        return self.name
