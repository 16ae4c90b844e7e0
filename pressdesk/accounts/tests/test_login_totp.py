from __future__ import annotations

from django.test import Client
from django.test.utils import override_settings

from pressdesk.accounts.models import AuditEntry, User
from pressdesk.accounts.tests.utils import enable_totp, valid_code, wrong_code
from pressdesk.conftest import PASSWORD

URL = "/accounts/login/code/"


def _password_step(client: Client, user: User, next_url: str = "") -> None:
    data = {"email": user.email, "password": PASSWORD, "next": next_url}
    assert client.post("/accounts/login/", data).status_code == 302


def test_it_logs_in_with_a_valid_code(client: Client, alice: User) -> None:
    secret = enable_totp(alice)
    _password_step(client, alice)
    assert client.get(URL).status_code == 200
    r = client.post(URL, {"code": valid_code(secret)})
    assert r.status_code == 302
    assert r["Location"] == "/"
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_it_keeps_the_next_address(client: Client, alice: User) -> None:
    secret = enable_totp(alice)
    _password_step(client, alice, "/o/acme/team/")
    r = client.post(URL + "?next=/o/acme/team/", {"code": valid_code(secret)})
    assert r["Location"] == "/o/acme/team/"


def test_it_rejects_a_wrong_code(english: Client, alice: User) -> None:
    secret = enable_totp(alice)
    _password_step(english, alice)
    r = english.post(URL, {"code": wrong_code(secret)})
    assert r.status_code == 200
    assert "This code is not valid" in r.content.decode()
    assert "_auth_user_id" not in english.session
    assert AuditEntry.objects.filter(action="login.totp_failure", actor=alice).count() == 1


@override_settings(LOGIN_FAILURES_ALLOWED=3)
def test_it_throttles_wrong_codes(english: Client, alice: User) -> None:
    secret = enable_totp(alice)
    _password_step(english, alice)
    for _ in range(3):
        english.post(URL, {"code": wrong_code(secret)})
    # Even the right code is refused now: guessing a six-digit code must not be cheap.
    r = english.post(URL, {"code": valid_code(secret)})
    assert "Too many failed attempts" in r.content.decode()
    assert "_auth_user_id" not in english.session


def test_it_needs_the_password_step_first(client: Client, alice: User) -> None:
    secret = enable_totp(alice)
    r = client.post(URL, {"code": valid_code(secret)})
    assert r.status_code == 302
    assert r["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_it_forgets_the_pending_login_once_used(client: Client, alice: User) -> None:
    secret = enable_totp(alice)
    _password_step(client, alice)
    client.post(URL, {"code": valid_code(secret)})
    client.post("/accounts/logout/")
    r = client.post(URL, {"code": valid_code(secret)})
    assert r["Location"] == "/accounts/login/"


def test_it_rejects_put(client: Client, alice: User) -> None:
    enable_totp(alice)
    _password_step(client, alice)
    assert client.put(URL).status_code == 405


@override_settings(LOGIN_FAILURES_ALLOWED=5)
def test_it_keeps_counting_wrong_codes_after_a_right_password(english: Client, alice: User) -> None:
    secret = enable_totp(alice)
    refused = 0
    for _ in range(5):
        _password_step(english, alice)
        for _ in range(4):
            r = english.post(URL, {"code": wrong_code(secret)})
            refused += "Too many failed attempts" in r.content.decode()
    # Five wrong codes are allowed, the other fifteen are refused unchecked.
    assert refused == 15
    assert AuditEntry.objects.filter(action="login.totp_failure", actor=alice).count() == 5
    _password_step(english, alice)
    r = english.post(URL, {"code": valid_code(secret)})
    assert "_auth_user_id" not in english.session


def test_it_counts_wrong_codes_apart_from_wrong_passwords(english: Client, alice: User) -> None:
    secret = enable_totp(alice)
    for _ in range(4):
        english.post("/accounts/login/", {"email": alice.email, "password": "nope"})
    _password_step(english, alice)
    # Four wrong passwords and one wrong code do not add up to the five allowed of either.
    english.post(URL, {"code": wrong_code(secret)})
    r = english.post(URL, {"code": valid_code(secret)})
    assert r.status_code == 302
    assert english.session["_auth_user_id"] == str(alice.pk)
