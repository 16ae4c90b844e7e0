from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts.models import ContactList
from pressdesk.contacts.tests import sample
from pressdesk.contacts.tests.test_api_contacts import bearer

BASE = "/api/v1/contacts/lists"


def test_it_lists_lists_and_members(client: Client, vera: User, org: Organisation) -> None:
    marie = sample.contact(org, "Marie", "Dupont")
    sample.contact(org, "Marc", "Petit")
    salon = ContactList.objects.create(org=org, name="Salon")
    salon.memberships.create(contact=marie)
    segment = ContactList.objects.create(org=org, name="Mar…", kind="segment", filters={"q": "mar"})
    auth = bearer(vera)
    found = {cl["name"]: (cl["kind"], cl["count"]) for cl in client.get(BASE, **auth).json()}
    assert found == {"Salon": ("static", 1), "Mar…": ("segment", 2)}
    r = client.get(f"{BASE}/{salon.pk}/members", **auth)
    assert [c["last_name"] for c in r.json()["items"]] == ["Dupont"]
    r = client.get(f"{BASE}/{segment.pk}/members", **auth)
    assert [c["last_name"] for c in r.json()["items"]] == ["Dupont", "Petit"]


def test_it_keeps_to_the_tokens_organisation(
    client: Client, charlie: User, org: Organisation
) -> None:
    salon = ContactList.objects.create(org=org, name="Salon")
    auth = bearer(charlie)
    assert client.get(BASE, **auth).json() == []
    assert client.get(f"{BASE}/{salon.pk}/members", **auth).status_code == 404


def test_it_answers_an_empty_page_past_the_end(
    client: Client, vera: User, org: Organisation
) -> None:
    salon = ContactList.objects.create(org=org, name="Salon")
    salon.memberships.create(contact=sample.contact(org, "Marie", "Dupont"))
    r = client.get(f"{BASE}/{salon.pk}/members?page=99999999999999999999999", **bearer(vera))
    assert r.status_code == 200
    assert r.json()["items"] == []
