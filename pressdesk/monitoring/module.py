"""Monitoring's one registration with the core (called from MonitoringConfig.ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pressdesk.modules import Module, register

MODULE = Module(
    "monitoring",
    _("Monitoring"),
    _("Feeds and news pages watched for mentions; alerts and clippings."),
    order=60,
    commands=("monitor",),
)


def install() -> None:
    """Register monitoring with the core."""
    register(MODULE)
