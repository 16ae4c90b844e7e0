"""Login throttling: too many failures for one account from one address slow that pair down.

Failures are counted per (account, client address) so that an attacker cannot lock a colleague
out from elsewhere (no global lockout), and per address across accounts to stop spraying.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from pressdesk.accounts.models import LoginAttempt

# An address may fail this many times more, across all accounts, than on one account.
SPRAY_FACTOR = 4


def _window_start() -> datetime:
    return timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)


def is_throttled(email: str, ip: str | None) -> bool:
    """Whether a login for this account from this address must be refused for now."""
    recent = LoginAttempt.objects.filter(created__gte=_window_start(), ip=ip)
    allowed = settings.LOGIN_FAILURES_ALLOWED
    if recent.filter(email=email.lower()).count() >= allowed:
        return True
    return recent.count() >= allowed * SPRAY_FACTOR


def record_failure(email: str, ip: str | None) -> None:
    """Count one failed login."""
    LoginAttempt.objects.create(email=email.lower()[:254], ip=ip)


def clear(email: str, ip: str | None) -> None:
    """Forget the failures of an account from an address after a successful login."""
    LoginAttempt.objects.filter(email=email.lower(), ip=ip).delete()


def code_key(email: str) -> str:
    """The key two-factor code failures are counted under, apart from password failures.

    A right password clears only the password failures: otherwise "password, then a few wrong
    codes", over and over, would guess a six-digit code without ever being throttled.
    """
    return "code:" + email.lower()


def prune_login_attempts() -> int:
    """Forget failed logins older than a day: throttling only looks at the last minutes."""
    cutoff = timezone.now() - timedelta(days=1)
    deleted, _ = LoginAttempt.objects.filter(created__lt=cutoff).delete()
    return deleted
