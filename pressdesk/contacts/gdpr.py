"""GDPR rights on the press file: the staff side of the opt-out list, access, erasure, notices.

The person's own side (preference link, never contact me, lifting an opt-out) is in
`preferences.py`; the 3-year retention rule in `retention.py`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts import audit
from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts import preferences, search_index, services
from pressdesk.contacts.models import (
    Contact,
    ContactEmail,
    ImportJob,
    MergeSuggestion,
    OptOut,
)
from pressdesk.contacts.models.contacts import InteractionKind, SourceKind
from pressdesk.contacts.models.optout import OptOutReason, address_hash
from pressdesk.lib.mail import render_templated
from pressdesk.lib.text import normalise_email

logger = logging.getLogger(__name__)

# Reasons a team member may give when putting an address on the list by hand. "Erased" is set by
# erasure only.
STAFF_REASONS = [
    (r.value, r.label)
    for r in OptOutReason
    if r not in (OptOutReason.ERASURE, OptOutReason.NEVER_CONTACT)
]
# Data not collected from the person themselves: GDPR art. 14 requires an information notice.
THIRD_PARTY_SOURCES = (SourceKind.IMPORT, SourceKind.MONITORING)
RETENTION_YEARS = 3
CNIL_COMPLAINT_URL = "https://www.cnil.fr/fr/plaintes"


# The opt-out list, as staff use it -------------------------------------------------------------


def lookup(org: Organisation, address: str) -> OptOut | None:
    """The opt-out entry for an address, found by its hash."""
    return OptOut.objects.for_org(org).filter(address_hash=address_hash(address)).first()


@transaction.atomic
def add_objection(
    org: Organisation, address: str, reason: str, note: str, *, by: User, request: HttpRequest
) -> tuple[OptOut, bool]:
    """Put an address on the list for an objection by phone or reply; return (entry, created)."""
    existing = lookup(org, address)
    if existing is not None:
        return existing, False
    entry = services.opt_out(org, address, reason, source=note or str(_("Added by hand")))
    matches = ContactEmail.objects.for_org(org).filter(email_normalised=normalise_email(address))
    for contact in Contact.objects.for_org(org).filter(pk__in=matches.values("contact_id")):
        services.record_changes(contact, {"opt_out": ("", reason)}, source_label=note, by=by)
    # The hash prefix identifies the entry on the list page; the address itself is not logged.
    audit.record(
        "optout.add",
        org=org,
        actor=by,
        request=request,
        hash_prefix=entry.address_hash[:12],
        reason=reason,
    )
    return entry, True


# Access (art. 15) ------------------------------------------------------------------------------

# Internal, derived or staff-only columns: not the person's data, or secrets (their link).
INTERNAL_FIELDS = frozenset(
    {
        "org",
        "search_text",
        "sort_name",
        "sort_outlet",
        "preference_token",
        "created_by",
        "contact",
        "email_normalised",
        "address_hash",
        "author",
        "changed_by",
        "added_by",
        "contact_list",
        "outlet",
    }
)


def _values(obj: models.Model, hidden: Iterable[str] = INTERNAL_FIELDS) -> dict[str, Any]:
    # Every concrete column, so a field added later is exported without touching this code.
    skip = set(hidden)
    return {
        f.name: f.value_from_object(obj) for f in obj._meta.concrete_fields if f.name not in skip
    }


def everything_about(contact: Contact) -> Contact:
    """The contact again, with every related record the access report and export show."""
    return (
        Contact.objects.for_org(contact.org_id)
        .select_related("org")
        .prefetch_related(
            "emails",
            "phones",
            "positions__outlet",
            "beats",
            "tags",
            "notes",
            "interactions",
            "changes",
            "list_memberships__contact_list",
        )
        .get(pk=contact.pk)
    )


def access_export(contact: Contact) -> dict[str, Any]:
    """Everything the organisation holds about one person, as plain data."""
    c = everything_about(contact)
    emails = list(c.emails.all())
    entries = {
        e.address_hash: e
        for e in OptOut.objects.for_org(c.org_id).filter(
            address_hash__in=[address_hash(m.email) for m in emails]
        )
    }
    email_rows = []
    for m in emails:
        entry = entries.get(address_hash(m.email))
        email_rows.append(
            {
                **_values(m),
                "opted_out": entry is not None,
                "opt_out_reason": entry.reason if entry else "",
                "opted_out_since": entry.created if entry else None,
            }
        )
    return {
        "format": "pressdesk-access-export/1",
        "generated_at": timezone.now(),
        "controller": {"organisation": c.org.name},
        "contact": {
            **_values(c),
            "beats": [b.name for b in c.beats.all()],
            "tags": [t.name for t in c.tags.all()],
        },
        "emails": email_rows,
        "phones": [_values(p) for p in c.phones.all()],
        "positions": [
            {
                **_values(p),
                "outlet": {
                    "name": p.outlet.name,
                    "media_type": p.outlet.media_type,
                    "website": p.outlet.website,
                },
            }
            for p in c.positions.all()
        ],
        "lists": [
            {"name": m.contact_list.name, "added_at": m.added_at, "source": m.source}
            for m in c.list_memberships.all()
        ],
        "notes": [_values(n) for n in c.notes.all()],
        "interactions": [_values(i) for i in c.interactions.all()],
        "history": [_values(h) for h in c.changes.all()],
        "opt_out": {
            "opted_out": bool(entries),
            "reasons": sorted({e.reason for e in entries.values()}),
        },
    }


def access_json(contact: Contact) -> str:
    """The access export as a JSON document."""
    return json.dumps(access_export(contact), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


# Erasure (art. 17) -----------------------------------------------------------------------------


def _mentions(row: Any, normalised: list[str]) -> bool:
    text = json.dumps(row, ensure_ascii=False).lower()
    return any(a in text for a in normalised)


def _skipped_rows(org_id: int, normalised: list[str]) -> dict[int, int]:
    # Import reports keep skipped rows to be fixed and re-imported; count those naming the person.
    found: dict[int, int] = {}
    if not normalised:
        return found
    for job in ImportJob.objects.for_org(org_id).exclude(skipped=[]).only("pk", "skipped"):
        n = sum(1 for row in job.skipped or [] if _mentions(row, normalised))
        if n:
            found[job.pk] = n
    return found


def erasure_counts(contact: Contact) -> dict[str, int]:
    """What erasing this contact removes, counted, for the confirmation page."""
    emails = list(contact.emails.values_list("email", flat=True))
    skipped = _skipped_rows(contact.org_id, [normalise_email(e) for e in emails])
    return {
        "emails": len(emails),
        "phones": contact.phones.count(),
        "positions": contact.positions.count(),
        "notes": contact.notes.count(),
        "interactions": contact.interactions.count(),
        "history": contact.changes.count(),
        "lists": contact.list_memberships.count(),
        "merge_suggestions": MergeSuggestion.objects.for_org(contact.org_id)
        .filter(Q(contact_a=contact) | Q(contact_b=contact))
        .count(),
        "skipped_import_rows": sum(skipped.values()),
    }


def erase(
    contact: Contact, *, by: User | None, request: HttpRequest | None = None
) -> dict[str, int]:
    """Remove a person everywhere; only the hashes of their addresses stay, on the opt-out list."""
    org = contact.org
    pk = contact.pk
    with transaction.atomic():
        counts = erasure_counts(contact)
        emails = list(contact.emails.values_list("email", flat=True))
        for email in emails:
            services.opt_out(org, email, OptOutReason.ERASURE, source="erasure")
        normalised = [normalise_email(e) for e in emails]
        for job_pk in _skipped_rows(org.pk, normalised):
            # Filtered again under the lock: an import may be writing its report right now.
            job = ImportJob.objects.for_org(org).select_for_update().get(pk=job_pk)
            job.skipped = [row for row in job.skipped if not _mentions(row, normalised)]
            job.save(update_fields=["skipped"])
        MergeSuggestion.objects.for_org(org).filter(
            Q(contact_a=contact) | Q(contact_b=contact)
        ).delete()
        # Cascades to emails, phones, positions, notes, interactions, history, list memberships
        # and the beat/tag links.
        contact.delete()
        search_index.remove([pk])
        # Never the name or an address: the log must not keep what erasure removes.
        audit.record(
            "contact.erase",
            org=org,
            actor=by,
            request=request,
            contact_id=pk,
            addresses_hashed=len(set(normalised)),
            removed=counts,
        )
    return counts


# Information notice (art. 14) ------------------------------------------------------------------


def notice_language(contact: Contact) -> str:
    """The language to write to the person in: theirs if we know it, else the organisation's."""
    for lang in [contact.preferred_language, *(contact.languages or [])]:
        code = str(lang).lower()[:2]
        if code in ("fr", "en"):
            return code
    return contact.org.language or "fr"


