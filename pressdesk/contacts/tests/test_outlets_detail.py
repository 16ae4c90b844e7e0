from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import Organisation
from pressdesk.contacts import editing
from pressdesk.contacts.models import Outlet
from pressdesk.contacts.tests import sample


@pytest.fixture
def ouest(org: Organisation) -> Outlet:
    ouest = sample.outlet(org, "Ouest-France", website="https://www.example.fr/")
    sample.contact(org, "Marie", "Dupont", at=ouest, title="Cheffe d'agence")
    moved = sample.contact(org, "Paul", "Martin", at=ouest)
    editing.save_contact(org, moved, {"outlet": "Le Monde"}, by=None)
    return ouest


def url(outlet: Outlet) -> str:
    return f"/o/acme/contacts/outlets/{outlet.pk}/"


def test_it_shows_current_and_past_journalists(as_vera: Client, ouest: Outlet) -> None:
    r = as_vera.get(url(ouest))
    assert r.status_code == 200
    assert [str(p.contact) for p in r.context["current"]] == ["Marie Dupont"]
    assert [str(p.contact) for p in r.context["past"]] == ["Paul Martin"]
    assert "Cheffe d&#x27;agence" in r.content.decode()


def test_it_checks_the_organisation(as_charlie: Client, ouest: Outlet) -> None:
    assert as_charlie.get(url(ouest)).status_code == 404


def test_it_rejects_post(as_alice: Client, ouest: Outlet) -> None:
    assert as_alice.post(url(ouest)).status_code == 405


def test_it_names_languages_and_country(as_vera: Client, vera, org: Organisation) -> None:
    vera.language = "fr"
    vera.save()
    outlet = sample.outlet(org, "The Guardian", country="GB", languages=["en"])
    body = as_vera.get(f"/o/acme/contacts/outlets/{outlet.pk}/").content.decode()
    assert "anglais" in body and "Royaume-Uni" in body
    assert ">Royaume-Uni</td>" in as_vera.get("/o/acme/contacts/outlets/").content.decode()


def test_it_links_only_web_addresses(as_vera: Client, ouest: Outlet) -> None:
    # Stored before addresses were checked: shown as text, never as a link.
    Outlet.objects.filter(pk=ouest.pk).update(
        website="javascript:alert(1)", feed_urls=["JavaScript:alert(2)", "https://example.fr/rss"]
    )
    page = as_vera.get(url(ouest)).content.decode()
    assert 'href="javascript' not in page.lower()
    assert "javascript:alert(1)" in page
    assert 'href="https://example.fr/rss"' in page
