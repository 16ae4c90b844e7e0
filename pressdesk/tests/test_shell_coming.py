from __future__ import annotations

import pytest
from django.test import Client

from pressdesk import modules

URL = "/o/acme/coming/briefings/"


def test_it_works(as_alice: Client) -> None:
    r = as_alice.get(URL)
    assert r.status_code == 200
    assert 'aria-current="page"' in r.content.decode()


def test_it_sends_a_built_module_to_its_page(
    as_alice: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Bookmarks to a "coming" page keep working once the module exists.
    monkeypatch.setitem(
        modules.REGISTRY, "team", modules.Module("team", "Team", "", home="accounts:team")
    )
    r = as_alice.get("/o/acme/coming/team/")
    assert r.status_code == 302
    assert r["Location"] == "/o/acme/team/"


def test_it_404s_for_an_unknown_module(as_alice: Client) -> None:
    assert as_alice.get("/o/acme/coming/nothing/").status_code == 404


def test_it_is_open_to_a_viewer(as_vera: Client) -> None:
    assert as_vera.get(URL).status_code == 200


def test_it_checks_ownership(as_charlie: Client) -> None:
    assert as_charlie.get(URL).status_code == 404


def test_it_rejects_post(as_alice: Client) -> None:
    assert as_alice.post(URL).status_code == 405


def test_it_requires_login(client: Client) -> None:
    assert client.get(URL).status_code == 302
