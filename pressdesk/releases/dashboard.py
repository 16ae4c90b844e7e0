"""Releases at a glance, for the organisation's dashboard: what awaits this member's review,
the embargoes scheduled to lift, and what was published last."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import F
from django.utils import timezone

from pressdesk.accounts.access import OrgRequest
from pressdesk.accounts.models import Membership
from pressdesk.releases import approval
from pressdesk.releases.models import Release, ReleaseState, ReviewDecision, public_q

SHOWN = 5


def awaiting_review(member: Membership, limit: int = SHOWN) -> tuple[list[Release], int]:
    """The releases in review whose next step this member may sign, oldest first, and how many.

    The chain is read once and the standing sign-offs of every release in review in one query,
    so the card costs the same with one release in review or fifty."""
    in_review = list(
        Release.objects.for_org(member.org)
        .filter(state=ReleaseState.IN_REVIEW)
        .order_by("updated", "pk")
    )
    if not in_review:
        return [], 0
    steps = approval.chain(member.org)
    signed = set(
        ReviewDecision.objects.filter(
            release__in=[r.pk for r in in_review],
            version_id=F("release__current_version_id"),
            voided_at=None,
            decision=ReviewDecision.APPROVED,
        ).values_list("release_id", "step_id")
    )
    mine = []
    for release in in_review:
        step = next((s for s in steps if (release.pk, s.pk) not in signed), None)
        if step is not None and approval.may_sign(member, step):
            mine.append(release)
    return mine[:limit], len(mine)


def scheduled(member: Membership, at: datetime, limit: int = SHOWN) -> tuple[list[Release], int]:
    """The embargoes still to lift, soonest first, and how many."""
    rows = (
        Release.objects.for_org(member.org)
        .filter(state=ReleaseState.SCHEDULED, visible_from__gt=at)
        .order_by("visible_from", "pk")
    )
    return list(rows[:limit]), rows.count()


def recently_published(member: Membership, at: datetime, limit: int = SHOWN) -> list[Release]:
    """The releases public at `at`, newest first (an embargo lifted counts from its instant)."""
    return list(
        Release.objects.for_org(member.org)
        .filter(public_q(at))
        .order_by("-visible_from", "-pk")[:limit]
    )


def card(request: OrgRequest) -> dict[str, Any]:
    """The dashboard card's context."""
    member = request.membership
    at = timezone.now()
    mine, mine_count = awaiting_review(member)
    coming, coming_count = scheduled(member, at)
    return {
        "awaiting": mine,
        "awaiting_count": mine_count,
        "scheduled": coming,
        "scheduled_count": coming_count,
        "published": recently_published(member, at),
    }
