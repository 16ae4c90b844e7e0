"""The press file's core operations, shared by the UI, the API, imports and other modules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import phonenumbers
from django.db import transaction
from django.utils import timezone

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts.models import (
    Beat,
    Contact,
    FieldChange,
    Interaction,
    OptOut,
    Tag,
)
from pressdesk.contacts.models.contacts import ACTIVE_KINDS, SourceKind
from pressdesk.contacts.models.optout import address_hash
from pressdesk.lib.text import normalise


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
    """A phone number as people read it: French numbers in the national format, others international."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 33:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def beat(org: Organisation, name: str) -> Beat:
    """The organisation's beat of this name (accents and case ignored), created if new."""
    found, _created = Beat.objects.get_or_create(
        org=org, name_normalised=normalise(name)[:100], defaults={"name": name.strip()[:100]}
    )
    return found


def tag(org: Organisation, name: str) -> Tag:
    """The organisation's tag of this name (accents and case ignored), created if new."""
    found, _created = Tag.objects.get_or_create(
        org=org, name_normalised=normalise(name)[:100], defaults={"name": name.strip()[:100]}
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
    """The normalised text quick search matches for a contact."""
    parts: list[str] = [contact.first_name, contact.last_name, contact.job_title, contact.region]
    parts += [e.email for e in contact.emails.all()]
    parts += [p.outlet.name for p in contact.positions.all() if p.end_date is None]
    parts += [p.title for p in contact.positions.all() if p.end_date is None]
    parts += [b.name for b in contact.beats.all()]
    parts += [t.name for t in contact.tags.all()]
    parts += [n.text for n in contact.notes.all()]
    return normalise(" ".join(p for p in parts if p))


def refresh_search(contacts: Iterable[Contact]) -> None:
    """Recompute the search text of these contacts and update the search index."""
    from pressdesk.contacts import search_index

    ids = [c.pk for c in contacts]
    fresh = Contact.objects.filter(pk__in=ids).prefetch_related(
        "emails", "positions__outlet", "beats", "tags", "notes"
    )
    changed = []
    for contact in fresh:
        contact.search_text = search_text_for(contact)
        changed.append(contact)
    Contact.objects.bulk_update(changed, ["search_text"], batch_size=500)
    search_index.index(changed)


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
        Contact.objects.filter(pk=contact.pk).update(last_active_at=when, retention_flagged_at=None)
        contact.last_active_at = when
    return interaction


def is_opted_out(org: Organisation, address: str) -> bool:
    """Whether this address is on the organisation's opt-out list. Mail must never go to it."""
    return OptOut.objects.filter(org=org, address_hash=address_hash(address)).exists()


def opted_out_hashes(org: Organisation) -> set[str]:
    """Every hash on the organisation's opt-out list, for checking many addresses at once."""
    return set(OptOut.objects.filter(org=org).values_list("address_hash", flat=True))


@transaction.atomic
def opt_out(org: Organisation, address: str, reason: str, source: str = "") -> OptOut:
    """Put an address on the opt-out list (idempotent: the first reason is kept)."""
    entry, _created = OptOut.objects.get_or_create(
        org=org, address_hash=address_hash(address), defaults={"reason": reason, "source": source[:300]}
    )
    return entry
