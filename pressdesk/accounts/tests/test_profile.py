from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.accounts.tests.utils import api_token

URL = "/accounts/profile/"


def test_it_works(as_alice: Client) -> None:
    r = as_alice.get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert 'value="Alice Director"' in html
    assert 'action="/accounts/tokens/acme/new/"' in html


def test_it_saves_preferences(as_alice: Client, alice: User) -> None:
    r = as_alice.post(URL, {"full_name": "Alice D.", "language": "fr"})
    assert r.status_code == 302
    alice.refresh_from_db()
    assert (alice.full_name, alice.language) == ("Alice D.", "fr")
    # The next page is in the newly chosen language.
    r = as_alice.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert r["Content-Language"] == "fr"


def test_it_lists_only_my_tokens(
    as_alice: Client, alice: User, bob: User, org: Organisation
) -> None:
    api_token(bob, org)
    html = as_alice.get(URL).content.decode()
    assert "/accounts/tokens/" in html
    assert "/revoke/" not in html
    api_token(alice, org)
    assert "/revoke/" in as_alice.get(URL).content.decode()


def test_it_rejects_put(as_alice: Client) -> None:
    assert as_alice.put(URL).status_code == 405


def test_it_requires_login(client: Client) -> None:
    r = client.get(URL)
    assert r.status_code == 302
    assert r["Location"] == "/accounts/login/?next=/accounts/profile/"
