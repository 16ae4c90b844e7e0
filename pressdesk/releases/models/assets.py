"""Images and files: with their caption, credit and rights, attached to releases and kits.

A file is served publicly only through a release or kit that is public now; until then its
address answers 404, like the page it belongs to.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import Organisation
from pressdesk.accounts.scoping import OrgOwned


def asset_path(asset: MediaAsset, filename: str) -> str:
    """Stored under an unguessable name: the file's address must not leak before its time."""
    suffix = filename.rsplit(".", 1)[-1].lower()[:10] if "." in filename else "bin"
    return f"releases/{asset.org_id}/{uuid.uuid4().hex}.{suffix}"


class AssetKind(models.TextChoices):
    IMAGE = "image", _("Image")
    LOGO = "logo", _("Logo")
    DOCUMENT = "document", _("Document")


class MediaAsset(OrgOwned):
    org = models.ForeignKey(Organisation, models.CASCADE, related_name="media_assets")
    kind = models.CharField(_("kind"), max_length=10, choices=AssetKind.choices)
    file = models.FileField(_("file"), upload_to=asset_path, max_length=200)
    filename = models.CharField(_("file name"), max_length=200)  # as uploaded, for downloads
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200, blank=True)
    caption = models.TextField(_("caption"), blank=True)
    alt_text = models.CharField(_("description for screen readers"), max_length=300, blank=True)
    credit = models.CharField(_("credit"), max_length=200, blank=True)  # "© Jeanne Martin / AFP"
    rights_free_until = models.DateField(_("rights-free until"), null=True, blank=True)
    created = models.DateTimeField(default=now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("image or file")
        verbose_name_plural = _("images and files")
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.title or self.filename


class ReleaseAttachment(models.Model):
    """An image or file in a release, in order; the first image is the release's picture."""

    release = models.ForeignKey("releases.Release", models.CASCADE, related_name="attachments")
    asset = models.ForeignKey(MediaAsset, models.CASCADE, related_name="release_uses")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["release", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["release", "asset"], name="one_attachment_per_asset")
        ]

    def __str__(self) -> str:
        return f"{self.release_id}: {self.asset_id}"
