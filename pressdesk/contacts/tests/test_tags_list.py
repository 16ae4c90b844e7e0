from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.tests import sample

URL = "/o/acme/contacts/tags/"


def test_it_lists_tags_with_their_counts(as_bob: Client, org: Organisation) -> None:
    sample.contact(org, "Marie", "Dupont", tags=["VIP", "Salon"])
    sample.contact(org, "Paul", "Martin", tags=["VIP"])
    r = as_bob.get(URL)
    assert r.status_code == 200
    rows = [(t.name, t.contact_count) for t in r.context["tags"]]
    assert rows == [("Salon", 1), ("VIP", 2)]
    body = r.content.decode()
    assert "/rename/" in body and "/merge/" in body and "/delete/" in body


def test_a_viewer_sees_tags_without_the_tools(as_vera: Client, org: Organisation) -> None:
    sample.contact(org, tags=["VIP"])
    r = as_vera.get(URL)
    assert r.status_code == 200
    assert "VIP" in r.content.decode() and "/rename/" not in r.content.decode()


def test_it_shows_only_the_organisations_tags(as_bob: Client, other_org: Organisation) -> None:
    sample.contact(other_org, tags=["Leur tag"])
    assert "Leur tag" not in as_bob.get(URL).content.decode()


def test_it_refuses_outsiders(as_charlie: Client, org: Organisation) -> None:
    assert as_charlie.get(URL).status_code == 404


def test_it_rejects_post(as_bob: Client) -> None:
    assert as_bob.post(URL).status_code == 405
