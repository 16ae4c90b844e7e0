from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkConfig(AppConfig):
    """Durable background work: claimable rows, leases, the sweeper, periodic jobs, workers."""

    name = "pressdesk.work"
    label = "work"
    verbose_name = _("Background work")
