"""API endpoints for the current member, the team and the audit log."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from pressdesk.accounts.audit import for_org
from pressdesk.accounts.models import Membership
from pressdesk.api import membership

router = Router(tags=["accounts"])


class MeOut(Schema):
    email: str
    full_name: str
    organisation: str
    organisation_slug: str
    role: str


class MemberOut(Schema):
    id: int
    email: str
    full_name: str
    role: str


class AuditOut(Schema):
    id: int
    created: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    object_label: str


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> MeOut:
    member = membership(request)
    return MeOut(
        email=member.user.email,
        full_name=member.user.full_name,
        organisation=member.org.name,
        organisation_slug=member.org.slug,
        role=member.role,
    )


@router.get("/members", response=list[MemberOut])
def members(request: HttpRequest) -> list[MemberOut]:
    org = membership(request).org
    return [
        MemberOut(id=m.pk, email=m.user.email, full_name=m.user.full_name, role=m.role)
        for m in Membership.objects.for_org(org).select_related("user")
    ]


@router.get("/audit", response=list[AuditOut])
def audit(request: HttpRequest, action: str = "", limit: int = 100) -> list[AuditOut]:
    org = membership(request, "read_audit").org
    entries = for_org(org)
    if action:
        entries = entries.filter(action__startswith=action)
    return [
        AuditOut(
            id=e.pk,
            created=e.created,
            actor=e.actor_label,
            action=e.action,
            object_type=e.object_type,
            object_id=e.object_id,
            object_label=e.object_label,
        )
        for e in entries[: max(1, min(limit, 1000))]
    ]
