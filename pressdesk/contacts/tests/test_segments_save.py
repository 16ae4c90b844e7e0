from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.filters import segment_contacts
from pressdesk.contacts.models import ContactList
from pressdesk.contacts.tests import sample

URL = "/o/acme/contacts/segments/new/"


def test_it_saves_the_filters(as_bob: Client, org: Organisation) -> None:
    sample.contact(org, "Marie", "Dupont", beats=["Énergie"])
    sample.contact(org, "Paul", "Martin", beats=["Agriculture"])
    beat = org.beats.get(name="Énergie")
    r = as_bob.post(URL, {"name": "Énergie", "filters": f"beat={beat.pk}&sort=name&page=3"})
    segment = ContactList.objects.get(org=org)
    assert r.status_code == 302
    assert r["Location"] == f"/o/acme/contacts/lists/{segment.pk}/"
    assert segment.kind == "segment"
    assert segment.filters == {"beat": [str(beat.pk)], "sort": "name"}
    assert [str(c) for c in segment_contacts(segment)] == ["Marie Dupont"]
    # A segment is live: a newcomer on the beat joins it.
    sample.contact(org, "Zoé", "Nouvelle", beats=["énergie"])
    assert [str(c) for c in segment_contacts(segment)] == ["Marie Dupont", "Zoé Nouvelle"]


def test_it_needs_a_filter_and_a_name(as_bob: Client, org: Organisation) -> None:
    as_bob.post(URL, {"name": "Everyone", "filters": "sort=name"})
    as_bob.post(URL, {"name": "", "filters": "q=marie"})
    assert not ContactList.objects.exists()


def test_it_forbids_a_viewer(as_vera: Client, org: Organisation) -> None:
    assert as_vera.post(URL, {"name": "x", "filters": "q=marie"}).status_code == 403
    assert not ContactList.objects.exists()


def test_it_checks_the_organisation(as_charlie: Client, org: Organisation) -> None:
    assert as_charlie.post(URL, {"name": "x", "filters": "q=marie"}).status_code == 404


def test_it_rejects_get(as_bob: Client, org: Organisation) -> None:
    assert as_bob.get(URL).status_code == 405
