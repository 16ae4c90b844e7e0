"""Monitoring's one registration with the core (called from MonitoringConfig.ready())."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from pressdesk.modules import Module, Periodic, register

if TYPE_CHECKING:
    from pressdesk.accounts.models import Organisation


def _schedule_polls() -> int:
    from pressdesk.monitoring import polling

    return polling.schedule_due()


def _load_demo(org: Organisation) -> None:
    from pressdesk.monitoring import demo

    demo.load(org)


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
    demo_loader=_load_demo,
)


def install() -> None:
    """Register monitoring with the core."""
    register(MODULE)
