"""The one shape of monitoring's refusals: an exception carrying a reason for people to read."""

from __future__ import annotations


class Refusal(Exception):
    """Input monitoring cannot use; `reason` says why (shown to users, kept with quarantines)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
