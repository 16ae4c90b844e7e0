"""Mailings' one registration with the core (called from MailingsConfig.ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pressdesk.modules import Module, register

# Still "coming" in the navigation until its pages are built (set built=True then).
MODULE = Module(
    "mailings",
    _("Mailings"),
    _("Personalised sends of releases, pitches and invitations."),
    order=30,
    urls="pressdesk.mailings.urls",
    public_urls=(("m/", "pressdesk.mailings.public_urls"),),
    api="pressdesk.mailings.api:router",
    api_prefix="/mailings/",
    commands=("mailings",),
    built=False,
)


def install() -> None:
    """Register mailings with the core."""
    from pressdesk.mailings import tasks

    register(MODULE)
    tasks.register()
    _install_inbound()


def _install_inbound() -> None:
    """The inbound jobs: reading the replies mailbox, creating due follow-ups."""
    from django.conf import settings

    from pressdesk.mailings import contact_panel, followups, imap, webhooks
    from pressdesk.modules import ContactPanel, register_contact_panel
    from pressdesk.scheduler import register_periodic

    register_contact_panel(
        ContactPanel("mailings/inbound/contact_panel.html", contact_panel.context)
    )

    register_periodic("mailings.fetch_replies", settings.REPLIES_IMAP_EVERY, imap.poll)
    register_periodic("mailings.follow_ups", 300, followups.create_due)
    webhooks.connect()
