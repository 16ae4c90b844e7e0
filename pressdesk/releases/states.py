"""How a release's state moves: always by conditional UPDATE, from the state the caller expects.

Two directors clicking at once, or an edit racing an approval, cannot both win: the second
UPDATE matches no row and its transaction raises `StateChanged`, rolling back its history and
audit entry with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils.timezone import now
from django.utils.translation import gettext as _

from pressdesk.releases.models import Release, ReleaseState


class ReleaseError(Exception):
    """A release change that cannot be made; the message says why, for the user."""


class NotAllowed(ReleaseError):
    """The member's role (or place in the review chain) does not allow this: a 403."""


class StateChanged(ReleaseError):
    """Someone else moved the release first: nothing was changed."""


def move(release: Release, expected: Iterable[str], to: str, **fields: Any) -> None:
    """Move the release to `to` only if it is still in one of `expected`; refresh the object.

    Extra `fields` are written in the same UPDATE; `where__<lookup>` entries add conditions
    (`where__current_version=version`).
    """
    where = {k.removeprefix("where__"): v for k, v in fields.items() if k.startswith("where__")}
    values = {k: v for k, v in fields.items() if not k.startswith("where__")}
    moved = (
        Release.objects.for_org(release.org_id)
        .filter(pk=release.pk, state__in=list(expected), **where)
        .update(state=to, updated=now(), **values)
    )
    if moved != 1:
        raise StateChanged(
            _("This release changed in the meantime (someone else acted on it): nothing was done.")
        )
    release.refresh_from_db()


def effective_state(release: Release, at: datetime | None = None) -> str:
    """The state a reader should see: a scheduled release whose instant has come is published,
    whether or not a worker has recorded it yet (visibility never waits for one)."""
    if release.state == ReleaseState.SCHEDULED and release.is_public(at):
        return ReleaseState.PUBLISHED
    return release.state


def state_label(state: str) -> str:
    """The state in words, in the reader's language."""
    return str(ReleaseState(state).label)
