"""E-mail subscriptions to a newsroom, with double opt-in.

Asking writes an unconfirmed Subscriber and mails a signed confirmation link; only the
confirmation (a POST from that link) makes the address a subscriber, and creates or updates the
person in the press file with lawful basis "consent". An address on the organisation's opt-out
list is never mailed, not even the confirmation. The answer to "subscribe" is the same whatever
happened, so the form cannot tell anyone who is subscribed or opted out.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts import audit
from pressdesk.accounts.models import AUDIT_ACTIONS, Organisation, User
from pressdesk.contacts import editing, services
from pressdesk.contacts.models import Contact, ContactEmail
from pressdesk.contacts.models.contacts import LawfulBasis, SourceKind
from pressdesk.contacts.models.optout import address_hash
from pressdesk.lib.mail import send_templated
from pressdesk.lib.text import normalise_email
from pressdesk.releases.feeds import absolute
from pressdesk.releases.links import release_url
from pressdesk.releases.models import (
    Release,
    ReleaseEffect,
    ReleaseVersion,
    Subscriber,
    SubscriberMail,
)
from pressdesk.releases.newsroom_site import LANGUAGES, language_of, public_version
from pressdesk.work import claims
from pressdesk.work.kinds import register_kind
from pressdesk.work.models import WorkState
from pressdesk.work.sweeper import wake

logger = logging.getLogger(__name__)

AUDIT_ACTIONS.setdefault("newsroom.subscribers_export", _("Newsroom subscribers exported"))

# The provenance the press file shows for a contact who subscribed on the newsroom.
PROVENANCE = "Newsroom subscription"
CONFIRM_SALT = "pressdesk.releases.subscribe"
UNSUBSCRIBE_SALT = "pressdesk.releases.unsubscribe"
CONFIRM_DAYS = 7
RESEND_AFTER = timedelta(minutes=10)
# Mails one worker claims at a time.
BATCH = 50


def _signed(token: str, salt: str) -> str:
    return signing.TimestampSigner(salt=salt).sign(token)


def confirm_url(subscriber: Subscriber) -> str:
    """The signed link that confirms this subscription (valid CONFIRM_DAYS days)."""
    path = reverse(
        "newsroom:confirm",
        args=[subscriber.org.slug, _signed(subscriber.token, CONFIRM_SALT)],
    )
    return absolute(path)


def unsubscribe_url(subscriber: Subscriber) -> str:
    """The signed link that ends this subscription (it does not expire)."""
    path = reverse(
        "newsroom:unsubscribe",
        args=[subscriber.org.slug, _signed(subscriber.token, UNSUBSCRIBE_SALT)],
    )
    return absolute(path)


def from_link(org: Organisation, signed: str, *, confirming: bool) -> Subscriber | None:
    """The organisation's subscriber a signed link names; None if forged, expired or unknown."""
    salt = CONFIRM_SALT if confirming else UNSUBSCRIBE_SALT
    max_age = CONFIRM_DAYS * 86400 if confirming else None
    try:
        token = signing.TimestampSigner(salt=salt).unsign(signed, max_age=max_age)
    except signing.BadSignature:
        return None
    return Subscriber.objects.for_org(org).filter(token=token).select_related("org").first()


def ask(org: Organisation, email: str, language: str) -> bool:
    """Someone asked to subscribe: mail them a confirmation link unless they are opted out or
    already confirmed. True when a mail left."""
    address = normalise_email(email)
    language = language if language in LANGUAGES else "fr"
    if services.is_opted_out(org, address):
        return False
    try:
        with transaction.atomic():
            subscriber, created = Subscriber.objects.for_org(org).get_or_create(
                email=address, defaults={"language": language}
            )
    except IntegrityError:  # two forms sent at once: the other one wrote the row and mails
        return False
    if subscriber.confirmed_at and not subscriber.unsubscribed_at:
        return False
    # One confirmation per address per RESEND_AFTER: the form cannot be used to flood a mailbox.
    # `created` is moved to each mailing, so it says when the last confirmation left.
    if not created and subscriber.created > timezone.now() - RESEND_AFTER:
        return False
    Subscriber.objects.for_org(org).filter(pk=subscriber.pk).update(
        language=language, created=timezone.now()
    )
    subscriber.language = language
    subscriber.org = org
    send_templated(
        "releases/emails/subscribe_confirm",
        address,
        {"org": org, "confirm_url": confirm_url(subscriber)},
        language=language,
    )
    return True


