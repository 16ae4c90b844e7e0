from __future__ import annotations

import pytest
from django.test import Client

from pressdesk import modules
from pressdesk.accounts.models import Organisation
from pressdesk.modules import SearchHit

URL = "/o/acme/search/"


@pytest.fixture
def searched(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """One fake module to search; records which organisation and query it was asked for."""
    calls: list[tuple[str, str]] = []

    def provider(org: Organisation, query: str, limit: int) -> list[SearchHit]:
        calls.append((org.slug, query))
        return [SearchHit(title=f"Hit for {query}", url="/x/", kind="Thing")]

    monkeypatch.setattr(modules, "SEARCH_PROVIDERS", [provider])
    return calls


def test_it_works(as_alice: Client, searched: list[tuple[str, str]]) -> None:
    r = as_alice.get(URL, {"q": "  Dupont "})
    assert r.status_code == 200
    assert "Hit for Dupont" in r.content.decode()
    # Each module searches the current organisation only.
    assert searched == [("acme", "Dupont")]


def test_it_does_not_search_without_a_query(
    as_alice: Client, searched: list[tuple[str, str]]
) -> None:
    assert as_alice.get(URL).status_code == 200
    assert searched == []


def test_it_says_when_nothing_can_be_searched(
    as_alice: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(modules, "SEARCH_PROVIDERS", [])
    html = as_alice.get(URL, {"q": "x"}).content.decode()
    assert "No module can be searched yet" in html


def test_it_is_open_to_a_viewer(as_vera: Client, searched: list[tuple[str, str]]) -> None:
    assert as_vera.get(URL, {"q": "x"}).status_code == 200


def test_it_checks_ownership(as_charlie: Client, searched: list[tuple[str, str]]) -> None:
    assert as_charlie.get(URL, {"q": "x"}).status_code == 404
    assert searched == []


def test_it_rejects_post(as_alice: Client) -> None:
    assert as_alice.post(URL).status_code == 405


def test_it_requires_login(client: Client) -> None:
    assert client.get(URL).status_code == 302