def mailable_address(contact: Contact, blocked: set[str] | None = None) -> str | None:
    """The first of the contact's addresses that is not opted out or bounced, if any."""
    if blocked is None:
        hashes = [address_hash(e.email) for e in contact.emails.all()]
        blocked = set(
            OptOut.objects.for_org(contact.org_id)
            .filter(address_hash__in=hashes)
            .values_list("address_hash", flat=True)
        )
    for email in contact.emails.all():
        if email.bounced_at is None and address_hash(email.email) not in blocked:
            return email.email
    return None


def _notice_context(contact: Contact) -> dict[str, Any]:
    return {
        "org": contact.org,
        "contact": contact,
        "source": contact.get_source_kind_display(),
        "source_label": contact.source_label,
        "lawful_basis": contact.get_lawful_basis_display(),
        "retention_years": RETENTION_YEARS,
        "cnil_url": CNIL_COMPLAINT_URL,
        "preference_url": preferences.preference_url(contact),
    }


def notice_message(contact: Contact, address: str) -> EmailMultiAlternatives:
    """The information notice to this address, in the person's language."""
    return render_templated(
        "contacts/emails/notice", address, _notice_context(contact), notice_language(contact)
    )


def deliver_notice(contact: Contact, address: str, by: User | None) -> None:
    """Send the notice now (one contact, from a page) and put it on the timeline."""
    notice_message(contact, address).send()
    record_notice(contact, address, by)


