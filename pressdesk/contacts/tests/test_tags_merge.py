from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import AuditEntry, Organisation
from pressdesk.contacts.models import Contact, ContactList, FieldChange, Tag
from pressdesk.contacts.tests import sample


@pytest.fixture
def people(org: Organisation) -> list[Contact]:
    return [
        sample.contact(org, "Marie", "Dupont", tags=["salon 2026"]),
        sample.contact(org, "Paul", "Martin", tags=["Salon Energaia", "salon 2026"]),
        sample.contact(org, "Léa", "Roux", tags=["Salon Energaia"]),
    ]


def url(tag: Tag) -> str:
    return f"/o/acme/contacts/tags/{tag.pk}/merge/"


def test_it_merges_with_history_and_audit(
    as_bob: Client, org: Organisation, people: list[Contact]
) -> None:
    old, target = Tag.objects.get(name="salon 2026"), Tag.objects.get(name="Salon Energaia")
    segment = ContactList.objects.create(
        org=org, name="Salon", kind=ContactList.SEGMENT, filters={"tag": [str(old.pk)]}
    )
    r = as_bob.post(url(old), {"into": target.pk})
    assert r.status_code == 302
    assert not Tag.objects.filter(pk=old.pk).exists()
    assert set(target.contacts.all()) == set(people)
    marie = FieldChange.objects.get(contact=people[0], field="tags")
    assert (marie.old_value, marie.new_value) == ("salon 2026", "Salon Energaia")
    paul = FieldChange.objects.get(contact=people[1], field="tags")
    assert (paul.old_value, paul.new_value) == ("salon 2026, Salon Energaia", "Salon Energaia")
    assert not FieldChange.objects.filter(contact=people[2]).exists()
    entry = AuditEntry.objects.get(action="tag.merge")
    assert entry.data == {"merged": "salon 2026", "into": "Salon Energaia", "count": 2}
    segment.refresh_from_db()
    assert segment.filters == {"tag": [str(target.pk)]}


def test_it_refuses_another_organisations_target(
    as_bob: Client, people: list[Contact], other_org: Organisation
) -> None:
    theirs = sample.contact(other_org, tags=["Leur tag"]).tags.get()
    old = Tag.objects.get(name="salon 2026")
    as_bob.post(url(old), {"into": theirs.pk})
    assert Tag.objects.filter(pk=old.pk).exists()
    assert not theirs.contacts.filter(org=old.org).exists()


def test_it_refuses_another_organisations_tag(
    as_bob: Client, people: list[Contact], other_org: Organisation
) -> None:
    theirs = sample.contact(other_org, tags=["Leur tag"]).tags.get()
    target = Tag.objects.get(name="Salon Energaia")
    assert as_bob.post(url(theirs), {"into": target.pk}).status_code == 404


def test_it_forbids_a_viewer(as_vera: Client, people: list[Contact]) -> None:
    old, target = Tag.objects.get(name="salon 2026"), Tag.objects.get(name="Salon Energaia")
    assert as_vera.post(url(old), {"into": target.pk}).status_code == 403
    assert Tag.objects.filter(pk=old.pk).exists()


def test_it_refuses_outsiders(as_charlie: Client, people: list[Contact]) -> None:
    old, target = Tag.objects.get(name="salon 2026"), Tag.objects.get(name="Salon Energaia")
    assert as_charlie.post(url(old), {"into": target.pk}).status_code == 404


def test_it_rejects_get(as_bob: Client, people: list[Contact]) -> None:
    assert as_bob.get(url(Tag.objects.get(name="salon 2026"))).status_code == 405
