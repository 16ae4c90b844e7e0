"""Wake-up task and periodic job of the mailing engine, and their registration.

The task carries one ledger row's id; the rows hold the work's state, so a lost or repeated
wake-up changes nothing (docs/decisions/0002-durable-work.md).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from pressdesk.mailings import sending
from pressdesk.mailings.errors import MailingError

logger = logging.getLogger("pressdesk.mailings")

# How late a scheduled mailing may start without asking: later, Pressdesk was down, and a
# person confirms before it goes out (held).
HOLD_AFTER_SECONDS = 15 * 60
DUE_EVERY_SECONDS = 30


@task()
def send_mailing(recipient_id: int) -> dict[str, Any]:
    """Send batches of this row's mailing (see sending.process)."""
    return sending.process(recipient_id)


def start_due_mailings() -> dict[str, int]:
    """Scheduled mailings whose time has come start; those missed by far are held."""
    from pressdesk.mailings import services
    from pressdesk.mailings.models import Mailing
    from pressdesk.mailings.models.mailing import MailingState

    now = timezone.now()
    grace = timedelta(seconds=sending.setting("MAILINGS_HOLD_AFTER_SECONDS", HOLD_AFTER_SECONDS))
    done = {"started": 0, "held": 0, "finished": 0}
    # all-orgs: the scheduler serves every organisation's scheduled mailings
    due = Mailing.objects.filter(state=MailingState.SCHEDULED, scheduled_for__lte=now)
    for mailing in due.select_related("org").order_by("scheduled_for"):
        try:
            if mailing.scheduled_for and mailing.scheduled_for < now - grace:
                services.hold(
                    mailing,
                    _("Its time (%(when)s) passed while Pressdesk was not running.")
                    % {
                        "when": timezone.localtime(mailing.scheduled_for).strftime("%Y-%m-%d %H:%M")
                    },
                )
                done["held"] += 1
            else:
                after = services.start_due(mailing)
                done["held" if after.state == MailingState.HELD else "started"] += 1
        except MailingError as e:  # moved by someone else meanwhile
            logger.info("mailing %s not started: %s", mailing.pk, e)
    # Mailings whose last rows were settled by the sweeper (a dead worker's) end here.
    # all-orgs: the same periodic job closes every organisation's finished mailings
    for mailing in Mailing.objects.filter(state=MailingState.SENDING):
        done["finished"] += sending.finish_if_done(mailing)
    return done


def register() -> None:
    """Declare the ledger as durable work and the scheduler's job (from module.install)."""
    from pressdesk.mailings.models import Recipient
    from pressdesk.scheduler import register_periodic
    from pressdesk.work.kinds import register_kind

    register_kind(
        "mailings.recipient",
        Recipient,
        wake=send_mailing,
        redo_safe=False,
        unstarted=Q(outcome=""),
        covers=sending.COVERS,
        group=("mailing_id",),
        label=gettext_lazy("Mail of a mailing"),
    )
    register_periodic("mailings.due", DUE_EVERY_SECONDS, start_due_mailings)
