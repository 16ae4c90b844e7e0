"""Creating and changing contacts and outlets, with provenance: shared by the forms and the API."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from pressdesk.accounts import audit
from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts import facets, search_index, services
from pressdesk.contacts import phones as phone_numbers
from pressdesk.contacts.models import Contact, ContactEmail, ContactPhone, Note, Outlet, Position
from pressdesk.contacts.models.contacts import SourceKind
from pressdesk.lib.text import normalise, normalise_email

# Plain fields a form or the API may set directly.
CONTACT_FIELDS = (
    "first_name",
    "last_name",
    "job_title",
    "kind",
    "country",
    "region",
    "languages",
    "social",
    "preferred_channel",
    "lawful_basis",
)
_LIST_SPLIT = re.compile(r"[,;\n]+")
_LABELLED = re.compile(r"^\s*([^\d+(:][^:]{0,29}):\s*(.+)$")


def split_list(text: str) -> list[str]:
    """Items typed one per line or separated by commas, trimmed, without repeats."""
    items: list[str] = []
    for item in _LIST_SPLIT.split(text or ""):
        item = item.strip()
        if item and normalise(item) not in {normalise(i) for i in items}:
            items.append(item)
    return items


def clean_emails(items: Iterable[str]) -> list[str]:
    """Valid addresses without repeats, in order; ValidationError naming the first bad one."""
    emails: list[str] = []
    for item in items:
        address = item.strip().strip("<>").strip()
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError as e:
            raise ValidationError(
                _("“%(address)s” is not an email address.") % {"address": address}
            ) from e
        if normalise_email(address) not in {normalise_email(a) for a in emails}:
            emails.append(address)
    return emails


def clean_phones(items: Iterable[str], country: str = "") -> list[tuple[str, str, str]]:
    """(kind, number as typed, E.164) for lines like "Portable : 06 12 34 56 78".

    Kinds typed in either language are stored as keys ("Portable", "Mobile" → "mobile").

    Raises ValidationError naming each number that cannot be read.
    """
    phones: list[tuple[str, str, str]] = []
    bad: list[str] = []
    for item in items:
        if not item.strip():
            continue
        label, raw = "", item.strip()
        labelled = _LABELLED.match(item)
        if labelled:
            label, raw = labelled.group(1).strip(), labelled.group(2).strip()
        e164 = services.normalise_phone(raw, country or "FR")
        if not e164:
            bad.append(raw)
        elif e164 not in {p[2] for p in phones}:
            phones.append((phone_numbers.label_key(label), raw[:50], e164))
    if bad:
        raise ValidationError(
            _("Cannot read these phone numbers: %(numbers)s.") % {"numbers": ", ".join(bad)}
        )
    return phones


def outlet_named(org: Organisation, name: str) -> Outlet:
    """The organisation's outlet of this name (accents and case ignored), created if new."""
    found = Outlet.objects.for_org(org).filter(name_normalised=normalise(name)[:200]).first()
    if found is None:
        found = Outlet.objects.create(
            org=org, name=name.strip()[:200], name_normalised=normalise(name)[:200]
        )
    return found


