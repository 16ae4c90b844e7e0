"""Mailings' one registration with the core (called from MailingsConfig.ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pressdesk.modules import Module, register

# No pages yet (only the stateless bounce reader), so the navigation still says "coming".
MODULE = Module(
    "mailings",
    _("Mailings"),
    _("Personalised sends of releases, pitches and invitations."),
    order=30,
    commands=("mailings",),
    built=False,
)


def install() -> None:
    """Register mailings with the core."""
    register(MODULE)
