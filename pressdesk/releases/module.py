"""Releases' one registration with the core (called from ReleasesConfig.ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pressdesk.modules import Module, register
from pressdesk.releases import demo_newsroom

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
    commands=("releases",),
    # The lead merges this with relcore's demo.load, which then calls demo_newsroom.load.
    demo_loader=demo_newsroom.load,
    stylesheets=(),
)


def install() -> None:
    """Register releases with the core."""
    register(MODULE)
