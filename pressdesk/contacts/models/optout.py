"""The organisation-wide opt-out list ("liste repoussoir"), keyed by a hash of the address."""

from __future__ import annotations

import hashlib

from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import Organisation
from pressdesk.accounts.scoping import OrgOwned
from pressdesk.lib.text import normalise_email


def address_hash(address: str) -> str:
    """The key of an address on the opt-out list: SHA-256 of its normalised form."""
    return hashlib.sha256(normalise_email(address).encode("utf-8")).hexdigest()


class OptOutReason(models.TextChoices):
    OBJECTION = "objection", _("Objection")
    UNSUBSCRIBE = "unsubscribe", _("Unsubscribed")
    HARD_BOUNCE = "hard_bounce", _("Hard bounce")
    NEVER_CONTACT = "never_contact", _("Asked never to be contacted")
    ERASURE = "erasure", _("Erased")


class OptOut(OrgOwned):
    """An address that can never be mailed again. Only the person can lift it."""

    org = models.ForeignKey(Organisation, models.CASCADE, related_name="optouts")
    address_hash = models.CharField(max_length=64)
    reason = models.CharField(_("reason"), max_length=20, choices=OptOutReason.choices)
    source = models.CharField(_("source"), max_length=300, blank=True)
    created = models.DateTimeField(default=now)

    class Meta:
        verbose_name = _("opt-out")
        verbose_name_plural = _("opt-out list")
        constraints = [
            models.UniqueConstraint(fields=["org", "address_hash"], name="one_optout_per_address")
        ]

    def __str__(self) -> str:
        return f"{self.address_hash[:12]}… ({self.reason})"
