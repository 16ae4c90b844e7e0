"""The composer's recipient picker: single contacts found by name, outlet and address, within the
organisation; adding one puts their address in the "Individual contacts" field."""

from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.models import Contact
from pressdesk.contacts.services import refresh_search
from pressdesk.mailings.tests.compose_data import contact

pytestmark = pytest.mark.django_db


def search(org: Organisation) -> str:
    return f"/o/{org.slug}/mailings/recipients/search/"


def add(org: Organisation) -> str:
    return f"/o/{org.slug}/mailings/recipients/add/"


@pytest.fixture
def journalists(org: Organisation) -> list[Contact]:
    found = [
        contact(org, "Jeanne", "Dupont", "jeanne@ouest.example", outlet="Ouest-France"),
        contact(org, "Karim", "Benali", "k.benali@lemonde.example", outlet="Le Monde"),
        contact(org, "Lucie", "Martin", "", outlet="Libération"),
    ]
    refresh_search(found)
    return found


@pytest.mark.parametrize(
    ("query", "expected"),
    [("Dupont", "Jeanne Dupont"), ("Le Monde", "Karim Benali"), ("k.benali", "Karim Benali")],
)
def test_it_finds_a_contact_by_name_outlet_and_address(
    as_bob: Client, org: Organisation, journalists: list[Contact], query: str, expected: str
) -> None:
    r = as_bob.get(search(org), {"q": query})
    assert r.status_code == 200
    body = r.content.decode()
    assert expected in body
    assert body.count("<li>") == 1


def test_a_contact_without_address_is_shown_but_cannot_be_added(
    as_bob: Client, org: Organisation, journalists: list[Contact]
) -> None:
    body = as_bob.get(search(org), {"q": "Libération"}).content.decode()
    assert "Lucie Martin" in body
    assert "no address to mail" in body
    assert "recipients/add/" not in body


def test_it_says_when_nothing_matches_and_waits_for_two_letters(
    as_bob: Client, org: Organisation, journalists: list[Contact]
) -> None:
    assert "No contact matches “Zzyzx”." in as_bob.get(search(org), {"q": "Zzyzx"}).content.decode()
    assert as_bob.get(search(org), {"q": "D"}).content.decode().strip() == ""


def test_it_never_shows_another_organisations_contacts(
    as_charlie: Client, other_org: Organisation, journalists: list[Contact]
) -> None:
    body = as_charlie.get(search(other_org), {"q": "Dupont"}).content.decode()
    assert "Jeanne" not in body


def test_adding_puts_the_address_in_the_field_once(
    as_bob: Client, org: Organisation, journalists: list[Contact]
) -> None:
    jeanne, karim = journalists[0], journalists[1]
    r = as_bob.get(add(org), {"contact": karim.pk, "addresses": "jeanne@ouest.example\n"})
    assert r.status_code == 200
    body = r.content.decode()
    assert 'id="id_addresses"' in body and 'name="addresses"' in body
    assert "jeanne@ouest.example\nk.benali@lemonde.example</textarea>" in body
    again = as_bob.get(add(org), {"contact": jeanne.pk, "addresses": "JEANNE@ouest.example"})
    assert again.content.decode().count("ouest.example") == 1
    # No contact named: the field comes back as it was.
    same = as_bob.get(add(org), {"addresses": "jeanne@ouest.example"}).content.decode()
    assert "jeanne@ouest.example</textarea>" in same


def test_another_organisations_contact_is_not_found(
    as_charlie: Client, other_org: Organisation, journalists: list[Contact]
) -> None:
    r = as_charlie.get(add(other_org), {"contact": journalists[0].pk})
    assert r.status_code == 404
    assert as_charlie.get(add(other_org), {"contact": "x"}).status_code == 404


def test_a_viewer_may_not_pick(as_vera: Client, org: Organisation, journalists: list) -> None:
    assert as_vera.get(search(org), {"q": "Dupont"}).status_code == 403
    assert as_vera.get(add(org), {"contact": journalists[0].pk}).status_code == 403


def test_the_picker_answers_only_get(as_bob: Client, org: Organisation) -> None:
    assert as_bob.post(search(org), {"q": "Dupont"}).status_code == 405
    assert as_bob.post(add(org), {"contact": 1}).status_code == 405


def test_the_composer_shows_the_picker(as_bob: Client, org: Organisation) -> None:
    body = as_bob.get(f"/o/{org.slug}/mailings/new/").content.decode()
    assert 'hx-get="/o/acme/mailings/recipients/search/"' in body
    assert "By name, outlet or address" in body
