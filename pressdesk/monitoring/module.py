"""Monitoring's one registration with the core (called from MonitoringConfig.ready())."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from pressdesk.modules import ContactPanel, DashboardCard, Module, Periodic, register

if TYPE_CHECKING:
    from pressdesk.accounts.access import OrgRequest
    from pressdesk.accounts.models import Organisation
    from pressdesk.modules import SearchHit


def _schedule_polls() -> int:
    from pressdesk.monitoring import polling

    return polling.schedule_due()


def _queue_digests() -> int:
    from pressdesk.monitoring import alerts

    return alerts.queue_digests()


def _queue_spikes() -> int:
    from pressdesk.monitoring import alerts

    return alerts.queue_spikes()


def _search(org: Organisation, query: str, limit: int) -> list[SearchHit]:
    from pressdesk.monitoring import dashboard

    return dashboard.clippings(org, query, limit)


def _card(request: OrgRequest) -> dict[str, Any] | None:
    from pressdesk.monitoring import dashboard

    return dashboard.card(request)


def _contact_panel(request: OrgRequest, contact: Any) -> dict[str, Any] | None:
    from pressdesk.monitoring import journalists

    return journalists.panel(request, contact)


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
    api="pressdesk.monitoring.api:router",
    commands=("monitor",),
    periodic=(
        Periodic("monitoring.schedule_polls", 30, _schedule_polls),
        # Digests go out within 5 minutes of each member's chosen time.
        Periodic("monitoring.digests", 300, _queue_digests),
        Periodic("monitoring.spikes", 3600, _queue_spikes),
    ),
    stylesheets=("monitoring/monitoring.css",),
    demo_loader=_load_demo,
    search=_search,
    dashboard=DashboardCard("monitoring/dashboard_card.html", _card),
    contact_panel=ContactPanel("monitoring/contact_articles.html", _contact_panel),
)


def install() -> None:
    """Register monitoring with the core."""
    register(MODULE)
