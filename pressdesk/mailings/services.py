"""What users do with mailings: each call checks the role and state, writes, and audits.

Owned by the engine work. Every state change is a conditional UPDATE that raises WrongState when
it does not apply (see pressdesk/accounts/services.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pressdesk.accounts.models import Organisation, User
from pressdesk.mailings.models import Mailing


def create_mailing(org: Organisation, user: User, **fields: Any) -> Mailing:
    """A new draft; free text and pitches need `send`, a release mailing its release's access."""
    raise NotImplementedError


def update_mailing(mailing: Mailing, user: User, **fields: Any) -> Mailing:
    """Change a draft (or scheduled) mailing's content or audience."""
    raise NotImplementedError


def start(mailing: Mailing, user: User, *, at: datetime | None = None) -> Mailing:
    """Send now (freeze the ledger and queue) or schedule for `at`; release must be approved."""
    raise NotImplementedError


def pause(mailing: Mailing, user: User | None, reason: str = "") -> Mailing:
    """Stop handing out new recipients; rows already handed to the server finish."""
    raise NotImplementedError


def resume(mailing: Mailing, user: User) -> Mailing:
    """Go on sending a paused mailing."""
    raise NotImplementedError


def cancel(mailing: Mailing, user: User) -> Mailing:
    """Stop for good: queued recipients become cancelled."""
    raise NotImplementedError


def confirm_held(mailing: Mailing, user: User) -> Mailing:
    """Send a scheduled mailing whose time passed while Pressdesk was down."""
    raise NotImplementedError


def resolve_unknown(mailing: Mailing, user: User, recipient_ids: list[int], *, resend: bool) -> int:
    """The operator's decision on rows whose fate is unknown: count them sent, or send again."""
    raise NotImplementedError


def status(mailing: Mailing) -> dict[str, Any]:
    """The counts of `pressdesk mailings status --json` and of the progress page."""
    raise NotImplementedError
