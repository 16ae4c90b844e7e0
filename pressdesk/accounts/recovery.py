"""Getting back into an account from the command line, when the admin lost their password."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from pressdesk.accounts import audit
from pressdesk.accounts.models import User


def reset_link(user: User, *, actor_label: str) -> str:
    """A one-time link to choose a new password (valid PASSWORD_RESET_TIMEOUT); audited."""
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    audit.record("auth.password_reset_cli", obj=user, actor_label=actor_label, method="link")
    return settings.SITE_ROOT + path


@transaction.atomic
def one_time_password(user: User, *, actor_label: str) -> str:
    """Replace the password with a random one, to be shown once; audited."""
    password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record("auth.password_reset_cli", obj=user, actor_label=actor_label, method="password")
    return password
