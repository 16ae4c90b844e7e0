"""What a fetch can end with besides a response."""

from __future__ import annotations


class FetchError(Exception):
    """The fetch failed: network, timeout, too big, too many redirects, bad status."""

    def __init__(self, reason: str, *, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status  # the HTTP status, when the server answered one


class FetchRefused(FetchError):
    """Pressdesk will not fetch this URL: bad scheme, or an internal address in any spelling."""
