"""One-to-one follow-ups: a step goes N days after its mailing to those who have not answered.

Each step (FollowUp) becomes a child mailing, created and started through the mailing services
like any other, addressed to the parent's recipients who were sent the message and who, across
the parent and the steps already sent, have not replied, have not bounced, have not unsubscribed,
and are not away: an out-of-office pauses them until its return date, so a step falling while
they are away skips them, and a later step reaches them again. Opt-outs and dead addresses are
excluded once more when the child's ledger is frozen, and again at send time.

The periodic job is safe to run twice at once: a step is locked while its child is created, and
a child left as a draft by a crash is started by the next run.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pressdesk.accounts.models import Organisation, User
from pressdesk.accounts.roles import can
from pressdesk.contacts.models import Contact
from pressdesk.mailings.errors import MailingError
from pressdesk.mailings.models import FollowUp, Mailing, Recipient
from pressdesk.mailings.models.ledger import Outcome
from pressdesk.mailings.models.mailing import MailingKind, MailingState

log = logging.getLogger(__name__)

MAX_STEPS = 5  # per mailing: more is pestering
MAX_AFTER_DAYS = 60
STARTED = (MailingState.SENDING, MailingState.PAUSED, MailingState.SENT)


@dataclass(frozen=True)
class Audience:
    """Who a step would go to, and how many were left out for each reason."""

    contacts: list[int]
    replied: int
    away: int
    bounced: int
    unsubscribed: int


def steps(mailing: Mailing) -> QuerySet[FollowUp]:
    """A mailing's follow-up steps, in order."""
    return FollowUp.objects.for_org(mailing.org_id).filter(mailing=mailing).order_by("after_days")


def due(step: FollowUp) -> datetime | None:
    """When a step is due: N days after its mailing started; None while it has not."""
    started = step.mailing.started_at
    if started is None or step.mailing.state not in STARTED:
        return None
    return started + timedelta(days=step.after_days)


def chain(mailing: Mailing) -> list[int]:
    """The mailing and the children its steps have already sent: a reply to any stops the rest."""
    children = steps(mailing).exclude(sent_as=None).values_list("sent_as", flat=True)
    return [mailing.pk, *[c for c in children if c is not None]]


def audience(step: FollowUp, today: date | None = None) -> Audience:
    """The contacts a step goes to now (see the module's docstring for who is left out)."""
    today = today or timezone.localdate()
    org = step.org_id
    mailings = chain(step.mailing)
    sent = Recipient.objects.for_org(org).filter(
        mailing_id=step.mailing_id, outcome=Outcome.SENT, contact__isnull=False
    )
    everyone = set(sent.values_list("contact_id", flat=True))
    rows = Recipient.objects.for_org(org).filter(mailing_id__in=mailings, contact_id__in=everyone)

    def who(condition: Q) -> set[int]:
        return {c for c in rows.filter(condition).values_list("contact_id", flat=True) if c}

    replied = who(Q(replied_at__isnull=False))
    bounced = who(~Q(bounce="")) - replied
    unsubscribed = who(Q(unsubscribed_at__isnull=False)) - replied - bounced
    away = who(Q(away_until__gte=today)) | set(
        Contact.objects.for_org(org)
        .filter(pk__in=everyone, out_of_office_until__gte=today)
        .values_list("pk", flat=True)
    )
    away -= replied | bounced | unsubscribed
    left = everyone - replied - bounced - unsubscribed - away
    return Audience(sorted(left), len(replied), len(away), len(bounced), len(unsubscribed))


def _require(org: Organisation | int, user: User) -> None:
    from pressdesk.accounts.models import Membership

    role = Membership.objects.for_org(org).filter(user=user).values_list("role", flat=True).first()
    if role is None or not can(role, "send"):
        raise PermissionDenied(_("Your role does not allow this."))


def _clean(after_days: int, subject: str, body: str) -> None:
    if not 1 <= after_days <= MAX_AFTER_DAYS:
        raise MailingError(
            _("A follow-up goes between 1 and %(max)d days after the mailing.")
            % {"max": MAX_AFTER_DAYS}
        )
    if not subject.strip() or not body.strip():
        raise MailingError(_("A follow-up needs a subject and a message."))
    if "\r" in subject or "\n" in subject:
        raise MailingError(_("A line break is not allowed in the subject."))


