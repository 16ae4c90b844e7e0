"""A mailing: what is sent (a release, a pitch or free text), to whom, from whom, and its state."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import Organisation
from pressdesk.accounts.scoping import OrgOwned


class MailingKind(models.TextChoices):
    RELEASE = "release", _("Press release")
    PITCH = "pitch", _("One-to-one pitch")
    FREE = "free", _("Free text")


class ReleaseFormat(models.TextChoices):
    INLINE = "inline", _("Whole release in the mail")
    LINK = "link", _("Link and excerpt")


class MailingState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    # A scheduled time that passed while Pressdesk was down: waits for a person to confirm.
    HELD = "held", _("Held: confirm to send")
    SENDING = "sending", _("Sending")
    PAUSED = "paused", _("Paused")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


class Mailing(OrgOwned):
    """One send of one message to a set of recipients, personalised per person.

    Its state moves by conditional UPDATE only (pressdesk/mailings/services.py). Once it starts
    sending, its recipients are frozen into the ledger (`Recipient`), one row per person.
    """

    org = models.ForeignKey(Organisation, models.CASCADE, related_name="mailings")
    kind = models.CharField(_("kind"), max_length=10, choices=MailingKind.choices)
    release = models.ForeignKey(
        "releases.Release", models.PROTECT, null=True, blank=True, related_name="mailings"
    )
    release_format = models.CharField(
        _("release in the mail"),
        max_length=10,
        choices=ReleaseFormat.choices,
        default=ReleaseFormat.INLINE,
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    # Markdown with merge fields ({{ first_name }}…); for a release, the text above the release.
    body = models.TextField(_("message"), blank=True)
    sender_name = models.CharField(_("sender name"), max_length=200, blank=True)
    sender_email = models.EmailField(_("sender address"), blank=True)
    reply_to = models.EmailField(_("reply-to address"), blank=True)
    language = models.CharField(_("language"), max_length=8, default="fr")

    # Audience: lists and saved segments (ContactList of either kind) and single contacts.
    lists = models.ManyToManyField(
        "contacts.ContactList", blank=True, related_name="mailings", verbose_name=_("lists")
    )
    contacts = models.ManyToManyField(
        "contacts.Contact", blank=True, related_name="+", verbose_name=_("contacts")
    )
    # Per-recipient intro lines: {"<contact id>": "text"}.
    intros = models.JSONField(default=dict, blank=True)

    track_clicks = models.BooleanField(_("track clicks"), default=False)
    track_opens = models.BooleanField(_("track opens"), default=False)

    state = models.CharField(
        _("state"), max_length=10, choices=MailingState.choices, default=MailingState.DRAFT
    )
    state_reason = models.CharField(max_length=500, blank=True)  # why it paused or was held
    scheduled_for = models.DateTimeField(_("send at"), null=True, blank=True)
    frozen_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    # This mailing's own limits, below the installation's (MAILINGS_RATE_PER_*); null: none.
    rate_per_second = models.PositiveIntegerField(_("messages per second"), null=True, blank=True)
    rate_per_minute = models.PositiveIntegerField(_("messages per minute"), null=True, blank=True)
    backoff_until = models.DateTimeField(null=True, blank=True)

    created = models.DateTimeField(default=now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created"]
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        indexes = [models.Index(fields=["state", "scheduled_for"], name="mailing_due")]

    def __str__(self) -> str:
        return self.name or self.subject
