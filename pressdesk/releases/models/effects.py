"""What happens when a release's instant comes: one durable-work row per side effect."""

from __future__ import annotations

from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import Organisation
from pressdesk.accounts.scoping import OrgOwned
from pressdesk.work.models import Claimable


class EffectKind(models.TextChoices):
    FEED_PING = "feed_ping", _("Tell feed readers")
    SUBSCRIBERS_MAIL = "subscribers_mail", _("Mail the newsroom's subscribers")


class ReleaseEffect(OrgOwned, Claimable):
    """A side effect of a release going public, due at its instant. Withdrawing the release
    cancels those not yet done; visibility itself never waits for these rows."""

    org = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    release = models.ForeignKey("releases.Release", models.CASCADE, related_name="effects")
    kind = models.CharField(max_length=20, choices=EffectKind.choices)
    due_at = models.DateTimeField(default=now, db_index=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta(Claimable.Meta):
        ordering = ["due_at", "pk"]
