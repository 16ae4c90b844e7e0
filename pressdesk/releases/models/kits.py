"""Press kits (dossiers de presse): everything a reporter needs on one subject."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import Organisation
from pressdesk.accounts.scoping import OrgOwned


def kit_public_q(at: datetime | None = None) -> Q:
    """The condition for a kit to be public at `at`: published and past its embargo."""
    return Q(
        published=True,
        visible_from__isnull=False,
        visible_from__lte=at or now(),
        withdrawn_at__isnull=True,
    )


class PressKit(OrgOwned):
    org = models.ForeignKey(Organisation, models.CASCADE, related_name="press_kits")
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("address"), max_length=120)
    language = models.CharField(_("language"), max_length=8, default="fr-FR")
    intro_html = models.TextField(_("introduction"), blank=True)
    published = models.BooleanField(default=False)
    embargo_until = models.DateTimeField(_("embargo until"), null=True, blank=True)
    visible_from = models.DateTimeField(null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # The events module will tie kits to events; until it exists, a kit stands alone.
    event_id = models.PositiveIntegerField(null=True, blank=True)
    cover = models.ForeignKey(
        "releases.MediaAsset", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(default=now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    updated = models.DateTimeField(default=now)

    class Meta:
        verbose_name = _("press kit")
        verbose_name_plural = _("press kits")
        ordering = ["-created"]
        constraints = [models.UniqueConstraint(fields=["org", "slug"], name="one_kit_slug")]

    def __str__(self) -> str:
        return self.title


class KitItemKind(models.TextChoices):
    RELEASE = "release", _("Release")
    FACT_SHEET = "fact_sheet", _("Fact sheet")
    KEY_FIGURES = "key_figures", _("Key figures")
    BIO = "bio", _("Spokesperson's biography")
    QUOTE = "quote", _("Quote")
    ASSET = "asset", _("Image or file")
    CONTACT = "contact", _("Press contact")


class PressKitItem(models.Model):
    """One part of a kit, in order. A release part shows only while that release is public."""

    kit = models.ForeignKey(PressKit, models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=12, choices=KitItemKind.choices)
    title = models.CharField(_("title"), max_length=300, blank=True)
    body_html = models.TextField(_("text"), blank=True)  # sanitised (nh3)
    release = models.ForeignKey(
        "releases.Release", models.CASCADE, null=True, blank=True, related_name="kit_items"
    )
    asset = models.ForeignKey(
        "releases.MediaAsset", models.CASCADE, null=True, blank=True, related_name="kit_items"
    )
    contact = models.ForeignKey(
        "contacts.Contact", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["kit", "position", "pk"]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()
