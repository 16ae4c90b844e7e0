"""The recipient ledger: one row per (mailing, person), frozen when the mailing starts."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import Organisation
from pressdesk.accounts.scoping import OrgOwned
from pressdesk.work.models import Claimable


class Outcome(models.TextChoices):
    QUEUED = "", _("Queued")
    # Handed to the mail server; its fate is unknown until marked sent. A worker killed here
    # leaves the row interrupted and its outcome "sending": shown as unknown, never resent alone.
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Refused")
    SKIPPED = "skipped", _("Not sent")  # opted out, or no longer mailable, at send time
    CANCELLED = "cancelled", _("Cancelled")


class Bounce(models.TextChoices):
    NONE = "", _("No bounce")
    HARD = "hard", _("Hard bounce")
    SOFT = "soft", _("Soft bounce")


class Recipient(OrgOwned, Claimable):
    """One person of a mailing. The work state (Claimable) says where sending stands; `outcome`
    says what happened to the message; the timestamps below say what came back."""

    org = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    mailing = models.ForeignKey("mailings.Mailing", models.CASCADE, related_name="recipients")
    contact = models.ForeignKey(
        "contacts.Contact", models.SET_NULL, null=True, related_name="mailing_recipients"
    )
    address = models.EmailField(_("address"), max_length=254)
    # Lower-cased, trimmed address: one message per address even if two records share it.
    address_key = models.CharField(max_length=254)
    name = models.CharField(_("name"), max_length=200, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default="", blank=True
    )
    message_id = models.CharField(max_length=255, blank=True, db_index=True)
    smtp_reply = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    bounce = models.CharField(max_length=4, choices=Bounce.choices, default="", blank=True)
    bounce_reason = models.CharField(max_length=500, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    away_until = models.DateField(null=True, blank=True)  # from an out-of-office reply
    clicked_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta(Claimable.Meta):
        ordering = ["pk"]
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "address_key"], name="one_message_per_address"
            ),
            models.UniqueConstraint(
                fields=["mailing", "contact"],
                condition=Q(contact__isnull=False),
                name="one_message_per_person",
            ),
        ]
        indexes = [
            *Claimable.Meta.indexes,
            models.Index(fields=["mailing", "state"], name="recipient_mailing_state"),
        ]

    def __str__(self) -> str:
        return self.address


class ExclusionReason(models.TextChoices):
    OPTED_OUT = "opted_out", _("On the opt-out list")
    BOUNCED = "bounced", _("Address bounced")
    NO_EMAIL = "no_email", _("No email address")
    NEVER = "never", _("Prefers never to be mailed")
    DUPLICATE = "duplicate", _("Same address as another recipient")


class Exclusion(OrgOwned):
    """A person of the audience who is not mailed, and why; written when the ledger is frozen."""

    org = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    mailing = models.ForeignKey("mailings.Mailing", models.CASCADE, related_name="exclusions")
    contact = models.ForeignKey("contacts.Contact", models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=12, choices=ExclusionReason.choices)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["mailing", "contact"], name="one_exclusion_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.contact_id}: {self.reason}"