def _text(value: Any) -> str:
    """A value as the provenance history shows it."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def _current_outlet(contact: Contact) -> Outlet | None:
    position = (
        Position.objects.filter(contact=contact, end_date=None)
        .select_related("outlet")
        .order_by("-start_date", "-pk")
        .first()
    )
    return position.outlet if position else None


def _set_emails(contact: Contact, emails: list[str]) -> None:
    existing = {e.email_normalised or normalise_email(e.email): e for e in contact.emails.all()}
    wanted = [normalise_email(a) for a in emails]
    contact.emails.filter(pk__in=[e.pk for k, e in existing.items() if k not in wanted]).delete()
    for n, address in enumerate(emails):
        row = existing.get(normalise_email(address)) or ContactEmail(
            contact=contact, org=contact.org, email=address
        )
        row.email, row.is_primary = address, n == 0
        row.save()


def _set_phones(contact: Contact, phones: list[tuple[str, str, str]]) -> None:
    contact.phones.all().delete()
    ContactPhone.objects.bulk_create(
        ContactPhone(contact=contact, label=label, raw=raw, e164=e164)
        for label, raw, e164 in phones
    )


@transaction.atomic
def save_contact(
    org: Organisation,
    contact: Contact | None,
    data: dict[str, Any],
    *,
    by: User | None,
    source_kind: str = SourceKind.MANUAL,
    source_label: str = "",
) -> Contact:
    """Create (contact=None) or update a contact from cleaned values, keeping provenance.

    Keys left out of `data` are left alone. Besides CONTACT_FIELDS it understands "emails" and
    "phones" (cleaned by clean_emails/clean_phones), "beats" and "tags" (names), "outlet" (the
    current employer: an Outlet, a name, or None) and "verified" (True: checked today).
    """
    is_new = contact is None
    if contact is None:
        contact = Contact(
            org=org, created_by=by, source_kind=source_kind, source_label=source_label
        )
    changes: dict[str, tuple[Any, Any]] = {}
    for field in CONTACT_FIELDS:
        if field in data:
            old = None if is_new else getattr(contact, field)
            changes[field] = (old, data[field])
            setattr(contact, field, data[field])
    if data.get("verified"):
        contact.last_verified_at = timezone.now()
    contact.save()
    if "emails" in data:
        before = [e.email for e in contact.emails.all()] if not is_new else []
        _set_emails(contact, data["emails"])
        changes["emails"] = (", ".join(before), ", ".join(data["emails"]))
    if "phones" in data:
        numbers = [(p.label, p.e164, p.raw) for p in contact.phones.all()] if not is_new else []
        _set_phones(contact, data["phones"])
        after = [(kind, e164, raw) for kind, raw, e164 in data["phones"]]
        changes["phones"] = (
            phone_numbers.history_list(numbers),
            phone_numbers.history_list(after),
        )
    for field, make in (("beats", services.beat), ("tags", services.tag)):
        if field in data:
            manager = getattr(contact, field)
            before = sorted(str(x) for x in manager.all()) if not is_new else []
            items = [make(org, name) for name in data[field]]
            manager.set(items)
            changes[field] = (", ".join(before), ", ".join(sorted(str(x) for x in items)))
    if "outlet" in data:
        wanted = data["outlet"]
        if isinstance(wanted, str):
            wanted = outlet_named(org, wanted) if wanted.strip() else None
        current = None if is_new else _current_outlet(contact)
        if wanted != current:
            # A move: the old position becomes history, which the outlet page shows.
            contact.positions.filter(end_date=None).update(end_date=timezone.localdate())
            if wanted is not None:
                Position.objects.create(
                    contact=contact,
                    outlet=wanted,
                    title=contact.job_title,
                    start_date=timezone.localdate(),
                )
            changes["outlet"] = (current, wanted)
        elif current is not None and "job_title" in data:
            contact.positions.filter(end_date=None, outlet=current).update(title=contact.job_title)
    changes = {k: (_text(old), _text(new)) for k, (old, new) in changes.items()}
    services.record_changes(
        contact, changes, source_kind=source_kind, source_label=source_label, by=by
    )
    services.refresh_search([contact])
    return contact


@transaction.atomic
def delete_contact(
    contact: Contact, *, by: User | None, request: HttpRequest | None = None
) -> None:
    """Delete a contact and everything about it, with an entry in the audit log."""
    audit.record("contact.delete", org=contact.org, actor=by, obj=contact, request=request)
    pk = contact.pk
    contact.delete()
    search_index.remove([pk])


def add_note(contact: Contact, text: str, *, by: User | None) -> Note:
    """Add a note shared by the team; notes are searchable."""
    note = Note.objects.create(contact=contact, text=text, author=by)
    services.refresh_search([contact])
    return note


OUTLET_FIELDS = (
    "name",
    "media_type",
    "languages",
    "country",
    "region",
    "website",
    "feed_urls",
    "audience",
    "audience_source",
    "audience_date",
    "tier",
    "notes",
)


@transaction.atomic
def save_outlet(org: Organisation, outlet: Outlet | None, data: dict[str, Any]) -> Outlet:
    """Create (outlet=None) or update an outlet; its journalists' search text follows a rename."""
    outlet = outlet or Outlet(org=org)
    renamed = outlet.pk is not None and "name" in data and data["name"] != outlet.name
    refiled = outlet.pk is not None and any(
        field in data and data[field] != getattr(outlet, field) for field in facets.OUTLET_FACETS
    )
    for field in OUTLET_FIELDS:
        if field in data:
            setattr(outlet, field, data[field])
    outlet.name_normalised = normalise(outlet.name)[:200]
    outlet.save()
    if renamed:
        services.refresh_search(
            list(
                Contact.objects.for_org(outlet.org_id).filter(
                    positions__outlet=outlet, positions__end_date=None
                )
            )
        )
    elif refiled:
        # Its journalists are now found under its new region, media type or priority.
        facets.refresh_outlets([outlet.pk])
    return outlet
