"""What users do with mailings: each call checks the role and state, writes, and audits.

Owned by the engine work. Every state change is a conditional UPDATE that raises WrongState when
it does not apply (see pressdesk/accounts/services.py). `user=None` is the operator at the
server's shell (the CLI without --user): trusted like the shell itself, and named in the audit log
by `actor_label`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pressdesk.accounts import audit
from pressdesk.accounts.models import AUDIT_ACTIONS, Membership, Organisation, User
from pressdesk.accounts.roles import can
from pressdesk.contacts.models import Contact, ContactList
from pressdesk.mailings import ledger
from pressdesk.mailings.errors import HeaderInjection, MailingError, NotApproved, WrongState
from pressdesk.mailings.models import Exclusion, Mailing, Recipient
from pressdesk.mailings.models.ledger import ExclusionReason, Outcome
from pressdesk.mailings.models.mailing import MailingKind, MailingState, ReleaseFormat
from pressdesk.releases.models import Release, ReleaseState
from pressdesk.work.models import WorkState

for _code, _label in {
    "mailing.send": gettext_lazy("Mailing started"),
    "mailing.schedule": gettext_lazy("Mailing scheduled"),
    "mailing.pause": gettext_lazy("Mailing paused"),
    "mailing.resume": gettext_lazy("Mailing resumed"),
    "mailing.cancel": gettext_lazy("Mailing cancelled"),
    "mailing.hold": gettext_lazy("Scheduled mailing held for confirmation"),
    "mailing.confirm_held": gettext_lazy("Held mailing confirmed"),
    "mailing.resolve_unknown": gettext_lazy("Decision on mails of unknown fate"),
}.items():
    AUDIT_ACTIONS.setdefault(_code, _label)

# Who may change what: a mailing is edited while nothing has left.
EDITABLE = (MailingState.DRAFT, MailingState.SCHEDULED, MailingState.HELD)
CONTENT_FIELDS = (
    "name",
    "subject",
    "body",
    "release_format",
    "sender_name",
    "sender_email",
    "reply_to",
    "language",
    "intros",
    "track_clicks",
    "track_opens",
)
HEADER_FIELDS = ("name", "subject", "sender_name", "sender_email", "reply_to")
# Released states in which the approved version is what goes out.
APPROVED_STATES = (ReleaseState.APPROVED, ReleaseState.SCHEDULED, ReleaseState.PUBLISHED)
# What the audit log calls Pressdesk acting on its own (auto-pause, held schedules).
SYSTEM_LABEL = "pressdesk"


def release_approved(release: Release) -> bool:
    """Whether the release's current text is the one its whole review chain signed."""
    return (
        release.state in APPROVED_STATES
        and release.approved_version_id is not None
        and release.approved_version_id == release.current_version_id
    )


def member_role(org: Organisation | int, user: User) -> str | None:
    """The user's role in the organisation, or None for an outsider."""
    return Membership.objects.for_org(org).filter(user=user).values_list("role", flat=True).first()


def require(org: Organisation | int, user: User | None, perm: str) -> None:
    """PermissionDenied unless the user's role allows `perm` (the shell operator may all)."""
    if user is None:
        return
    role = member_role(org, user)
    if role is None or not can(role, perm):
        raise PermissionDenied(_("Your role does not allow this."))


def _check_headers(fields: dict[str, Any]) -> None:
    for name in HEADER_FIELDS:
        value = fields.get(name)
        if isinstance(value, str) and ("\r" in value or "\n" in value):
            raise HeaderInjection(
                _("A line break is not allowed in %(field)s.")
                % {"field": getattr(Mailing._meta.get_field(name), "verbose_name", name)}
            )


def _audience(
    org: Organisation | int, lists: Any, contacts: Any
) -> tuple[list[ContactList] | None, list[Contact] | None]:
    """The organisation's own lists and contacts among those named (ids or objects)."""

    def ids(items: Any) -> list[int]:
        return [getattr(i, "pk", i) for i in items]

    found_lists = found_contacts = None
    if lists is not None:
        wanted = ids(lists)
        found_lists = list(ContactList.objects.for_org(org).filter(pk__in=wanted))
        if len(found_lists) != len(set(wanted)):
            raise MailingError(_("A list or segment of this mailing does not exist."))
    if contacts is not None:
        wanted = ids(contacts)
        found_contacts = list(Contact.objects.for_org(org).filter(pk__in=wanted))
        if len(found_contacts) != len(set(wanted)):
            raise MailingError(_("A contact of this mailing does not exist."))
    return found_lists, found_contacts


