"""Fixtures of monitoring's tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pressdesk.lib.safe_http.testing import LoopbackServer, loopback_server


@pytest.fixture
def server(settings: Any) -> Iterator[LoopbackServer]:
    """A real HTTP server on loopback that safe_http may reach; no politeness delay."""
    settings.MONITORING_HOST_DELAY = 0
    with loopback_server() as running:
        yield running


@pytest.fixture
def smtp(settings: Any) -> Iterator[Any]:
    """A real SMTP server on 127.0.0.1 (aiosmtpd); the app sends its mail there."""
    from pressdesk.e2e.conftest import smtp_server

    with smtp_server(settings) as mailbox:
        yield mailbox
