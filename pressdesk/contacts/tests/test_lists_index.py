from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.models import ContactList
from pressdesk.contacts.tests import sample

URL = "/o/acme/contacts/lists/"


def test_it_shows_lists_and_segments_with_counts(as_vera: Client, org: Organisation) -> None:
    marie = sample.contact(org, "Marie", "Dupont", beats=["Énergie"])
    sample.contact(org, "Paul", "Martin", beats=["Énergie"])
    static = ContactList.objects.create(org=org, name="Invités salon")
    static.memberships.create(contact=marie)
    beat = org.beats.get()
    ContactList.objects.create(
        org=org, name="Énergie (segment)", kind="segment", filters={"beat": [str(beat.pk)]}
    )
    r = as_vera.get(URL)
    assert r.status_code == 200
    lists = {cl.name: cl.member_count for cl in r.context["static_lists"]}
    segments = {cl.name: cl.member_count for cl in r.context["segments"]}
    assert lists == {"Invités salon": 1}
    assert segments == {"Énergie (segment)": 2}
    assert "New static list" not in r.content.decode()


def test_it_offers_to_create_a_list(as_bob: Client, org: Organisation) -> None:
    assert "New static list" in as_bob.get(URL).content.decode()


def test_it_checks_the_organisation(as_charlie: Client, org: Organisation) -> None:
    assert as_charlie.get(URL).status_code == 404


def test_it_rejects_post(as_bob: Client, org: Organisation) -> None:
    assert as_bob.post(URL).status_code == 405