def create_mailing(org: Organisation, user: User | None, **fields: Any) -> Mailing:
    """A new draft; free text and pitches need `send`, a release mailing its release's access.

    Fields: those of Mailing (kind, release or release_id, subject, body…), plus `lists` and
    `contacts` (objects or ids) for the audience.
    """
    lists, contacts = fields.pop("lists", None), fields.pop("contacts", None)
    release = fields.pop("release", None)
    release_id = fields.pop("release_id", None) or (release.pk if release else None)
    kind = fields.pop("kind", None) or (MailingKind.RELEASE if release_id else MailingKind.FREE)
    if kind not in MailingKind.values:
        raise MailingError(_("Unknown kind of mailing."))
    if kind == MailingKind.RELEASE:
        require(org, user, "edit")
        release = Release.objects.for_org(org).filter(pk=release_id).first() if release_id else None
        if release is None:
            raise MailingError(_("This release does not exist."))
    else:
        require(org, user, "send")
        release = None
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown mailing fields: {sorted(unknown)}")
    _check_headers(fields)
    if not fields.get("subject"):
        if release is None:
            raise MailingError(_("A mailing needs a subject."))
        fields["subject"] = release.title[:300]
    if fields.get("release_format", ReleaseFormat.INLINE) not in ReleaseFormat.values:
        raise MailingError(_("Unknown release format."))
    found_lists, found_contacts = _audience(org, lists, contacts)
    with transaction.atomic():
        mailing = Mailing.objects.for_org(org).create(
            kind=kind, release=release, created_by=user, **fields
        )
        if found_lists:
            mailing.lists.set(found_lists)
        if found_contacts:
            mailing.contacts.set(found_contacts)
    return mailing


def update_mailing(mailing: Mailing, user: User | None, **fields: Any) -> Mailing:
    """Change a draft (or scheduled) mailing's content or audience."""
    require(mailing.org_id, user, "send" if mailing.kind != MailingKind.RELEASE else "edit")
    lists, contacts = fields.pop("lists", None), fields.pop("contacts", None)
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown mailing fields: {sorted(unknown)}")
    _check_headers(fields)
    found_lists, found_contacts = _audience(mailing.org_id, lists, contacts)
    with transaction.atomic():
        changed = (
            Mailing.objects.for_org(mailing.org_id)
            .filter(pk=mailing.pk, state__in=EDITABLE, frozen_at__isnull=True)
            .update(**fields)
        )
        if not changed:
            raise WrongState(_("This mailing has started: it can no longer be changed."))
        if found_lists is not None:
            mailing.lists.set(found_lists)
        if found_contacts is not None:
            mailing.contacts.set(found_contacts)
    mailing.refresh_from_db()
    return mailing


def _check_sendable(mailing: Mailing, user: User | None) -> None:
    require(mailing.org_id, user, "send")
    if mailing.release_id is not None:
        release = Release.objects.for_org(mailing.org_id).get(pk=mailing.release_id)
        if not release_approved(release):
            raise NotApproved(
                _("The release “%(title)s” must be approved before it is sent.")
                % {"title": release.title}
            )


def _move(mailing: Mailing, expected: tuple[str, ...], to: str, **values: Any) -> None:
    """The conditional UPDATE every state change goes through; WrongState if it did not apply."""
    moved = (
        Mailing.objects.for_org(mailing.org_id)
        .filter(pk=mailing.pk, state__in=expected)
        .update(state=to, **values)
    )
    if moved != 1:
        mailing.refresh_from_db()
        raise WrongState(
            _("This mailing is %(state)s: that cannot be done now.")
            % {"state": str(MailingState(mailing.state).label).lower()}
        )
    mailing.refresh_from_db()


def _audit(action: str, mailing: Mailing, user: User | None, actor_label: str, **data: Any) -> None:
    audit.record(
        action,
        org=mailing.org,
        actor=user,
        obj=mailing,
        actor_label=actor_label or ("" if user else SYSTEM_LABEL),
        **data,
    )


