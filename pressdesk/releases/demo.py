"""The demo's releases (filled below)."""

from __future__ import annotations

from pressdesk.accounts.models import Organisation


def load(org: Organisation) -> None:
    """Add releases to the demo organisation."""
