"""What people review by hand: quarantined articles (retry or discard) and byline suggestions
(link to a journalist of the press file, or reject). Each decision is a conditional UPDATE, so two
people deciding at once cannot both win, and is audited in the same transaction.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pressdesk.accounts import audit
from pressdesk.accounts.models import AUDIT_ACTIONS, Organisation, User
from pressdesk.contacts.models import Contact
from pressdesk.lib.text import normalise
from pressdesk.monitoring import bylines
from pressdesk.monitoring.errors import Refusal
from pressdesk.monitoring.models import Byline, Item, Stage
from pressdesk.work.models import WorkState
from pressdesk.work.sweeper import wake

AUDIT_ACTIONS.setdefault("monitoring.quarantine_retry", gettext_lazy("Quarantined article retried"))
AUDIT_ACTIONS.setdefault(
    "monitoring.quarantine_discard", gettext_lazy("Quarantined article discarded")
)
AUDIT_ACTIONS.setdefault("monitoring.byline_accept", gettext_lazy("Byline linked to a journalist"))
AUDIT_ACTIONS.setdefault("monitoring.byline_reject", gettext_lazy("Byline suggestion rejected"))

CANDIDATES = 10


class AlreadyDecided(Refusal):
    """Someone else decided first (or the row is not waiting for a decision any more)."""


def quarantined(org: Organisation | int) -> QuerySet[Item]:
    """The organisation's quarantined articles, newest first."""
    return (
        Item.objects.for_org(org)
        .filter(stage=Stage.QUARANTINED)
        .select_related("source", "outlet")
        .order_by("-collected", "-id")
    )


def retry(
    org: Organisation, item: Item, *, user: User | None = None, request: HttpRequest | None = None
) -> None:
    """Send a quarantined article through the pipeline again (its payload was kept for this)."""
    with transaction.atomic():
        _leave_quarantine(
            org,
            item,
            "monitoring.quarantine_retry",
            user,
            request,
            stage=Stage.NEW,
            state=WorkState.PENDING,
            claimed_by="",
            lease_until=None,
        )
        wake(item)


def discard(
    org: Organisation, item: Item, *, user: User | None = None, request: HttpRequest | None = None
) -> None:
    """Give a quarantined article up: it stays discarded (a later poll does not bring it back)."""
    with transaction.atomic():
        _leave_quarantine(
            org,
            item,
            "monitoring.quarantine_discard",
            user,
            request,
            stage=Stage.DISCARDED,
            payload={},
        )


def _leave_quarantine(
    org: Organisation,
    item: Item,
    action: str,
    user: User | None,
    request: HttpRequest | None,
    **values: Any,
) -> None:
    # Conditional: of two people deciding at once, the second is told it is already done.
    moved = (
        Item.objects.for_org(org)
        .filter(pk=item.pk, stage=Stage.QUARANTINED)
        .exclude(state=WorkState.CLAIMED)
        .update(**values)
    )
    if not moved:
        raise AlreadyDecided(_("This article is not in quarantine any more."))
    audit.record(
        action,
        org=org,
        actor=user,
        obj=item,
        request=request,
        url=item.url,
        reason=item.quarantine_reason,
    )


def pending_bylines(org: Organisation | int) -> QuerySet[Byline]:
    """Bylines waiting for a decision, the most frequent first."""
    return (
        Byline.objects.for_org(org)
        .filter(status=Byline.PENDING)
        .select_related("outlet", "last_item")
        .order_by("-articles", "name")
    )


def candidates(byline: Byline) -> list[Contact]:
    """Journalists of the press file this byline may be: same last name, or a short form of the
    first name ("J. Fournier"); those at the byline's outlet first."""
    words = byline.name.split()
    if not words:
        return []
    last = normalise(words[-1])
    first = normalise(" ".join(words[:-1])).rstrip(".")
    found = []
    for contact in Contact.objects.for_org(byline.org_id).filter(last_name__iexact=words[-1]):
        if normalise(contact.last_name) != last:
            continue
        given = normalise(contact.first_name)
        if first and given and not (given.startswith(first) or first.startswith(given[:1])):
            continue
        found.append(contact)
    at_outlet = set(
        Contact.objects.for_org(byline.org_id)
        .filter(pk__in=[c.pk for c in found], positions__outlet_id=byline.outlet_id)
        .values_list("pk", flat=True)
        if byline.outlet_id
        else []
    )
    found.sort(key=lambda c: (c.pk not in at_outlet, str(c)))
    return found[:CANDIDATES]


def _link_articles(org: Organisation, byline: Byline, contact: Contact) -> int:
    """The byline's articles without a journalist yet now point to the contact; how many."""
    wanted = byline.name_normalised
    last = byline.name.split()[-1] if byline.name.split() else byline.name
    ids = [
        item_id
        for item_id, author in Item.objects.for_org(org)
        .filter(author_contact__isnull=True, author__icontains=last)
        .values_list("pk", "author")
        if wanted in {normalise(name) for name in bylines.names(author)}
    ]
    return Item.objects.for_org(org).filter(pk__in=ids).update(author_contact=contact)


def accept(
    org: Organisation,
    byline: Byline,
    contact: Contact,
    *,
    user: User | None = None,
    request: HttpRequest | None = None,
) -> int:
    """Link the byline to a journalist: its articles, and later ones, show on their page.
    Returns how many articles were linked."""
    if contact.org_id != org.pk:
        raise Refusal(_("This contact is not in your press file."))
    with transaction.atomic():
        moved = (
            Byline.objects.for_org(org)
            .filter(pk=byline.pk, status=Byline.PENDING)
            .update(status=Byline.LINKED, contact=contact)
        )
        if not moved:
            raise AlreadyDecided(_("This byline has been reviewed already."))
        linked = _link_articles(org, byline, contact)
        audit.record(
            "monitoring.byline_accept",
            org=org,
            actor=user,
            obj=byline,
            request=request,
            contact_id=contact.pk,
            contact=str(contact),
            articles=linked,
        )
    return linked


def reject(
    org: Organisation,
    byline: Byline,
    *,
    user: User | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Dismiss the suggestion: the byline is not proposed again."""
    with transaction.atomic():
        moved = (
            Byline.objects.for_org(org)
            .filter(pk=byline.pk, status=Byline.PENDING)
            .update(status=Byline.DISMISSED)
        )
        if not moved:
            raise AlreadyDecided(_("This byline has been reviewed already."))
        audit.record("monitoring.byline_reject", org=org, actor=user, obj=byline, request=request)
