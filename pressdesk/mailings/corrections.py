"""Deciding on the corrections bounces and auto-replies propose: accept (the contact changes,
with its provenance and an audit entry) or reject (the proposal is closed).

A decision is a conditional UPDATE from "proposed": two people deciding at once, or a double
click, change the contact once and the second gets an error saying it was already decided.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from pressdesk.accounts import audit
from pressdesk.accounts.models import Organisation, User
from pressdesk.accounts.roles import can
from pressdesk.contacts import editing
from pressdesk.contacts.models import Contact
from pressdesk.contacts.models.contacts import SourceKind
from pressdesk.lib.text import normalise_email
from pressdesk.mailings.errors import MailingError
from pressdesk.mailings.models import ContactCorrection, Mailing


class AlreadyDecided(MailingError):
    """Someone accepted or rejected this correction already."""


def pending(org: Organisation) -> QuerySet[ContactCorrection]:
    """The organisation's open proposals, newest first, with what the page shows."""
    return (
        ContactCorrection.objects.for_org(org)
        .filter(state=ContactCorrection.PROPOSED)
        .select_related("contact", "event", "event__mailing")
        .order_by("-created", "-pk")
    )


def _claim(correction: ContactCorrection, state: str, by: User) -> None:
    done = (
        ContactCorrection.objects.for_org(correction.org_id)
        .filter(pk=correction.pk, state=ContactCorrection.PROPOSED)
        .update(state=state, decided_at=timezone.now(), decided_by=by)
    )
    if not done:
        raise AlreadyDecided(_("This correction was already decided."))
    correction.state = state


def _source(correction: ContactCorrection) -> str:
    """Where the change came from, for the contact's history: the mailing it answered."""
    mailing: Mailing | None = correction.event.mailing if correction.event else None
    if correction.event and correction.event.kind == "auto_reply":
        words = _("Automatic reply")
    else:
        words = _("Bounce")
    return f"{words} — {mailing}" if mailing else words


def _check(org: Organisation, by: User) -> None:
    from pressdesk.accounts.models import Membership

    membership = Membership.objects.for_org(org).filter(user=by).first()
    if membership is None or not can(membership.role, "edit"):
        raise MailingError(_("You may not change contacts."))


@transaction.atomic
def accept(
    correction: ContactCorrection, by: User, *, request: HttpRequest | None = None
) -> Contact:
    """Apply the proposal to the contact, record its provenance, audit it; the contact."""
    org = correction.org
    _check(org, by)
    _claim(correction, ContactCorrection.ACCEPTED, by)
    contact = Contact.objects.for_org(org).select_for_update().get(pk=correction.contact_id)
    current = [e.email for e in contact.emails.all()]
    old = normalise_email(correction.old_value)
    kept = [a for a in current if normalise_email(a) != old]
    data: dict[str, object] = {}
    if correction.kind == ContactCorrection.NEW_ADDRESS and correction.new_value:
        new = normalise_email(correction.new_value)
        data["emails"] = [correction.new_value, *[a for a in kept if normalise_email(a) != new]]
    elif correction.kind == ContactCorrection.LEFT_OUTLET:
        data["emails"] = kept
        data["outlet"] = None
    else:
        data["emails"] = kept
    if data.get("emails") == current:
        del data["emails"]
    contact = editing.save_contact(
        org,
        contact,
        data,
        by=by,
        source_kind=SourceKind.REPLY,
        source_label=_source(correction),
    )
    audit.record(
        "mailings.correction.accept",
        org=org,
        actor=by,
        obj=contact,
        request=request,
        correction=correction.pk,
        kind=correction.kind,
        old_value=correction.old_value,
        new_value=correction.new_value,
    )
    return contact


@transaction.atomic
def reject(correction: ContactCorrection, by: User, *, request: HttpRequest | None = None) -> None:
    """Close the proposal without touching the contact."""
    _check(correction.org, by)
    _claim(correction, ContactCorrection.REJECTED, by)
    audit.record(
        "mailings.correction.reject",
        org=correction.org,
        actor=by,
        obj=correction.contact,
        request=request,
        correction=correction.pk,
        kind=correction.kind,
    )
