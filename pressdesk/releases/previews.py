"""Embargo preview links: one personal, revocable link per journalist, each opening logged.

A journalist who gets an embargoed release early gets it through a link of their own, so if the
news leaks before the instant, the log says which link it was read through, when, from where.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts import audit
from pressdesk.accounts.models import AUDIT_ACTIONS, Organisation, User
from pressdesk.contacts.models import Contact
from pressdesk.lib.client_ip import client_ip
from pressdesk.releases.models import PreviewLink, PreviewView, Release

AUDIT_ACTIONS.setdefault("release.preview_link", _("Embargo preview link created"))
AUDIT_ACTIONS.setdefault("release.preview_revoke", _("Embargo preview link revoked"))


def contact_label(contact: Contact) -> str:
    """How a link's recipient is shown: their name and address."""
    name = f"{contact.first_name} {contact.last_name}".strip()
    email = contact.emails.first()
    if email is not None:
        return f"{name} <{email.email}>" if name else email.email
    return name or str(contact.pk)


@transaction.atomic
def create(
    release: Release,
    *,
    contact: Contact | None,
    recipient: str = "",
    by: User | None,
    request: HttpRequest | None = None,
) -> PreviewLink:
    """A new personal link to this release for one journalist, written to the audit log."""
    label = (contact_label(contact) if contact else recipient).strip()[:254]
    link = PreviewLink.objects.for_org(release.org_id).create(
        release=release, contact=contact, recipient=label, created_by=by
    )
    audit.record(
        "release.preview_link",
        org=release.org,
        actor=by,
        obj=release,
        request=request,
        recipient=label,
        link=link.pk,
    )
    return link


@transaction.atomic
def revoke(link: PreviewLink, *, by: User | None, request: HttpRequest | None = None) -> bool:
    """Revoke a link (its address answers 404 from now on); False if it was already revoked."""
    changed = (
        PreviewLink.objects.for_org(link.org_id)
        .filter(pk=link.pk, revoked_at__isnull=True)
        .update(revoked_at=timezone.now())
    )
    if changed:
        audit.record(
            "release.preview_revoke",
            org=link.org,
            actor=by,
            obj=link.release,
            request=request,
            recipient=link.recipient,
            link=link.pk,
        )
    return bool(changed)


def live_link(org: Organisation, token: str) -> PreviewLink | None:
    """The organisation's unrevoked link with this token, with its release, or None."""
    return (
        PreviewLink.objects.for_org(org)
        .filter(token=token, revoked_at__isnull=True, release__org=org)
        .select_related("release", "release__current_version", "release__approved_version")
        .first()
    )


def log_view(link: PreviewLink, request: HttpRequest) -> PreviewView:
    """Write down one opening of the link: when, from which address, with which browser."""
    return PreviewView.objects.create(
        link=link,
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
    )


def links_of(release: Release) -> list[PreviewLink]:
    """A release's links, newest first, each with its openings."""
    return list(
        PreviewLink.objects.for_org(release.org_id)
        .filter(release=release)
        .prefetch_related("views")
        .select_related("created_by")
    )
