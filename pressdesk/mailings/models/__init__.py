"""Mailings: the mailing, its frozen recipient ledger, and what came back (bounces, replies…)."""

from pressdesk.mailings.models.events import ContactCorrection, FollowUp, MailEvent
from pressdesk.mailings.models.ledger import Exclusion, Recipient
from pressdesk.mailings.models.mailing import Mailing
from pressdesk.mailings.models.outbox import OutboxStream

__all__ = [
    "ContactCorrection",
    "Exclusion",
    "FollowUp",
    "MailEvent",
    "Mailing",
    "OutboxStream",
    "Recipient",
]