@transaction.atomic
def confirm(subscriber: Subscriber) -> Contact:
    """Confirm a subscription and put the person in the press file with consent as basis."""
    org = subscriber.org
    Subscriber.objects.for_org(org).filter(pk=subscriber.pk).update(
        confirmed_at=timezone.now(), unsubscribed_at=None
    )
    found = (
        ContactEmail.objects.for_org(org)
        .filter(email_normalised=normalise_email(subscriber.email))
        .select_related("contact")
        .first()
    )
    data: dict[str, object] = {"lawful_basis": LawfulBasis.CONSENT}
    if found is None:
        data["emails"] = [subscriber.email]
        data["languages"] = [subscriber.language]
    contact = editing.save_contact(
        org,
        found.contact if found else None,
        data,
        by=None,
        source_kind=SourceKind.PREFERENCES,
        source_label=PROVENANCE,
    )
    Subscriber.objects.for_org(org).filter(pk=subscriber.pk).update(contact=contact)
    return contact


def unsubscribe(subscriber: Subscriber) -> None:
    """End a subscription; the contact stays in the press file, as the person left it."""
    Subscriber.objects.for_org(subscriber.org_id).filter(pk=subscriber.pk).update(
        unsubscribed_at=timezone.now()
    )


def active(org: Organisation) -> QuerySet[Subscriber]:
    """The organisation's confirmed, still subscribed subscribers."""
    return Subscriber.objects.for_org(org).filter(
        confirmed_at__isnull=False, unsubscribed_at__isnull=True
    )


def export_csv(org: Organisation, *, by: User | None, request: object = None) -> str:
    """The subscribers as CSV (address, language, confirmed), written to the audit log."""
    import csv
    import io

    rows = list(
        Subscriber.objects.for_org(org)
        .filter(confirmed_at__isnull=False)
        .values_list("email", "language", "confirmed_at", "unsubscribed_at")
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "language", "confirmed_at", "unsubscribed_at"])
    for email, language, confirmed, left in rows:
        # A cell starting with = + - @ would be a formula in a spreadsheet.
        safe = "'" + email if email[:1] in "=+-@" else email
        writer.writerow(
            [
                safe,
                language,
                confirmed.isoformat() if confirmed else "",
                left.isoformat() if left else "",
            ]
        )
    audit.record(
        "newsroom.subscribers_export",
        org=org,
        actor=by,
        request=request,  # type: ignore[arg-type]
        count=len(rows),
        format="csv",
    )
    return out.getvalue()


