from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import AuditEntry, User
from pressdesk.accounts.tests.utils import enable_totp, valid_code, wrong_code

URL = "/accounts/two-factor/disable/"


def test_it_works(as_alice: Client, alice: User) -> None:
    secret = enable_totp(alice)
    r = as_alice.post(URL, {"code": valid_code(secret)})
    assert r.status_code == 302
    assert r["Location"] == "/accounts/profile/"
    alice.refresh_from_db()
    assert not alice.totp_enabled
    assert alice.totp_secret == ""
    assert AuditEntry.objects.filter(action="auth.totp_disable", actor=alice).count() == 1


def test_it_needs_a_current_code(as_alice: Client, alice: User) -> None:
    # A stolen session alone must not be enough to remove the second factor.
    secret = enable_totp(alice)
    r = as_alice.post(URL, {"code": wrong_code(secret)}, follow=True)
    assert "Two-factor authentication stays on." in r.content.decode()
    alice.refresh_from_db()
    assert alice.totp_enabled


def test_it_does_nothing_when_two_factor_is_off(as_alice: Client, alice: User) -> None:
    as_alice.post(URL, {"code": "123456"})
    assert not AuditEntry.objects.filter(action="auth.totp_disable").exists()


def test_it_rejects_get(as_alice: Client, alice: User) -> None:
    enable_totp(alice)
    assert as_alice.get(URL).status_code == 405


def test_it_requires_login(client: Client, alice: User) -> None:
    secret = enable_totp(alice)
    assert client.post(URL, {"code": valid_code(secret)}).status_code == 302
    alice.refresh_from_db()
    assert alice.totp_enabled
