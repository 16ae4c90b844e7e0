from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import AuditEntry, Organisation
from pressdesk.contacts.models import Contact, ContactList, FieldChange
from pressdesk.contacts.tests import sample

URL = "/o/acme/contacts/bulk/"


@pytest.fixture
def people(org: Organisation) -> list[Contact]:
    return [sample.contact(org, "Marie", "Dupont"), sample.contact(org, "Paul", "Martin")]


@pytest.fixture
def energy(org: Organisation) -> ContactList:
    return ContactList.objects.create(org=org, name="Énergie")


def ids(people: list[Contact]) -> list[str]:
    return [str(c.pk) for c in people]


def test_it_adds_to_a_list(as_bob: Client, people: list[Contact], energy: ContactList) -> None:
    r = as_bob.post(
        URL,
        {
            "contact": ids(people),
            "contact_list": energy.pk,
            "action": "list",
            "next": "/o/acme/contacts/?q=m",
        },
    )
    assert r.status_code == 302
    assert r["Location"] == "/o/acme/contacts/?q=m"
    assert set(energy.contacts.all()) == set(people)
    # Twice is harmless.
    as_bob.post(URL, {"contact": ids(people), "contact_list": energy.pk, "action": "list"})
    assert energy.memberships.count() == 2


def test_it_tags(as_bob: Client, people: list[Contact]) -> None:
    as_bob.post(URL, {"contact": ids(people[:1]), "tag": "Salon 2026", "action": "tag"})
    assert [t.name for t in people[0].tags.all()] == ["Salon 2026"]
    assert not people[1].tags.exists()


def test_tagging_keeps_history_and_an_audit_entry(
    as_bob: Client, people: list[Contact], org: Organisation
) -> None:
    sample.contact(org, "Zoé", "Déjà", tags=["Salon 2026"])
    as_bob.post(URL, {"contact": ids(people), "tag": "Salon 2026", "action": "tag"})
    for person in people:
        change = FieldChange.objects.get(contact=person, field="tags")
        assert (change.old_value, change.new_value) == ("", "Salon 2026")
        assert change.changed_by is not None and change.changed_by.email == "bob@example.org"
        person.refresh_from_db()
        assert "salon 2026" in person.search_text
    entry = AuditEntry.objects.get(action="contacts.tag")
    assert entry.data == {"tag": "Salon 2026", "count": 2}
    assert entry.actor_label == "bob@example.org"
    # Tagging again changes nothing, and says so in the log.
    as_bob.post(URL, {"contact": ids(people), "tag": "salon 2026", "action": "tag"})
    assert FieldChange.objects.filter(field="tags").count() == 2
    assert AuditEntry.objects.filter(action="contacts.tag").order_by("pk").last().data["count"] == 0


def test_it_never_tags_another_organisations_contacts(
    as_bob: Client, other_org: Organisation
) -> None:
    theirs = sample.contact(other_org, "Zoé", "Autre")
    as_bob.post(URL, {"contact": [theirs.pk], "tag": "Salon", "action": "tag"})
    assert not theirs.tags.exists()
    assert not FieldChange.objects.filter(contact=theirs).exists()


def test_it_ignores_another_organisations_contacts(
    as_bob: Client, energy: ContactList, other_org: Organisation
) -> None:
    theirs = sample.contact(other_org, "Zoé", "Autre")
    as_bob.post(URL, {"contact": [theirs.pk], "contact_list": energy.pk, "action": "list"})
    assert not energy.memberships.exists()


def test_it_refuses_another_organisations_list(
    as_charlie: Client, people: list[Contact], energy: ContactList
) -> None:
    assert (
        as_charlie.post(URL, {"contact": ids(people), "contact_list": energy.pk}).status_code == 404
    )


def test_it_does_not_redirect_elsewhere(
    as_bob: Client, people: list[Contact], energy: ContactList
) -> None:
    r = as_bob.post(
        URL, {"contact": ids(people), "contact_list": energy.pk, "next": "https://evil.example/"}
    )
    assert r["Location"] == "/o/acme/contacts/"


def test_it_forbids_a_viewer(as_vera: Client, people: list[Contact], energy: ContactList) -> None:
    assert as_vera.post(URL, {"contact": ids(people), "contact_list": energy.pk}).status_code == 403
    assert not energy.memberships.exists()


def test_it_rejects_get(as_bob: Client) -> None:
    assert as_bob.get(URL).status_code == 405
