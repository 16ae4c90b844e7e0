from __future__ import annotations

import pyotp
import pytest
from django.test import Client
from django.test.utils import override_settings

from pressdesk.accounts.models import User
from pressdesk.conftest import PASSWORD


@pytest.fixture
def alice_2fa(alice: User) -> User:
    alice.totp_secret = pyotp.random_base32()
    alice.totp_enabled = True
    alice.save()
    return alice


def _password_step(client: Client) -> None:
    r = client.post("/accounts/login/", {"email": "alice@example.org", "password": PASSWORD})
    assert r.status_code == 302 and "/accounts/login/code/" in r["Location"]


@pytest.mark.django_db
def test_it_refuses_a_code_used_once_already(alice_2fa: User) -> None:
    code = pyotp.TOTP(alice_2fa.totp_secret).now()
    first = Client()
    _password_step(first)
    assert first.post("/accounts/login/code/", {"code": code}).status_code == 302
    assert "_auth_user_id" in first.session

    # Someone who saw the code over Alice's shoulder, with her password, tries it again.
    second = Client()
    _password_step(second)
    r = second.post("/accounts/login/code/", {"code": code})
    assert r.status_code == 200
    assert "_auth_user_id" not in second.session


@pytest.mark.django_db
@override_settings(LOGIN_FAILURES_ALLOWED=2)
def test_it_throttles_password_reset_mails(client: Client, alice: User, mailoutbox: list) -> None:
    for _ in range(5):
        r = client.post("/accounts/password/reset/", {"email": "alice@example.org"})
        assert r.status_code == 302
    assert len(mailoutbox) == 2
