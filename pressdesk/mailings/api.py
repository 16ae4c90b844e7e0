"""API endpoints of mailings, with the same rules as the UI: roles, approval, organisation."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["mailings"])
