"""The person's own side: signed preference links, their choices, opting out and lifting it.

A link carries `<org id>.<contact id>.<secret>`; the secret is the contact's random
`preference_token` (256 bits), compared in constant time. The organisation is in the link so a
token can never reach a contact of another organisation, and a forged or tampered link finds no
one: the views answer 404 and change nothing.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts import audit
from pressdesk.contacts import services
from pressdesk.contacts.models import Beat, Contact, OptOut
from pressdesk.contacts.models.contacts import InteractionKind, SourceKind
from pressdesk.contacts.models.optout import OptOutReason, address_hash

LANGUAGES = [("fr", "Français"), ("en", "English")]
FORMATS = [
    ("full", _("The full press release")),
    ("pitch", _("A short pitch")),
    ("no_attachments", _("No attachments, links only")),
]
SOURCE_LABEL = "preference page"
# How the audit log names the person acting through their own link: never their name or address.
PERSON_LABEL = "person:preference-link"


def token_for(contact: Contact) -> str:
    """The secret part of a contact's links, created on first use."""
    if not contact.preference_token:
        fresh = secrets.token_urlsafe(32)
        # Conditional update: two concurrent first uses agree on one token.
        Contact.objects.for_org(contact.org_id).filter(pk=contact.pk, preference_token="").update(
            preference_token=fresh
        )
        contact.preference_token = (
            Contact.objects.for_org(contact.org_id)
            .filter(pk=contact.pk)
            .values_list("preference_token", flat=True)
            .get()
        )
    return f"{contact.org_id}.{contact.pk}.{contact.preference_token}"


def preference_path(contact: Contact) -> str:
    """The path of the contact's preference page."""
    return reverse("contacts_public:preferences", args=[token_for(contact)])


def preference_url(contact: Contact) -> str:
    """The absolute address of the contact's preference page, for emails."""
    return settings.SITE_ROOT + preference_path(contact)


def unsubscribe_url(contact: Contact) -> str:
    """The RFC 8058 one-click address, for a mailing's List-Unsubscribe header."""
    return settings.SITE_ROOT + reverse("contacts_public:unsubscribe", args=[token_for(contact)])


def contact_for_token(token: str) -> Contact | None:
    """The contact a link belongs to, or None for a malformed, forged or revoked one."""
    parts = token.split(".", 2)
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    org_id, contact_id, secret = int(parts[0]), int(parts[1]), parts[2]
    contact = Contact.objects.for_org(org_id).select_related("org").filter(pk=contact_id).first()
    if contact is None or not contact.preference_token:
        return None
    if not hmac.compare_digest(contact.preference_token.encode(), secret.encode()):
        return None
    return contact


def addresses(contact: Contact) -> list[str]:
    """Every email address the contact has."""
    return list(contact.emails.values_list("email", flat=True))


def opted_out_entries(contact: Contact) -> list[OptOut]:
    """The opt-out rows that cover any of the contact's addresses."""
    hashes = {address_hash(a) for a in addresses(contact)}
    return list(OptOut.objects.for_org(contact.org_id).filter(address_hash__in=hashes))


def _note(contact: Contact, summary: Any, changes: dict[str, tuple[Any, Any]]) -> None:
    services.record_changes(
        contact, changes, source_kind=SourceKind.PREFERENCES, source_label=SOURCE_LABEL
    )
    # The timeline is read by the team: written in the organisation's language, not the person's.
    with translation.override(contact.org.language):
        text = str(summary)
    services.add_interaction(
        contact, InteractionKind.OTHER, text, object_type="contacts.preferences"
    )


def _renew(contact: Contact) -> None:
    # The person acted through their own link: an active contact, so the 3-year clock restarts.
    now = timezone.now()
    Contact.objects.for_org(contact.org_id).filter(pk=contact.pk).update(
        last_active_at=now, retention_flagged_at=None
    )
    contact.last_active_at, contact.retention_flagged_at = now, None


@transaction.atomic
def update(
    contact: Contact,
    *,
    beats: list[Beat],
    language: str,
    fmt: str,
    out_of_office_until: date | None,
) -> None:
    """Save what the person chose on their page, with provenance."""
    old_beats = sorted(b.name for b in contact.beats.all())
    changes: dict[str, tuple[Any, Any]] = {
        "beats": (", ".join(old_beats), ", ".join(sorted(b.name for b in beats))),
        "preferred_language": (contact.preferred_language, language),
        "preferred_format": (contact.preferred_format, fmt),
        "out_of_office_until": (contact.out_of_office_until, out_of_office_until),
    }
    contact.preferred_language = language
    contact.preferred_format = fmt
    contact.out_of_office_until = out_of_office_until
    contact.save(update_fields=["preferred_language", "preferred_format", "out_of_office_until"])
    contact.beats.set(beats)
    if contact.retention_flagged_at is not None:
        changes["retention_flagged_at"] = (contact.retention_flagged_at, None)
    _renew(contact)
    _note(contact, _("Updated their preferences"), changes)
    services.refresh_search([contact])


@transaction.atomic
def opt_out_everywhere(contact: Contact, reason: str) -> int:
    """Put all the person's addresses on the opt-out list, at their request; return how many."""
    listed = {e.address_hash for e in opted_out_entries(contact)}
    by_hash = {address_hash(a): a for a in addresses(contact)}
    fresh = [a for h, a in by_hash.items() if h not in listed]
    if not fresh:
        # Already done (a second click, a mail client retrying): nothing new to record.
        return 0
    for address in fresh:
        services.opt_out(contact.org, address, reason, source=SOURCE_LABEL)
    _note(contact, OptOutReason(reason).label, {"opt_out": ("", reason)})
    audit.record(
        "optout.add_by_person",
        org=contact.org,
        actor_label=PERSON_LABEL,
        contact_id=contact.pk,
        reason=reason,
        addresses=len(fresh),
    )
    return len(fresh)


@transaction.atomic
def lift(contact: Contact) -> int:
    """The person asks to hear from the organisation again: remove their addresses' opt-outs.

    This is the only place in Pressdesk that deletes opt-out rows, and only the person's own
    link reaches it.
    """
    entries = opted_out_entries(contact)
    if not entries:
        return 0
    reasons = ", ".join(sorted({e.reason for e in entries}))
    deleted, _detail = (
        OptOut.objects.for_org(contact.org_id).filter(pk__in=[e.pk for e in entries]).delete()
    )
    _note(contact, _("Asked to hear from us again"), {"opt_out": (reasons, "")})
    audit.record(
        "optout.lift_by_person",
        org=contact.org,
        actor_label=PERSON_LABEL,
        contact_id=contact.pk,
        addresses=deleted,
    )
    return deleted


@transaction.atomic
def confirm_keep(contact: Contact) -> None:
    """The person confirms they still want press information: the retention clock starts again."""
    changes = {"retention_flagged_at": (contact.retention_flagged_at, None)}
    _renew(contact)
    _note(contact, _("Confirmed they want to stay on the press list"), changes)
