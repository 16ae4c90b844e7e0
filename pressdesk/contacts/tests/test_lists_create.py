from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.models import ContactList

URL = "/o/acme/contacts/lists/new/"


def test_it_works(as_bob: Client, org: Organisation) -> None:
    r = as_bob.post(URL, {"name": "Journalistes salon Energaia", "description": "Invités 2026"})
    created = ContactList.objects.get(org=org)
    assert r.status_code == 302
    assert r["Location"] == f"/o/acme/contacts/lists/{created.pk}/"
    assert (created.kind, created.description) == ("static", "Invités 2026")


def test_it_needs_a_name(as_bob: Client, org: Organisation) -> None:
    as_bob.post(URL, {"name": ""})
    assert not ContactList.objects.exists()


def test_it_forbids_a_viewer(as_vera: Client, org: Organisation) -> None:
    assert as_vera.post(URL, {"name": "x"}).status_code == 403
    assert not ContactList.objects.exists()


def test_it_checks_the_organisation(as_charlie: Client, org: Organisation) -> None:
    assert as_charlie.post(URL, {"name": "x"}).status_code == 404


def test_it_rejects_get(as_bob: Client, org: Organisation) -> None:
    assert as_bob.get(URL).status_code == 405
