from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.models import ContactList
from pressdesk.contacts.tests import sample


@pytest.fixture
def salon(org: Organisation) -> ContactList:
    salon = ContactList.objects.create(org=org, name="Invités salon")
    salon.memberships.create(contact=sample.contact(org))
    return salon


def test_it_renames(as_bob: Client, salon: ContactList) -> None:
    url = f"/o/acme/contacts/lists/{salon.pk}/edit/"
    assert as_bob.get(url).status_code == 200
    r = as_bob.post(url, {"name": "Salon 2026", "description": ""})
    assert r.status_code == 302
    salon.refresh_from_db()
    assert salon.name == "Salon 2026"


def test_it_deletes_but_keeps_the_contacts(as_bob: Client, salon: ContactList) -> None:
    r = as_bob.post(f"/o/acme/contacts/lists/{salon.pk}/delete/")
    assert r.status_code == 302
    assert not ContactList.objects.exists()
    assert salon.org.contacts.count() == 1


def test_it_removes_ticked_members(as_bob: Client, salon: ContactList) -> None:
    member = salon.contacts.get()
    r = as_bob.post(f"/o/acme/contacts/lists/{salon.pk}/remove/", {"contact": [member.pk]})
    assert r.status_code == 302
    assert not salon.memberships.exists()


def test_it_forbids_a_viewer(as_vera: Client, salon: ContactList) -> None:
    assert (
        as_vera.post(f"/o/acme/contacts/lists/{salon.pk}/edit/", {"name": "x"}).status_code == 403
    )
    assert as_vera.post(f"/o/acme/contacts/lists/{salon.pk}/delete/").status_code == 403
    assert as_vera.post(f"/o/acme/contacts/lists/{salon.pk}/remove/").status_code == 403
    assert salon.memberships.count() == 1


def test_it_checks_the_organisation(as_charlie: Client, salon: ContactList) -> None:
    assert as_charlie.post(f"/o/acme/contacts/lists/{salon.pk}/delete/").status_code == 404
    assert ContactList.objects.exists()


def test_it_rejects_get_on_delete(as_bob: Client, salon: ContactList) -> None:
    assert as_bob.get(f"/o/acme/contacts/lists/{salon.pk}/delete/").status_code == 405
    assert as_bob.get(f"/o/acme/contacts/lists/{salon.pk}/remove/").status_code == 405
