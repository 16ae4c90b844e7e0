"""Duplicate contacts: finding them (same email, similar name at the same outlet) and merging them.

Suggestions come from a scan of the whole press file, and after every import and demo load from
a scan of the contacts just written. A merge keeps the older contact (the API and the command
line name the one to keep): the person chooses, field by field, whose value stays, which
addresses and numbers to keep, and whether the positions, beats, tags and lists of both records
stay or those of one of them only. Everything else the other contact had (past positions, notes,
exchanges) moves onto the kept one, each change is recorded (FieldChange, source "merge"), and
the other is deleted. The web page, the API and the command line all merge through `merge()`,
which writes the same history and audit entry whichever asked. Other modules that point at
contacts (mailings, events…) connect to `contacts_merged` to move their own rows before the
deletion, which would otherwise cascade.
"""

from __future__ import annotations

import json
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
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from pressdesk.accounts import audit
from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts import phones as phone_numbers
from pressdesk.contacts import search_index, services, suggestions
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
# What each record has several of: the person keeps both records' or one record's only.
GROUPS = ("positions", "beats", "tags", "lists")
# The history row naming the merged contact: its value is JSON (see merge_note).
MERGED_FROM = "merged_from"


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
                    found.setdefault((a, b), (100, suggestions.same_email(address)))
    for outlet_name, members in _colleagues(org, ids):
        reason = suggestions.similar_name(outlet_name)
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
    # Group (GROUPS) -> id of the contact whose items alone are kept; absent: both contacts'.
    groups: dict[str, int] = field(default_factory=dict)
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
    # Group -> the kept items (current Position, Beat, Tag or ContactList rows), and the others.
    groups: dict[str, list[Any]] = field(default_factory=dict)
    dropped_groups: dict[str, list[Any]] = field(default_factory=dict)


def version(keep: Contact, other: Contact) -> str:
    """A token that changes whenever either contact is saved."""
    return f"{keep.pk}.{keep.updated.timestamp()}-{other.pk}.{other.updated.timestamp()}"


def pair(
    org: Organisation,
    first_id: int,
    second_id: int,
    *,
    lock: bool = False,
    keep_first: bool = False,
) -> tuple[Contact, Contact]:
    """The two contacts of a merge as (kept, merged into it): the older one is kept, or the
    first one with `keep_first` (the API and the command line name the contact to keep)."""
    if first_id == second_id:
        raise MergeError(_("A contact cannot be merged with itself."))
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
    if keep_first:
        keep, other = sorted(found, key=lambda c: c.pk != first_id)
    else:
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


def group_items(contact: Contact, name: str) -> list[Any]:
    """A contact's items of one group: current positions, beats, tags or static lists."""
    if name == "positions":
        return list(contact.positions.filter(end_date=None).select_related("outlet").order_by("pk"))
    if name == "beats":
        return list(contact.beats.order_by("name"))
    if name == "tags":
        return list(contact.tags.order_by("name"))
    memberships = contact.list_memberships.select_related("contact_list")
    return [m.contact_list for m in memberships.order_by("contact_list__name")]


def item_key(name: str, item: Any) -> int:
    """What makes two items the same: the outlet of a position, else the row itself."""
    return int(item.outlet_id) if name == "positions" else int(item.pk)


def item_text(name: str, item: Any) -> str:
    """An item in words: "Ouest-France (rédactrice)" for a position, else its name."""
    if name == "positions":
        return f"{item.outlet.name} ({item.title})" if item.title else str(item.outlet.name)
    return str(item.name)


def group_conflicts(keep: Contact, other: Contact) -> list[str]:
    """The groups where both contacts have items and not the same ones: the person chooses."""
    found = []
    for name in GROUPS:
        mine = {item_key(name, i) for i in group_items(keep, name)}
        theirs = {item_key(name, i) for i in group_items(other, name)}
        if mine and theirs and mine != theirs:
            found.append(name)
    return found


def _groups(
    keep: Contact, other: Contact, choices: MergeChoices
) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """Per group, the items the merged contact keeps and those it drops."""
    kept: dict[str, list[Any]] = {}
    dropped: dict[str, list[Any]] = {}
    for name in GROUPS:
        mine, theirs = group_items(keep, name), group_items(other, name)
        chosen = choices.groups.get(name)
        if chosen == keep.pk:
            kept[name], dropped[name] = mine, theirs
            continue
        if chosen == other.pk:
            kept[name], dropped[name] = theirs, mine
            continue
        known = {item_key(name, i) for i in mine}
        # Both: the same outlet, beat, tag or list once, as the kept record has it.
        kept[name] = mine + [i for i in theirs if item_key(name, i) not in known]
        dropped[name] = []
    return kept, dropped


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
    groups, dropped_groups = _groups(keep, other, choices)
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
        groups=groups,
        dropped_groups=dropped_groups,
    )


