from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.contacts import gdpr, search_index, services
from pressdesk.contacts.models import (
    Contact,
    ContactEmail,
    ContactPhone,
    FieldChange,
    ImportJob,
    Interaction,
    ListMembership,
    MergeSuggestion,
    Note,
    OptOut,
    Position,
)
from pressdesk.contacts.models.optout import address_hash
from pressdesk.contacts.tests.gdpr_support import EMAIL, full_person, person


def url(org: Organisation, pk: int) -> str:
    return f"/o/{org.slug}/contacts/gdpr/contact/{pk}/erase/"


@pytest.mark.django_db
def test_it_shows_what_will_be_removed(as_bob: Client, org: Organisation) -> None:
    contact = full_person(org)
    r = as_bob.get(url(org, contact.pk))
    assert r.status_code == 200
    body = r.content.decode()
    assert "Erase Marie Dupont?" in body
    assert "2 email addresses" in body
    assert "1 skipped row in import reports" in body
    # A GET erases nothing.
    assert Contact.objects.filter(pk=contact.pk).exists()


@pytest.mark.django_db
def test_it_erases_everywhere_and_keeps_only_the_hashes(
    as_bob: Client, bob: User, org: Organisation
) -> None:
    contact = full_person(org)
    pk = contact.pk
    assert search_index.search(org, "Dupont").ids == [pk]
    r = as_bob.post(url(org, pk))
    assert r.status_code == 302

    assert not Contact.objects.filter(pk=pk).exists()
    for model in (
        ContactEmail,
        ContactPhone,
        Position,
        Note,
        Interaction,
        FieldChange,
        ListMembership,
    ):
        assert not model.objects.filter(contact_id=pk).exists(), model
    assert not MergeSuggestion.objects.filter(contact_a_id=pk).exists()
    assert not MergeSuggestion.objects.filter(contact_b_id=pk).exists()
    assert not Contact.beats.through.objects.filter(contact_id=pk).exists()
    assert not Contact.tags.through.objects.filter(contact_id=pk).exists()
    assert not ContactEmail.objects.filter(email_normalised=EMAIL.lower()).exists()
    # The import report keeps the other skipped row only.
    (job,) = ImportJob.objects.all()
    assert [row["line"] for row in job.skipped] == [9]
    assert search_index.search(org, "Dupont").ids == []
    assert search_index.search(org, "ouest").ids == []

    # Only the hashes stay, with reason "erasure".
    entries = OptOut.objects.filter(org=org)
    assert {e.address_hash for e in entries} == {
        address_hash(EMAIL),
        address_hash("marie@perso.example.net"),
    }
    assert {e.reason for e in entries} == {"erasure"}


@pytest.mark.django_db
def test_it_blocks_a_later_reimport(as_bob: Client, org: Organisation) -> None:
    contact = full_person(org)
    as_bob.post(url(org, contact.pk))
    again = person(org, emails=["  MARIE.DUPONT@ouest-france.example.fr "])
    assert services.is_opted_out(org, again.emails.get().email)
    assert gdpr.mailable_address(again) is None


@pytest.mark.django_db
def test_it_audits_without_the_name_or_address(as_bob: Client, org: Organisation) -> None:
    contact = full_person(org)
    as_bob.post(url(org, contact.pk))
    entry = AuditEntry.objects.get(action="contact.erase")
    assert entry.actor_label == "bob@example.org"
    assert entry.data["contact_id"] == contact.pk
    assert entry.data["addresses_hashed"] == 2
    logged = f"{entry.object_label} {entry.object_id} {entry.data}".lower()
    assert "dupont" not in logged
    assert "marie" not in logged
    assert "example.fr" not in logged


@pytest.mark.django_db
def test_it_leaves_other_contacts_alone(as_bob: Client, org: Organisation) -> None:
    contact = full_person(org)
    other = person(org, "Paul", "Martin", emails=["paul@example.org"])
    as_bob.post(url(org, contact.pk))
    assert Contact.objects.filter(pk=other.pk).exists()
    assert not services.is_opted_out(org, "paul@example.org")


@pytest.mark.django_db
def test_it_checks_ownership(as_charlie: Client, org: Organisation) -> None:
    contact = person(org)
    assert as_charlie.post(url(org, contact.pk)).status_code == 404
    assert Contact.objects.filter(pk=contact.pk).exists()


@pytest.mark.django_db
def test_it_finds_no_contact_of_another_org(
    as_bob: Client, org: Organisation, other_org: Organisation
) -> None:
    theirs = person(other_org)
    assert as_bob.post(url(org, theirs.pk)).status_code == 404
    assert Contact.objects.filter(pk=theirs.pk).exists()


@pytest.mark.django_db
def test_it_forbids_a_viewer(as_vera: Client, org: Organisation) -> None:
    contact = person(org)
    assert as_vera.post(url(org, contact.pk)).status_code == 403
    assert Contact.objects.filter(pk=contact.pk).exists()


@pytest.mark.django_db
def test_it_rejects_other_methods(as_bob: Client, org: Organisation) -> None:
    contact = person(org)
    assert as_bob.delete(url(org, contact.pk)).status_code == 405
    assert Contact.objects.filter(pk=contact.pk).exists()
