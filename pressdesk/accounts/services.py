"""Organisations, team membership, invitations and API tokens."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.forms import ModelForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from pressdesk.accounts import audit
from pressdesk.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    Organisation,
    User,
    token_hash,
)
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
    if role not in Role.values:
        raise TeamError(_("Unknown role “%(role)s”.") % {"role": role})
    if Membership.objects.for_org(org).filter(user__email__iexact=email).exists():
        raise TeamError(_("%(email)s is already a member of the team.") % {"email": email})
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        # A new invitation replaces any pending one: only the latest link works.
        Invitation.objects.for_org(org).filter(
            email=email, accepted_at=None, revoked_at=None
        ).update(revoked_at=timezone.now())
        invitation = Invitation.objects.create(
            org=org, email=email, role=role, token_hash=token_hash(raw), invited_by=by
        )
        audit.record("team.invite", org=org, actor=by, obj=invitation, request=request, role=role)
    link = reverse("accounts:accept_invitation", args=[raw])
    # We do not know the invitee's language yet; the organisation's is the best guess (the
    # inviter's own preference says nothing about their colleague's).
    send_templated(
        "accounts/emails/invitation",
        email,
        {"org": org, "inviter": by, "link": link, "role": invitation.get_role_display},
        language=org.language,
    )
    return invitation


def revoke_invitation(
    invitation: Invitation, *, by: User, request: HttpRequest | None = None
) -> None:
    """Make a pending invitation's link stop working. Revoking twice does nothing."""
    revoked = (
        Invitation.objects.for_org(invitation.org_id)
        .filter(pk=invitation.pk, accepted_at=None, revoked_at=None)
        .update(revoked_at=timezone.now())
    )
    if revoked:
        audit.record(
            "team.invite_revoke", org=invitation.org, actor=by, obj=invitation, request=request
        )


def find_invitation(raw: str) -> Invitation | None:
    """The usable invitation this raw token opens, if any."""
    # all-orgs: the token is the secret that names the organisation
    invitation = Invitation.objects.select_related("org").filter(token_hash=token_hash(raw)).first()
    if invitation is None or not invitation.is_usable:
        return None
    return invitation


def _claim(invitation: Invitation) -> None:
    # A conditional update, so that two tabs or two people cannot both use one link.
    claimed = (
        Invitation.objects.for_org(invitation.org_id)
        .filter(pk=invitation.pk, accepted_at=None, revoked_at=None)
        .update(accepted_at=timezone.now())
    )
    if claimed != 1:
        raise TeamError(_("This invitation has already been used or was revoked."))


@transaction.atomic
def accept_invitation(invitation: Invitation, user: User) -> Membership:
    """Make the user a member with the invited role. The invitation works once."""
    _claim(invitation)
    membership, _created = Membership.objects.for_org(invitation.org).get_or_create(
        user=user, defaults={"role": invitation.role}
    )
    audit.record("team.join", org=invitation.org, actor=user, obj=membership, role=membership.role)
    return membership


@transaction.atomic
def sign_up(invitation: Invitation, *, full_name: str, password: str, language: str) -> User:
    """Create the invited person's account and membership together, or neither."""
    _claim(invitation)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise TeamError(_("An account already exists for %(email)s.") % {"email": invitation.email})
    user = User.objects.create_user(
        invitation.email, password, full_name=full_name, language=language
    )
    membership = Membership.objects.create(user=user, org=invitation.org, role=invitation.role)
    audit.record("team.join", org=invitation.org, actor=user, obj=membership, role=membership.role)
    return user


def _check_directors_remain(membership: Membership) -> None:
    # Lock every director's row, in a fixed order, so that two directors demoting each other at
    # the same moment cannot leave the organisation without one: the second waits for the
    # first, then sees one director fewer. (SQLite's IMMEDIATE transactions serialise anyway.)
    directors = (
        Membership.objects.for_org(membership.org_id)
        .select_for_update()
        .filter(role=Role.DIRECTOR)
        .order_by("pk")
    )
    if not [d for d in directors if d.pk != membership.pk]:
        raise TeamError(_("An organisation needs at least one director."))


@transaction.atomic
def change_role(
    membership: Membership, role: str, *, by: User, request: HttpRequest | None = None
) -> None:
    """Give a member another role. The last director cannot step down."""
    if role not in Role.values:
        raise TeamError(_("Unknown role “%(role)s”.") % {"role": role})
    old = membership.role
    if old == role:
        return
    if old == Role.DIRECTOR:
        _check_directors_remain(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    audit.record(
        "team.role_change",
        org=membership.org,
        actor=by,
        obj=membership,
        request=request,
        old=old,
        new=role,
    )


@transaction.atomic
def save_settings(form: ModelForm, *, request: HttpRequest | None = None) -> Organisation:
    """Save the organisation's settings from a valid form, and audit which fields changed."""
    with transaction.atomic():
        org = form.save()
        audit.record(
            "org.settings_change", org=org, obj=org, request=request, fields=form.changed_data
        )
    return org


def remove_member(membership: Membership, *, by: User, request: HttpRequest | None = None) -> None:
    """Remove a member from the organisation, with their API tokens. Not the last director."""
    if membership.role == Role.DIRECTOR:
        _check_directors_remain(membership)
    audit.record("team.remove", org=membership.org, actor=by, obj=membership, request=request)
    membership.delete()


def create_api_token(membership: Membership, name: str) -> str:
    """Create an API token for this member; returns the raw key, which is not stored."""
    raw = ApiToken.new_key()
    token = ApiToken.objects.create(
        membership=membership, name=name, prefix=raw[:10], key_hash=token_hash(raw)
    )
    audit.record(
        "api.token_create", org=membership.org, actor=membership.user, obj=token, name=name
    )
    return raw


def revoke_api_token(token: ApiToken, *, by: User, request: HttpRequest | None = None) -> None:
    """Delete an API token; requests carrying it are refused from now on."""
    audit.record("api.token_revoke", org=token.membership.org, actor=by, obj=token, request=request)
    token.delete()