def choices_for(
    keep: Contact,
    other: Contact,
    *,
    prefer_other: bool = False,
    fields: dict[str, str] | None = None,
) -> MergeChoices:
    """Choices given in words, as the API and the command line take them.

    Where both records have a value, the kept one's wins unless `prefer_other`; `fields` names
    the exception per field ("keep", "other", and for GROUPS also "both"). Every address and
    number is kept. A choice about a field where the two records agree changes nothing.
    """
    fields = fields or {}
    unknown = sorted(set(fields) - set(CHOOSABLE) - set(GROUPS))
    if unknown:
        raise MergeError(_("Unknown fields: %(names)s.") % {"names": ", ".join(unknown)})
    sides = {"keep": keep.pk, "other": other.pk}
    for name, side in fields.items():
        if side not in sides and not (side == "both" and name in GROUPS):
            raise MergeError(
                _("%(name)s: choose keep, other or (for lists of things) both.") % {"name": name}
            )
    default = "other" if prefer_other else "keep"
    values = {name: sides[fields.get(name, default)] for name in conflicts(keep, other)}
    groups = {
        name: sides[side] for name, side in fields.items() if name in GROUPS and side != "both"
    }
    return MergeChoices(values=values, groups=groups, seen=version(keep, other))


def merge_into(
    org: Organisation,
    keep_id: int,
    other_id: int,
    *,
    prefer_other: bool = False,
    fields: dict[str, str] | None = None,
    by: User | None = None,
    actor_label: str = "",
    request: HttpRequest | None = None,
) -> Contact:
    """Merge `other_id` into `keep_id`, with the choices in words of the API and the CLI."""
    keep, other = pair(org, keep_id, other_id, keep_first=True)
    choices = choices_for(keep, other, prefer_other=prefer_other, fields=fields)
    return merge(
        org,
        keep_id,
        other_id,
        choices=choices,
        keep_first=True,
        by=by,
        actor_label=actor_label,
        request=request,
    )


def merge_note(other: Contact) -> str:
    """The merged contact for the kept one's history, as data: rendered in the reader's language
    (history.merged_sentence), with no id since that contact no longer exists."""
    return json.dumps(
        {
            "name": str(other),
            "source_kind": other.source_kind,
            "source": other.source_label,
            "lawful_basis": other.lawful_basis,
            "created": timezone.localtime(other.created).date().isoformat(),
        },
        ensure_ascii=False,
    )


@transaction.atomic
def merge(
    org: Organisation,
    first_id: int,
    second_id: int,
    *,
    choices: MergeChoices | None = None,
    keep_first: bool = False,
    by: User | None = None,
    actor_label: str = "",
    request: HttpRequest | None = None,
) -> Contact:
    """Merge two contacts of the organisation into the older one (or the first one, with
    `keep_first`), which is returned."""
    keep, other = pair(org, first_id, second_id, lock=True, keep_first=keep_first)
    if choices is not None and choices.seen and choices.seen != version(keep, other):
        raise MergeError(_("One of these contacts changed in the meantime: nothing was merged."))
    result = resolve(keep, other, choices or MergeChoices())
    result_groups = dict(choices.groups) if choices else {}
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
    note = merge_note(other)
    services.record_changes(keep, changes, source_kind=SourceKind.MERGE, source_label=name, by=by)
    services.record_changes(keep, {MERGED_FROM: ("", note)}, source_kind=SourceKind.MERGE, by=by)
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
        merged_source=json.loads(note),
        chosen=sorted(f for f, pk in (choices.values if choices else {}).items() if pk == other_id),
        groups={name: "other" if pk == other_id else "keep" for name, pk in result_groups.items()},
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
    # Stored as history keeps numbers (kind and E.164); the history shows them as people read them.
    old_phones = phone_numbers.history_list([(p.label, p.e164, p.raw) for p in keep.phones.all()])
    new_phones = phone_numbers.history_list([(p.label, p.e164, p.raw) for p in result.phones])
    if old_phones != new_phones:
        changes["phones"] = (old_phones, new_phones)
    for group in GROUPS:
        before = [item_text(group, i) for i in group_items(keep, group)]
        after = [item_text(group, i) for i in result.groups[group]]
        if before != after:
            changes[group] = (", ".join(before), ", ".join(after))
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
    _move_positions(keep, other, result.groups["positions"])
    keep.beats.set(result.groups["beats"])
    keep.tags.set(result.groups["tags"])
    wanted = {cl.pk for cl in result.groups["lists"]}
    keep.list_memberships.exclude(contact_list_id__in=wanted).delete()
    lists = set(keep.list_memberships.values_list("contact_list_id", flat=True))
    ListMembership.objects.filter(contact=other, contact_list_id__in=wanted - lists).update(
        contact=keep
    )
    Note.objects.filter(contact=other).update(contact=keep)
    Interaction.objects.filter(contact=other).update(contact=keep)


def _move_positions(keep: Contact, other: Contact, current: list[Position]) -> None:
    """The chosen current positions stay or move; the other's past positions move too, unless
    the kept record already has the same one."""
    wanted = {p.pk for p in current}
    Position.objects.filter(contact=keep, end_date=None).exclude(pk__in=wanted).delete()
    Position.objects.filter(contact=other, end_date=None, pk__in=wanted).update(contact=keep)
    mine = {(p.outlet_id, p.end_date) for p in keep.positions.exclude(end_date=None)}
    Position.objects.filter(
        pk__in=[
            p.pk
            for p in other.positions.exclude(end_date=None)
            if (p.outlet_id, p.end_date) not in mine
        ]
    ).update(contact=keep)


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