def _launch(
    mailing: Mailing, user: User | None, expected: tuple[str, ...], action: str, actor_label: str
) -> Mailing:
    """Freeze the ledger and queue the mailing, in one transaction with its audit entry."""
    from pressdesk.mailings import sending

    with transaction.atomic():
        _move(
            mailing,
            expected,
            MailingState.SENDING,
            started_at=timezone.now(),
            sent_by=user,
            state_reason="",
            consecutive_failures=0,
            backoff_until=None,
        )
        count = ledger.freeze(mailing)
        _audit(action, mailing, user, actor_label, recipients=count)
        sending.wake_mailing(mailing)
    sending.finish_if_done(mailing)
    mailing.refresh_from_db()
    return mailing


def start(
    mailing: Mailing, user: User | None, *, at: datetime | None = None, actor_label: str = ""
) -> Mailing:
    """Send now (freeze the ledger and queue) or schedule for `at`; release must be approved."""
    _check_sendable(mailing, user)
    if at is not None and at > timezone.now():
        with transaction.atomic():
            _move(
                mailing,
                (MailingState.DRAFT, MailingState.SCHEDULED),
                MailingState.SCHEDULED,
                scheduled_for=at,
                sent_by=user,
                state_reason="",
            )
            _audit("mailing.schedule", mailing, user, actor_label, at=at.isoformat())
        return mailing
    return _launch(
        mailing, user, (MailingState.DRAFT, MailingState.SCHEDULED), "mailing.send", actor_label
    )


def start_due(mailing: Mailing) -> Mailing:
    """A scheduled mailing whose time has come, started by the periodic job for its sender."""
    if mailing.release_id is not None:
        release = Release.objects.for_org(mailing.org_id).get(pk=mailing.release_id)
        if not release_approved(release):
            # Edited since it was scheduled: a person must look again.
            return hold(mailing, _("The release changed after the mailing was scheduled."))
    return _launch(mailing, None, (MailingState.SCHEDULED,), "mailing.send", SYSTEM_LABEL)


def hold(mailing: Mailing, reason: str) -> Mailing:
    """A scheduled mailing that must not go out without a person's confirmation."""
    with transaction.atomic():
        _move(mailing, (MailingState.SCHEDULED,), MailingState.HELD, state_reason=reason[:500])
        _audit("mailing.hold", mailing, None, SYSTEM_LABEL, reason=reason)
    return mailing


def pause(
    mailing: Mailing, user: User | None, reason: str = "", *, actor_label: str = ""
) -> Mailing:
    """Stop handing out new recipients; rows already handed to the server finish."""
    require(mailing.org_id, user, "send")
    with transaction.atomic():
        _move(mailing, (MailingState.SENDING,), MailingState.PAUSED, state_reason=reason[:500])
        _audit("mailing.pause", mailing, user, actor_label, reason=reason)
    return mailing


def resume(mailing: Mailing, user: User | None, *, actor_label: str = "") -> Mailing:
    """Go on sending a paused mailing."""
    from pressdesk.mailings import sending

    require(mailing.org_id, user, "send")
    with transaction.atomic():
        _move(
            mailing,
            (MailingState.PAUSED,),
            MailingState.SENDING,
            state_reason="",
            consecutive_failures=0,
            backoff_until=None,
        )
        _audit("mailing.resume", mailing, user, actor_label)
        sending.wake_mailing(mailing)
    sending.finish_if_done(mailing)
    mailing.refresh_from_db()
    return mailing


def cancel(mailing: Mailing, user: User | None, *, actor_label: str = "") -> Mailing:
    """Stop for good: queued recipients become cancelled."""
    require(mailing.org_id, user, "send")
    live = (
        MailingState.DRAFT,
        MailingState.SCHEDULED,
        MailingState.HELD,
        MailingState.SENDING,
        MailingState.PAUSED,
    )
    with transaction.atomic():
        _move(mailing, live, MailingState.CANCELLED, finished_at=timezone.now())
        cancelled = (
            Recipient.objects.for_org(mailing.org_id)
            .filter(mailing=mailing, state=WorkState.PENDING)
            .update(state=WorkState.DONE, outcome=Outcome.CANCELLED, finished_at=timezone.now())
        )
        _audit("mailing.cancel", mailing, user, actor_label, cancelled=cancelled)
    return mailing


