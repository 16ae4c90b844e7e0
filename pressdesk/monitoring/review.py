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
from django.utils.translation import gettext_lazy, override

from pressdesk.accounts import audit
from pressdesk.accounts.models import AUDIT_ACTIONS, Organisation, User
from pressdesk.contacts import editing
from pressdesk.contacts.models import Contact, Outlet
from pressdesk.contacts.models.contacts import SourceKind
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
AUDIT_ACTIONS.setdefault(
    "monitoring.byline_new_contact",
    gettext_lazy("Journalist added to the press file from a byline"),
)
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
    """Bylines waiting for a decision, the most frequent first: one per name and outlet."""
    return (
        Byline.objects.for_org(org)
        .filter(status=Byline.PENDING)
        .select_related("outlet", "last_item")
        .order_by("-articles", "name", "outlet__name", "pk")
    )


def candidates(byline: Byline) -> list[Contact]:
    """Journalists of the press file this byline may be: same last name, or a short form of the
    first name ("J. Fournier"); those at the byline's outlet first."""
    words = byline.name.split()
    if not words:
        return []
    given_name, family_name = bylines.split_name(byline.name)
    last = normalise(family_name)
    first = normalise(given_name).rstrip(".")
    found = []
    for contact in Contact.objects.for_org(byline.org_id).filter(last_name__iendswith=words[-1]):
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
    # Only the articles this row counted, as bylines.link files them: same outlet, or both
    # unknown. Another paper's namesake has a suggestion of its own.
    rows = Item.objects.for_org(org).filter(
        bylines.at_outlet(byline.outlet_id), author_contact__isnull=True, author__icontains=last
    )
    ids = [
        item_id
        for item_id, author in rows.values_list("pk", "author")
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
    """Link the byline to a journalist of the press file (any of them, not only a candidate): its
    articles, and later ones with this byline at the same outlet, show on their page. How many
    were linked."""
    if contact.org_id != org.pk:
        raise Refusal(_("This contact is not in your press file."))
    with transaction.atomic():
        return _link(org, byline, contact, "monitoring.byline_accept", user, request)


def _link(
    org: Organisation,
    byline: Byline,
    contact: Contact,
    action: str,
    user: User | None,
    request: HttpRequest | None,
) -> int:
    # Conditional: of two people deciding at once, the second is told it is already done (and
    # the caller's transaction, with any contact it just created, is undone).
    moved = (
        Byline.objects.for_org(org)
        .filter(pk=byline.pk, status=Byline.PENDING)
        .update(status=Byline.LINKED, contact=contact)
    )
    if not moved:
        raise AlreadyDecided(_("This byline has been reviewed already."))
    linked = _link_articles(org, byline, contact)
    audit.record(
        action,
        org=org,
        actor=user,
        obj=byline,
        request=request,
        contact_id=contact.pk,
        contact=str(contact),
        articles=linked,
    )
    return linked


def article_of(byline: Byline) -> Item | None:
    """The article the byline was last seen on, if it is still kept."""
    if byline.last_item_id is None:
        return None
    return (
        Item.objects.for_org(byline.org_id)
        .select_related("source__outlet", "outlet")
        .filter(pk=byline.last_item_id)
        .first()
    )


def outlet_of(byline: Byline) -> Outlet | None:
    """Where the byline's journalist works, as far as we know: the outlet of the source their
    last article came from, else the one the byline was first seen at."""
    item = article_of(byline)
    if item is not None:
        if item.source is not None and item.source.outlet is not None:
            return item.source.outlet
        if item.outlet is not None:
            return item.outlet
    return byline.outlet


def create_contact(
    org: Organisation,
    byline: Byline,
    *,
    first_name: str | None = None,
    last_name: str | None = None,
    user: User | None = None,
    request: HttpRequest | None = None,
) -> tuple[Contact, int]:
    """Add the byline's journalist to the press file and link the byline to them, in one
    transaction: the contact records where it came from. The contact and the articles linked.

    The name is split from the byline unless given; the outlet is the article's source's."""
    guessed_first, guessed_last = bylines.split_name(byline.name)
    first = (guessed_first if first_name is None else first_name).strip()[:100]
    last = (guessed_last if last_name is None else last_name).strip()[:100]
    if not (first or last):
        raise Refusal(_("Give the journalist a name."))
    item = article_of(byline)
    outlet = outlet_of(byline)
    # Provenance is kept in the organisation's language: it is read by the whole team.
    with override(org.language):
        label = _("from monitoring: byline on %(article)s") % {
            "article": (item.title or item.url) if item is not None else byline.name
        }
    data: dict[str, Any] = {"first_name": first, "last_name": last, "kind": "journalist"}
    if outlet is not None:
        data["outlet"] = outlet
    with transaction.atomic():
        contact = editing.save_contact(
            org,
            None,
            data,
            by=user,
            source_kind=SourceKind.MONITORING,
            source_label=label[:300],
        )
        linked = _link(org, byline, contact, "monitoring.byline_new_contact", user, request)
    return contact, linked


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