def mail_subscribers(release: Release) -> int:
    """Queue the mail of a release that has just gone public to each subscriber in its language.

    The SUBSCRIBERS_MAIL effect calls this once its row is claimed. Each subscriber gets one
    SubscriberMail row, unique per release, so running the effect twice queues nothing twice;
    the rows are sent by `process`. Returns how many rows were queued.
    """
    org = release.org
    lang = language_of(release.template)
    with transaction.atomic():
        already = (
            SubscriberMail.objects.for_org(org).filter(release=release).values("subscriber_id")
        )
        pks = list(
            active(org)
            .filter(language=lang)
            .exclude(pk__in=already)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        rows = SubscriberMail.objects.for_org(org).bulk_create(
            [SubscriberMail(org=org, release=release, subscriber_id=pk) for pk in pks],
            ignore_conflicts=True,
        )
        if pks:
            first = SubscriberMail.objects.for_org(org).filter(release=release)
            for row in first.filter(subscriber_id__in=pks[::BATCH]):
                wake(row)
    return len(rows)


def queue_for_effect(effect: ReleaseEffect) -> None:
    """The SUBSCRIBERS_MAIL effect's handler: queue the release's mails (safe to run twice)."""
    queued = mail_subscribers(effect.release)
    logger.info("release %s: %s mails to subscribers queued", effect.release_id, queued)


def process(mail_id: int) -> dict[str, int]:
    """Claim a batch of pending mails of the same release (this one first, if still pending)
    and send them: each to a subscriber still subscribed, not opted out, while the release is
    public."""
    outcome = {"sent": 0, "skipped": 0, "failed": 0}
    # all-orgs: a wake-up carries only the row's id; the row names its organisation
    hint = SubscriberMail.objects.filter(pk=mail_id).select_related("org", "release").first()
    if hint is None:
        return outcome
    org, release = hint.org, hint.release
    same = SubscriberMail.objects.for_org(org).filter(release=release)
    batch = claims.claim_batch(same, BATCH)
    if not batch:
        return outcome
    blocked = services.opted_out_hashes(org)
    subscribers = {
        s.pk: s
        for s in Subscriber.objects.for_org(org).filter(pk__in=[r.subscriber_id for r in batch])
    }
    version = public_version(release)
    for row in batch:
        subscriber = subscribers[row.subscriber_id]
        try:
            sent = _send(row, release, version, subscriber, blocked)
        except Exception as e:
            logger.exception("release %s to subscriber %s failed", release.pk, subscriber.pk)
            claims.fail(row, f"{type(e).__name__}: {e}")
            outcome["failed"] += 1
            continue
        outcome["sent" if sent else "skipped"] += 1
    return outcome


def _send(
    row: SubscriberMail,
    release: Release,
    version: ReleaseVersion | None,
    subscriber: Subscriber,
    blocked: set[str],
) -> bool:
    """Send one row's mail if it still applies, and mark the row; True if a mail left."""
    if (
        not release.is_public(timezone.now())
        or address_hash(subscriber.email) in blocked
        or subscriber.confirmed_at is None
        or subscriber.unsubscribed_at is not None
    ):
        claims.finish(row, outcome=SubscriberMail.SKIPPED)
        return False
    # From here a crash leaves the mail's fate unknown: the row becomes interrupted, not resent.
    mine = SubscriberMail.objects.for_org(row.org_id).filter(
        pk=row.pk, state=WorkState.CLAIMED, claimed_by=claims.worker_id()
    )
    if not mine.update(outcome=SubscriberMail.SENDING):
        raise claims.LostClaim(f"SubscriberMail {row.pk}")
    subscriber.org = release.org
    leave = unsubscribe_url(subscriber)
    send_templated(
        "releases/emails/new_release",
        subscriber.email,
        {
            "org": release.org,
            "release": release,
            "title": version.title if version else release.title,
            "lead": version.lead if version else "",
            "release_url": release_url(release),
            "unsubscribe_url": leave,
        },
        language=subscriber.language,
        # RFC 8058: the mail client's own "unsubscribe" POSTs to the page's link, no cookie needed.
        headers={
            "List-Unsubscribe": f"<{leave}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    claims.finish(row, outcome=SubscriberMail.SENT)
    return True


def register() -> None:
    """Declare the mails to subscribers as durable work (called from ReleasesConfig.ready)."""
    from pressdesk.releases import subscription_tasks

    register_kind(
        "releases.subscriber_mail",
        SubscriberMail,
        wake=subscription_tasks.send_subscriber_mails,
        redo_safe=False,
        unstarted=Q(outcome=""),
        covers=BATCH,
        group=("org_id", "release_id"),
        label=_("Mail to newsroom subscribers"),
    )
