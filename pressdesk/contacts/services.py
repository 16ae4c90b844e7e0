"""The press file's core operations, shared by the UI, the API, imports and other modules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, NamedTuple

import phonenumbers
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts.models import (
    Beat,
    Contact,
    ContactEmail,
    FieldChange,
    Interaction,
    OptOut,
    Outlet,
    Position,
    Tag,
)
from pressdesk.contacts.models.contacts import ACTIVE_KINDS, SourceKind, sort_key
from pressdesk.contacts.models.optout import address_hash
from pressdesk.lib.search import Hits
from pressdesk.lib.text import normalise, search_text


def normalise_phone(raw: str, region: str = "FR") -> str:
    """A phone number in E.164 (+33612345678), or "" when it cannot be read as one."""
    try:
        number = phonenumbers.parse(raw, region or "FR")
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """A phone number as people read it: French ones in national format, others international."""
    from pressdesk.contacts import phones

    return phones.display(e164)


def beat(org: Organisation, name: str) -> Beat:
    """The organisation's beat of this name (accents and case ignored), created if new."""
    found, _created = Beat.objects.for_org(org).get_or_create(
        name_normalised=normalise(name)[:100], defaults={"name": name.strip()[:100]}
    )
    return found


def tag(org: Organisation, name: str) -> Tag:
    """The organisation's tag of this name (accents and case ignored), created if new."""
    found, _created = Tag.objects.for_org(org).get_or_create(
        name_normalised=normalise(name)[:100], defaults={"name": name.strip()[:100]}
    )
    return found


def record_changes(
    contact: Contact,
    changes: dict[str, tuple[Any, Any]],
    *,
    source_kind: str = SourceKind.MANUAL,
    source_label: str = "",
    by: User | None = None,
) -> None:
    """Keep provenance: one FieldChange row per changed field."""
    now = timezone.now()
    FieldChange.objects.bulk_create(
        FieldChange(
            contact=contact,
            field=field,
            old_value="" if old is None else str(old),
            new_value="" if new is None else str(new),
            source_kind=source_kind,
            source_label=source_label[:300],
            changed_at=now,
            changed_by=by,
        )
        for field, (old, new) in changes.items()
        if old != new
    )


def search_text_for(contact: Contact) -> str:
    """The normalised text quick search matches for a contact: words only, space-separated."""
    current = [p for p in contact.positions.all() if p.end_date is None]
    parts: list[str] = [contact.first_name, contact.last_name, contact.job_title, contact.region]
    parts += [e.email for e in contact.emails.all()]
    parts += [p.outlet.name for p in current]
    parts += [p.title for p in current]
    parts += [b.name for b in contact.beats.all()]
    parts += [t.name for t in contact.tags.all()]
    parts += [str(handle) for handle in (contact.social or {}).values()]
    parts += [n.text for n in contact.notes.all()]
    return search_text(*parts)


def current_outlet(contact: Contact) -> Outlet | None:
    """The outlet a contact works for now (the latest started, if several), from prefetched data."""
    current = [p for p in contact.positions.all() if p.end_date is None]
    current.sort(key=lambda p: (p.start_date or date.min, p.pk), reverse=True)
    return current[0].outlet if current else None


def refresh_search(contacts: Iterable[Contact]) -> None:
    """Recompute what is derived from these contacts: search text, sort keys, search index and
    the values the checkbox filters find them under."""
    from pressdesk.contacts import facets, search_index

    ids = [c.pk for c in contacts]
    changed = []
    for start in range(0, len(ids), 500):
        # all-orgs: re-reads the contacts the caller holds, whatever their organisation
        fresh = Contact.objects.filter(pk__in=ids[start : start + 500]).prefetch_related(
            "emails", "positions__outlet", "beats", "tags", "notes"
        )
        for contact in fresh:
            contact.search_text = search_text_for(contact)
            contact.sort_name = sort_key(contact.last_name, contact.first_name)
            outlet = current_outlet(contact)
            contact.sort_outlet = sort_key(outlet.name) if outlet else None
            changed.append(contact)
    Contact.objects.bulk_update(
        changed, ["search_text", "sort_name", "sort_outlet"], batch_size=500
    )
    fill_address_hashes(ContactEmail.objects.filter(contact_id__in=ids))  # all-orgs: as above
    search_index.index(changed)
    facets.refresh(ids)


