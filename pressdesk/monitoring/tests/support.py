"""What monitoring's tests share: recorded fixtures and a loopback server to serve them."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.core.management import call_command

from pressdesk.lib.safe_http.testing import LoopbackServer
from pressdesk.monitoring.models import Item

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


def article(org: Any, title: str, body: str, *, url: str = "", outlet: Any = None) -> Item:
    """An article whose feed carried its full text, run through the real pipeline offline."""
    from pressdesk.monitoring import runner
    from pressdesk.monitoring.polling import url_key

    url = url or f"https://news.example/{url_key(title)[:10]}"
    item = Item.objects.for_org(org).create(
        url=url,
        url_key=url_key(url),
        title=title,
        outlet=outlet,
        payload={"content": body, "content_is_full": True},
    )
    runner.run_items([item.pk], pages=lambda url: None)
    item.refresh_from_db()
    return item
