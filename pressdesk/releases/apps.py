from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReleasesConfig(AppConfig):
    name = "pressdesk.releases"
    label = "releases"
    verbose_name = _("Releases")

    def ready(self) -> None:
        from pressdesk.releases import module, subscriptions

        module.install()
        # A mail handed to the mail server has an unknown fate if its worker dies: such a row
        # waits for a director's decision rather than being sent again.
        subscriptions.register()
