"""Releases' one registration with the core (called from ReleasesConfig.ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import AUDIT_ACTIONS
from pressdesk.modules import DashboardCard, Module, Periodic, register
from pressdesk.releases import (
    dashboard,
    demo,
    effects,
    embargo,
    feeds,
    global_search,
    subscriptions,
)
from pressdesk.releases.models import EffectKind

MODULE = Module(
    "releases",
    _("Releases"),
    _("Press releases: drafting, approval, embargo, newsroom and press kits."),
    order=20,
    home="releases:list",
    urls="pressdesk.releases.urls",
    public_urls=(
        ("newsroom/", "pressdesk.releases.public_urls"),
        ("", "pressdesk.releases.root_urls"),
    ),
    api="pressdesk.releases.api:router",
    api_prefix="/releases/",
    periodic=(
        # Safety nets: effects have their own wake-ups at their instant, and visibility never
        # waits for either job.
        Periodic("releases.run_due_effects", 60, effects.run_due),
        Periodic("releases.record_lifted", 60, embargo.record_lifted),
    ),
    demo_loader=demo.load,  # it calls demo_newsroom.load after the releases
    search=global_search.releases,
    dashboard=DashboardCard("releases/dashboard_card.html", dashboard.card),
    commands=("releases",),
    stylesheets=("releases/releases.css", "releases/kits.css"),
)

# How the audit log names what releases record.
RELEASE_AUDIT_ACTIONS = {
    "release.create": _("Release created"),
    "release.save": _("Release saved (new version)"),
    "release.submit": _("Release submitted for review"),
    "release.sign_off": _("Release signed off at a review step"),
    "release.changes_requested": _("Changes requested on a release"),
    "release.approve": _("Release approved"),
    "release.publish": _("Release published"),
    "release.schedule": _("Release scheduled under embargo"),
    "release.withdraw": _("Release withdrawn"),
    "release.translation": _("Release translation linked"),
    "release.review_chain": _("Review chain changed"),
}


def install() -> None:
    """Register releases with the core."""
    from pressdesk.releases.kits import KIT_AUDIT_ACTIONS

    for code, label in {**RELEASE_AUDIT_ACTIONS, **KIT_AUDIT_ACTIONS}.items():
        AUDIT_ACTIONS.setdefault(code, label)
    register(MODULE)
    # What the newsroom does when a release goes public.
    effects.register_effect(EffectKind.SUBSCRIBERS_MAIL, subscriptions.queue_for_effect)
    effects.register_effect(EffectKind.FEED_PING, feeds.ping)
