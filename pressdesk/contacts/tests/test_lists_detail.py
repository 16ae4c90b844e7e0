from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.models import ContactList
from pressdesk.contacts.tests import sample


@pytest.fixture
def salon(org: Organisation) -> ContactList:
    salon = ContactList.objects.create(org=org, name="Invités salon")
    salon.memberships.create(contact=sample.contact(org, "Marie", "Dupont"))
    sample.contact(org, "Paul", "Martin")
    return salon


def url(contact_list: ContactList) -> str:
    return f"/o/acme/contacts/lists/{contact_list.pk}/"


def test_it_shows_a_static_lists_members(as_bob: Client, salon: ContactList) -> None:
    r = as_bob.get(url(salon))
    assert r.status_code == 200
    assert [str(c) for c in r.context["page"].object_list] == ["Marie Dupont"]
    assert "Remove the ticked contacts" in r.content.decode()


def test_it_shows_a_segments_live_members(as_bob: Client, org: Organisation) -> None:
    segment = ContactList.objects.create(org=org, name="M", kind="segment", filters={"q": "mar"})
    sample.contact(org, "Marc", "Petit")
    r = as_bob.get(url(segment))
    assert [str(c) for c in r.context["page"].object_list] == ["Marc Petit"]
    sample.contact(org, "Martine", "Roux")
    r = as_bob.get(url(segment))
    assert [str(c) for c in r.context["page"].object_list] == ["Marc Petit", "Martine Roux"]
    assert "Search: mar" in r.content.decode()


def test_it_selects_nobody_when_a_segments_filters_no_longer_hold(
    as_bob: Client, org: Organisation
) -> None:
    sample.contact(org, "Marc", "Petit")
    segment = ContactList.objects.create(
        org=org, name="Broken", kind="segment", filters={"q": "marc", "active_after": "not a date"}
    )
    r = as_bob.get(url(segment))
    assert list(r.context["page"].object_list) == []
    assert "no longer make sense" in r.content.decode()


def test_it_hides_edit_controls_from_a_viewer(as_vera: Client, salon: ContactList) -> None:
    r = as_vera.get(url(salon))
    assert r.status_code == 200
    assert "Remove the ticked contacts" not in r.content.decode()


def test_it_checks_the_organisation(as_charlie: Client, salon: ContactList) -> None:
    assert as_charlie.get(url(salon)).status_code == 404


def test_it_rejects_post(as_bob: Client, salon: ContactList) -> None:
    assert as_bob.post(url(salon)).status_code == 405


def test_it_survives_a_page_number_past_the_end(as_bob: Client, salon: ContactList) -> None:
    for page in ("99999999999999999999999", "-1", "1e99", "x"):
        r = as_bob.get(url(salon), {"page": page})
        assert r.status_code == 200, page
        assert "Dupont" in r.content.decode()
