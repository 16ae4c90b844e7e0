from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.models import Contact, FieldChange, Tag
from pressdesk.contacts.tests import sample


@pytest.fixture
def marie(org: Organisation) -> Contact:
    return sample.contact(org, tags=["VIP"])


def test_it_adds_a_tag(as_bob: Client, marie: Contact) -> None:
    r = as_bob.post(f"/o/acme/contacts/{marie.pk}/tags/", {"tag": "Presse nationale"})
    assert r.status_code == 302
    assert sorted(t.name for t in marie.tags.all()) == ["Presse nationale", "VIP"]
    marie.refresh_from_db()
    assert "presse nationale" in marie.search_text


def test_it_reuses_a_tag_whatever_the_case(as_bob: Client, marie: Contact) -> None:
    as_bob.post(f"/o/acme/contacts/{marie.pk}/tags/", {"tag": "vip"})
    assert Tag.objects.filter(org=marie.org).count() == 1


def test_it_removes_a_tag(as_bob: Client, marie: Contact) -> None:
    vip = marie.tags.get()
    r = as_bob.post(f"/o/acme/contacts/{marie.pk}/tags/{vip.pk}/remove/")
    assert r.status_code == 302
    assert not marie.tags.exists()


def test_it_forbids_a_viewer(as_vera: Client, marie: Contact) -> None:
    vip = marie.tags.get()
    assert as_vera.post(f"/o/acme/contacts/{marie.pk}/tags/", {"tag": "x"}).status_code == 403
    assert as_vera.post(f"/o/acme/contacts/{marie.pk}/tags/{vip.pk}/remove/").status_code == 403


def test_it_checks_the_organisation(as_charlie: Client, marie: Contact) -> None:
    assert as_charlie.post(f"/o/acme/contacts/{marie.pk}/tags/", {"tag": "x"}).status_code == 404


def test_it_rejects_get(as_bob: Client, marie: Contact) -> None:
    assert as_bob.get(f"/o/acme/contacts/{marie.pk}/tags/").status_code == 405


def test_the_contact_page_suggests_existing_tags(
    as_bob: Client, marie: Contact, org: Organisation
) -> None:
    sample.contact(org, "Paul", "Martin", tags=["Presse nationale"])
    body = as_bob.get(f"/o/acme/contacts/{marie.pk}/").content.decode()
    assert 'list="tag-names"' in body
    assert '<option value="Presse nationale"></option>' in body


def test_adding_and_removing_a_tag_keeps_history(as_bob: Client, marie: Contact) -> None:
    as_bob.post(f"/o/acme/contacts/{marie.pk}/tags/", {"tag": "Presse nationale"})
    vip = Tag.objects.get(name="VIP")
    as_bob.post(f"/o/acme/contacts/{marie.pk}/tags/{vip.pk}/remove/")
    changes = FieldChange.objects.filter(contact=marie, field="tags").order_by("pk")
    assert [(c.old_value, c.new_value) for c in changes] == [
        ("VIP", "Presse nationale, VIP"),
        ("Presse nationale, VIP", "Presse nationale"),
    ]
