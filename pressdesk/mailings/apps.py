from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingsConfig(AppConfig):
    name = "pressdesk.mailings"
    label = "mailings"
    verbose_name = _("Mailings")

    def ready(self) -> None:
        from pressdesk.mailings import module

        module.install()
