"""Filters behind the contact list and segments, straight on the form."""

from __future__ import annotations

import pytest
from django.utils import translation

from pressdesk.accounts.models import Organisation
from pressdesk.contacts import services
from pressdesk.contacts.filters import ContactFilterForm, segment_contacts, to_querydict
from pressdesk.contacts.models import ContactList
from pressdesk.contacts.tests import sample


def names(org: Organisation, **params: object) -> list[str]:
    with translation.override("en"):
        form = ContactFilterForm(org, to_querydict(params))
    return [str(c) for c in form.queryset()]


@pytest.fixture
def press(org: Organisation) -> Organisation:
    sample.contact(org, "Marie", "Dupont", emails=["marie@example.fr"], lawful_basis="consent")
    sample.contact(org, "Paul", "Martin", emails=["paul@example.fr"])
    sample.contact(org, "Zoé", "Sans-Mail")
    return org


def test_it_filters_on_the_opt_out_list(press: Organisation) -> None:
    services.opt_out(press, "PAUL@example.fr", "unsubscribe")
    assert names(press, opted_out="yes") == ["Paul Martin"]
    assert names(press, opted_out="no") == ["Marie Dupont", "Zoé Sans-Mail"]


def test_it_fills_missing_opt_out_keys_first(press: Organisation) -> None:
    # Imports write addresses in bulk, without the key.
    press.contacts.get(last_name="Martin").emails.update(address_hash="")
    services.opt_out(press, "paul@example.fr", "objection")
    assert names(press, opted_out="yes") == ["Paul Martin"]


def test_it_filters_on_lawful_basis_and_list(press: Organisation) -> None:
    assert names(press, lawful_basis="consent") == ["Marie Dupont"]
    salon = ContactList.objects.create(org=press, name="Salon")
    salon.memberships.create(contact=press.contacts.get(last_name="Martin"))
    assert names(press, in_list=[str(salon.pk)]) == ["Paul Martin"]


def test_it_keeps_a_deleted_beat_from_widening_a_segment(press: Organisation) -> None:
    beat = services.beat(press, "Énergie")
    press.contacts.get(last_name="Dupont").beats.add(beat)
    segment = ContactList.objects.create(
        org=press, name="Énergie", kind="segment", filters={"beat": [str(beat.pk)]}
    )
    assert [str(c) for c in segment_contacts(segment)] == ["Marie Dupont"]
    beat.delete()
    assert list(segment_contacts(segment)) == []


def test_it_combines_search_with_filters(press: Organisation) -> None:
    assert names(press, q="mar", has_email="yes") == ["Marie Dupont", "Paul Martin"]
    assert names(press, q="mar", lawful_basis="consent") == ["Marie Dupont"]


def test_it_describes_itself(press: Organisation) -> None:
    params = {"q": "mar", "media_type": ["radio"], "sort": "name"}
    with translation.override("en"):
        form = ContactFilterForm(press, to_querydict(params))
        assert form.describe() == [("Search", "mar"), ("Media type", "Radio")]


def test_it_selects_the_same_past_the_selection_cap(
    press: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pressdesk.contacts import filters

    ouest = sample.outlet(press, "Ouest-France", region="Bretagne")
    sample.contact(press, "Anne", "Bretonne", at=ouest, beats=["Pêche"])
    sample.contact(press, "Yann", "Breton", region="Bretagne", beats=["Pêche"])
    peche = str(press.beats.get(name="Pêche").pk)
    listed = names(press, region="Bretagne", beat=[peche])
    monkeypatch.setattr(filters, "SELECTION_CAP", 0)
    assert (
        names(press, region="Bretagne", beat=[peche]) == listed == ["Yann Breton", "Anne Bretonne"]
    )
