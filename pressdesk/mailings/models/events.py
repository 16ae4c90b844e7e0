"""What comes back from a mailing (bounces, replies, clicks), corrections and follow-ups."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import Organisation
from pressdesk.accounts.scoping import OrgOwned


class EventKind(models.TextChoices):
    BOUNCE = "bounce", _("Bounce")
    AUTO_REPLY = "auto_reply", _("Automatic reply")
    REPLY = "reply", _("Reply")
    CLICK = "click", _("Link clicked")
    OPEN = "open", _("Opened")
    UNSUBSCRIBE = "unsubscribe", _("Unsubscribed")


class MailEvent(OrgOwned):
    """One thing that came back, linked to the mailing and person when it could be matched.

    `source_id` (the incoming Message-ID, or a provider's event id) is unique per organisation,
    so reading the same mailbox twice records each message once.
    """

    org = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    mailing = models.ForeignKey(
        "mailings.Mailing", models.CASCADE, null=True, blank=True, related_name="events"
    )
    recipient = models.ForeignKey(
        "mailings.Recipient", models.CASCADE, null=True, blank=True, related_name="events"
    )
    contact = models.ForeignKey(
        "contacts.Contact", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    occurred_at = models.DateTimeField(default=now, db_index=True)
    source_id = models.CharField(max_length=255, blank=True)
    summary = models.CharField(max_length=500, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "kind", "source_id"],
                condition=~models.Q(source_id=""),
                name="one_event_per_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_at:%Y-%m-%d}"


class ContactCorrection(OrgOwned):
    """A change to a contact proposed by a bounce or an auto-reply, for a person to accept."""

    NEW_ADDRESS = "new_address"
    LEFT_OUTLET = "left_outlet"
    DEAD_ADDRESS = "dead_address"
    KINDS = [
        (NEW_ADDRESS, _("New address")),
        (LEFT_OUTLET, _("Has left the outlet")),
        (DEAD_ADDRESS, _("Address no longer works")),
    ]
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    STATES = [(PROPOSED, _("Proposed")), (ACCEPTED, _("Accepted")), (REJECTED, _("Rejected"))]

    org = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    contact = models.ForeignKey("contacts.Contact", models.CASCADE, related_name="corrections")
    event = models.ForeignKey(MailEvent, models.SET_NULL, null=True, related_name="corrections")
    kind = models.CharField(_("kind"), max_length=12, choices=KINDS)
    old_value = models.CharField(max_length=254, blank=True)
    new_value = models.CharField(max_length=254, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=STATES, default=PROPOSED)
    created = models.DateTimeField(default=now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.new_value}"


class FollowUp(OrgOwned):
    """A step of a one-to-one follow-up sequence: mailed N days after its mailing to those who
    have not replied and are not away. Sending it creates a child mailing (`sent_as`)."""

    org = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    mailing = models.ForeignKey("mailings.Mailing", models.CASCADE, related_name="follow_ups")
    after_days = models.PositiveSmallIntegerField(_("after (days)"), default=3)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"))
    due_at = models.DateTimeField(null=True, blank=True)
    sent_as = models.OneToOneField(
        "mailings.Mailing", models.SET_NULL, null=True, blank=True, related_name="follow_up_of"
    )
    cancelled = models.BooleanField(default=False)
    # Whose follow-up it is: the child mailing is created and started in their name.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(default=now)

    class Meta:
        ordering = ["mailing", "after_days"]

    def __str__(self) -> str:
        return self.subject
