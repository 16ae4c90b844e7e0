"""Mailings' one registration with the core (called from MailingsConfig.ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import AUDIT_ACTIONS
from pressdesk.mailings import contact_panel, dashboard, demo, global_search
from pressdesk.modules import ContactPanel, DashboardCard, Module, register

MODULE = Module(
    "mailings",
    _("Mailings"),
    _("Personalised sends of releases, pitches and invitations."),
    order=30,
    home="mailings:list",
    urls="pressdesk.mailings.urls",
    public_urls=(("m/", "pressdesk.mailings.public_urls"),),
    api="pressdesk.mailings.api:router",
    api_prefix="/mailings/",
    demo_loader=demo.load,
    search=global_search.mailings,
    dashboard=DashboardCard("mailings/pages/dashboard_card.html", dashboard.card),
    contact_panel=ContactPanel("mailings/inbound/contact_panel.html", contact_panel.context),
    commands=("mailings",),
    stylesheets=("mailings/mailings.css",),
)

# How the audit log names what mailings record (services.py records them; the same words).
MAILING_AUDIT_ACTIONS = {
    "mailing.send": _("Mailing sent"),
    "mailing.schedule": _("Mailing scheduled"),
    "mailing.pause": _("Mailing paused"),
    "mailing.resume": _("Mailing resumed"),
    "mailing.cancel": _("Mailing cancelled"),
    "mailing.hold": _("Scheduled mailing held for confirmation"),
    "mailing.confirm_held": _("Held mailing confirmed"),
    "mailing.resolve_unknown": _("Decision on mails of unknown fate"),
    "mailings.outbox_resume": _("Paused sends resumed"),
}


def install() -> None:
    """Register mailings with the core."""
    from pressdesk.mailings import tasks

    for code, label in MAILING_AUDIT_ACTIONS.items():
        AUDIT_ACTIONS.setdefault(code, label)
    register(MODULE)
    tasks.register()
    _install_inbound()
    _install_outbox()


def _install_outbox() -> None:
    """The GDPR mails of contacts go through the engine's outbox (docs/decisions/0005)."""
    from typing import Any

    from pressdesk.accounts.models import Organisation, User
    from pressdesk.contacts import sends
    from pressdesk.contacts.models import NoticeSend
    from pressdesk.mailings import outbox, sending
    from pressdesk.work.overview import register_pauses

    def resumer(kind: str) -> Any:
        def resume(org: Organisation, by: User, request: Any) -> bool:
            return sends.resume(org, kind, by=by, request=request)

        return resume

    for kind, label in NoticeSend.KINDS:
        outbox.register_stream(sends.stream_name(kind), label, resumer(kind))
    sending.count_sent_in(NoticeSend, NoticeSend.SENT)
    register_pauses(outbox.paused_work)


def _install_inbound() -> None:
    """The inbound jobs: reading the replies mailbox, creating due follow-ups."""
    from django.conf import settings

    from pressdesk.mailings import followups, imap, webhooks
    from pressdesk.scheduler import register_periodic

    register_periodic("mailings.fetch_replies", settings.REPLIES_IMAP_EVERY, imap.poll)
    register_periodic("mailings.follow_ups", 300, followups.create_due)
    webhooks.connect()
