from __future__ import annotations

import pytest
from django.test import Client
from django.test.utils import override_settings

from pressdesk.accounts.models import AuditEntry, User
from pressdesk.conftest import PASSWORD


@pytest.mark.django_db
def test_it_logs_in_and_lands_on_the_dashboard(client: Client, alice: User) -> None:
    r = client.post("/accounts/login/", {"email": "ALICE@example.org", "password": PASSWORD})
    assert r.status_code == 302
    r = client.get(r["Location"], follow=True)
    assert r.status_code == 200
    assert "Acme Énergie" in r.content.decode()


@pytest.mark.django_db
def test_it_records_a_failure_in_the_audit_log(client: Client, alice: User) -> None:
    r = client.post("/accounts/login/", {"email": "alice@example.org", "password": "nope"})
    assert r.status_code == 200
    assert AuditEntry.objects.filter(action="login.failure", actor_label="alice@example.org").count() == 1


@pytest.mark.django_db
@override_settings(LOGIN_FAILURES_ALLOWED=3)
def test_it_throttles_an_account_from_one_address(client: Client, alice: User) -> None:
    for _ in range(3):
        client.post("/accounts/login/", {"email": "alice@example.org", "password": "nope"})
    r = client.post("/accounts/login/", {"email": "alice@example.org", "password": PASSWORD})
    assert "Too many failed attempts" in r.content.decode()
    assert "_auth_user_id" not in client.session
    # Alice from another address is not locked out.
    other = Client(REMOTE_ADDR="192.0.2.7")
    r = other.post("/accounts/login/", {"email": "alice@example.org", "password": PASSWORD})
    assert r.status_code == 302


@pytest.mark.django_db
@override_settings(LOGIN_FAILURES_ALLOWED=3, TRUSTED_PROXIES=[])
def test_it_ignores_forwarded_for_from_an_untrusted_peer(client: Client, alice: User) -> None:
    for n in range(3):
        client.post(
            "/accounts/login/",
            {"email": "alice@example.org", "password": "nope"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    r = client.post(
        "/accounts/login/",
        {"email": "alice@example.org", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert "Too many failed attempts" in r.content.decode()


@pytest.mark.django_db
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


def test_it_rejects_put(client: Client) -> None:
    assert client.put("/accounts/login/").status_code == 405
