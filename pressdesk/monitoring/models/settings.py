"""An organisation's monitoring settings: the languages it reads and the licence it declared."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import Organisation
from pressdesk.accounts.scoping import OrgOwned


class Licence(models.TextChoices):
    """What the organisation may keep of an article (see shared/domain/trade.md, copyright)."""

    # The safe default: link, headline, outlet, author, date, a short extract and our summary.
    LINK_ONLY = "link_only", _("Links and short extracts (no licence)")
    # A press-review licence (in France the CFC's) allows keeping the full text.
    CFC = "cfc", _("Full text under a CFC licence")
    OTHER = "other", _("Full text under another declared licence")


class MonitoringSettings(OrgOwned):
    org = models.OneToOneField(Organisation, models.CASCADE, related_name="monitoring_settings")
    licence = models.CharField(
        _("licence"), max_length=12, choices=Licence.choices, default=Licence.LINK_ONLY
    )
    licence_notice = models.CharField(_("licence notice"), max_length=300, blank=True)
    # Language detection is restricted to these (lingua works best on a short list).
    languages = models.JSONField(_("languages"), default=list, blank=True)

    class Meta:
        verbose_name = _("monitoring settings")
        verbose_name_plural = _("monitoring settings")

    def __str__(self) -> str:
        return f"{self.org_id}: {self.licence}"

    @property
    def keeps_full_text(self) -> bool:
        """Whether the declared licence allows keeping articles' full text."""
        return self.licence != Licence.LINK_ONLY

    @property
    def allowed_languages(self) -> list[str]:
        """The languages detection may answer with (French and English unless set)."""
        return list(self.languages) or ["fr", "en"]
