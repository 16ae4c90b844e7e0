"""Adding a contact to a list, and taking them off, from the contact's page."""

from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.models import Contact, ContactList
from pressdesk.contacts.tests import sample


@pytest.fixture
def marie(org: Organisation) -> Contact:
    return sample.contact(org)


@pytest.fixture
def energy(org: Organisation) -> ContactList:
    return ContactList.objects.create(org=org, name="Énergie")


def test_it_adds_and_removes(as_bob: Client, marie: Contact, energy: ContactList) -> None:
    r = as_bob.post(f"/o/acme/contacts/{marie.pk}/lists/", {"contact_list": energy.pk})
    assert r.status_code == 302
    membership = energy.memberships.get()
    assert membership.contact == marie
    assert membership.added_by is not None
    r = as_bob.post(f"/o/acme/contacts/{marie.pk}/lists/{energy.pk}/remove/")
    assert r.status_code == 302
    assert not energy.memberships.exists()


def test_it_refuses_a_segment(as_bob: Client, marie: Contact, org: Organisation) -> None:
    segment = ContactList.objects.create(org=org, name="S", kind="segment", filters={"q": "x"})
    as_bob.post(f"/o/acme/contacts/{marie.pk}/lists/", {"contact_list": segment.pk})
    assert not segment.memberships.exists()


def test_it_refuses_another_organisations_list(
    as_bob: Client, marie: Contact, other_org: Organisation
) -> None:
    theirs = ContactList.objects.create(org=other_org, name="Theirs")
    as_bob.post(f"/o/acme/contacts/{marie.pk}/lists/", {"contact_list": theirs.pk})
    assert not theirs.memberships.exists()
    r = as_bob.post(f"/o/acme/contacts/{marie.pk}/lists/{theirs.pk}/remove/")
    assert r.status_code == 404


def test_it_forbids_a_viewer(as_vera: Client, marie: Contact, energy: ContactList) -> None:
    assert (
        as_vera.post(f"/o/acme/contacts/{marie.pk}/lists/", {"contact_list": energy.pk}).status_code
        == 403
    )
    assert as_vera.post(f"/o/acme/contacts/{marie.pk}/lists/{energy.pk}/remove/").status_code == 403


def test_it_checks_the_organisation(
    as_charlie: Client, marie: Contact, energy: ContactList
) -> None:
    assert (
        as_charlie.post(
            f"/o/acme/contacts/{marie.pk}/lists/", {"contact_list": energy.pk}
        ).status_code
        == 404
    )


def test_it_rejects_get(as_bob: Client, marie: Contact) -> None:
    assert as_bob.get(f"/o/acme/contacts/{marie.pk}/lists/").status_code == 405
