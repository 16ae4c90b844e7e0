"""Refusing oversized uploads while they stream in, before they reach the disk.

Django writes an upload to memory or to a temporary file in full before any view sees it, so a
size check in a form comes too late: a client could fill the disk. This handler runs first and
counts the bytes of every file in the request; past FILE_UPLOAD_MAX_BYTES it stops the upload,
Django drops what it had and discards the rest of the body unread by any handler, and the view
shows the error (`refused(request)`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

_REFUSED = "_pressdesk_upload_refused"


def max_bytes() -> int:
    """The largest file an upload accepts."""
    return int(getattr(settings, "FILE_UPLOAD_MAX_BYTES", 50 * 1024 * 1024))


def refused(request: HttpRequest) -> int:
    """The size reached when the request's upload was stopped (0 if it was not)."""
    # Reading FILES runs the upload handlers.
    _files = request.FILES if request.method == "POST" else None
    return int(getattr(request, _REFUSED, 0))


class SizeLimitHandler(FileUploadHandler):
    """Stop an upload as soon as its files pass the limit (first in FILE_UPLOAD_HANDLERS)."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit = max_bytes()
        self.total = 0

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        self.total = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.total += len(raw_data)
        if self.total > self.limit:
            if self.request is not None:
                setattr(self.request, _REFUSED, self.total)
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
