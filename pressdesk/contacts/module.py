"""The press file's one registration with the core (called from ContactsConfig.ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pressdesk.contacts import dashboard, demo, global_search, retention
from pressdesk.modules import DashboardCard, Module, Periodic, register

MODULE = Module(
    "contacts",
    _("Contacts"),
    _("The press file: journalists, outlets, lists, opt-outs."),
    order=10,
    home="contacts:list",
    urls="pressdesk.contacts.urls",
    public_urls=(("p/", "pressdesk.contacts.public_urls"),),
    api="pressdesk.contacts.api:router",
    api_prefix="/contacts/",
    periodic=(Periodic("contacts.retention_flag_stale", retention.DAY, retention.flag_everywhere),),
    demo_loader=demo.load,
    search=global_search.contacts_and_outlets,
    dashboard=DashboardCard("contacts/dashboard_card.html", dashboard.card),
    commands=("contacts",),
    stylesheets=("contacts/contacts.css", "contacts/gdpr.css", "contacts/dashboard.css"),
)


def install() -> None:
    """Register the press file with the core."""
    register(MODULE)
