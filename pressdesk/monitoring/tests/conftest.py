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
