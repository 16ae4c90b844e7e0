from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import AuditEntry, Organisation
from pressdesk.contacts.models import Contact, FieldChange, Tag
from pressdesk.contacts.tests import sample


@pytest.fixture
def marie(org: Organisation) -> Contact:
    return sample.contact(org, tags=["Salon", "VIP"])


def url(tag: Tag) -> str:
    return f"/o/acme/contacts/tags/{tag.pk}/delete/"


def test_it_deletes_with_history_and_audit(as_bob: Client, marie: Contact) -> None:
    salon = Tag.objects.get(name="Salon")
    r = as_bob.post(url(salon))
    assert r.status_code == 302
    assert [t.name for t in marie.tags.all()] == ["VIP"]
    change = FieldChange.objects.get(contact=marie, field="tags")
    assert (change.old_value, change.new_value) == ("Salon, VIP", "VIP")
    entry = AuditEntry.objects.get(action="tag.delete")
    assert entry.data == {"count": 1} and entry.object_label == "Salon"


def test_it_forbids_a_viewer(as_vera: Client, marie: Contact) -> None:
    salon = Tag.objects.get(name="Salon")
    assert as_vera.post(url(salon)).status_code == 403
    assert Tag.objects.filter(pk=salon.pk).exists()


def test_it_refuses_another_organisations_tag(as_bob: Client, other_org: Organisation) -> None:
    theirs = sample.contact(other_org, tags=["Leur tag"]).tags.get()
    assert as_bob.post(url(theirs)).status_code == 404
    assert Tag.objects.filter(pk=theirs.pk).exists()


def test_it_refuses_outsiders(as_charlie: Client, marie: Contact) -> None:
    assert as_charlie.post(url(Tag.objects.get(name="Salon"))).status_code == 404


def test_it_rejects_get(as_bob: Client, marie: Contact) -> None:
    assert as_bob.get(url(Tag.objects.get(name="Salon"))).status_code == 405