def add_step(mailing: Mailing, user: User, *, after_days: int, subject: str, body: str) -> FollowUp:
    """Add a step to a one-to-one mailing's sequence."""
    _require(mailing.org_id, user)
    _clean(after_days, subject, body)
    if steps(mailing).count() >= MAX_STEPS:
        raise MailingError(_("A mailing has at most %(max)d follow-ups.") % {"max": MAX_STEPS})
    step = FollowUp.objects.create(
        org_id=mailing.org_id,
        mailing=mailing,
        after_days=after_days,
        subject=subject.strip(),
        body=body,
        created_by=user,
    )
    step.due_at = due(step)
    step.save(update_fields=["due_at"])
    return step


def update_step(
    step: FollowUp, user: User, *, after_days: int, subject: str, body: str
) -> FollowUp:
    """Change a step that has not gone out yet."""
    _require(step.org_id, user)
    _clean(after_days, subject, body)
    step.after_days = after_days
    changed = (
        FollowUp.objects.for_org(step.org_id)
        .filter(pk=step.pk, sent_as=None, cancelled=False)
        .update(after_days=after_days, subject=subject.strip(), body=body, due_at=due(step))
    )
    if not changed:
        raise MailingError(_("This follow-up has gone out or was cancelled: it cannot change."))
    step.refresh_from_db()
    return step


def cancel_step(step: FollowUp, user: User) -> None:
    """Stop a step that has not gone out yet."""
    _require(step.org_id, user)
    changed = (
        FollowUp.objects.for_org(step.org_id)
        .filter(pk=step.pk, sent_as=None, cancelled=False)
        .update(cancelled=True)
    )
    if not changed:
        raise MailingError(_("This follow-up has gone out or was cancelled already."))


def _child_fields(step: FollowUp, contacts: list[int]) -> dict[str, Any]:
    parent = step.mailing
    return {
        "kind": MailingKind.PITCH,
        "name": (_("Follow-up: %(name)s") % {"name": parent})[:200],
        "subject": step.subject,
        "body": step.body,
        "sender_name": parent.sender_name,
        "sender_email": parent.sender_email,
        "reply_to": parent.reply_to,
        "language": parent.language,
        "contacts": contacts,
    }


def _create_child(step_id: int, org_id: int) -> Mailing | None:
    """Lock the step and create its child mailing as a draft; None when nothing is to be sent."""
    from pressdesk.mailings import services

    with transaction.atomic():
        step = (
            FollowUp.objects.for_org(org_id)
            # Only the step's row is locked: its author may be null (an outer join).
            .select_for_update(of=("self",))
            .select_related("mailing", "created_by")
            .filter(pk=step_id, sent_as=None, cancelled=False)
            .first()
        )
        if step is None or step.created_by is None:
            # A step whose author has gone is sent in nobody's name: it waits for a person.
            return None
        who = audience(step)
        if not who.contacts:
            # Everyone answered, bounced or is away: the step is over.
            FollowUp.objects.for_org(org_id).filter(pk=step.pk).update(cancelled=True)
            log.info("follow-up %s: nobody left to follow up", step.pk)
            return None
        child = services.create_mailing(
            step.mailing.org, step.created_by, **_child_fields(step, who.contacts)
        )
        FollowUp.objects.for_org(org_id).filter(pk=step.pk).update(sent_as=child)
        return child


def create_due(now: datetime | None = None) -> int:
    """The periodic job: create and start the follow-ups that are due; how many started."""
    from pressdesk.mailings import services

    now = now or timezone.now()
    # all-orgs: the periodic job walks every organisation's due steps
    candidates = FollowUp.objects.filter(cancelled=False).select_related("mailing", "sent_as")
    started = 0
    for step in candidates.filter(Q(sent_as=None) | Q(sent_as__state=MailingState.DRAFT)):
        when = due(step)
        if when is None or when > now or step.created_by is None:
            continue
        try:
            child = step.sent_as or _create_child(step.pk, step.org_id)
            if child is None:
                continue
            services.start(child, step.created_by)
            started += 1
        except (MailingError, PermissionDenied):
            log.warning("follow-up %s could not start", step.pk, exc_info=True)
    return started
