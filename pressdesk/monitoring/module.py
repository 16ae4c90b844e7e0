"""Monitoring's one registration with the core (called from MonitoringConfig.ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pressdesk.modules import Module, Periodic, register


def _schedule_polls() -> int:
    from pressdesk.monitoring import polling

    return polling.schedule_due()


MODULE = Module(
    "monitoring",
    _("Monitoring"),
    _("Feeds and news pages watched for mentions; alerts and clippings."),
    order=60,
    home="monitoring:inbox",
    urls="pressdesk.monitoring.urls",
    commands=("monitor",),
    periodic=(Periodic("monitoring.schedule_polls", 30, _schedule_polls),),
    stylesheets=("monitoring/monitoring.css",),
)


def install() -> None:
    """Register monitoring with the core."""
    register(MODULE)
