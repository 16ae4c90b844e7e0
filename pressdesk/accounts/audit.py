"""The append-only audit log: approvals, sends, exports, erasures, login failures, role changes."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from pressdesk.accounts.models import AuditEntry, Membership, Organisation, User
from pressdesk.lib.client_ip import client_ip


def record(
    action: str,
    *,
    org: Organisation | None = None,
    actor: User | None = None,
    obj: models.Model | None = None,
    request: HttpRequest | None = None,
    actor_label: str = "",
    **data: Any,
) -> AuditEntry:
    """Append one entry to the audit log."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user  # type: ignore[assignment]
    entry = AuditEntry(
        org=org,
        actor=actor,
        actor_label=actor_label or (actor.email if actor else ""),
        action=action,
        ip=client_ip(request) if request is not None else None,
        data=data,
    )
    if obj is not None:
        entry.object_type = obj._meta.label_lower
        entry.object_id = str(obj.pk)
        entry.object_label = str(obj)[:300]
    entry.save()
    return entry


def for_org(org: Organisation) -> models.QuerySet[AuditEntry]:
    """What an organisation's directors may read: its entries, and the account events (login
    failures, two-factor changes, password resets) of its current members."""
    # A subquery, not a join through memberships: a join would repeat an entry once per
    # organisation its actor belongs to.
    members = Membership.objects.for_org(org).values("user")
    # all-orgs: entries with no organisation (login failures…) are shown for its members only
    return AuditEntry.objects.filter(
        models.Q(org=org) | models.Q(org__isnull=True, actor__in=members)
    )
