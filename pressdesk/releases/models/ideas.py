"""The pitch board: story ideas on their way to a release or a pitch."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import Organisation
from pressdesk.accounts.scoping import OrgOwned


class IdeaState(models.TextChoices):
    IDEA = "idea", _("Idea")
    PREPARING = "preparing", _("In preparation")
    PITCHED = "pitched", _("Pitched")
    PUBLISHED = "published", _("Published")
    DROPPED = "dropped", _("Dropped")


class StoryIdea(OrgOwned):
    org = models.ForeignKey(Organisation, models.CASCADE, related_name="story_ideas")
    title = models.CharField(_("title"), max_length=300)
    angle = models.TextField(_("angle"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=IdeaState.choices, default=IdeaState.IDEA
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_outlets = models.ManyToManyField("contacts.Outlet", blank=True, related_name="+")
    target_media = models.TextField(_("target media"), blank=True)  # in words, when no outlet
    beats = models.ManyToManyField("contacts.Beat", blank=True, related_name="+")
    position = models.PositiveIntegerField(default=0)  # order within its column
    created = models.DateTimeField(default=now)
    updated = models.DateTimeField(default=now)

    class Meta:
        verbose_name = _("story idea")
        verbose_name_plural = _("story ideas")
        ordering = ["state", "position", "-updated"]

    def __str__(self) -> str:
        return self.title


class IdeaComment(models.Model):
    """An internal comment on a story idea."""

    idea = models.ForeignKey(StoryIdea, models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"))
    created = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return self.body[:60]
