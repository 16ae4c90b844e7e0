"""One row per subscriber per release: the newsroom's mail of a new release, as durable work."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import Organisation
from pressdesk.accounts.scoping import OrgOwned
from pressdesk.work.models import Claimable


class SubscriberMail(OrgOwned, Claimable):
    """The mail of one release to one subscriber. Unique per pair, so queueing twice mails once;
    a row whose worker died after handing the mail over is interrupted, never resent on its own.
    """

    SENDING = "sending"  # handed to the mail server: its fate is unknown until marked sent
    SENT = "sent"
    SKIPPED = "skipped"  # opted out, unsubscribed, or the release is no longer public

    org = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    release = models.ForeignKey("releases.Release", models.CASCADE, related_name="subscriber_mails")
    subscriber = models.ForeignKey("releases.Subscriber", models.CASCADE, related_name="mails")
    outcome = models.CharField(max_length=10, blank=True)

    class Meta(Claimable.Meta):
        ordering = ["pk"]
        verbose_name = _("mail to a subscriber")
        verbose_name_plural = _("mails to subscribers")
        constraints = [
            models.UniqueConstraint(
                fields=["release", "subscriber"], name="one_subscriber_mail_per_release"
            )
        ]

    def __str__(self) -> str:
        return f"{self.release_id} → {self.subscriber_id}"
