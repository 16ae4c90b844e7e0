from __future__ import annotations

import pytest
from django.test import Client
from django.test.utils import override_settings

from pressdesk.accounts.models import AuditEntry, User
from pressdesk.accounts.tests.utils import enable_totp
from pressdesk.conftest import PASSWORD


def test_it_shows_the_form(english: Client, db: None) -> None:
    r = english.get("/accounts/login/")
    assert r.status_code == 200
    assert 'name="email"' in r.content.decode()
    assert 'name="csrfmiddlewaretoken"' in r.content.decode()


def test_it_logs_in_and_lands_on_the_dashboard(client: Client, alice: User) -> None:
    r = client.post("/accounts/login/", {"email": "ALICE@example.org", "password": PASSWORD})
    assert r.status_code == 302
    r = client.get(r["Location"], follow=True)
    assert r.status_code == 200
    assert "Acme Énergie" in r.content.decode()


def test_it_follows_a_local_next(client: Client, alice: User) -> None:
    r = client.post(
        "/accounts/login/",
        {"email": "alice@example.org", "password": PASSWORD, "next": "/o/acme/team/"},
    )
    assert r["Location"] == "/o/acme/team/"


def test_it_ignores_a_next_to_another_site(client: Client, alice: User) -> None:
    r = client.post(
        "/accounts/login/",
        {"email": "alice@example.org", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert r["Location"] == "/"


def test_it_says_when_the_password_is_wrong(english: Client, alice: User) -> None:
    r = english.post("/accounts/login/", {"email": "alice@example.org", "password": "nope"})
    assert r.status_code == 200
    assert "Wrong email or password." in r.content.decode()
    assert "_auth_user_id" not in english.session


def test_it_refuses_an_inactive_user(client: Client, alice: User) -> None:
    alice.is_active = False
    alice.save()
    r = client.post("/accounts/login/", {"email": "alice@example.org", "password": PASSWORD})
    assert r.status_code == 200
    assert "_auth_user_id" not in client.session


def test_it_records_a_failure_in_the_audit_log(client: Client, alice: User) -> None:
    r = client.post("/accounts/login/", {"email": "alice@example.org", "password": "nope"})
    assert r.status_code == 200
    failures = AuditEntry.objects.filter(action="login.failure", actor_label="alice@example.org")
    assert failures.count() == 1


def test_it_records_a_failure_for_an_unknown_address(client: Client, db: None) -> None:
    client.post("/accounts/login/", {"email": "nobody@example.org", "password": "nope"})
    assert AuditEntry.objects.filter(action="login.failure", actor_label="nobody@example.org")


def test_it_asks_for_a_code_when_two_factor_is_on(client: Client, alice: User) -> None:
    enable_totp(alice)
    r = client.post(
        "/accounts/login/",
        {"email": "alice@example.org", "password": PASSWORD, "next": "/o/acme/?a=1&b=2"},
    )
    assert r.status_code == 302
    # The next address is encoded, so its own query string survives the trip.
    assert r["Location"] == "/accounts/login/code/?next=/o/acme/%3Fa%3D1%26b%3D2"
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_FAILURES_ALLOWED=3)
def test_it_throttles_an_account_from_one_address(english: Client, alice: User) -> None:
    for _ in range(3):
        english.post("/accounts/login/", {"email": "alice@example.org", "password": "nope"})
    r = english.post("/accounts/login/", {"email": "alice@example.org", "password": PASSWORD})
    assert "Too many failed attempts" in r.content.decode()
    assert "_auth_user_id" not in english.session
    assert AuditEntry.objects.filter(action="login.throttled").count() == 1
    # Alice from another address is not locked out.
    other = Client(REMOTE_ADDR="192.0.2.7")
    r = other.post("/accounts/login/", {"email": "alice@example.org", "password": PASSWORD})
    assert r.status_code == 302


@override_settings(LOGIN_FAILURES_ALLOWED=3)
def test_it_does_not_lock_out_other_accounts(client: Client, alice: User, bob: User) -> None:
    for _ in range(3):
        client.post("/accounts/login/", {"email": "alice@example.org", "password": "nope"})
    r = client.post("/accounts/login/", {"email": "bob@example.org", "password": PASSWORD})
    assert r.status_code == 302


@override_settings(LOGIN_FAILURES_ALLOWED=3, TRUSTED_PROXIES=[])
def test_it_ignores_forwarded_for_from_an_untrusted_peer(english: Client, alice: User) -> None:
    for n in range(3):
        english.post(
            "/accounts/login/",
            {"email": "alice@example.org", "password": "nope"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    r = english.post(
        "/accounts/login/",
        {"email": "alice@example.org", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert "Too many failed attempts" in r.content.decode()


@override_settings(LOGIN_FAILURES_ALLOWED=3, TRUSTED_PROXIES=["127.0.0.1"])
def test_it_believes_forwarded_for_from_the_trusted_proxy(client: Client, alice: User) -> None:
    for _ in range(3):
        client.post(
            "/accounts/login/",
            {"email": "alice@example.org", "password": "nope"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.5",
        )
    r = client.post(
        "/accounts/login/",
        {"email": "alice@example.org", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.6",
    )
    assert r.status_code == 302


@pytest.mark.django_db
def test_it_requires_csrf(alice: User) -> None:
    strict = Client(enforce_csrf_checks=True)
    r = strict.post("/accounts/login/", {"email": "alice@example.org", "password": PASSWORD})
    assert r.status_code == 403


def test_it_rejects_put(client: Client) -> None:
    assert client.put("/accounts/login/").status_code == 405
