"""What happens when a release goes public: one ReleaseEffect row (durable work) per side effect,
due at the release's instant, run by whichever wake-up comes first (its task, enqueued to run at
`due_at`, or the periodic job that picks up due rows). Withdrawing cancels those not yet done.

Visibility never waits for these rows: they only tell the world (feed pings, subscribers' mail).
Other parts of the module register what each kind does:

    from pressdesk.releases import effects
    effects.register_effect(EffectKind.SUBSCRIBERS_MAIL, mail_subscribers)

A handler receives the claimed effect inside the transaction that marks it done, with the
release locked and public. It must be safe to run twice (a worker may die after it and before
the commit): it writes durable rows of its own (one per recipient) rather than sending mail.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.utils.timezone import now

from pressdesk.releases.models import EffectKind, Release, ReleaseEffect
from pressdesk.work import claims
from pressdesk.work.models import WorkState

logger = logging.getLogger("pressdesk.releases")

Handler = Callable[[ReleaseEffect], None]


def _not_yet_built(effect: ReleaseEffect) -> None:
    logger.info("Release %s: %s (nothing registered yet)", effect.release_id, effect.kind)


# The dispatch table, keyed by EffectKind; the newsroom replaces the placeholders.
DISPATCH: dict[str, Handler] = {kind: _not_yet_built for kind in EffectKind.values}

# Rows one periodic run takes at most; the next run takes the rest.
BATCH = 100


def register_effect(kind: str, handler: Handler) -> None:
    """Say what an effect kind does (replaces the handler registered before)."""
    if kind not in EffectKind.values:
        raise ValueError(f"unknown release effect {kind!r}")
    DISPATCH[kind] = handler


def _wake(effect: ReleaseEffect) -> None:
    from pressdesk.releases import tasks

    run_after = effect.due_at if effect.due_at > now() else None
    tasks.run_effect.using(run_after=run_after).enqueue(effect.pk)


def plan(release: Release, due_at: datetime) -> list[ReleaseEffect]:
    """One row per side effect, due at the release's instant, each with its wake-up (in the
    caller's transaction, so they commit with the schedule or not at all)."""
    planned = [
        ReleaseEffect.objects.for_org(release.org_id).create(
            release=release, kind=kind, due_at=due_at
        )
        for kind in DISPATCH
    ]
    for effect in planned:
        _wake(effect)
    return planned


def cancel(release: Release) -> int:
    """Cancel the release's side effects not yet done; return how many."""
    at = now()
    return (
        ReleaseEffect.objects.for_org(release.org_id)
        .filter(release=release, state=WorkState.PENDING, cancelled_at=None)
        .update(state=WorkState.DONE, cancelled_at=at, finished_at=at)
    )


def run(effect_id: int) -> bool:
    """Run one effect if it is due and still wanted; True if its handler ran."""
    # all-orgs: a wake-up carries a row id; the row names its organisation
    effect = ReleaseEffect.objects.filter(pk=effect_id, state=WorkState.PENDING).first()
    if effect is None:
        return False
    if effect.due_at > now():
        # Woken early (by the sweeper): sleep again until the instant.
        _wake(effect)
        return False
    claimed = claims.claim(ReleaseEffect, effect_id)
    if claimed is None:
        return False
    return _perform(claimed)


def _perform(effect: ReleaseEffect) -> bool:
    try:
        with transaction.atomic():
            # Locked, so that a withdrawal waits for this effect or this effect sees it.
            release = (
                Release.objects.for_org(effect.org_id).select_for_update().get(pk=effect.release_id)
            )
            if effect.cancelled_at is not None or not release.is_public():
                claims.finish(effect, cancelled_at=effect.cancelled_at or now())
                return False
            DISPATCH.get(effect.kind, _not_yet_built)(effect)
            claims.finish(effect)
            return True
    except claims.LostClaim:
        return False
    except Exception as error:  # a handler's failure is the row's, not the worker's
        logger.exception("Release effect %s failed", effect.pk)
        claims.fail(effect, f"{type(error).__name__}: {error}")
        return False


def run_due() -> int:
    """Periodic job: run every effect whose instant has come; return how many ran."""
    # all-orgs: the periodic job serves every organisation's due effects
    due = ReleaseEffect.objects.filter(due_at__lte=now(), cancelled_at=None)
    return sum(_perform(effect) for effect in claims.claim_batch(due, BATCH))
