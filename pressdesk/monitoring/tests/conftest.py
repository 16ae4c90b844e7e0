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
    from pressdesk.e2e.conftest import Mailbox, _LoopbackController

    mailbox = Mailbox()
    controller = _LoopbackController(mailbox, hostname="127.0.0.1", port=0)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    yield mailbox
    controller.stop()
