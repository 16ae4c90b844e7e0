from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import Organisation
from pressdesk.contacts import services
from pressdesk.contacts.models import Contact
from pressdesk.contacts.tests import sample


@pytest.fixture
def marie(org: Organisation) -> Contact:
    return sample.contact(org)


def url(contact: Contact) -> str:
    return f"/o/acme/contacts/{contact.pk}/notes/"


def test_it_works(as_bob: Client, marie: Contact) -> None:
    r = as_bob.post(url(marie), {"text": "Rappeler après le bouclage de 18 h"})
    assert r.status_code == 302
    note = marie.notes.get()
    assert note.author is not None and note.author.email == "bob@example.org"
    # Notes are searchable.
    contacts, _count = services.quick_search(marie.org, "bouclage")
    assert contacts == [marie]


def test_it_refuses_an_empty_note(as_bob: Client, marie: Contact) -> None:
    as_bob.post(url(marie), {"text": ""})
    assert not marie.notes.exists()


def test_it_forbids_a_viewer(as_vera: Client, marie: Contact) -> None:
    assert as_vera.post(url(marie), {"text": "x"}).status_code == 403
    assert not marie.notes.exists()


def test_it_checks_the_organisation(as_charlie: Client, marie: Contact) -> None:
    assert as_charlie.post(url(marie), {"text": "x"}).status_code == 404


def test_it_rejects_get(as_bob: Client, marie: Contact) -> None:
    assert as_bob.get(url(marie)).status_code == 405
