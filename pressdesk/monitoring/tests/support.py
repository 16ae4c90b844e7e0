"""What monitoring's tests share: recorded fixtures and a loopback server to serve them."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.management import call_command

from pressdesk.lib.safe_http.testing import LoopbackServer

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str, server: LoopbackServer | None = None) -> bytes:
    """A recorded file; HOST inside it becomes the loopback server's address."""
    data = (FIXTURES / name).read_bytes()
    if server is not None:
        data = data.replace(b"HOST", f"{server.host}:{server.port}".encode())
    return data


def monitor(*args: str) -> str:
    """Run `pressdesk monitor …` and return what it printed."""
    out = io.StringIO()
    call_command("monitor", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()
