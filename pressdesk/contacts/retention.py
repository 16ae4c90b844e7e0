"""The 3-year retention rule (CNIL): flag contacts long inactive, then re-ask or erase them.

Active means a reply, click, RSVP, call or meeting (`ACTIVE_KINDS`); opening an email does not
count. A contact never active counts from the day it was created.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.core.mail import EmailMultiAlternatives
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts import gdpr, preferences, services
from pressdesk.contacts.models import Contact, Interaction
from pressdesk.contacts.models.contacts import ACTIVE_KINDS, InteractionKind
from pressdesk.lib.mail import render_templated

logger = logging.getLogger(__name__)

REASK_OBJECT_TYPE = "contacts.retention_reask"
DAY = 24 * 3600


def cutoff(now: datetime | None = None) -> datetime:
    """The moment three years before now: older activity no longer keeps a contact."""
    now = now or timezone.now()
    try:
        return now.replace(year=now.year - gdpr.RETENTION_YEARS)
    except ValueError:
        # 29 February: three years before is 28 February.
        return now.replace(year=now.year - gdpr.RETENTION_YEARS, day=28)


def stale(org: Organisation | None = None, now: datetime | None = None) -> QuerySet[Contact]:
    """Contacts with no active contact for three years (flagged or not)."""
    limit = cutoff(now)
    recent = Interaction.objects.filter(
        contact=OuterRef("pk"), kind__in=ACTIVE_KINDS, occurred_at__gte=limit
    )
    return (
        _contacts(org)
        .filter(Q(last_active_at__lt=limit) | Q(last_active_at=None, created__lt=limit))
        .exclude(Exists(recent))
    )


def _contacts(org: Organisation | None) -> QuerySet[Contact]:
    """One organisation's contacts, or every organisation's for the daily sweep."""
    if org is not None:
        return Contact.objects.for_org(org)
    return Contact.objects.all()  # all-orgs: the daily sweep covers every organisation


def flag_stale(org: Organisation | None = None, now: datetime | None = None) -> int:
    """Flag the stale contacts of one organisation (or all); return how many were newly flagged.

    Contacts flagged earlier that became active again since are unflagged.
    """
    now = now or timezone.now()
    still = stale(org, now)
    unflag = _contacts(org).exclude(retention_flagged_at=None).exclude(pk__in=still.values("pk"))
    unflag.update(retention_flagged_at=None)
    # Conditional update: running twice (or in two workers) flags each contact once.
    return still.filter(retention_flagged_at=None).update(retention_flagged_at=now)


def flag_everywhere() -> int:
    """The daily job: flag stale contacts in every organisation."""
    return flag_stale()


def register_schedule() -> None:
    """Run `flag_everywhere` daily in the worker (call from the contacts app's ready())."""
    from pressdesk.scheduler import register_periodic

    register_periodic("contacts.retention_flag_stale", DAY, flag_everywhere)


def flagged(org: Organisation) -> QuerySet[Contact]:
    """The organisation's flagged contacts, oldest activity first."""
    return (
        Contact.objects.for_org(org)
        .exclude(retention_flagged_at=None)
        .order_by("last_active_at", "created", "pk")
    )


def last_reasked(contact_ids: list[int]) -> dict[int, datetime]:
    """When each of these contacts was last sent the re-permission email."""
    rows = Interaction.objects.filter(
        contact_id__in=contact_ids, object_type=REASK_OBJECT_TYPE
    ).values_list("contact_id", "occurred_at")
    found: dict[int, datetime] = {}
    for pk, when in rows:
        if pk not in found or found[pk] < when:
            found[pk] = when
    return found


def reask(contact: Contact, *, by: User | None, blocked: set[str] | None = None) -> bool:
    """Ask the person whether they still want press information; False if they can't be mailed.

    The flag stays until they confirm through their link (`preferences.confirm_keep`).
    """
    address = gdpr.mailable_address(contact, blocked)
    if address is None:
        return False
    reask_message(contact, address).send()
    record_reask(contact, by=by)
    return True


def reask_message(contact: Contact, address: str) -> EmailMultiAlternatives:
    """The re-permission request to this address, in the person's language."""
    context = {
        "org": contact.org,
        "contact": contact,
        "retention_years": gdpr.RETENTION_YEARS,
        "preference_url": preferences.preference_url(contact),
    }
    return render_templated(
        "contacts/emails/notice_reask", address, context, gdpr.notice_language(contact)
    )


def record_reask(contact: Contact, *, by: User | None) -> None:
    """The request on the contact's timeline (which also keeps a second one a day away)."""
    with translation.override(contact.org.language):
        summary = str(_("Asked whether they still want press information"))
    services.add_interaction(
        contact, InteractionKind.OTHER, summary, by=by, object_type=REASK_OBJECT_TYPE
    )


def still_to_reask(contact: Contact) -> bool:
    """Still flagged and not asked in the last day (a double click must not mail twice)."""
    if not flagged(contact.org).filter(pk=contact.pk).exists():
        return False
    when = last_reasked([contact.pk]).get(contact.pk)
    return when is None or timezone.now() - when > timedelta(seconds=DAY)


def queue_reasks(org: Organisation, contact_ids: list[int], *, by: User) -> int:
    """Re-ask these flagged contacts in the background; return how many are queued."""
    from pressdesk.contacts import sends

    return sends.queue(org, "reask", flagged(org).filter(pk__in=contact_ids), by=by)