def confirm_held(mailing: Mailing, user: User | None, *, actor_label: str = "") -> Mailing:
    """Send a scheduled mailing whose time passed while Pressdesk was down."""
    _check_sendable(mailing, user)
    return _launch(mailing, user, (MailingState.HELD,), "mailing.confirm_held", actor_label)


def resolve_unknown(
    mailing: Mailing,
    user: User | None,
    recipient_ids: list[int],
    *,
    resend: bool,
    actor_label: str = "",
) -> int:
    """The operator's decision on rows whose fate is unknown: count them sent, or send again."""
    from pressdesk.mailings import sending

    require(mailing.org_id, user, "send")
    unknown = Recipient.objects.for_org(mailing.org_id).filter(
        mailing=mailing, pk__in=recipient_ids, state=WorkState.INTERRUPTED
    )
    with transaction.atomic():
        if resend:
            count = unknown.update(
                state=WorkState.PENDING,
                outcome=Outcome.QUEUED,
                claimed_by="",
                lease_until=None,
                error="",
                queued_at=timezone.now(),
                finished_at=None,
            )
            if count:
                Mailing.objects.for_org(mailing.org_id).filter(
                    pk=mailing.pk, state=MailingState.SENT
                ).update(state=MailingState.SENDING, finished_at=None)
                sending.wake_mailing(mailing)
        else:
            count = unknown.update(
                state=WorkState.DONE, outcome=Outcome.SENT, error="", finished_at=timezone.now()
            )
        _audit(
            "mailing.resolve_unknown",
            mailing,
            user,
            actor_label,
            recipients=count,
            decision="resend" if resend else "count_sent",
        )
    mailing.refresh_from_db()
    return count


def status(mailing: Mailing) -> dict[str, Any]:
    """The counts of `pressdesk mailings status --json` and of the progress page.

    `unknown` are the rows handed to the mail server by a worker that stopped before recording
    the answer: they wait for the operator (resolve_unknown). Before the ledger is frozen, the
    counts are those the mailing would have now (ledger.plan).
    """
    mailing.refresh_from_db()
    result: dict[str, Any] = {"id": mailing.pk, "state": mailing.state}
    if mailing.frozen_at is None:
        planned = ledger.plan(mailing)
        counts = dict.fromkeys(
            ("sending", "sent", "failed", "unknown", "skipped", "cancelled", "bounced"), 0
        )
        result |= {"recipients": planned.recipients, "queued": planned.recipients, **counts}
        result |= {"replied": 0, "unsubscribed": 0, "clicked": 0}
        excluded = planned.excluded
    else:
        rows = Recipient.objects.for_org(mailing.org_id).filter(mailing=mailing)
        interrupted = Q(state=WorkState.INTERRUPTED)
        settled = Q(state__in=[WorkState.DONE, WorkState.FAILED])
        result |= rows.aggregate(
            recipients=Count("pk"),
            queued=Count(
                "pk",
                filter=Q(state__in=[WorkState.PENDING, WorkState.CLAIMED])
                & Q(outcome=Outcome.QUEUED),
            ),
            sending=Count("pk", filter=Q(state=WorkState.CLAIMED, outcome=Outcome.SENDING)),
            sent=Count("pk", filter=settled & Q(outcome=Outcome.SENT)),
            failed=Count("pk", filter=Q(outcome=Outcome.FAILED)),
            unknown=Count("pk", filter=interrupted),
            skipped=Count("pk", filter=Q(outcome=Outcome.SKIPPED)),
            cancelled=Count("pk", filter=Q(outcome=Outcome.CANCELLED)),
            bounced=Count("pk", filter=~Q(bounce="")),
            replied=Count("pk", filter=Q(replied_at__isnull=False)),
            unsubscribed=Count("pk", filter=Q(unsubscribed_at__isnull=False)),
            clicked=Count("pk", filter=Q(clicked_at__isnull=False)),
        )
        excluded = dict(
            Exclusion.objects.for_org(mailing.org_id)
            .filter(mailing=mailing)
            .values_list("reason")
            .annotate(n=Count("pk"))
            .values_list("reason", "n")
        )
    result["excluded"] = {r: excluded.get(r, 0) for r in ExclusionReason.values}
    result["state_reason"] = mailing.state_reason
    result["scheduled_for"] = mailing.scheduled_for.isoformat() if mailing.scheduled_for else None
    return result
