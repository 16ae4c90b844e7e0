"""API endpoints of releases and press kits, with the same rules as the UI: roles, embargo,
organisation. Each part is its own router."""

from __future__ import annotations

from ninja import Router

from pressdesk.releases import api_kits, api_releases

router = Router(tags=["releases"])
# Kits first: a release route without a converter (`/{release_id}`) would otherwise take "kits".
router.add_router("/kits", api_kits.router)
router.add_router("", api_releases.router)
