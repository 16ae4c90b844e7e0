from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import AuditEntry, Organisation
from pressdesk.contacts import services
from pressdesk.contacts.models import Contact
from pressdesk.contacts.tests import sample


@pytest.fixture
def marie(org: Organisation) -> Contact:
    return sample.contact(org, emails=["marie@example.fr"])


def url(contact: Contact) -> str:
    return f"/o/acme/contacts/{contact.pk}/delete/"


def test_it_works(as_bob: Client, marie: Contact) -> None:
    r = as_bob.post(url(marie))
    assert r.status_code == 302
    assert r["Location"] == "/o/acme/contacts/"
    assert not Contact.objects.filter(pk=marie.pk).exists()
    entry = AuditEntry.objects.get(action="contact.delete")
    assert entry.object_id == str(marie.pk)
    assert entry.actor is not None and entry.actor.email == "bob@example.org"
    assert services.quick_search(marie.org, "marie") == ([], 0)


def test_it_forbids_a_viewer(as_vera: Client, marie: Contact) -> None:
    assert as_vera.post(url(marie)).status_code == 403
    assert Contact.objects.filter(pk=marie.pk).exists()


def test_it_checks_the_organisation(as_charlie: Client, marie: Contact) -> None:
    assert as_charlie.post(url(marie)).status_code == 404


def test_it_rejects_get(as_bob: Client, marie: Contact) -> None:
    assert as_bob.get(url(marie)).status_code == 405