def record_notice(contact: Contact, address: str, by: User | None) -> None:
    """The notice on the contact's timeline."""
    # The timeline is read by the team: in the organisation's language, not the recipient's.
    with translation.override(contact.org.language):
        summary = str(_("Information notice sent to %(address)s") % {"address": address})
    services.add_interaction(contact, InteractionKind.NOTICE, summary, by=by)


def send_notice(contact: Contact, *, by: User | None, request: HttpRequest | None = None) -> bool:
    """Send the information notice to one contact now; False if no address may be mailed."""
    address = mailable_address(contact)
    if address is None:
        return False
    deliver_notice(contact, address, by)
    old, contact.notice_sent_at = contact.notice_sent_at, timezone.now()
    Contact.objects.for_org(contact.org_id).filter(pk=contact.pk).update(
        notice_sent_at=contact.notice_sent_at
    )
    services.record_changes(contact, {"notice_sent_at": (old, contact.notice_sent_at)}, by=by)
    audit.record(
        "contact.notice_sent",
        org=contact.org,
        actor=by,
        request=request,
        contact_id=contact.pk,
        count=1,
    )
    return True


def pending_notices(org: Organisation) -> models.QuerySet[Contact]:
    """Contacts from third-party sources who have not had the notice yet."""
    return Contact.objects.for_org(org).filter(
        source_kind__in=THIRD_PARTY_SOURCES, notice_sent_at=None
    )


def queue_notices(org: Organisation, *, by: User) -> int:
    """Send the notice to every pending contact, in the background; return how many are queued."""
    from pressdesk.contacts import sends

    return sends.queue(org, "notice", pending_notices(org), by=by)
