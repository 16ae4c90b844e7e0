"""System mail (invitations, password resets, alerts) leaves through the engine's transport when
EMAIL_URL is set: one SMTP configuration. A real SMTP server on loopback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from pressdesk.accounts import services as accounts
from pressdesk.accounts.models import Organisation, User
from pressdesk.lib.mail import send_templated
from pressdesk.mailings import transport as transports
from pressdesk.mailings.testing import Sink

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def engine(settings: Any, sink: Sink) -> Sink:
    """Django's EMAIL_BACKEND as settings.py sets it when EMAIL_URL is set."""
    settings.EMAIL_BACKEND = "pressdesk.mailings.backend.EmailBackend"
    return sink


def test_settings_choose_the_engine_backend_when_email_url_is_set() -> None:
    code = "from django.conf import settings; print(settings.EMAIL_BACKEND)"
    env = {
        **os.environ,
        "EMAIL_URL": "smtp://relay.invalid:25",
        "DJANGO_SETTINGS_MODULE": "pressdesk.settings",
    }
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert out.stdout.strip() == "pressdesk.mailings.backend.EmailBackend"


@pytest.mark.django_db
def test_an_invitation_leaves_through_the_engine(
    engine: Sink, org: Organisation, alice: User
) -> None:
    accounts.invite(org, "new@example.org", "viewer", by=alice)
    assert engine.recipients() == ["new@example.org"]
    assert mail.outbox == []
    parsed = engine.parsed(0)
    assert parsed["Message-ID"]
    assert "Acme" in str(parsed["Subject"])


@pytest.mark.django_db
def test_a_password_reset_leaves_through_the_engine(
    engine: Sink, client: Client, alice: User
) -> None:
    r = client.post("/accounts/password/reset/", {"email": alice.email})
    assert r.status_code == 302
    assert engine.recipients() == [alice.email]


def test_a_refused_system_mail_raises_the_transports_refusal(engine: Sink, settings: Any) -> None:
    engine.refuse("gone@example.org")
    context = {"org": None, "inviter": None, "link": "/x", "role": "editor"}
    with pytest.raises(transports.Refused, match="550"):
        send_templated("accounts/emails/invitation", "gone@example.org", context)
    assert engine.recipients() == []


def test_without_email_url_the_test_outbox_still_gets_system_mail(settings: Any) -> None:
    settings.EMAIL_URL = ""
    context = {"org": None, "inviter": None, "link": "/x", "role": "editor"}
    send_templated("accounts/emails/invitation", "someone@example.org", context)
    assert [m.to for m in mail.outbox] == [["someone@example.org"]]
