from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "pressdesk.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from pressdesk.accounts.throttle import prune_login_attempts
        from pressdesk.scheduler import register_periodic

        register_periodic("accounts.prune_login_attempts", 3600, prune_login_attempts)
