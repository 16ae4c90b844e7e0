from __future__ import annotations

import json

import pytest
from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts.models import Outlet
from pressdesk.contacts.tests import sample
from pressdesk.contacts.tests.test_api_contacts import bearer

BASE = "/api/v1/contacts/outlets"


def test_it_lists_and_gets(client: Client, vera: User, org: Organisation) -> None:
    echos = sample.outlet(org, "Les Échos", media_type="daily")
    sample.outlet(org, "Reporterre", media_type="web")
    auth = bearer(vera)
    assert [o["name"] for o in client.get(BASE, **auth).json()] == ["Les Échos", "Reporterre"]
    assert [o["name"] for o in client.get(BASE, {"q": "echos"}, **auth).json()] == ["Les Échos"]
    r = client.get(f"{BASE}/{echos.pk}", **auth)
    assert r.json()["media_type"] == "daily"


def test_it_creates(client: Client, bob: User, org: Organisation) -> None:
    body = {"name": "France Bleu Touraine", "media_type": "radio", "country": "fr", "tier": 2}
    r = client.post(BASE, json.dumps(body), content_type="application/json", **bearer(bob))
    assert r.status_code == 201
    outlet = Outlet.objects.get(org=org)
    assert (outlet.name_normalised, outlet.country, outlet.tier) == (
        "france bleu touraine",
        "FR",
        2,
    )


def test_it_rejects_bad_input(client: Client, bob: User, org: Organisation) -> None:
    for body in ({"name": "X", "media_type": "carrier pigeon"}, {"name": "X", "tier": 9}):
        r = client.post(BASE, json.dumps(body), content_type="application/json", **bearer(bob))
        assert r.status_code == 422
    assert not Outlet.objects.exists()


def test_it_forbids_a_viewer_to_create(client: Client, vera: User, org: Organisation) -> None:
    r = client.post(
        BASE, json.dumps({"name": "X"}), content_type="application/json", **bearer(vera)
    )
    assert r.status_code == 403


def test_it_keeps_to_the_tokens_organisation(
    client: Client, charlie: User, org: Organisation
) -> None:
    echos = sample.outlet(org, "Les Échos")
    auth = bearer(charlie)
    assert client.get(BASE, **auth).json() == []
    assert client.get(f"{BASE}/{echos.pk}", **auth).status_code == 404


def test_it_answers_an_empty_page_past_the_end(
    client: Client, vera: User, org: Organisation
) -> None:
    sample.outlet(org, "Les Échos")
    for page in ("99999999999999999999999", "9223372036854775807"):
        r = client.get(BASE, {"page": page}, **bearer(vera))
        assert r.status_code == 200, page
        assert r.json() == []


@pytest.mark.parametrize(
    "body",
    [
        {"name": "X", "website": "javascript:alert(1)"},
        {"name": "X", "website": "JavaScript:alert(1)"},
        {"name": "X", "website": "data:text/html,<script>alert(1)</script>"},
        {"name": "X", "website": "https://example.fr/\r\nSet-Cookie: a=b"},
        {"name": "X", "feed_urls": ["javascript:alert(1)"]},
        {"name": "X", "languages": ["fr\r\nEMAIL:x@evil.test"]},
    ],
)
def test_it_refuses_unsafe_addresses_and_codes(
    client: Client, bob: User, org: Organisation, body: dict[str, object]
) -> None:
    r = client.post(BASE, json.dumps(body), content_type="application/json", **bearer(bob))
    assert r.status_code == 422, r.content
    assert not Outlet.objects.exists()


def test_it_keeps_web_addresses(client: Client, bob: User, org: Organisation) -> None:
    body = {"name": "X", "website": "https://example.fr/", "feed_urls": ["http://example.fr/rss"]}
    r = client.post(BASE, json.dumps(body), content_type="application/json", **bearer(bob))
    assert r.status_code == 201, r.content
    assert r.json()["website"] == "https://example.fr/"
