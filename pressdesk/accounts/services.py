"""Organisations, team membership and invitations."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from pressdesk.accounts import audit
from pressdesk.accounts.models import ApiToken, Invitation, Membership, Organisation, User, token_hash
from pressdesk.accounts.roles import Role
from pressdesk.lib.mail import send_templated


class TeamError(Exception):
    """A team change that cannot be made; the message says why, for the user."""


def unique_slug(name: str) -> str:
    """A slug for a new organisation, made unique with a number if needed."""
    base = slugify(name)[:50] or "org"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_organisation(
    name: str, *, slug: str = "", owner: User | None = None, timezone_name: str = "Europe/Paris"
) -> Organisation:
    """Create an organisation; its first member, if given, is a director."""
    org = Organisation.objects.create(
        name=name, slug=slug or unique_slug(name), timezone=timezone_name
    )
    if owner is not None:
        Membership.objects.create(user=owner, org=org, role=Role.DIRECTOR)
    audit.record("org.create", org=org, actor=owner, obj=org)
    return org


def invite(
    org: Organisation, email: str, role: str, *, by: User, request: HttpRequest | None = None
) -> Invitation:
    """Invite someone by email into the organisation with a role, and send them the link."""
    email = email.strip().lower()
    if Membership.objects.filter(org=org, user__email__iexact=email).exists():
        raise TeamError(f"{email} is already a member")
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        Invitation.objects.filter(org=org, email=email, accepted_at=None, revoked_at=None).update(
            revoked_at=timezone.now()
        )
        invitation = Invitation.objects.create(
            org=org, email=email, role=role, token_hash=token_hash(raw), invited_by=by
        )
        audit.record("team.invite", org=org, actor=by, obj=invitation, request=request, role=role)
    link = reverse("accounts:accept_invitation", args=[raw])
    send_templated(
        "accounts/emails/invitation",
        email,
        {"org": org, "inviter": by, "link": link, "role": invitation.get_role_display},
        language=by.language or org.language,
    )
    return invitation


def find_invitation(raw: str) -> Invitation | None:
    """The usable invitation this raw token opens, if any."""
    invitation = Invitation.objects.select_related("org").filter(token_hash=token_hash(raw)).first()
    if invitation is None or not invitation.is_usable:
        return None
    return invitation


@transaction.atomic
def accept_invitation(invitation: Invitation, user: User) -> Membership:
    """Make the user a member with the invited role. The invitation works once."""
    claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at=None, revoked_at=None).update(
        accepted_at=timezone.now()
    )
    if claimed != 1:
        raise TeamError("this invitation has already been used")
    membership, created = Membership.objects.get_or_create(
        user=user, org=invitation.org, defaults={"role": invitation.role}
    )
    audit.record("team.join", org=invitation.org, actor=user, obj=membership, role=membership.role)
    return membership


def change_role(membership: Membership, role: str, *, by: User, request: HttpRequest | None = None) -> None:
    """Give a member another role. The last director cannot step down."""
    if role not in Role.values:
        raise TeamError(f"unknown role {role}")
    if membership.role == Role.DIRECTOR and role != Role.DIRECTOR:
        if not Membership.objects.filter(org=membership.org, role=Role.DIRECTOR).exclude(pk=membership.pk).exists():
            raise TeamError("an organisation needs at least one director")
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit.record(
        "team.role_change", org=membership.org, actor=by, obj=membership, request=request, old=old, new=role
    )


def remove_member(membership: Membership, *, by: User, request: HttpRequest | None = None) -> None:
    """Remove a member from the organisation. The last director cannot be removed."""
    if membership.role == Role.DIRECTOR and not Membership.objects.filter(
        org=membership.org, role=Role.DIRECTOR
    ).exclude(pk=membership.pk).exists():
        raise TeamError("an organisation needs at least one director")
    audit.record("team.remove", org=membership.org, actor=by, obj=membership, request=request)
    membership.delete()


def create_api_token(membership: Membership, name: str) -> str:
    """Create an API token for this member; returns the raw key, which is not stored."""
    raw = ApiToken.new_key()
    ApiToken.objects.create(membership=membership, name=name, prefix=raw[:10], key_hash=token_hash(raw))
    audit.record("api.token_create", org=membership.org, actor=membership.user, obj=membership, name=name)
    return raw
