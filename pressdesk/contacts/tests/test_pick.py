"""The pickers' search (contacts.services.pick), shared by the composer's recipient picker and the
byline review: found by name, outlet or address, within one organisation, with where the person
works now and an address that does not bounce."""

from __future__ import annotations

import pytest
from django.utils import timezone

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.services import pick
from pressdesk.contacts.tests import sample

pytestmark = pytest.mark.django_db


def test_it_gives_the_outlet_and_an_address_that_does_not_bounce(org: Organisation) -> None:
    jeanne = sample.contact(
        org,
        "Jeanne",
        "Dupont",
        emails=["old@ouest.example", "jeanne@ouest.example"],
        at=sample.outlet(org, "Ouest-France"),
    )
    jeanne.emails.filter(email="old@ouest.example").update(bounced_at=timezone.now())
    found, more = pick(org, "Ouest-France")
    assert [(p.contact, p.outlet, p.address) for p in found] == [
        (jeanne, "Ouest-France", "jeanne@ouest.example")
    ]
    assert more is False


def test_it_says_when_more_match_than_it_lists(org: Organisation) -> None:
    for n in range(3):
        sample.contact(org, f"Paul{n}", "Martin")
    found, more = pick(org, "Martin", limit=2)
    assert len(found) == 2 and more is True


def test_it_waits_for_two_letters_and_stays_in_the_organisation(
    org: Organisation, other_org: Organisation
) -> None:
    sample.contact(org, "Jeanne", "Dupont")
    sample.contact(other_org, "Jean", "Dupont")
    assert pick(org, " D ") == ([], False)
    assert [str(p.contact) for p in pick(other_org, "Dupont")[0]] == ["Jean Dupont"]
