from __future__ import annotations

import re

import pytest
from django.test import Client

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.models import Outlet
from pressdesk.contacts.tests import sample

FORM = {
    "name": "La Nouvelle République",
    "media_type": "regional_daily",
    "languages": ["fr"],
    "country": "fr",
    "region": "Centre-Val de Loire",
    "website": "https://www.example.fr",
    "feed_urls": "https://www.example.fr/rss.xml",
    "audience": "150000",
    "audience_source": "ACPM",
    "audience_date": "2025-06-30",
    "tier": "1",
    "notes": "",
}


def test_it_creates(as_bob: Client, org: Organisation) -> None:
    assert as_bob.get("/o/acme/contacts/outlets/new/").status_code == 200
    r = as_bob.post("/o/acme/contacts/outlets/new/", FORM)
    outlet = Outlet.objects.get(org=org)
    assert r.status_code == 302
    assert r["Location"] == f"/o/acme/contacts/outlets/{outlet.pk}/"
    assert outlet.name_normalised == "la nouvelle republique"
    assert (outlet.country, outlet.languages, outlet.tier) == ("FR", ["fr"], 1)
    assert outlet.feed_urls == ["https://www.example.fr/rss.xml"]


@pytest.fixture
def nr(org: Organisation) -> Outlet:
    nr = sample.outlet(org, "La Nouvelle Republique")
    sample.contact(org, "Marie", "Dupont", at=nr)
    return nr


def test_it_renames_and_reindexes_its_journalists(as_bob: Client, nr: Outlet) -> None:
    url = f"/o/acme/contacts/outlets/{nr.pk}/edit/"
    assert as_bob.get(url).status_code == 200
    r = as_bob.post(url, {**FORM, "name": "NR Tours"})
    assert r.status_code == 302
    nr.refresh_from_db()
    assert nr.name == "NR Tours"
    marie = nr.positions.get().contact
    assert "nr tours" in marie.search_text
    assert marie.sort_outlet == "nr tours"


def test_it_forbids_a_viewer(as_vera: Client, nr: Outlet) -> None:
    assert as_vera.get("/o/acme/contacts/outlets/new/").status_code == 403
    assert as_vera.post(f"/o/acme/contacts/outlets/{nr.pk}/edit/", FORM).status_code == 403
    nr.refresh_from_db()
    assert nr.name == "La Nouvelle Republique"


def test_it_checks_the_organisation(as_charlie: Client, nr: Outlet) -> None:
    assert as_charlie.post(f"/o/acme/contacts/outlets/{nr.pk}/edit/", FORM).status_code == 404


def test_it_rejects_put(as_bob: Client, nr: Outlet) -> None:
    assert as_bob.put(f"/o/acme/contacts/outlets/{nr.pk}/edit/").status_code == 405


def test_it_picks_languages_and_country_by_name(as_bob: Client, bob, org: Organisation) -> None:
    bob.language = "fr"
    bob.save()
    guardian = sample.outlet(org, "The Guardian", country="GB", languages=["en", "cy"])
    page = f"/o/acme/contacts/outlets/{guardian.pk}/edit/"
    body = as_bob.get(page).content.decode()
    assert '<option value="GB" selected>Royaume-Uni</option>' in body
    # A less common language already chosen stays offered, ticked.
    assert re.search(r'value="cy"[^>]* checked>\s*gallois</label>', body)
    r = as_bob.post(page, {**FORM, "name": "The Guardian", "languages": ["en"], "country": "ZZ"})
    assert r.status_code == 200 and "country" in r.context["form"].errors
    guardian.refresh_from_db()
    assert guardian.country == "GB"


def test_it_refuses_a_javascript_address(as_bob: Client, org: Organisation) -> None:
    r = as_bob.post("/o/acme/contacts/outlets/new/", {**FORM, "website": "javascript:alert(1)"})
    assert r.context["form"].errors["website"]
    assert not Outlet.objects.filter(org=org).exists()
