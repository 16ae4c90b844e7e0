"""The byline page's journalist picker: any journalist of the press file, found by name, outlet or
address, within the organisation; each with a button that links the byline to them."""

from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.contacts.tests import sample
from pressdesk.monitoring.models import Byline
from pressdesk.monitoring.tests.byline_data import journalist, unknown

pytestmark = pytest.mark.django_db


def url(byline: Byline, org_slug: str = "acme") -> str:
    return f"/o/{org_slug}/monitoring/bylines/{byline.pk}/journalists/"


@pytest.mark.parametrize("query", ["Moreau", "Hebdo du Centre", "claire@hebdo"])
def test_it_finds_any_journalist_by_name_outlet_and_address(
    as_bob: Client, org: Organisation, query: str
) -> None:
    seen = unknown(org)
    claire = journalist(org)
    sample.contact(org, "Paul", "Durand", emails=["paul@gazette.example"])
    r = as_bob.get(url(seen.byline), {"q": query}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    body = r.content.decode()
    assert "Claire Moreau · L&#x27;Hebdo du Centre" in body and "claire@hebdo.example" in body
    assert "Paul Durand" not in body
    assert body.count("<li>") == 1
    assert f'name="contact" value="{claire.pk}"' in body
    assert f"/o/acme/monitoring/bylines/{seen.byline.pk}/" in body
    assert "<html" not in body  # a fragment for htmx


def test_the_link_it_offers_links_the_byline(as_bob: Client, org: Organisation) -> None:
    seen = unknown(org)
    claire = journalist(org)
    r = as_bob.post(
        f"/o/acme/monitoring/bylines/{seen.byline.pk}/", {"action": "accept", "contact": claire.pk}
    )
    assert r.status_code == 302
    seen.byline.refresh_from_db()
    seen.item.refresh_from_db()
    assert (seen.byline.status, seen.byline.contact, seen.item.author_contact) == (
        Byline.LINKED,
        claire,
        claire,
    )
    assert AuditEntry.objects.filter(action="monitoring.byline_accept").count() == 1
    page = as_bob.get(f"/o/acme/contacts/{claire.pk}/").content.decode()
    assert "Recent articles" in page and "Acme opens a plant" in page
    assert "Writes about:" in page and "Acme (1)" in page


def test_without_javascript_it_is_a_page_of_its_own(as_bob: Client, org: Organisation) -> None:
    seen = unknown(org)
    journalist(org)
    r = as_bob.get(url(seen.byline), {"q": "Moreau"})
    assert r.status_code == 200
    body = r.content.decode()
    assert "<html" in body and "Link Jean de La Fontaine to a journalist" in body
    assert "Claire Moreau" in body and 'value="Moreau"' in body


def test_it_says_when_nothing_matches_and_waits_for_two_letters(
    as_bob: Client, org: Organisation
) -> None:
    seen = unknown(org)
    journalist(org)
    hx = {"HTTP_HX_REQUEST": "true"}
    body = as_bob.get(url(seen.byline), {"q": "Zzyzx"}, **hx).content.decode()
    assert "No journalist of the press file matches “Zzyzx”." in body
    assert not as_bob.get(url(seen.byline), {"q": "M"}, **hx).content.decode().strip()


def test_it_speaks_french(as_bob: Client, bob: User, org: Organisation) -> None:
    seen = unknown(org)
    journalist(org)
    bob.language = "fr"
    bob.save()
    hx = {"HTTP_HX_REQUEST": "true"}
    body = as_bob.get(url(seen.byline), {"q": "Moreau"}, **hx).content.decode()
    assert "Relier à Claire Moreau" in body
    body = as_bob.get(url(seen.byline), {"q": "Zzyzx"}, **hx).content.decode()
    assert "Aucun journaliste du fichier presse ne correspond à «\u00a0Zzyzx\u00a0»." in body


def test_it_lets_no_viewer_search(as_vera: Client, org: Organisation) -> None:
    seen = unknown(org)
    journalist(org)
    assert as_vera.get(url(seen.byline), {"q": "Moreau"}).status_code == 403


def test_it_takes_get_only(as_bob: Client, org: Organisation) -> None:
    seen = unknown(org)
    assert as_bob.post(url(seen.byline), {"q": "Moreau"}).status_code == 405


def test_it_sends_outsiders_to_login(client: Client, org: Organisation) -> None:
    seen = unknown(org)
    journalist(org)
    r = client.get(url(seen.byline), {"q": "Moreau"})
    assert r.status_code == 302 and "Claire" not in r.content.decode()


def test_it_is_404_for_another_organisations_member(
    as_charlie: Client, org: Organisation, other_org: Organisation
) -> None:
    seen = unknown(org)
    journalist(org)
    assert as_charlie.get(url(seen.byline), {"q": "Moreau"}).status_code == 404


def test_it_never_shows_another_organisations_journalists_or_bylines(
    as_charlie: Client, org: Organisation, other_org: Organisation
) -> None:
    seen = unknown(org)
    journalist(org)
    theirs = unknown(other_org)
    body = as_charlie.get(
        url(theirs.byline, "other"), {"q": "Moreau"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Claire" not in body and "No journalist of the press file matches" in body
    # Their own organisation's page with our byline's id: no such byline there.
    assert as_charlie.get(url(seen.byline, "other"), {"q": "Moreau"}).status_code == 404
