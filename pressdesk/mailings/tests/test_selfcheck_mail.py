"""`pressdesk check` reports EMAIL_URL: its scheme, and whether the server answers as the engine
needs it (EHLO, STARTTLS, login). A real SMTP server on loopback; the password never shows."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from pressdesk.mailings.testing import Sink, _LoopbackController

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def async_safety(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)


def mail_check(settings: Any, url: str) -> dict[str, str]:
    """The "mail" finding of `pressdesk check --json` with this EMAIL_URL."""
    settings.EMAIL_URL = url
    out = StringIO()
    # The report is printed before the exit code says there were errors.
    with translation.override("en"), contextlib.suppress(CommandError):
        call_command("selfcheck", "--json", stdout=out)
    report = json.loads(out.getvalue())
    found: dict[str, str] = next(c for c in report["checks"] if c["name"] == "mail")
    return found


@pytest.fixture
def authenticating() -> Iterator[int]:
    """An SMTP server that wants a login (user "press", password "s3cret-pw")."""

    def check(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            b"press",
            b"s3cret-pw",
        )
        return AuthResult(success=ok)

    controller = _LoopbackController(
        Sink(), hostname="127.0.0.1", port=0, authenticator=check, auth_require_tls=False
    )
    controller.start()
    try:
        yield int(controller.port)
    finally:
        controller.stop()


def test_it_reaches_the_server_of_email_url(settings: Any, sink: Sink) -> None:
    found = mail_check(settings, sink.url)
    assert found["level"] == "ok"
    assert found["message"] == (
        f"Mail goes through smtp://127.0.0.1:{sink.port} (EMAIL_URL); the server accepted EHLO."
    )


def test_it_logs_in_and_never_prints_the_password(settings: Any, authenticating: int) -> None:
    found = mail_check(settings, f"smtp://press:s3cret-pw@127.0.0.1:{authenticating}")
    assert found["level"] == "ok"
    assert "accepted EHLO, login" in found["message"]
    assert "s3cret-pw" not in found["message"]


def test_it_says_when_the_server_offers_no_starttls(settings: Any, sink: Sink) -> None:
    found = mail_check(settings, f"smtp+tls://u:hidden-pw@127.0.0.1:{sink.port}")
    assert found["level"] == "error"
    assert "STARTTLS" in found["message"]
    assert "EMAIL_URL" in found["message"]
    assert "hidden-pw" not in found["message"]


def test_it_names_the_setting_for_an_unknown_scheme(settings: Any) -> None:
    found = mail_check(settings, "smtps://u:hidden-pw@mail.example.org")
    assert found["level"] == "error"
    assert found["message"].startswith("EMAIL_URL: unknown scheme 'smtps'")
    assert "hidden-pw" not in found["message"]


def test_it_fails_when_nothing_listens(settings: Any, sink: Sink) -> None:
    port = sink.port
    found = mail_check(settings, f"smtp://127.0.0.1:{port + 1 if port < 65535 else 1}")
    assert found["level"] == "error"
    assert "cannot connect" in found["message"]
