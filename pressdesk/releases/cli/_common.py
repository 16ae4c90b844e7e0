"""What `pressdesk releases list` and `show` share: a release as scripts read it."""

from __future__ import annotations

from typing import Any

from pressdesk.releases import links
from pressdesk.releases.models import Release
from pressdesk.releases.states import effective_state


def release_json(release: Release) -> dict[str, Any]:
    """`id`, `title`, `state`, `embargo_until` (ISO 8601 or null), `public_url` and a few more."""
    return {
        "id": release.pk,
        "title": release.title,
        "state": effective_state(release),
        "embargo_until": release.embargo_until.isoformat() if release.embargo_until else None,
        "public_url": links.release_url(release),
        "template": release.template,
        "translation_id": release.translation_id,
        "updated": release.updated.isoformat(),
    }
