"""The append-only audit log: every approval, send, export, erasure, login failure and role change."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from pressdesk.accounts.models import AuditEntry, Organisation, User
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
