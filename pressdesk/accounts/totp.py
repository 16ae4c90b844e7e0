"""Time-based one-time passwords (RFC 6238) for two-factor login, each code usable once."""

from __future__ import annotations

import pyotp
from django.utils import timezone

from pressdesk.accounts.models import User

# Accept the code of the previous and next 30-second step too: phone clocks drift.
DRIFT_STEPS = 1


def matching_step(secret: str, code: str) -> int | None:
    """The time step whose code this is, within the allowed drift, or None."""
    totp = pyotp.TOTP(secret)
    now = timezone.now()
    current = totp.timecode(now)
    for offset in range(-DRIFT_STEPS, DRIFT_STEPS + 1):
        if pyotp.utils.strings_equal(totp.generate_otp(current + offset), code.strip()):
            return current + offset
    return None


def verify_and_consume(user: User, code: str) -> bool:
    """Check a login code and mark it used; a replayed code, even within its window, fails."""
    step = matching_step(user.totp_secret, code)
    if step is None:
        return False
    # A conditional UPDATE, so two requests racing with the same code cannot both win.
    won = User.objects.filter(pk=user.pk, totp_last_step__lt=step).update(totp_last_step=step)
    if won:
        user.totp_last_step = step
    return won == 1
