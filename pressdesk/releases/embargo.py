"""Publishing, scheduling under embargo, withdrawing: directors only, on every path.

An embargo is entered in the organisation's time zone and stored as a UTC instant. A wall time
that does not exist (the hour skipped when clocks go forward) or that exists twice (the hour
repeated when they go back) is refused rather than guessed: an embargo must mean one instant.

Publication itself is `visible_from`: the release is public from that instant on every read
(`public_q`), whether or not a worker has run. The side effects (feed pings, subscribers' mail)
are ReleaseEffect rows due at the same instant; withdrawing cancels those not yet done.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from django.db import transaction
from django.http import HttpRequest
from django.utils.timezone import now
from django.utils.translation import gettext as _

from pressdesk.accounts import audit
from pressdesk.accounts.models import Membership
from pressdesk.accounts.roles import can
from pressdesk.releases import effects
from pressdesk.releases.models import Release, ReleaseState
from pressdesk.releases.states import NotAllowed, ReleaseError, move


class EmbargoError(ReleaseError):
    """An embargo instant that cannot be used; the message says why."""


def to_instant(day: date, at: time, zone: str) -> datetime:
    """The UTC instant of a wall-clock date and time in `zone`; EmbargoError if that wall time is
    skipped or repeated by a daylight-saving change."""
    tz = ZoneInfo(zone)
    local = datetime.combine(day, at.replace(second=0, microsecond=0), tzinfo=tz)
    instant = local.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise EmbargoError(
            _("%(time)s does not exist on that day: the clocks go forward. Choose another time.")
            % {"time": at.strftime("%H:%M")}
        )
    if local.replace(fold=1).utcoffset() != local.replace(fold=0).utcoffset():
        raise EmbargoError(
            _("%(time)s happens twice on that day: the clocks go back. Choose another time.")
            % {"time": at.strftime("%H:%M")}
        )
    return instant


def _director(member: Membership) -> None:
    if not can(member.role, "approve"):
        raise NotAllowed(_("Only a director may publish, schedule or withdraw a release."))


def _check_approved(release: Release) -> None:
    if release.approved_version_id is None or (
        release.approved_version_id != release.current_version_id
    ):
        raise ReleaseError(_("Only the approved version can be published: approve it first."))


@transaction.atomic
def publish_now(
    release: Release, *, member: Membership, request: HttpRequest | None = None
) -> None:
    """Make the approved release public now (also lifts a scheduled embargo early)."""
    _director(member)
    locked = Release.objects.for_org(release.org_id).select_for_update().get(pk=release.pk)
    _check_approved(locked)
    was_embargoed = locked.state == ReleaseState.SCHEDULED and not locked.is_public()
    at = now()
    effects.cancel(locked)
    move(
        locked,
        [ReleaseState.APPROVED, ReleaseState.SCHEDULED],
        ReleaseState.PUBLISHED,
        visible_from=at,
        published_at=at,
        embargo_until=None,
        where__current_version=locked.approved_version_id,
    )
    effects.plan(locked, at)
    audit.record(
        "release.publish",
        org=locked.org,
        actor=member.user,
        obj=locked,
        request=request,
        embargo_lifted_early=was_embargoed,
    )
    release.refresh_from_db()


@transaction.atomic
def schedule(
    release: Release, at: datetime, *, member: Membership, request: HttpRequest | None = None
) -> None:
    """Put the approved release under embargo until `at`, when it becomes public by itself."""
    _director(member)
    if at <= now():
        raise EmbargoError(_("The embargo must end in the future."))
    locked = Release.objects.for_org(release.org_id).select_for_update().get(pk=release.pk)
    _check_approved(locked)
    if locked.state == ReleaseState.SCHEDULED and locked.is_public():
        raise ReleaseError(_("This release is already public."))
    effects.cancel(locked)
    move(
        locked,
        [ReleaseState.APPROVED, ReleaseState.SCHEDULED],
        ReleaseState.SCHEDULED,
        embargo_until=at,
        visible_from=at,
        where__current_version=locked.approved_version_id,
    )
    effects.plan(locked, at)
    audit.record(
        "release.schedule",
        org=locked.org,
        actor=member.user,
        obj=locked,
        request=request,
        embargo_until=at.isoformat(),
    )
    release.refresh_from_db()


@transaction.atomic
def withdraw(
    release: Release,
    *,
    member: Membership,
    reason: str = "",
    request: HttpRequest | None = None,
) -> int:
    """Take the release down (or back from its schedule) and cancel every action still to come;
    return how many were cancelled."""
    _director(member)
    locked = Release.objects.for_org(release.org_id).select_for_update().get(pk=release.pk)
    cancelled = effects.cancel(locked)
    move(
        locked,
        [ReleaseState.APPROVED, ReleaseState.SCHEDULED, ReleaseState.PUBLISHED],
        ReleaseState.WITHDRAWN,
        withdrawn_at=now(),
        withdrawn_reason=reason.strip(),
    )
    audit.record(
        "release.withdraw",
        org=locked.org,
        actor=member.user,
        obj=locked,
        request=request,
        cancelled=cancelled,
        reason=reason.strip(),
    )
    release.refresh_from_db()
    return cancelled


def record_lifted() -> int:
    """Periodic job: scheduled releases whose instant has passed are recorded as published.

    Only the record: they were public from `visible_from` already, whatever this job does.
    """
    at = now()
    # all-orgs: the periodic job records every organisation's lifted embargoes
    due = Release.objects.filter(state=ReleaseState.SCHEDULED, visible_from__lte=at)
    lifted = 0
    for pk, org_id, visible_from in due.values_list("pk", "org_id", "visible_from")[:500]:
        lifted += (
            Release.objects.for_org(org_id)
            .filter(pk=pk, state=ReleaseState.SCHEDULED, visible_from=visible_from)
            .update(state=ReleaseState.PUBLISHED, published_at=visible_from)
        )
    return lifted