def fill_address_hashes(emails: QuerySet[ContactEmail]) -> int:
    """Give opt-out keys to addresses written in bulk without one; how many were filled."""
    missing = list(emails.filter(address_hash="").only("pk", "email"))
    for row in missing:
        row.address_hash = address_hash(row.email)
    ContactEmail.objects.bulk_update(missing, ["address_hash"], batch_size=1000)
    return len(missing)


def add_interaction(
    contact: Contact,
    kind: str,
    summary: str = "",
    *,
    when: datetime | None = None,
    by: User | None = None,
    object_type: str = "",
    object_id: str = "",
    url: str = "",
) -> Interaction:
    """Add an entry to a contact's timeline; active kinds renew the 3-year retention clock."""
    when = when or timezone.now()
    interaction = Interaction.objects.create(
        contact=contact,
        kind=kind,
        summary=summary[:500],
        occurred_at=when,
        author=by,
        object_type=object_type,
        object_id=object_id,
        url=url,
    )
    if kind in ACTIVE_KINDS and (contact.last_active_at is None or contact.last_active_at < when):
        Contact.objects.for_org(contact.org_id).filter(pk=contact.pk).update(
            last_active_at=when, retention_flagged_at=None
        )
        contact.last_active_at = when
    return interaction


def is_opted_out(org: Organisation, address: str) -> bool:
    """Whether this address is on the organisation's opt-out list. Mail must never go to it."""
    return OptOut.objects.for_org(org).filter(address_hash=address_hash(address)).exists()


def opted_out_hashes(org: Organisation) -> set[str]:
    """Every hash on the organisation's opt-out list, for checking many addresses at once."""
    return set(OptOut.objects.for_org(org).values_list("address_hash", flat=True))


@transaction.atomic
def opt_out(org: Organisation, address: str, reason: str, source: str = "") -> OptOut:
    """Put an address on the opt-out list (idempotent: the first reason is kept)."""
    entry, _created = OptOut.objects.for_org(org).get_or_create(
        address_hash=address_hash(address),
        defaults={"reason": reason, "source": source[:300]},
    )
    return entry


def quick_search(org: Organisation, query: str, limit: int = 20) -> tuple[list[Contact], int]:
    """The organisation's contacts matching a quick search, by name, and how many match."""
    contacts, hits = quick_search_hits(org, query, limit)
    return contacts, hits.count


def quick_search_hits(org: Organisation, query: str, limit: int = 20) -> tuple[list[Contact], Hits]:
    """The page of a quick search, and its hits (whose count may be capped: `hits.capped`)."""
    from pressdesk.contacts import search_index

    hits = search_index.search(org, query, limit=limit)
    by_id = {
        c.pk: c
        for c in Contact.objects.for_org(org)
        .filter(pk__in=hits.ids)
        .prefetch_related("emails", current_positions())
    }
    return [by_id[pk] for pk in hits.ids if pk in by_id], hits


class Picked(NamedTuple):
    """A contact as a picker lists it: who, where they work now, and an address to mail."""

    contact: Contact
    outlet: str
    address: str


def pick(org: Organisation, query: str, limit: int = 10) -> tuple[list[Picked], bool]:
    """Contacts for a picker, found by name, outlet or address (quick search), and whether more
    match than are listed. Nothing for fewer than two letters."""
    query = query.strip()
    if len(query) < 2:
        return [], False
    people, hits = quick_search_hits(org, query, limit=limit)
    found = []
    for person in people:
        # quick_search_hits prefetched the current positions as `current`.
        current = getattr(person, "current", [])
        emails = [e.email for e in person.emails.all() if e.bounced_at is None]
        found.append(
            Picked(person, current[0].outlet.name if current else "", emails[0] if emails else "")
        )
    return found, hits.count > len(people)


def current_positions() -> Prefetch[Any]:
    """Prefetch a contact's current positions with their outlets, as `contact.current`."""
    return Prefetch(
        "positions",
        queryset=Position.objects.filter(end_date=None).select_related("outlet"),
        to_attr="current",
    )
