from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import AuditEntry, User
from pressdesk.accounts.tests.utils import enable_totp, valid_code, wrong_code

URL = "/accounts/two-factor/"


def test_it_shows_a_qr_code_and_the_key(as_alice: Client) -> None:
    r = as_alice.get(URL)
    assert r.status_code == 200
    secret = as_alice.session["totp_secret"]
    html = r.content.decode()
    assert "<svg" in html
    assert secret in html
    # The same key until it is confirmed: reloading must not break a half-done setup.
    as_alice.get(URL)
    assert as_alice.session["totp_secret"] == secret


def test_it_turns_two_factor_on(as_alice: Client, alice: User) -> None:
    as_alice.get(URL)
    secret = as_alice.session["totp_secret"]
    r = as_alice.post(URL, {"code": valid_code(secret)})
    assert r.status_code == 302
    assert r["Location"] == "/accounts/profile/"
    alice.refresh_from_db()
    assert alice.totp_enabled
    assert alice.totp_secret == secret
    assert "totp_secret" not in as_alice.session
    assert AuditEntry.objects.filter(action="auth.totp_enable", actor=alice).count() == 1


def test_it_refuses_a_wrong_code(as_alice: Client, alice: User) -> None:
    as_alice.get(URL)
    secret = as_alice.session["totp_secret"]
    r = as_alice.post(URL, {"code": wrong_code(secret)})
    assert r.status_code == 200
    assert "This code is not valid" in r.content.decode()
    alice.refresh_from_db()
    assert not alice.totp_enabled


def test_it_does_not_replace_an_active_secret(as_alice: Client, alice: User) -> None:
    secret = enable_totp(alice)
    r = as_alice.get(URL)
    assert r["Location"] == "/accounts/profile/"
    alice.refresh_from_db()
    assert alice.totp_secret == secret


def test_it_rejects_put(as_alice: Client) -> None:
    assert as_alice.put(URL).status_code == 405


def test_it_requires_login(client: Client) -> None:
    assert client.get(URL).status_code == 302
