"""The public newsroom's settings, its e-mail subscribers and the embargo preview links."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import Organisation
from pressdesk.accounts.scoping import OrgOwned


def new_token() -> str:
    """An unguessable token for a public link."""
    return secrets.token_urlsafe(24)


class Newsroom(OrgOwned):
    """One per organisation: whether its newsroom is on, and how it looks."""

    org = models.OneToOneField(Organisation, models.CASCADE, related_name="newsroom")
    enabled = models.BooleanField(_("newsroom online"), default=True)
    title = models.CharField(_("title"), max_length=200, blank=True)  # default: org name
    tagline = models.CharField(_("tagline"), max_length=300, blank=True)
    logo = models.ForeignKey(
        "releases.MediaAsset", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    primary_colour = models.CharField(_("main colour"), max_length=7, default="#1d3557")
    accent_colour = models.CharField(_("accent colour"), max_length=7, default="#e63946")
    press_contacts = models.ManyToManyField("contacts.Contact", blank=True, related_name="+")

    def __str__(self) -> str:
        return self.title or self.org.name


class Subscriber(OrgOwned):
    """A journalist who asked for new releases by e-mail (double opt-in)."""

    org = models.ForeignKey(Organisation, models.CASCADE, related_name="newsroom_subscribers")
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=8, default="fr")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created = models.DateTimeField(default=now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    contact = models.ForeignKey(
        "contacts.Contact", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "email"], name="one_subscription_per_email")
        ]


class PreviewLink(OrgOwned):
    """A personal, revocable link to an embargoed release, so a leak can be traced to it."""

    org = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    release = models.ForeignKey("releases.Release", models.CASCADE, related_name="preview_links")
    contact = models.ForeignKey(
        "contacts.Contact", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recipient = models.CharField(_("recipient"), max_length=254)  # name or address, as shown
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created = models.DateTimeField(default=now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]


class PreviewView(models.Model):
    """One opening of a preview link."""

    link = models.ForeignKey(PreviewLink, models.CASCADE, related_name="views")
    at = models.DateTimeField(default=now)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.link_id} @ {self.at:%Y-%m-%d %H:%M}"
