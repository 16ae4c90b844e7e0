from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import User

URL = "/accounts/logout/"


def test_it_logs_out(as_alice: Client) -> None:
    r = as_alice.post(URL)
    assert r.status_code == 302
    assert r["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in as_alice.session
    assert as_alice.get("/o/acme/").status_code == 302


def test_it_rejects_get(as_alice: Client, alice: User) -> None:
    # A link or an image must not be able to log anyone out.
    assert as_alice.get(URL).status_code == 405
    assert as_alice.session["_auth_user_id"] == str(alice.pk)


def test_it_is_harmless_when_logged_out(client: Client) -> None:
    assert client.post(URL).status_code == 302
