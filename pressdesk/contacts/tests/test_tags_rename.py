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
    return f"/o/acme/contacts/tags/{tag.pk}/rename/"


def test_it_renames_with_history_and_audit(as_bob: Client, marie: Contact) -> None:
    salon = Tag.objects.get(name="Salon")
    r = as_bob.post(url(salon), {"name": "Salon Energaia"})
    assert r.status_code == 302 and r["Location"] == "/o/acme/contacts/tags/"
    assert sorted(t.name for t in marie.tags.all()) == ["Salon Energaia", "VIP"]
    change = FieldChange.objects.get(contact=marie, field="tags")
    assert (change.old_value, change.new_value) == ("Salon, VIP", "Salon Energaia, VIP")
    marie.refresh_from_db()
    assert "energaia" in marie.search_text
    entry = AuditEntry.objects.get(action="tag.rename")
    assert entry.data == {"old": "Salon", "new": "Salon Energaia", "count": 1}


def test_it_refuses_a_name_another_tag_has(as_bob: Client, marie: Contact) -> None:
    salon = Tag.objects.get(name="Salon")
    r = as_bob.post(url(salon), {"name": "vip"}, follow=True)
    assert "merge the two instead" in r.content.decode()
    assert Tag.objects.filter(name="Salon").exists()
    assert not AuditEntry.objects.filter(action="tag.rename").exists()


def test_it_forbids_a_viewer(as_vera: Client, marie: Contact) -> None:
    salon = Tag.objects.get(name="Salon")
    assert as_vera.post(url(salon), {"name": "X"}).status_code == 403
    assert Tag.objects.filter(name="Salon").exists()


def test_it_refuses_another_organisations_tag(as_bob: Client, other_org: Organisation) -> None:
    theirs = sample.contact(other_org, tags=["Leur tag"]).tags.get()
    assert as_bob.post(url(theirs), {"name": "Pris"}).status_code == 404
    assert Tag.objects.filter(name="Leur tag").exists()


def test_it_refuses_outsiders(as_charlie: Client, marie: Contact) -> None:
    salon = Tag.objects.get(name="Salon")
    assert as_charlie.post(url(salon), {"name": "X"}).status_code == 404


def test_it_rejects_get(as_bob: Client, marie: Contact) -> None:
    assert as_bob.get(url(Tag.objects.get(name="Salon"))).status_code == 405
