from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import User

URL = "/accounts/language/"


def test_it_saves_the_users_language(as_alice: Client, alice: User) -> None:
    r = as_alice.post(URL, {"language": "fr", "next": "/accounts/profile/"})
    assert r.status_code == 302
    assert r["Location"] == "/accounts/profile/"
    alice.refresh_from_db()
    assert alice.language == "fr"


def test_the_users_language_wins_over_the_browsers(as_alice: Client, alice: User) -> None:
    as_alice.post(URL, {"language": "fr"})
    # Even from a fresh browser (no cookie) that asks for English.
    fresh = Client(HTTP_ACCEPT_LANGUAGE="en")
    fresh.force_login(alice, backend="pressdesk.accounts.backends.EmailBackend")
    r = fresh.get("/accounts/profile/")
    assert r["Content-Language"] == "fr"
    assert '<html lang="fr">' in r.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_anonymous_visitor_gets_the_browsers_language(language: str) -> None:
    r = Client(HTTP_ACCEPT_LANGUAGE=language).get("/accounts/login/")
    assert r["Content-Language"] == language
    assert f'<html lang="{language}">' in r.content.decode()


@pytest.mark.django_db
def test_an_anonymous_visitor_can_switch() -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    r = client.post(URL, {"language": "en", "next": "/accounts/login/"})
    assert r["Location"] == "/accounts/login/"
    assert client.get("/accounts/login/")["Content-Language"] == "en"


def test_it_ignores_an_unknown_language(as_alice: Client, alice: User) -> None:
    r = as_alice.post(URL, {"language": "xx"})
    assert r.status_code == 302
    alice.refresh_from_db()
    assert alice.language == "en"
    assert "django_language" not in r.cookies


def test_it_ignores_a_next_to_another_site(as_alice: Client) -> None:
    r = as_alice.post(URL, {"language": "fr", "next": "https://evil.example/"})
    assert r["Location"] == "/"


def test_it_rejects_get(as_alice: Client, alice: User) -> None:
    assert as_alice.get(URL, {"language": "fr"}).status_code == 405
    alice.refresh_from_db()
    assert alice.language == "en"
