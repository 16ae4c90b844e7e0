"""Duplicate contacts: finding them (same email, similar name at the same outlet) and merging them.

A merge keeps the older contact, moves everything the other one had onto it, records where each
filled-in field came from (FieldChange, source "merge"), and deletes the other. Other modules that
point at contacts (mailings, events…) connect to `contacts_merged` to move their own rows before
the deletion, which would otherwise cascade.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.dispatch import Signal
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from pressdesk.accounts import audit
from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts import search_index, services
from pressdesk.contacts.importing.planning import FUZZY_THRESHOLD
from pressdesk.contacts.models import (
    Contact,
    ContactEmail,
    FieldChange,
    Interaction,
    ListMembership,
    MergeSuggestion,
    Note,
    Position,
)
from pressdesk.contacts.models.contacts import SourceKind
from pressdesk.lib.text import normalise

# Sent inside the merge transaction, before `other` is deleted: keep=Contact, other=Contact.
contacts_merged = Signal()

# An address shared by more contacts than this is a generic one (redaction@…): no suggestions.
_MAX_SHARED = 10
_FILLED = (
    "first_name", "last_name", "job_title", "country", "region", "preferred_channel",
    "preferred_language", "preferred_format",
)  # fmt: skip


class MergeError(Exception):
    """A merge that cannot be done; the message is for the user."""


def find_duplicates(org: Organisation) -> int:
    """Scan the whole press file and add merge suggestions; return how many are new."""
    known = set(MergeSuggestion.objects.for_org(org).values_list("contact_a_id", "contact_b_id"))
    found: dict[tuple[int, int], tuple[int, str]] = {}
    by_email: dict[str, set[int]] = defaultdict(set)
    for address, contact_id in ContactEmail.objects.for_org(org).values_list(
        "email_normalised", "contact_id"
    ):
        by_email[address].add(contact_id)
    for address, ids in by_email.items():
        if 1 < len(ids) <= _MAX_SHARED:
            for a, b in combinations(sorted(ids), 2):
                found.setdefault(
                    (a, b), (100, _("same email address %(email)s") % {"email": address})
                )
    buckets: dict[int, list[tuple[str, int]]] = defaultdict(list)
    outlet_names: dict[int, str] = {}
    current = Position.objects.filter(contact__org=org, end_date=None).values_list(
        "outlet_id", "outlet__name", "contact_id", "contact__first_name", "contact__last_name"
    )
    for outlet_id, outlet_name, contact_id, first, last in current.order_by("contact_id"):
        name = normalise(f"{first} {last}")
        if name:
            buckets[outlet_id].append((name, contact_id))
            outlet_names[outlet_id] = outlet_name
    for outlet_id, members in buckets.items():
        names = [n for n, _id in members]
        for i, (name, contact_id) in enumerate(members[:-1]):
            for _choice, score, j in process.extract(
                name,
                names[i + 1 :],
                scorer=fuzz.token_sort_ratio,
                score_cutoff=FUZZY_THRESHOLD,
                limit=None,
            ):
                other = members[i + 1 + j][1]
                if other != contact_id:
                    pair = (min(contact_id, other), max(contact_id, other))
                    reason = _("similar name at %(outlet)s") % {"outlet": outlet_names[outlet_id]}
                    found.setdefault(pair, (int(score), reason))
    new = [
        MergeSuggestion(org=org, contact_a_id=a, contact_b_id=b, score=score, reason=reason[:200])
        for (a, b), (score, reason) in found.items()
        if (a, b) not in known and (b, a) not in known
    ]
    MergeSuggestion.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    return len(new)


def dismiss(suggestion: MergeSuggestion) -> None:
    """The two contacts are different people: do not suggest them again."""
    suggestion.status = MergeSuggestion.DISMISSED
    suggestion.save(update_fields=["status"])


@transaction.atomic
def merge(
    org: Organisation,
    first_id: int,
    second_id: int,
    *,
    by: User | None = None,
    actor_label: str = "",
    request: HttpRequest | None = None,
) -> Contact:
    """Merge two contacts of the organisation into the older one, which is returned."""
    pair = list(
        Contact.objects.for_org(org).select_for_update().filter(pk__in=[first_id, second_id])
    )
    if len(pair) != 2:
        raise MergeError(_("One of these contacts no longer exists."))
    keep, other = sorted(pair, key=lambda c: (c.created, c.pk))
    label = _("merged contact #%(id)s (%(name)s)") % {"id": other.pk, "name": other}
    changes = _fill_fields(keep, other)
    _move_details(keep, other)
    _repoint_suggestions(org, keep, other)
    contacts_merged.send(sender=Contact, keep=keep, other=other)
    FieldChange.objects.filter(contact=other).update(contact=keep)
    provenance = _("source: %(source)s; lawful basis: %(basis)s; added %(created)s") % {
        "source": other.source_label or other.get_source_kind_display(),
        "basis": other.get_lawful_basis_display(),
        "created": timezone.localtime(other.created).date().isoformat(),
    }
    changes["merged_from"] = ("", f"#{other.pk} {other} — {provenance}")
    services.record_changes(keep, changes, source_kind=SourceKind.MERGE, source_label=label, by=by)
    other_id = other.pk
    search_index.remove([other_id])
    other.delete()
    keep.save()
    services.refresh_search([keep])
    audit.record(
        "contacts.merge",
        org=org,
        actor=by,
        actor_label=actor_label,
        obj=keep,
        request=request,
        merged_id=other_id,
        merged_name=str(other),
        merged_source=provenance,
    )
    return keep


def _fill_fields(keep: Contact, other: Contact) -> dict[str, tuple[Any, Any]]:
    """Fill the kept contact's blanks from the other; the kept contact's own values win."""
    changes: dict[str, tuple[Any, Any]] = {}
    for name in _FILLED:
        if not getattr(keep, name) and getattr(other, name):
            changes[name] = ("", getattr(other, name))
            setattr(keep, name, getattr(other, name))
    languages = keep.languages + [code for code in other.languages if code not in keep.languages]
    if languages != keep.languages:
        changes["languages"] = (", ".join(keep.languages), ", ".join(languages))
        keep.languages = languages
    social = {**(other.social or {}), **(keep.social or {})}
    if social != keep.social:
        changes["social"] = (keep.social, social)
        keep.social = social
    for name in ("last_active_at", "last_verified_at", "out_of_office_until"):
        mine, theirs = getattr(keep, name), getattr(other, name)
        if theirs and (mine is None or theirs > mine):
            setattr(keep, name, theirs)
    if keep.notice_sent_at is None and other.notice_sent_at is not None:
        keep.notice_sent_at = other.notice_sent_at
        changes["notice_sent_at"] = ("", other.notice_sent_at.isoformat())
    if keep.last_active_at:
        keep.retention_flagged_at = None
    return changes


def _move_details(keep: Contact, other: Contact) -> None:
    emails = set(keep.emails.values_list("email_normalised", flat=True))
    other.emails.exclude(email_normalised__in=emails).update(contact=keep, is_primary=False)
    numbers = {p.e164 or p.raw for p in keep.phones.all()}
    for phone in other.phones.all():
        if (phone.e164 or phone.raw) not in numbers:
            phone.contact = keep
            phone.save(update_fields=["contact"])
    mine = {(p.outlet_id, p.end_date) for p in keep.positions.all()}
    Position.objects.filter(
        pk__in=[p.pk for p in other.positions.all() if (p.outlet_id, p.end_date) not in mine]
    ).update(contact=keep)
    keep.beats.add(*other.beats.all())
    keep.tags.add(*other.tags.all())
    lists = set(keep.list_memberships.values_list("contact_list_id", flat=True))
    ListMembership.objects.filter(contact=other).exclude(contact_list_id__in=lists).update(
        contact=keep
    )
    Note.objects.filter(contact=other).update(contact=keep)
    Interaction.objects.filter(contact=other).update(contact=keep)


def _repoint_suggestions(org: Organisation, keep: Contact, other: Contact) -> None:
    """Pending suggestions about the deleted contact now concern the kept one."""
    pending = MergeSuggestion.objects.for_org(org).filter(status=MergeSuggestion.PENDING)
    for s in pending.filter(contact_a=other) | pending.filter(contact_b=other):
        third = s.contact_b_id if s.contact_a_id == other.pk else s.contact_a_id
        if third == keep.pk:
            continue
        a, b = min(keep.pk, third), max(keep.pk, third)
        MergeSuggestion.objects.for_org(org).get_or_create(
            contact_a_id=a, contact_b_id=b, defaults={"score": s.score, "reason": s.reason}
        )


def _current(side: str) -> Prefetch[Any]:
    positions = Position.objects.filter(end_date=None).select_related("outlet")
    return Prefetch(f"contact_{side}__positions", queryset=positions, to_attr="current")


def pending(org: Organisation) -> QuerySet[MergeSuggestion]:
    """The organisation's pending suggestions, best first, with both contacts ready to show."""
    return (
        MergeSuggestion.objects.for_org(org)
        .filter(status=MergeSuggestion.PENDING)
        .select_related("contact_a", "contact_b")
        .prefetch_related("contact_a__emails", "contact_b__emails", _current("a"), _current("b"))
        .order_by("-score", "-created")
    )
