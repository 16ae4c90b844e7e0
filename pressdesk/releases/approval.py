"""The review chain: submit → each step signs the exact version, in order → approved.

- A step that names a reviewer is signed by that person; an unnamed step by any member who may
  edit. The last step always needs the `approve` permission (a director), whoever it names.
- Without a chain, one step, the direction, signs.
- "Changes requested" at any step sends the release back to draft.
- Any save after a decision voids the decisions (`void_decisions`, called by the save): they stay
  on record, marked voided, and the release must be signed again.
Every transition is a conditional UPDATE (states.move) in one transaction with its decision and
its audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.timezone import now
from django.utils.translation import gettext as _

from pressdesk.accounts import audit
from pressdesk.accounts.models import Membership, Organisation
from pressdesk.accounts.roles import can
from pressdesk.releases.models import Release, ReleaseState, ReleaseVersion, ReviewDecision
from pressdesk.releases.models import ReviewStep as StepRow
from pressdesk.releases.states import NotAllowed, ReleaseError, move

VOIDED_BY_EDIT = "edited"


@dataclass(frozen=True)
class Step:
    """One step of the chain as it applies now (the implicit direction step has no row)."""

    pk: int | None
    label: str
    reviewer_id: int | None
    last: bool


@dataclass
class StepStatus:
    step: Step
    decision: ReviewDecision | None


def chain(org: Organisation) -> list[Step]:
    """The organisation's review steps in order; the direction alone when none are set."""
    rows = list(StepRow.objects.for_org(org).order_by("position", "pk"))
    if not rows:
        return [Step(None, _("Direction"), None, True)]
    return [
        Step(row.pk, row.label, row.reviewer_id, i == len(rows) - 1) for i, row in enumerate(rows)
    ]


def progress(release: Release, version: ReleaseVersion | None = None) -> list[StepStatus]:
    """Each step of the chain with its standing sign-off on this version (or None)."""
    version = version or release.current_version
    signed: dict[int | None, ReviewDecision] = {}
    if version is not None:
        for decision in ReviewDecision.objects.filter(
            release=release,
            version=version,
            voided_at=None,
            decision=ReviewDecision.APPROVED,
        ).select_related("decided_by"):
            signed.setdefault(decision.step_id, decision)
    return [StepStatus(step, signed.get(step.pk)) for step in chain(release.org)]


def next_step(release: Release) -> Step | None:
    """The first step not yet signed on the current version (None once all are)."""
    for status in progress(release):
        if status.decision is None:
            return status.step
    return None


def may_sign(member: Membership, step: Step) -> bool:
    """Whether this member may sign (or send back) this step."""
    if step.last and not can(member.role, "approve"):
        return False
    if step.reviewer_id is not None:
        return step.reviewer_id == member.user_id
    return can(member.role, "approve" if step.last else "edit")


def may_decide(member: Membership, release: Release) -> bool:
    """Whether the member may act on the release's review now (for showing the buttons)."""
    step = next_step(release) if release.state == ReleaseState.IN_REVIEW else None
    return step is not None and may_sign(member, step)


@transaction.atomic
def submit(release: Release, *, member: Membership, request: HttpRequest | None = None) -> None:
    """Send the current version for review (a draft, by a member who may edit)."""
    if not can(member.role, "edit"):
        raise NotAllowed(_("Your role does not allow submitting releases for review."))
    if release.current_version_id is None:
        raise ReleaseError(_("Save the release before submitting it."))
    move(release, [ReleaseState.DRAFT], ReleaseState.IN_REVIEW)
    audit.record(
        "release.submit",
        org=release.org,
        actor=member.user,
        obj=release,
        request=request,
        version=release.current_version.number if release.current_version else None,
    )


@transaction.atomic
def decide(
    release: Release,
    version_id: int,
    decision: str,
    *,
    member: Membership,
    comment: str = "",
    request: HttpRequest | None = None,
) -> ReviewDecision:
    """Sign off (or request changes on) the exact version the reviewer read, at the next step."""
    if decision not in (ReviewDecision.APPROVED, ReviewDecision.CHANGES):
        raise ReleaseError(_("Unknown decision."))
    locked = Release.objects.for_org(release.org_id).select_for_update().get(pk=release.pk)
    if locked.state != ReleaseState.IN_REVIEW:
        raise ReleaseError(_("This release is not waiting for review."))
    if locked.current_version_id != version_id:
        raise ReleaseError(
            _("The text changed after you opened it: read the new version, then decide.")
        )
    step = next_step(locked)
    if step is None:  # pragma: no cover - an in-review release always has a step to sign
        raise ReleaseError(_("Every step has signed already."))
    if not may_sign(member, step):
        raise NotAllowed(_("This step is not yours to sign."))
    version = ReleaseVersion.objects.get(release=locked, pk=version_id)
    row = ReviewDecision.objects.create(
        release=locked,
        version=version,
        step_id=step.pk,
        step_label=step.label,
        decision=decision,
        comment=comment.strip(),
        decided_by=member.user,
    )
    details: dict[str, Any] = {"version": version.number, "step": step.label}
    if decision == ReviewDecision.CHANGES:
        move(locked, [ReleaseState.IN_REVIEW], ReleaseState.DRAFT)
        action = "release.changes_requested"
    elif step.last:
        move(
            locked,
            [ReleaseState.IN_REVIEW],
            ReleaseState.APPROVED,
            approved_version=version,
            where__current_version=version,
        )
        action = "release.approve"
    else:
        action = "release.sign_off"
    audit.record(action, org=locked.org, actor=member.user, obj=locked, request=request, **details)
    release.refresh_from_db()
    return row


def void_decisions(release: Release, at: datetime | None = None) -> int:
    """Void every standing decision on the release (its text changed); return how many.

    Called inside the save's transaction; the decisions stay on record with `voided_at`.
    """
    return ReviewDecision.objects.filter(release=release, voided_at=None).update(
        voided_at=at or now(), voided_reason=VOIDED_BY_EDIT
    )
