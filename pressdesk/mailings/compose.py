"""Building each recipient's message: merge fields, text and HTML parts, headers.

Owned by the compose work; the engine only calls `Composer(mailing).message(recipient)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage

from pressdesk.contacts.models import Contact
from pressdesk.mailings.models import Mailing, Recipient


@dataclass(frozen=True)
class Preview:
    """One recipient's message as they will read it."""

    subject: str
    text: str
    html: str


class Composer:
    """Renders one mailing for many recipients; what is common is prepared once."""

    def __init__(self, mailing: Mailing) -> None:
        self.mailing = mailing

    def message(self, recipient: Recipient) -> EmailMessage:
        """The complete message for one ledger row, Message-ID included (see message_id)."""
        raise NotImplementedError

    def message_id(self, recipient: Recipient) -> str:
        """The Message-ID for this recipient, stable for the row, so replies thread back."""
        raise NotImplementedError

    def preview(self, contact: Contact) -> Preview:
        """What this contact would receive, before any ledger exists."""
        raise NotImplementedError
