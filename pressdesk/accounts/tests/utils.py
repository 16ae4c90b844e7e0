"""Helpers shared by the accounts tests."""

from __future__ import annotations

import pyotp

from pressdesk.accounts import services
from pressdesk.accounts.models import Invitation, Membership, Organisation, User, token_hash
from pressdesk.accounts.roles import Role


def valid_code(secret: str) -> str:
    """The code an authenticator app shows right now."""
    return pyotp.TOTP(secret).now()


def wrong_code(secret: str) -> str:
    """A well-formed code that the server will not accept now (nor 30 s either side)."""
    totp = pyotp.TOTP(secret)
    return next(
        c for c in ("000000", "111111", "222222", "333333") if not totp.verify(c, valid_window=1)
    )


def enable_totp(user: User) -> str:
    """Turn on two-factor authentication for the user; returns the secret."""
    user.totp_secret, user.totp_enabled = pyotp.random_base32(), True
    user.save(update_fields=["totp_secret", "totp_enabled"])
    return user.totp_secret


def make_invitation(
    org: Organisation, email: str = "new@example.org", role: str = Role.PRESS_OFFICER
) -> tuple[Invitation, str]:
    """A pending invitation and its raw token, without sending mail."""
    raw = f"token-for-{email}"
    invitation = Invitation.objects.create(
        org=org, email=email, role=role, token_hash=token_hash(raw)
    )
    return invitation, raw


def member(user: User, org: Organisation) -> Membership:
    """The user's membership in the organisation."""
    return Membership.objects.get(user=user, org=org)


def api_token(user: User, org: Organisation) -> str:
    """A raw API token acting for the user in the organisation."""
    return services.create_api_token(member(user, org), "test")
