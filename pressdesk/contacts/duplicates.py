"""Duplicate contacts: finding them (same email, similar name at the same outlet) and merging them.

Suggestions come from a scan of the whole press file, and after every import and demo load from
a scan of the contacts just written. A merge keeps the older contact: the person chooses, field
by field, whose value stays and which addresses and numbers to keep. Everything else the other
contact had moves onto the kept one, each change is recorded (FieldChange, source "merge"), and
the other is deleted. Other modules that
point at contacts (mailings, events…) connect to `contacts_merged` to move their own rows before
the deletion, which would otherwise cascade.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.dispatch import Signal
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from pressdesk.accounts import audit
from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts import search_index, services
from pressdesk.contacts.importing.planning import FUZZY_THRESHOLD
from pressdesk.contacts.models import (
    Contact,
    ContactEmail,
    ContactPhone,
    FieldChange,
    ImportJob,
    Interaction,
    ListMembership,
    MergeSuggestion,
    Note,
    Position,
)
from pressdesk.contacts.models.contacts import SourceKind

# Sent inside the merge transaction, before `other` is deleted: keep=Contact, other=Contact.
contacts_merged = Signal()

# An address shared by more contacts than this is a generic one (redaction@…): no suggestions.
_MAX_SHARED = 10
# Ids per query when scanning the contacts of an import (below every database's parameter limit).
_CHUNK = 500
# The fields the person chooses between when both contacts have a value.
CHOOSABLE = (
    "first_name", "last_name", "job_title", "kind", "country", "region", "preferred_channel",
    "preferred_language", "preferred_format", "lawful_basis",
)  # fmt: skip


class MergeError(Exception):
    """A merge that cannot be done; the message is for the user."""


def find_duplicates(org: Organisation, among: Iterable[int] | None = None) -> int:
    """Add merge suggestions and return how many are new.

    Without `among`, the whole press file is scanned. With it (the contacts an import just wrote),
    only pairs that involve one of those contacts are looked for, against the whole press file:
    the cost grows with the import, not with the file.
    """
    ids = None if among is None else set(among)
    if ids is not None and not ids:
        return 0
    known = set(MergeSuggestion.objects.for_org(org).values_list("contact_a_id", "contact_b_id"))
    found: dict[tuple[int, int], tuple[int, str]] = {}
    for address, owners in _email_owners(org, ids).items():
        if 1 < len(owners) <= _MAX_SHARED:
            for a, b in combinations(sorted(owners), 2):
                if ids is None or a in ids or b in ids:
                    found.setdefault(
                        (a, b), (100, _("same email address %(email)s") % {"email": address})
                    )
    for outlet_name, members in _colleagues(org, ids):
        reason = _("similar name at %(outlet)s") % {"outlet": outlet_name}
        for contact_id, other, score in _alike(members, ids):
            pair = (min(contact_id, other), max(contact_id, other))
            found.setdefault(pair, (score, reason))
    new = [
        MergeSuggestion(org=org, contact_a_id=a, contact_b_id=b, score=score, reason=reason[:200])
        for (a, b), (score, reason) in found.items()
        if (a, b) not in known and (b, a) not in known
    ]
    MergeSuggestion.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    return len(new)


def _alike(members: list[tuple[str, int]], ids: set[int] | None) -> Iterator[tuple[int, int, int]]:
    """Pairs of colleagues with similar names, each compared once: (contact, other, score).

    With `ids`, only pairs where one of them is in `ids`: each of those is compared with the
    colleagues after it, and with the colleagues before it that are not in `ids` (a pair of two
    of `ids` is met once, from the first of them).
    """
    names = [n for n, _id in members]
    outside = [j for j, (_n, pk) in enumerate(members) if ids is not None and pk not in ids]
    for i, (name, contact_id) in enumerate(members):
        if ids is not None and contact_id not in ids:
            continue
        candidates = list(range(i + 1, len(members)))
        if ids is not None:
            candidates = [j for j in outside if j < i] + candidates
        for _choice, score, k in process.extract(
            name,
            [names[j] for j in candidates],
            scorer=fuzz.token_sort_ratio,
            score_cutoff=FUZZY_THRESHOLD,
            limit=None,
        ):
            other = members[candidates[k]][1]
            if other != contact_id:
                yield contact_id, other, int(score)


def _chunks(ids: set[int]) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for i in range(0, len(ordered), _CHUNK):
        yield ordered[i : i + _CHUNK]


def _email_owners(org: Organisation, ids: set[int] | None) -> dict[str, set[int]]:
    """Who has each address: every address of the file, or those the given contacts have."""
    emails = ContactEmail.objects.for_org(org)
    if ids is None:
        queries = [emails]
    else:
        queries = [
            emails.filter(
                email_normalised__in=ContactEmail.objects.for_org(org)
                .filter(contact_id__in=chunk)
                .values("email_normalised")
            )
            for chunk in _chunks(ids)
        ]
    owners: dict[str, set[int]] = defaultdict(set)
    for query in queries:
        for address, contact_id in query.values_list("email_normalised", "contact_id"):
            owners[address].add(contact_id)
    return owners


def _colleagues(org: Organisation, ids: set[int] | None) -> list[tuple[str, list[tuple[str, int]]]]:
    """The people working at each outlet now (only outlets where one of `ids` works, if given)."""
    current = Position.objects.filter(contact__org=org, end_date=None)
    if ids is not None:
        outlets: set[int] = set()
        for chunk in _chunks(ids):
            outlets.update(current.filter(contact_id__in=chunk).values_list("outlet_id", flat=True))
        if len(outlets) <= _CHUNK:
            current = current.filter(outlet_id__in=outlets)
    buckets: dict[int, list[tuple[str, int]]] = defaultdict(list)
    outlet_names: dict[int, str] = {}
    # The stored sort key is the normalised "last first": the same words, and token_sort_ratio
    # ignores their order, so no name is normalised again here.
    rows = current.values_list("outlet_id", "outlet__name", "contact_id", "contact__sort_name")
    for outlet_id, outlet_name, contact_id, name in rows.order_by("contact_id"):
        if name:
            buckets[outlet_id].append((name, contact_id))
            outlet_names[outlet_id] = outlet_name
    return [(outlet_names[pk], members) for pk, members in buckets.items()]


def dismiss(suggestion: MergeSuggestion) -> None:
    """The two contacts are different people: do not suggest them again."""
    suggestion.status = MergeSuggestion.DISMISSED
    suggestion.save(update_fields=["status"])


@dataclass
class MergeChoices:
    """What the person chose on the merge page. Left empty, the older contact's values win and
    the other one only fills its blanks; every address and number is kept."""

    # Field name -> id of the contact whose value the merged contact keeps.
    values: dict[str, int] = field(default_factory=dict)
    # Ids of the ContactEmail and ContactPhone rows to keep (None: all of them).
    emails: set[int] | None = None
    phones: set[int] | None = None
    # The two contacts as the person saw them (`version`): a merge of changed records is refused.
    seen: str = ""


@dataclass
class MergeResult:
    """What the merged contact will look like: the preview shows it, the merge writes it."""

    keep: Contact
    other: Contact
    values: dict[str, Any]
    languages: list[str]
    social: dict[str, str]
    emails: list[ContactEmail]
    phones: list[ContactPhone]
    dropped_emails: list[ContactEmail]
    dropped_phones: list[ContactPhone]


def version(keep: Contact, other: Contact) -> str:
    """A token that changes whenever either contact is saved."""
    return f"{keep.pk}.{keep.updated.timestamp()}-{other.pk}.{other.updated.timestamp()}"


def pair(
    org: Organisation, first_id: int, second_id: int, *, lock: bool = False
) -> tuple[Contact, Contact]:
    """The two contacts of a merge as (kept, merged into it): the older one is kept."""
    contacts = (
        Contact.objects.for_org(org)
        .filter(pk__in=[first_id, second_id])
        .prefetch_related("emails", "phones")
    )
    if lock:
        contacts = contacts.select_for_update()
    found = list(contacts)
    if len(found) != 2:
        raise MergeError(_("One of these contacts no longer exists."))
    keep, other = sorted(found, key=lambda c: (c.created, c.pk))
    return keep, other


def conflicts(keep: Contact, other: Contact) -> list[str]:
    """The fields where both contacts have a value and the values differ: the person chooses."""
    return [
        name
        for name in CHOOSABLE
        if getattr(keep, name)
        and getattr(other, name)
        and getattr(keep, name) != getattr(other, name)
    ]


def resolve(keep: Contact, other: Contact, choices: MergeChoices) -> MergeResult:
    """The merged contact these choices give, without writing anything."""
    values: dict[str, Any] = {}
    for name in CHOOSABLE:
        mine, theirs = getattr(keep, name), getattr(other, name)
        chosen = choices.values.get(name)
        values[name] = (
            theirs if chosen == other.pk else mine if chosen == keep.pk else mine or theirs
        )
    languages = keep.languages + [code for code in other.languages if code not in keep.languages]
    social = {**(other.social or {}), **(keep.social or {})}
    known = {e.email_normalised for e in keep.emails.all()}
    emails = list(keep.emails.all()) + [
        e for e in other.emails.all() if e.email_normalised not in known
    ]
    numbers = {p.e164 or p.raw for p in keep.phones.all()}
    phones = list(keep.phones.all()) + [
        p for p in other.phones.all() if (p.e164 or p.raw) not in numbers
    ]
    wanted_emails = [e for e in emails if choices.emails is None or e.pk in choices.emails]
    wanted_phones = [p for p in phones if choices.phones is None or p.pk in choices.phones]
    return MergeResult(
        keep=keep,
        other=other,
        values=values,
        languages=languages,
        social=social,
        emails=wanted_emails,
        phones=wanted_phones,
        dropped_emails=[e for e in emails if e not in wanted_emails],
        dropped_phones=[p for p in phones if p not in wanted_phones],
    )


@transaction.atomic
def merge(
    org: Organisation,
    first_id: int,
    second_id: int,
    *,
    choices: MergeChoices | None = None,
    by: User | None = None,
    actor_label: str = "",
    request: HttpRequest | None = None,
) -> Contact:
    """Merge two contacts of the organisation into the older one, which is returned."""
    keep, other = pair(org, first_id, second_id, lock=True)
    if choices is not None and choices.seen and choices.seen != version(keep, other):
        raise MergeError(_("One of these contacts changed in the meantime: nothing was merged."))
    result = resolve(keep, other, choices or MergeChoices())
    name = str(other)
    changes = _apply(result)
    _move_details(keep, other, result)
    _repoint_suggestions(org, keep, other)
    contacts_merged.send(sender=Contact, keep=keep, other=other)
    FieldChange.objects.filter(contact=other).update(contact=keep)
    ImportJob.contacts.through.objects.filter(contact=other).exclude(
        importjob_id__in=ImportJob.contacts.through.objects.filter(contact=keep).values(
            "importjob_id"
        )
    ).update(contact=keep)
    provenance = _("%(source)s, %(basis)s, record created on %(created)s") % {
        "source": other.source_label or other.get_source_kind_display(),
        "basis": other.get_lawful_basis_display().lower(),
        "created": date_format(timezone.localtime(other.created).date(), "SHORT_DATE_FORMAT"),
    }
    services.record_changes(keep, changes, source_kind=SourceKind.MERGE, source_label=name, by=by)
    # In words, with no ids: the merged contact no longer exists for anyone to look up.
    services.record_changes(
        keep, {"merged_from": ("", f"{name} — {provenance}")}, source_kind=SourceKind.MERGE, by=by
    )
    other_id = other.pk
    search_index.remove([other_id])
    other.delete()
    keep.save()
    # A fresh copy: the prefetched addresses and numbers are those from before the merge.
    keep = Contact.objects.for_org(org).get(pk=keep.pk)
    services.refresh_search([keep])
    audit.record(
        "contacts.merge",
        org=org,
        actor=by,
        actor_label=actor_label,
        obj=keep,
        request=request,
        merged_id=other_id,
        merged_name=name,
        merged_source=provenance,
        chosen=sorted(f for f, pk in (choices.values if choices else {}).items() if pk == other_id),
        emails_dropped=len(result.dropped_emails),
        phones_dropped=len(result.dropped_phones),
    )
    return keep


def _apply(result: MergeResult) -> dict[str, tuple[Any, Any]]:
    """Give the kept contact its chosen values; return the changes for its history."""
    keep, other = result.keep, result.other
    changes: dict[str, tuple[Any, Any]] = {}
    for name, value in result.values.items():
        if getattr(keep, name) != value:
            changes[name] = (getattr(keep, name), value)
            setattr(keep, name, value)
    if result.languages != keep.languages:
        changes["languages"] = (", ".join(keep.languages), ", ".join(result.languages))
        keep.languages = result.languages
    if result.social != keep.social:
        changes["social"] = (keep.social, result.social)
        keep.social = result.social
    for name in ("last_active_at", "last_verified_at", "out_of_office_until"):
        mine, theirs = getattr(keep, name), getattr(other, name)
        if theirs and (mine is None or theirs > mine):
            setattr(keep, name, theirs)
    if keep.notice_sent_at is None and other.notice_sent_at is not None:
        keep.notice_sent_at = other.notice_sent_at
        changes["notice_sent_at"] = ("", other.notice_sent_at.isoformat())
    if keep.last_active_at:
        keep.retention_flagged_at = None
    old_emails = [e.email for e in keep.emails.all()]
    new_emails = [e.email for e in result.emails]
    if old_emails != new_emails:
        changes["emails"] = (", ".join(old_emails), ", ".join(new_emails))
    # Stored as history keeps numbers (E.164); the history shows them as people read them.
    old_phones = [p.e164 or p.raw for p in keep.phones.all()]
    new_phones = [p.e164 or p.raw for p in result.phones]
    if old_phones != new_phones:
        changes["phones"] = (", ".join(old_phones), ", ".join(new_phones))
    return changes


def _move_details(keep: Contact, other: Contact, result: MergeResult) -> None:
    dropped_emails = [e.pk for e in result.dropped_emails]
    ContactEmail.objects.for_org(keep.org_id).filter(pk__in=dropped_emails).delete()
    ContactPhone.objects.filter(pk__in=[p.pk for p in result.dropped_phones]).delete()
    kept_emails = [e.pk for e in result.emails]
    other.emails.filter(pk__in=kept_emails).update(contact=keep, is_primary=False)
    if result.emails and not any(e.is_primary and e.contact_id == keep.pk for e in result.emails):
        keep.emails.filter(pk=result.emails[0].pk).update(is_primary=True)
    ContactPhone.objects.filter(pk__in=[p.pk for p in result.phones], contact=other).update(
        contact=keep
    )
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
