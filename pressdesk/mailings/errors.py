"""Domain errors of mailings: each carries a message a user can read, in their language."""

from __future__ import annotations


class MailingError(Exception):
    """Something the user asked of a mailing cannot be done; the message says why."""


class WrongState(MailingError):
    """The mailing is not in a state that allows this (e.g. resume a mailing that is not paused)."""


class NotApproved(MailingError):
    """A release mailing needs the release approved before it is sent or scheduled."""


class HeaderInjection(MailingError):
    """A header value (subject, name, address, merge field) holds a line break."""
